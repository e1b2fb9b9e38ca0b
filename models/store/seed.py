"""The sample registry: reproducible demo data inside the real Chongqing geography.

Sites, permits, trucks, cameras, officers and their roster, risk points and dense places
are invented (every row has `sample=True` and a 样例 name) but sit where the real
directory says, so every scenario can be run end to end before a city connects its own
registries. The output depends only on (seed, sites, start): the clock is never read, and
the only randomness is `random.Random` seeded from `seed`.
"""

import hashlib
import json
import random
from datetime import date, time
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete
from sqlmodel import Session, SQLModel, select

from models.store.dense_places import DensePlace
from models.store.directory import DistrictRow, StreetRow
from models.store.registry import (
    Camera,
    ConstructionSite,
    DutyShift,
    MuckTruck,
    Officer,
    TransportPermit,
)
from models.store.risk_points import RiskPoint
from models.store.samples.cameras import cameras
from models.store.samples.dense_places import dense_places
from models.store.samples.fleet import fleet
from models.store.samples.officers import staff
from models.store.samples.places import Geography
from models.store.samples.risk_points import risk_points
from models.store.samples.sites import construction_sites
from models.store.upsert import upsert

DEFAULT_START = date(2026, 1, 1)
DEFAULT_SITES = 300
# Parents before children: the order rows are written in (and the reverse, removed in).
SAMPLE_TABLES: tuple[type[SQLModel], ...] = (
    MuckTruck,
    ConstructionSite,
    TransportPermit,
    Camera,
    Officer,
    DutyShift,
    RiskPoint,
    DensePlace,
)
_DELETE_BATCH = 500


class DirectoryNotLoaded(RuntimeError):
    """Sample rows hang off districts and streets, which `onething db upgrade` loads."""


class SampleCollision(RuntimeError):
    """A generated key (say a plate) already belongs to a real row, which seeding must not overwrite."""


class SeedCounts(BaseModel):
    construction_sites: int
    transport_permits: int
    muck_trucks: int
    cameras: int
    officers: int
    duty_shifts: int
    risk_points: int
    dense_places: int


def _dump(rows: list[SQLModel]) -> list[dict[str, Any]]:
    return [row.model_dump() for row in rows]


def _key_column(model: type[SQLModel]):
    (column,) = model.__table__.primary_key.columns
    return getattr(model, column.name)


def _refuse_real_collisions(session: Session, model: type[SQLModel], keys: set[str]) -> None:
    column = _key_column(model)
    real = set(session.exec(select(column).where(model.sample.is_(False))).all())
    if clash := sorted(real & keys):
        raise SampleCollision(
            f"{model.__tablename__}: sample keys {clash[:5]} already belong to real rows; pick another seed"
        )


def _delete_stale(session: Session, model: type[SQLModel], keep: set[str]) -> None:
    column = _key_column(model)
    existing = session.exec(select(column).where(model.sample.is_(True))).all()
    stale = sorted(set(existing) - keep)
    for start in range(0, len(stale), _DELETE_BATCH):
        session.execute(delete(model).where(column.in_(stale[start : start + _DELETE_BATCH])))


def seed_registry(
    session: Session, seed: int, sites: int = DEFAULT_SITES, start: date = DEFAULT_START
) -> SeedCounts:
    """Make the sample rows exactly the set generated from `seed`; real rows are untouched.

    `start` is the first day of the duty roster and the date permits are valid (or
    expired) around. New rows are upserted and only then are sample rows outside the new
    set deleted, so rows a re-run keeps are updated in place: case work that references
    them (an assignment to a sample officer) survives a same-seed re-run, while a stale
    row that is still referenced makes the foreign key refuse the seed.
    """
    districts = session.exec(select(DistrictRow)).all()
    streets = session.exec(select(StreetRow)).all()
    if not districts or not streets:
        raise DirectoryNotLoaded("the directory is empty; run `onething db upgrade` first")
    geography = Geography(list(districts), list(streets))
    rng = random.Random(seed)

    site_rows = construction_sites(rng, geography, sites)
    trucks_and_permits = fleet(rng, geography, site_rows, start)
    camera_rows = cameras(rng, geography)
    people = staff(rng, geography, start)
    # Later registries draw from their own stream, so adding one leaves the others' rows as they were.
    point_rows = risk_points(random.Random(f"risk-points:{seed}"), geography)
    place_rows = dense_places(geography)
    generated: dict[type[SQLModel], list[dict[str, Any]]] = {
        MuckTruck: _dump(trucks_and_permits.trucks),
        ConstructionSite: _dump(site_rows),
        TransportPermit: _dump(trucks_and_permits.permits),
        Camera: _dump(camera_rows),
        Officer: _dump(people.officers),
        DutyShift: people.shifts,
        RiskPoint: _dump(point_rows),
        DensePlace: _dump(place_rows),
    }

    keys = {model: {row[_key_column(model).key] for row in rows} for model, rows in generated.items()}
    for model in SAMPLE_TABLES:
        _refuse_real_collisions(session, model, keys[model])
    for model in SAMPLE_TABLES:
        upsert(session, model, generated[model], keys=(_key_column(model).key,))
    for model in reversed(SAMPLE_TABLES):
        _delete_stale(session, model, keys[model])
    return SeedCounts(
        construction_sites=len(site_rows),
        transport_permits=len(trucks_and_permits.permits),
        muck_trucks=len(trucks_and_permits.trucks),
        cameras=len(camera_rows),
        officers=len(people.officers),
        duty_shifts=len(people.shifts),
        risk_points=len(point_rows),
        dense_places=len(place_rows),
    )


def sample_fingerprint(session: Session) -> str:
    """A hash of every sample row as read back from the database.

    Equal fingerprints mean identical sample content, across runs and across backends;
    rows are sorted in Python because PostgreSQL collations order strings differently.
    """
    digest = hashlib.sha256()
    for model in SAMPLE_TABLES:
        table = model.__table__
        key = _key_column(model).key
        rows = [dict(row) for row in session.execute(select(table).where(table.c.sample.is_(True))).mappings()]
        for row in sorted(rows, key=lambda row: row[key]):
            digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=_isoformat).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _isoformat(value: date | time) -> str:
    """Dates, times and (aware, UTC) datetimes are the only non-JSON values the tables hold."""
    return value.isoformat()
