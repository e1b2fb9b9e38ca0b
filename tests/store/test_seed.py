from collections import Counter
from datetime import datetime, timedelta

import pytest
import shapely
from sqlmodel import select

from models.geo.directory import street_service_areas
from models.geo.resolver import default_resolver
from models.plates import normalise_plate
from models.store import (
    Camera,
    ConstructionSite,
    DistrictRow,
    DutyShift,
    MuckTruck,
    Officer,
    StreetRow,
    TransportPermit,
    session_scope,
)
from models.store.directory_load import load_directory
from models.store.engine import make_engine
from models.store.migrate import upgrade
from models.store.registry import CHONGQING_TZ
from models.store.seed import DEFAULT_START, sample_fingerprint, seed_registry
from tests.store.conftest import SEED

MAIN_URBAN = {"500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112", "500113"}


def seed_and_fingerprint(engine, seed: int, **options) -> str:
    with session_scope(engine) as session:
        seed_registry(session, seed, **options)
    with session_scope(engine) as session:
        return sample_fingerprint(session)


@pytest.fixture(scope="module")
def seeded(store_engine):
    """The registry as `onething seed --seed 7` leaves it, loaded once for the module."""
    seed_and_fingerprint(store_engine, SEED)
    with session_scope(store_engine) as session:
        tables = {
            model: session.exec(select(model)).all()
            for model in (StreetRow, DistrictRow, ConstructionSite, TransportPermit, MuckTruck, Camera, Officer, DutyShift)
        }
        session.expunge_all()
    return tables


def test_same_seed_gives_identical_content_and_anything_else_differs(store_engine, seeded):
    first = seed_and_fingerprint(store_engine, SEED)
    assert seed_and_fingerprint(store_engine, SEED) == first
    assert seed_and_fingerprint(store_engine, SEED + 1) != first
    assert seed_and_fingerprint(store_engine, SEED) == first, "re-seeding replaces the other seed's rows"
    assert seed_and_fingerprint(store_engine, SEED, start=DEFAULT_START + timedelta(days=1)) != first


def test_every_row_is_labelled_sample(seeded):
    for model in (ConstructionSite, TransportPermit, MuckTruck, Camera, Officer, DutyShift):
        assert seeded[model] and all(row.sample for row in seeded[model])
    for model in (ConstructionSite, Camera, Officer):
        assert all(row.name.startswith("样例") for row in seeded[model])
    assert all(truck.company.startswith("样例") for truck in seeded[MuckTruck])


def test_sites_favour_the_main_urban_districts_with_jiulongpo_first(seeded):
    per_district = Counter(site.district_code for site in seeded[ConstructionSite])
    assert len(seeded[ConstructionSite]) == 300
    assert per_district.most_common(1)[0][0] == "500107"
    assert sum(per_district[code] for code in MAIN_URBAN) > 0.6 * 300


def test_every_site_and_camera_resolves_to_where_it_is_recorded(seeded):
    resolver = default_resolver()
    for row in [*seeded[ConstructionSite], *seeded[Camera]]:
        location = resolver.locate(row.lon, row.lat)
        assert (location.district_code, location.street_code) == (row.district_code, row.street_code), row.id


def test_site_geofences_are_small_polygons_around_the_site(seeded):
    for site in seeded[ConstructionSite]:
        fence = shapely.from_geojson(site.geofence)
        assert fence.geom_type == "Polygon" and fence.is_valid
        assert fence.contains(shapely.Point(site.lon, site.lat))
        assert fence.area < 0.00002  # well under 0.25 km² at this latitude


def test_cameras_cover_every_district_with_headings_and_road_names(seeded):
    assert {camera.district_code for camera in seeded[Camera]} == {d.code for d in seeded[DistrictRow]}
    for camera in seeded[Camera]:
        assert 0 <= camera.heading_deg < 360
        assert camera.road_name.startswith("样例道路·")


