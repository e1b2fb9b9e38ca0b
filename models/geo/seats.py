"""Where each 镇街 town/street government sits: NBS names matched to GeoNames places.

The NBS code table has names but no coordinates; GeoNames has coordinates and Chinese
names but no codes. A seat is accepted only when the names agree after removing the
administrative suffix (镇/乡/街道/民族乡 …) and the GeoNames point lies inside, or within
`NEAR_METRES` of, the street's own 区县 district, which rules out the many repeated
place names across the city. Spelling variants (one differing character, or a truncated
name) are accepted last, and only for points inside the district.

A few GeoNames rows carry no Chinese spelling at all, only romanisations ("Yudong"); they
are matched through `ROMANISED_SPELLINGS`, a short table giving each such row's Chinese
spelling, checked against the row's own romanised name so a re-pinned dump cannot
silently attach a spelling to another place.
"""

import json
import re
from enum import IntEnum
from pathlib import Path

import shapely
from pydantic import BaseModel

from models.geo.sources import BuildInputError, GeoNamesPlace, RawStreet

NEAR_METRES = 2_000.0
METRES_PER_DEGREE = 111_320.0
SNAP_RADIUS_DEG = 0.001

REJECTED_MATCHES = {
    ("500237002", 8398262): "龙门街道 is Wushan's urban street; GeoNames 龙井乡 (Longjing) is another township",
    ("500102007", 8416241): "崇义街道 is urban 涪陵; GeoNames 仁义乡 (Renyi, alias 义和场) is a township ~27 km north-east",
    ("500108003", 1909734): (
        "GeoNames 南坪 (Nanping) fits both 南坪街道 and 南坪镇 and lies 2.8 km east of the 南坪 commercial "
        "centre; it is left to 南坪镇 and 南坪街道 gets a curated seat at the centre"
    ),
}

# GeoNames rows (cities500, Chongqing) that have no Chinese spelling: geonameid → (the row's
# name, its Chinese spelling). Each is a township seat named by NBS; the spelling is the
# standard one for the romanisation in that district. Rows without an NBS counterpart
# (1798513 Puhechang 蒲河场, merged away; 12358576 Wanzhou, the district seat) are left out.
ROMANISED_SPELLINGS: dict[int, tuple[str, str]] = {
    1785964: ("Yudong", "鱼洞"),      # 巴南区 鱼洞街道
    1809338: ("Guofu", "郭扶"),       # 綦江区 郭扶镇
    1812168: ("Dongxi", "东溪"),      # 綦江区 东溪镇
    1914252: ("Nanpeng", "南彭"),     # 巴南区 南彭街道
    1914256: ("Ersheng", "二圣"),     # 巴南区 二圣镇
    12358587: ("Peishi", "培石"),     # 巫山县 培石乡
    12358614: ("Zhuyi", "朱衣"),      # 奉节县 朱衣镇
    12489793: ("Fuhuan", "扶欢"),     # 綦江区 扶欢镇
}

_ADMIN_SUFFIX = re.compile(r"(?:(?:土家|苗|仡佬|回|彝|藏|蒙古)族)*(?:民族)?(?:街道办事处|街道|镇|乡)$")


def name_key(name: str) -> str:
    """The distinctive part of a town/street name: 石桥苗族土家族乡 → 石桥, 朱沱镇 → 朱沱."""
    base = _ADMIN_SUFFIX.sub("", name.strip())
    return base or name.strip()


class MatchQuality(IntEnum):
    """How well the names agree; lower is stronger evidence and wins ties."""

    EXACT_NAME = 0
    SAME_KEY = 1
    VARIANT = 2


class SeatMatch(BaseModel):
    """A street's seat taken from GeoNames; `moved_metres` > 0 when nudged into its district."""

    street_code: str
    geonameid: int
    lon: float
    lat: float
    quality: MatchQuality
    moved_metres: float = 0.0
    romanised: bool = False


def chinese_names(place: GeoNamesPlace) -> list[str]:
    """The place's Chinese spellings, or the one `ROMANISED_SPELLINGS` records for a row that has none."""
    entry = ROMANISED_SPELLINGS.get(place.geonameid)
    if entry is None:
        return place.chinese_names
    romanised, spelling = entry
    if place.name != romanised or place.chinese_names:
        raise BuildInputError(
            f"GeoNames {place.geonameid} is now {place.name!r} with Chinese names {place.chinese_names}; "
            f"ROMANISED_SPELLINGS expects {romanised!r} with none: review the entry"
        )
    return [spelling]


