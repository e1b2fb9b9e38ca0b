"""Load a city's own 风险点 risk-point list (GeoJSON points or CSV) into the registry.

The file names each point and its kind; where it lies decides who patrols it, so the
district and street come from the same resolver dispatch uses, never from the file. One
bad row rejects the whole file with every row's reason: a half-imported list would leave
points unpatrolled without anyone noticing.
"""

import csv
import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session

from models.geo.crs import Crs
from models.geo.resolver import OutsideChongqing, default_resolver
from models.store.risk_points import RiskPoint, RiskPointKind
from models.store.upsert import upsert


class RiskPointImportError(ValueError):
    """The file was rejected; the message lists every offending row."""


class _Row(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    kind: RiskPointKind
    lon: float
    lat: float
    note: str = ""


def _rows_of(path: Path) -> list[dict]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    collection = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for feature in collection.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            rows.append({**feature.get("properties", {}), "lon": "not a Point", "lat": None})
            continue
        lon, lat = geometry["coordinates"][:2]
        rows.append({**feature.get("properties", {}), "lon": lon, "lat": lat})
    return rows


def import_risk_points(session: Session, path: Path, crs: Crs = "wgs84") -> int:
    """Upsert every point of the file as a real (non-sample) row; returns how many."""
    resolver = default_resolver()
    points, problems = [], []
    for number, raw in enumerate(_rows_of(path), start=1):
        try:
            row = _Row.model_validate(raw)
            where = resolver.locate(row.lon, row.lat, crs)
        except (ValidationError, OutsideChongqing) as error:
            problems.append(f"row {number} ({raw.get('id', '?')}): {error}".replace("\n", "; "))
            continue
        if where.street_code is None:
            problems.append(f"row {number} ({row.id}): no street answers for ({row.lon}, {row.lat})")
            continue
        points.append(
            RiskPoint(
                id=row.id, name=row.name, kind=row.kind.value, district_code=where.district_code,
                street_code=where.street_code, lon=round(where.lon, 6), lat=round(where.lat, 6), note=row.note,
            ).model_dump()
        )
    if problems:
        raise RiskPointImportError(f"{path.name}: {len(problems)} rejected row(s), nothing imported\n" + "\n".join(problems))
    if len({point["id"] for point in points}) != len(points):
        raise RiskPointImportError(f"{path.name}: ids repeat; each risk point needs its own id")
    return upsert(session, RiskPoint, points, keys=("id",))
