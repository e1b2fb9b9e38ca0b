from sqlmodel import func, select

from models.geo.directory import load_streets
from models.store import DistrictRow, HandlingUnitRow, StreetRow, session_scope
from models.store.directory_load import load_directory


def counts(engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (DistrictRow, HandlingUnitRow, StreetRow)
        )


def test_directory_has_every_district_and_street(store_engine):
    assert counts(store_engine) == (38, 42, 1031)


def test_loading_again_changes_nothing(store_engine):
    before = counts(store_engine)
    with session_scope(store_engine) as session:
        loaded = load_directory(session)
    assert (loaded.districts, loaded.handling_units, loaded.streets) == before
    assert counts(store_engine) == before


def test_rows_mirror_the_geo_package(store_engine):
    source = {street.code: street for street in load_streets()}
    with session_scope(store_engine) as session:
        rows = session.exec(select(StreetRow)).all()
        units = {unit.code: unit for unit in session.exec(select(HandlingUnitRow)).all()}
        for row in rows:
            street = source[row.code]
            assert (row.name, row.district_code, row.handling_unit_code) == (
                street.name, street.district_code, street.handling_unit_code,
            )
            assert row.district_code in units[row.handling_unit_code].district_codes
        assert units["500107"].kind == "district"
