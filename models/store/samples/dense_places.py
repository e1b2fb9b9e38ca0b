"""Sample 人员密集场所 dense places: real Chongqing crowd spots with invented capacities.

The places are the ones that fill up on holidays (解放碑, 洪崖洞, 磁器口 …) at their
approximate WGS84 positions; the resolver assigns their street. Capacities are
illustrative, which the 样例 name says.
"""

from models.store.dense_places import DensePlace, DensePlaceKind
from models.store.samples.names import SAMPLE_PREFIX
from models.store.samples.places import Geography

PLACES = (
    ("JFB", "解放碑步行街", DensePlaceKind.commercial_street, 50_000, 106.5775, 29.5575),
    ("HYD", "洪崖洞", DensePlaceKind.scenic_spot, 30_000, 106.5790, 29.5635),
    ("CTM", "朝天门广场", DensePlaceKind.square, 20_000, 106.5860, 29.5660),
    ("CQK", "磁器口古镇", DensePlaceKind.scenic_spot, 40_000, 106.4480, 29.5790),
    ("GYQ", "观音桥步行街", DensePlaceKind.commercial_street, 50_000, 106.5320, 29.5750),
    ("LZB", "李子坝轻轨站观景平台", DensePlaceKind.transit_station, 3_000, 106.5300, 29.5530),
    ("CQN", "重庆北站南广场", DensePlaceKind.transit_station, 30_000, 106.5520, 29.6080),
    ("DZS", "弹子石老街", DensePlaceKind.scenic_spot, 20_000, 106.5950, 29.5700),
    ("YJP", "杨家坪步行街", DensePlaceKind.commercial_street, 30_000, 106.5100, 29.5050),
    ("SXG", "三峡广场", DensePlaceKind.square, 40_000, 106.4570, 29.5600),
)


def dense_places(geography: Geography) -> list[DensePlace]:
    rows = []
    for code, name, kind, capacity, lon, lat in PLACES:
        location = geography.locate(lon, lat)
        if location is None or location.street_code is None:
            raise ValueError(f"sample place {name} ({lon}, {lat}) does not resolve to a street")
        rows.append(
            DensePlace(
                id=f"SAMPLE-PLACE-{code}",
                name=f"{SAMPLE_PREFIX}·{name}",
                kind=kind.value,
                capacity=capacity,
                district_code=location.district_code,
                street_code=location.street_code,
                lon=lon,
                lat=lat,
                sample=True,
            )
        )
    return rows
