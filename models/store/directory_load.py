"""Copy the geo package's directory (区县 districts, handling units, 镇街 streets) into the store.

The geo package is the source of truth; this load is an idempotent upsert, so it runs on
every `onething db upgrade` and a data rebuild reaches the database without a migration.
Rows that disappeared from the source are left alone: officers and cases may still point
at them.
"""

from pydantic import BaseModel
from sqlmodel import Session

from models.geo.directory import load_districts, load_handling_units, load_streets
from models.store.directory import DistrictRow, HandlingUnitRow, StreetRow
from models.store.upsert import upsert


class DirectoryCounts(BaseModel):
    districts: int
    handling_units: int
    streets: int


def load_directory(session: Session) -> DirectoryCounts:
    """Upsert the whole directory in foreign-key order; safe to run any number of times."""
    districts = [{"code": d.code, "name": d.name} for d in load_districts()]
    units = [
        {"code": u.code, "name": u.name, "kind": u.kind, "district_codes": list(u.district_codes)}
        for u in load_handling_units()
    ]
    streets = [
        {
            "code": s.code,
            "name": s.name,
            "district_code": s.district_code,
            "handling_unit_code": s.handling_unit_code,
            "seat_lon": s.seat_lon,
            "seat_lat": s.seat_lat,
            "seat_source": s.seat_source,
        }
        for s in load_streets()
    ]
    return DirectoryCounts(
        districts=upsert(session, DistrictRow, districts, keys=("code",)),
        handling_units=upsert(session, HandlingUnitRow, units, keys=("code",)),
        streets=upsert(session, StreetRow, streets, keys=("code",)),
    )
