"""The directory of Chongqing jurisdictions: 区县 districts, 镇街 towns/streets and handling units.

Read once from the committed files in `models/data/` (built by `onething data build`, see
DATA_SOURCES.md) and cached, so every caller shares one immutable copy.

A handling unit is whoever receives a case: the city 城运中心 operations centre, a district,
or a functional zone (功能区, e.g. 两江新区) that administers towns NBS lists under a district.
Every street belongs to exactly one handling unit.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

import shapely
from pydantic import BaseModel, ConfigDict

from models.geo import geojson

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DISTRICTS_PATH = DATA_DIR / "districts.geojson"
STREETS_PATH = DATA_DIR / "streets.json"
STREET_AREAS_PATH = DATA_DIR / "street_areas.geojson"
HANDLING_UNITS_PATH = DATA_DIR / "handling_units.json"

SeatSource = Literal["geonames", "curated", "district_interior"]
HandlingUnitKind = Literal["city", "district", "functional_zone"]


class District(BaseModel):
    """A 区县 district or county, keyed by its 6-digit adcode."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str


class Street(BaseModel):
    """A 镇街 town or street, keyed by its 9-digit NBS code.

    The seat is where its government sits (`geonames` or hand-`curated`); a
    `district_interior` seat only says "somewhere in the district" and is never used to
    draw service areas.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    district_code: str
    seat_lon: float
    seat_lat: float
    seat_source: SeatSource
    handling_unit_code: str
    geonameid: int | None = None


class HandlingUnit(BaseModel):
    """An office that receives cases: the city centre, a district, or a functional zone."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    kind: HandlingUnitKind
    district_codes: list[str]


class _ZoneStreet(BaseModel):
    code: str
    name: str


class _FunctionalZone(BaseModel):
    code: str
    name: str
    streets: list[_ZoneStreet]


class _HandlingUnitsFile(BaseModel):
    note: str
    city: District
    functional_zones: list[_FunctionalZone]


@lru_cache(maxsize=1)
def _handling_units_file() -> _HandlingUnitsFile:
    return _HandlingUnitsFile.model_validate_json(HANDLING_UNITS_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _district_features() -> tuple[tuple[dict, shapely.MultiPolygon], ...]:
    features = tuple(geojson.read_features(DISTRICTS_PATH))
    shapely.prepare([geometry for _, geometry in features])
    return features


@lru_cache(maxsize=1)
def load_districts() -> tuple[District, ...]:
    return tuple(District(code=props["code"], name=props["name"]) for props, _ in _district_features())


@lru_cache(maxsize=1)
def district_geometries() -> dict[str, shapely.MultiPolygon]:
    """WGS84 MultiPolygons by district code, prepared for fast point-in-polygon tests."""
    return {props["code"]: geometry for props, geometry in _district_features()}


@lru_cache(maxsize=1)
def street_service_areas() -> dict[str, shapely.MultiPolygon]:
    """Approximate service areas (Voronoi cells of the seats, clipped to the district) by street code."""
    areas = {props["code"]: geometry for props, geometry in geojson.read_features(STREET_AREAS_PATH)}
    shapely.prepare(list(areas.values()))
    return areas


def _functional_zone_of_street() -> dict[str, str]:
    records = {record["code"]: record for record in json.loads(STREETS_PATH.read_text(encoding="utf-8"))}
    zone_of: dict[str, str] = {}
    for zone in _handling_units_file().functional_zones:
        for street in zone.streets:
            record = records.get(street.code)
            if record is None or record["name"] != street.name:
                raise ValueError(f"{HANDLING_UNITS_PATH.name}: {zone.code} lists unknown street {street.code} {street.name}")
            if street.code in zone_of:
                raise ValueError(f"{HANDLING_UNITS_PATH.name}: street {street.code} is in two functional zones")
            zone_of[street.code] = zone.code
    return zone_of


@lru_cache(maxsize=1)
def load_streets() -> tuple[Street, ...]:
    zone_of = _functional_zone_of_street()
    return tuple(
        Street(**record, handling_unit_code=zone_of.get(record["code"], record["district_code"]))
        for record in json.loads(STREETS_PATH.read_text(encoding="utf-8"))
    )


@lru_cache(maxsize=1)
def load_handling_units() -> tuple[HandlingUnit, ...]:
    """The city centre, then the 38 districts, then the functional zones: 1 + 41 units, as in the three tiers."""
    units_file = _handling_units_file()
    districts = load_districts()
    district_of_street = {street.code: street.district_code for street in load_streets()}
    city = HandlingUnit(
        code=units_file.city.code, name=units_file.city.name, kind="city",
        district_codes=[district.code for district in districts],
    )
    district_units = [
        HandlingUnit(code=district.code, name=district.name, kind="district", district_codes=[district.code])
        for district in districts
    ]
    zone_units = [
        HandlingUnit(
            code=zone.code, name=zone.name, kind="functional_zone",
            district_codes=sorted({district_of_street[street.code] for street in zone.streets}),
        )
        for zone in units_file.functional_zones
    ]
    return (city, *district_units, *zone_units)