def _is_variant(street_key: str, place_key: str) -> bool:
    """One differing character (龙潭/龙谭, 高梁/高粱) or a truncated name (龙凤 for 龙凤桥)."""
    if len(street_key) < 2 or len(place_key) < 2:
        return False
    if len(street_key) == len(place_key):
        return sum(a != b for a, b in zip(street_key, place_key)) == 1
    return street_key.startswith(place_key) or place_key.startswith(street_key)


def _candidates(
    streets: list[RawStreet], places: list[GeoNamesPlace], districts: dict[str, shapely.Geometry]
) -> list[tuple[bool, bool, int, float, int, str]]:
    """Every plausible (street, place) pair with its sort key; variant spellings must lie inside the district."""
    place_names = {place.geonameid: chinese_names(place) for place in places}
    place_keys = {geonameid: sorted({name_key(name) for name in names}) for geonameid, names in place_names.items()}
    ranked = []
    for street in streets:
        district = districts[street.district_code]
        street_key = name_key(street.name)
        for place in places:
            keys = place_keys[place.geonameid]
            if street.name in place_names[place.geonameid]:
                quality = MatchQuality.EXACT_NAME
            elif street_key in keys:
                quality = MatchQuality.SAME_KEY
            elif any(_is_variant(street_key, key) for key in keys):
                quality = MatchQuality.VARIANT
            else:
                continue
            outside_m = shapely.distance(district, shapely.Point(place.lon, place.lat)) * METRES_PER_DEGREE
            if outside_m > NEAR_METRES or (quality == MatchQuality.VARIANT and outside_m > 0.0):
                continue
            if (street.code, place.geonameid) in REJECTED_MATCHES:
                continue
            variant = quality == MatchQuality.VARIANT
            ranked.append((variant, outside_m > 0.0, quality, outside_m, place.geonameid, street.code))
    return sorted(ranked)


def match_seats(
    streets: list[RawStreet], places: list[GeoNamesPlace], districts: dict[str, shapely.Geometry]
) -> dict[str, SeatMatch]:
    """Greedy one-to-one assignment, best evidence first: non-variant names, inside the district, exact name, nearest, lowest id."""
    by_id = {place.geonameid: place for place in places}
    district_of = {street.code: street.district_code for street in streets}
    matches: dict[str, SeatMatch] = {}
    used_places: set[int] = set()
    for _, _, quality, _, geonameid, street_code in _candidates(streets, places, districts):
        if street_code in matches or geonameid in used_places:
            continue
        place = by_id[geonameid]
        lon, lat, moved = snap_into(districts[district_of[street_code]], place.lon, place.lat)
        matches[street_code] = SeatMatch(
            street_code=street_code, geonameid=geonameid, lon=lon, lat=lat,
            quality=quality, moved_metres=moved, romanised=not place.chinese_names,
        )
        used_places.add(geonameid)
    return matches


def snap_into(district: shapely.Geometry, lon: float, lat: float) -> tuple[float, float, float]:
    """Round a seat to 1e-6° and, if it then lies outside its district, move it just inside.

    A seat must resolve to its own district; GeoNames points near a border sometimes fall a
    few hundred metres over it, so such a point is replaced by a deterministic interior point
    of the district near its nearest boundary point.
    """
    point = shapely.Point(round(lon, 6), round(lat, 6))
    if shapely.contains(district, point):
        return point.x, point.y, 0.0
    nearest = shapely.shortest_line(district, point).coords[0]
    neighbourhood = shapely.intersection(district, shapely.Point(nearest).buffer(SNAP_RADIUS_DEG))
    inside = shapely.point_on_surface(neighbourhood)
    snapped = shapely.Point(round(inside.x, 6), round(inside.y, 6))
    if not shapely.contains(district, snapped):
        raise ValueError(f"could not place seat ({lon}, {lat}) inside its district")
    return snapped.x, snapped.y, shapely.distance(point, snapped) * METRES_PER_DEGREE


class CuratedSeat(BaseModel):
    """A hand-placed seat for a street GeoNames does not know (see models/data/curated_seats.json)."""

    code: str
    name: str
    lon: float
    lat: float
    landmark: str


def read_curated_seats(path: Path) -> list[CuratedSeat]:
    return [CuratedSeat.model_validate(item) for item in json.loads(path.read_text(encoding="utf-8"))["seats"]]
