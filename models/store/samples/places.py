"""Points inside the real geography that resolve to where they are recorded.

Sample rows are only useful if the resolver (the code that turns a camera's position into
the responsible 镇街 street) agrees with them, so every point is checked through the same
resolver the workflows use and re-drawn when it falls on the wrong side of a boundary.
"""

import math
import random
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from models.geo.directory import district_geometries
from models.geo.resolver import Location, OutsideChongqing, default_resolver
from models.store.directory import DistrictRow, StreetRow

COORDINATE_DIGITS = 6
METRES_PER_DEGREE = 111_320.0
MAX_DRAWS = 2_000


class NoPointFound(RuntimeError):
    """The geography left no room for a point meeting the constraints (a data problem)."""


@dataclass(frozen=True)
class Point:
    lon: float
    lat: float
    location: Location


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """Move a lon/lat by metres; exact enough at the few-kilometre scale used here."""
    dlat = north_m / METRES_PER_DEGREE
    dlon = east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lon + dlon, COORDINATE_DIGITS), round(lat + dlat, COORDINATE_DIGITS)


def bearing_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Compass bearing from a to b (0 = north, clockwise), on the local flat approximation."""
    east = (b[0] - a[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    north = b[1] - a[1]
    return round(math.degrees(math.atan2(east, north)) % 360.0, 1)


class Geography:
    """The directory as loaded in the store, plus district shapes and the resolver."""

    def __init__(self, districts: list[DistrictRow], streets: list[StreetRow]):
        self.districts = {d.code: d for d in sorted(districts, key=lambda d: d.code)}
        self.streets = {s.code: s for s in sorted(streets, key=lambda s: s.code)}
        self.streets_by_district: dict[str, list[StreetRow]] = {code: [] for code in self.districts}
        for street in self.streets.values():
            self.streets_by_district[street.district_code].append(street)
        shapes = district_geometries()  # already prepared for point-in-polygon tests
        self.shapes: dict[str, BaseGeometry] = {code: shapes[code] for code in self.districts}
        self._resolver = default_resolver()

    def locate(self, lon: float, lat: float) -> Location | None:
        try:
            return self._resolver.locate(lon, lat)
        except OutsideChongqing:
            return None

    def point_in_district(self, rng: random.Random, district_code: str) -> Point:
        """A uniformly drawn point that the resolver places in `district_code` and one of its streets."""
        west, south, east, north = self.shapes[district_code].bounds
        for _ in range(MAX_DRAWS):
            lon = round(rng.uniform(west, east), COORDINATE_DIGITS)
            lat = round(rng.uniform(south, north), COORDINATE_DIGITS)
            if not self.shapes[district_code].contains(shapely.Point(lon, lat)):
                continue
            location = self.locate(lon, lat)
            if location is not None and location.district_code == district_code and location.street_code:
                return Point(lon, lat, location)
        raise NoPointFound(f"no point resolving to district {district_code}")

    def point_near(
        self, rng: random.Random, street: StreetRow, radius_m: float, tries: int = 24
    ) -> Point | None:
        """A point within `radius_m` of the street's seat that resolves to that street, if any does.

        None for a street no point resolves to: one whose seat is unknown
        (`district_interior`) has no service area until official boundaries are imported.
        """
        for attempt in range(tries):
            reach = radius_m * (1 - attempt / tries)
            angle = rng.uniform(0, 2 * math.pi)
            distance = reach * math.sqrt(rng.random())
            lon, lat = offset(
                street.seat_lon, street.seat_lat,
                distance * math.sin(angle), distance * math.cos(angle),
            )
            location = self.locate(lon, lat)
            if location is not None and location.street_code == street.code:
                return Point(lon, lat, location)
        return None
