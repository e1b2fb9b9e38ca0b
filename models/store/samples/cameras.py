"""Sample road cameras in every 区县 district.

There is no road network in the project's data, so a "road" here is the straight segment
between a 镇街 street's seat and the nearest other seat of the same district, named after
the two towns; cameras sit on such segments facing along them. Real deployments import
camera positions instead.
"""

import math
import random
from dataclasses import dataclass

from models.store.directory import StreetRow
from models.store.registry import Camera
from models.store.samples.names import SAMPLE_PREFIX, district_short_name
from models.store.samples.places import COORDINATE_DIGITS, Geography, bearing_deg
from models.store.samples.sites import district_weight

BASE_CAMERAS_PER_DISTRICT = 4
MAX_PLACEMENT_DRAWS = 200
SEGMENT_SPAN = (0.15, 0.85)


@dataclass(frozen=True)
class _Placement:
    lon: float
    lat: float
    heading_deg: float
    road: str
    street_code: str


def _distance2(a: StreetRow, b: StreetRow) -> float:
    east = (a.seat_lon - b.seat_lon) * math.cos(math.radians(a.seat_lat))
    return east * east + (a.seat_lat - b.seat_lat) ** 2


def _segments(streets: list[StreetRow]) -> list[tuple[StreetRow, StreetRow]]:
    """Each seat joined to its nearest neighbour: a sparse, plausible set of local roads."""
    pairs: dict[tuple[str, str], tuple[StreetRow, StreetRow]] = {}
    for street in streets:
        others = [other for other in streets if other.code != street.code]
        if not others:
            continue
        nearest = min(others, key=lambda other: (_distance2(street, other), other.code))
        a, b = sorted((street, nearest), key=lambda s: s.code)
        pairs[(a.code, b.code)] = (a, b)
    return [pairs[key] for key in sorted(pairs)]


def _camera_on_road(
    rng: random.Random, geography: Geography, district_code: str, roads
) -> _Placement | None:
    for _ in range(MAX_PLACEMENT_DRAWS):
        a, b = rng.choice(roads)
        if rng.random() < 0.5:
            a, b = b, a
        t = rng.uniform(*SEGMENT_SPAN)
        lon = round(a.seat_lon + t * (b.seat_lon - a.seat_lon), COORDINATE_DIGITS)
        lat = round(a.seat_lat + t * (b.seat_lat - a.seat_lat), COORDINATE_DIGITS)
        location = geography.locate(lon, lat)
        if location is None or location.district_code != district_code:
            continue  # the straight line left the district (concave boundary)
        heading = bearing_deg((a.seat_lon, a.seat_lat), (b.seat_lon, b.seat_lat))
        first, second = sorted((a.name, b.name))
        return _Placement(lon, lat, heading, f"{first}—{second}", location.street_code)
    return None


def _camera_near_seat(rng: random.Random, geography: Geography, district_code: str) -> _Placement:
    """Fallback when no road fits: a single-street district, or every segment leaves it."""
    street = rng.choice(geography.streets_by_district[district_code])
    point = geography.point_near(rng, street, radius_m=800.0)
    if point is None:
        point = geography.point_in_district(rng, district_code)
    name = geography.streets[point.location.street_code].name
    heading = round(rng.uniform(0, 360), 1)
    return _Placement(point.lon, point.lat, heading, f"{name}周边", point.location.street_code)


def cameras(rng: random.Random, geography: Geography) -> list[Camera]:
    rows = []
    for district_code, streets in geography.streets_by_district.items():
        roads = _segments(streets)
        short = district_short_name(geography.districts[district_code].name)
        for number in range(1, BASE_CAMERAS_PER_DISTRICT + district_weight(district_code) + 1):
            placed = _camera_on_road(rng, geography, district_code, roads) if roads else None
            placed = placed or _camera_near_seat(rng, geography, district_code)
            rows.append(
                Camera(
                    id=f"SAMPLE-CAM-{district_code}-{number:02d}",
                    name=f"{SAMPLE_PREFIX}摄像头·{short}{number:02d}（{placed.road}）",
                    lon=placed.lon,
                    lat=placed.lat,
                    district_code=district_code,
                    street_code=placed.street_code,
                    heading_deg=placed.heading_deg,
                    road_name=f"{SAMPLE_PREFIX}道路·{placed.road}",
                    sample=True,
                )
            )
    return rows
