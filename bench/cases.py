"""What the case benchmarks share: which sightings to send, percentiles, the machine they
ran on, and where results go.

A benchmark sighting must reach an officer without a human in between, so it is a
permitted truck seen by a camera in its own site's district (districts taken from the
streets, as the case routes them: no city confirmation), in a street that has officers;
each (plate, violation) pair opens its own case.
"""

import json
from collections import Counter
import os
import platform
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.case import CameraEvent, EdgeAlert, Violation
from models.settings import Settings
from models.sla import percentile
from models.store import Camera, ConstructionSite, Officer, StreetRow, TransportPermit

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Sighting:
    plate: str
    camera_id: str
    violation: Violation


def sightings(engine: Engine, at: datetime, limit: int) -> list[Sighting]:
    """Up to `limit` distinct (plate, violation) sightings that each open a case an officer gets."""
    with Session(engine) as session:
        staffed = set(session.exec(select(Officer.street_code)).all())
        district_of = dict(session.exec(select(StreetRow.code, StreetRow.district_code)).all())
        cameras: dict[str, str] = {}
        for camera in session.exec(select(Camera).order_by(Camera.id)):
            cameras.setdefault(district_of[camera.street_code], camera.id)
        permits = session.exec(
            select(TransportPermit, ConstructionSite)
            .join(ConstructionSite, TransportPermit.site_id == ConstructionSite.id)
            .where(TransportPermit.status == "active", TransportPermit.valid_from <= at, TransportPermit.valid_until > at)
            .order_by(TransportPermit.id)
        ).all()
    permits_of = Counter(permit.plate for permit, _ in permits)  # several: triage picks one, maybe elsewhere
    trucks = [
        (permit.plate, cameras[district_of[site.street_code]])
        for permit, site in permits
        if permits_of[permit.plate] == 1 and site.street_code in staffed and district_of[site.street_code] in cameras
    ]
    found = [Sighting(plate, camera, violation) for violation in Violation for plate, camera in trucks]
    return found[:limit]


def camera_event(sighting: Sighting, observed_at: datetime, snapshot: Path) -> CameraEvent:
    return CameraEvent(
        camera_id=sighting.camera_id,
        observed_at=observed_at,
        snapshot_uri=str(snapshot),
        alert=EdgeAlert(violation=sighting.violation, plate=sighting.plate, confidence=0.9),
    )


def latency_summary(seconds: list[float]) -> dict[str, float | int | None]:
    ordered = sorted(seconds)
    if not ordered:
        return {"count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "count": len(ordered),
        **{f"p{q}_ms": round(percentile(ordered, q / 100) * 1000, 1) for q in (50, 95, 99)},
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def machine() -> dict:
    """Where and under what load the figures were taken (the machine is shared)."""
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "workflow_sandbox": Settings().workflow_sandbox,  # ONETHING_WORKFLOW_SANDBOX, inherited by the stack's workers
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
        "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_results(name: str, figures: dict, markdown: list[str]) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    figures = {**figures, "loadavg_1m_at_end": round(os.getloadavg()[0], 2)}
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS_DIR / f"{name}.md").write_text("\n".join(markdown) + "\n", encoding="utf-8")
