"""Sample 工地 construction sites with small geofences, weighted towards the main urban area.

Muck-truck work concentrates where the city is building: the nine central districts, and
Jiulongpo (the article's muck-truck pilot) above all. Outlying districts still get a
share so cross-district cases (a truck from Jiangjin caught in Jiulongpo) occur.
"""

import json
import math
import random

import shapely

from models.store.registry import ConstructionSite
from models.store.samples.names import SAMPLE_PREFIX
from models.store.samples.places import COORDINATE_DIGITS, Geography, offset

MAIN_URBAN_WEIGHTS = {
    "500107": 12,  # 九龙坡区 Jiulongpo, the muck-truck pilot
    "500106": 8,  # 沙坪坝区 Shapingba
    "500112": 8,  # 渝北区 Yubei
    "500105": 6,  # 江北区 Jiangbei
    "500108": 6,  # 南岸区 Nan'an
    "500113": 6,  # 巴南区 Banan
    "500104": 4,  # 大渡口区 Dadukou
    "500109": 4,  # 北碚区 Beibei
    "500103": 2,  # 渝中区 Yuzhong: dense, little room to build
}
OTHER_DISTRICT_WEIGHT = 1
HALF_SIDE_METRES = (60.0, 180.0)
MAX_FENCE_DRAWS = 50


def district_weight(code: str) -> int:
    return MAIN_URBAN_WEIGHTS.get(code, OTHER_DISTRICT_WEIGHT)


def _geofence(rng: random.Random, lon: float, lat: float) -> shapely.Polygon:
    """A rotated rectangle of 120–360 m sides centred on the site, as real site hoardings are."""
    half_w, half_h = (rng.uniform(*HALF_SIDE_METRES) for _ in range(2))
    turn = rng.uniform(0, math.pi)
    corners = []
    for x, y in ((-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h)):
        east = x * math.cos(turn) - y * math.sin(turn)
        north = x * math.sin(turn) + y * math.cos(turn)
        corners.append(offset(lon, lat, east, north))
    return shapely.Polygon(corners)


def _geojson(polygon: shapely.Polygon) -> str:
    ring = [[round(x, COORDINATE_DIGITS), round(y, COORDINATE_DIGITS)] for x, y in polygon.exterior.coords]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))


def construction_sites(rng: random.Random, geography: Geography, count: int) -> list[ConstructionSite]:
    codes = list(geography.districts)
    weights = [district_weight(code) for code in codes]
    plots_per_street: dict[str, int] = {}
    sites = []
    for index in range(count):
        district_code = rng.choices(codes, weights)[0]
        for _ in range(MAX_FENCE_DRAWS):
            point = geography.point_in_district(rng, district_code)
            fence = _geofence(rng, point.lon, point.lat)
            if geography.shapes[district_code].contains(fence):
                break
        street = geography.streets[point.location.street_code]
        plots_per_street[street.code] = plots_per_street.get(street.code, 0) + 1
        sites.append(
            ConstructionSite(
                id=f"SAMPLE-SITE-{index + 1:04d}",
                name=f"{SAMPLE_PREFIX}工地·{street.name}{plots_per_street[street.code]:02d}号地块",
                district_code=district_code,
                street_code=street.code,
                lon=point.lon,
                lat=point.lat,
                geofence=_geojson(fence),
                sample=True,
            )
        )
    return sites