def test_every_street_has_officers_and_exactly_one_lead(seeded):
    streets = {street.code: street for street in seeded[StreetRow]}
    by_street: dict[str, list[Officer]] = {}
    for officer in seeded[Officer]:
        assert officer.street_code in streets
        assert officer.handling_unit_code == streets[officer.street_code].handling_unit_code
        by_street.setdefault(officer.street_code, []).append(officer)
    assert set(by_street) == set(streets)
    for officers in by_street.values():
        assert 2 <= len(officers) <= 5
        (lead,) = [officer for officer in officers if officer.is_street_lead]
        assert "muck_truck" in lead.skills


def test_officers_stand_in_their_street_wherever_the_street_has_an_area(seeded):
    """Streets whose seat is unknown have no service area until official boundaries are
    imported; their officers stand at the seat, which is inside the right district."""
    resolver = default_resolver()
    streets = {street.code: street for street in seeded[StreetRow]}
    with_area = set(street_service_areas())
    for officer in seeded[Officer]:
        location = resolver.locate(officer.lon, officer.lat)
        assert location.district_code == streets[officer.street_code].district_code, officer.id
        if officer.street_code in with_area:
            assert location.street_code == officer.street_code, officer.id


def test_roster_keeps_someone_on_duty_in_every_street_for_fourteen_days(seeded):
    street_of = {officer.id: officer.street_code for officer in seeded[Officer]}
    shifts: dict[str, list[DutyShift]] = {}
    for shift in seeded[DutyShift]:
        shifts.setdefault(street_of[shift.officer_id], []).append(shift)
    first = datetime.combine(DEFAULT_START, datetime.min.time(), CHONGQING_TZ) + timedelta(hours=8)
    for street_shifts in shifts.values():
        street_shifts.sort(key=lambda shift: shift.starts_at)
        assert street_shifts[0].starts_at == first
        assert street_shifts[-1].ends_at == first + timedelta(days=14)
        for earlier, later in zip(street_shifts, street_shifts[1:]):
            assert earlier.ends_at == later.starts_at
            assert earlier.officer_id != later.officer_id, "nobody works 24 hours straight"
    assert len(shifts) == len(seeded[StreetRow])


def test_permits_cover_valid_expired_revoked_and_no_permit_cases(seeded):
    night = datetime.combine(DEFAULT_START, datetime.min.time(), CHONGQING_TZ) + timedelta(hours=23, minutes=30)
    noon = night - timedelta(hours=11, minutes=30)
    permits = seeded[TransportPermit]
    valid = [p for p in permits if p.allows(night)]
    expired = [p for p in permits if p.valid_until <= night]
    revoked = [p for p in permits if p.status == "revoked"]
    assert valid and expired and revoked
    assert len(valid) > len(expired) + len(revoked)
    assert not any(p.allows(noon) for p in permits), "muck trucks are permitted at night only"
    permitted_plates = {p.plate for p in permits}
    assert any(truck.plate not in permitted_plates for truck in seeded[MuckTruck])
    assert permitted_plates <= {truck.plate for truck in seeded[MuckTruck]}
    for permit in permits:
        assert permit.permitted_start > permit.permitted_end, "night windows wrap midnight"
        assert shapely.from_geojson(permit.route).geom_type == "LineString"


def test_plates_are_canonical_chongqing_plates(seeded):
    for truck in seeded[MuckTruck]:
        assert truck.plate == normalise_plate(truck.plate)
        assert truck.plate[:1] == "渝" and truck.plate[2] == "·"


@pytest.mark.postgres
def test_same_seed_gives_identical_content_on_sqlite_and_postgresql(create_database):
    fingerprints = []
    for backend in ("sqlite", "postgres"):
        url = create_database(backend)
        upgrade(url)
        engine = make_engine(url)
        with session_scope(engine) as session:
            load_directory(session)
        fingerprints.append(seed_and_fingerprint(engine, 11, sites=40))
        engine.dispose()
    assert fingerprints[0] == fingerprints[1]
