"""Officer assignment (派单) in milliseconds: nearest on-duty officer of the responsible
street, balanced by how many open cases each already holds.

Score = distance + open cases × `workload_penalty_m`, so a free officer 2 km further away
beats a busy one next door. Nobody on duty → the street's officers are called out off
duty (flagged). A skill asked for (flood patrol, crowd control) narrows the pool to the
officers who have it, unless nobody in the street does. The choice is written under the
workflow's step key: a retry returns the
same officer instead of assigning twice.
"""

import math
from datetime import UTC, datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio import activity

from activities.logs import case_logger
from models.case import OfficerChoice
from models.steps import AssignmentRelease, AssignmentRequest
from models.store import DutyShift, Officer
from models.store.casework import Assignment

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


class AssignmentActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="choose_officer")
    def choose_officer(self, request: AssignmentRequest) -> OfficerChoice | None:
        with Session(self.engine) as session:
            earlier = session.get(Assignment, request.step_key)
            if earlier is not None:
                return _choice(session.get(Officer, earlier.officer_id), earlier)
            choice = self._best(session, request)
            if choice is None:
                return None
            officer, assignment = choice
            session.add(assignment)
            session.commit()
            case_logger("assignment").info(
                "officer assigned", officer=officer.id, street=request.street_code, distance_m=round(assignment.distance_m)
            )
            return _choice(officer, assignment)

    def _best(self, session: Session, request: AssignmentRequest) -> tuple[Officer, Assignment] | None:
        officers = session.exec(
            select(Officer).where(
                Officer.street_code == request.street_code, Officer.id.not_in(request.exclude_officer_ids)
            )
        ).all()
        if not officers:
            return None
        if request.skill:
            officers = [officer for officer in officers if request.skill in officer.skills] or officers
        ids = [officer.id for officer in officers]
        on_duty = set(
            session.exec(
                select(DutyShift.officer_id).where(
                    DutyShift.officer_id.in_(ids), DutyShift.starts_at <= request.at, DutyShift.ends_at > request.at
                )
            ).all()
        )
        workload = dict(
            session.exec(
                select(Assignment.officer_id, func.count())
                .where(Assignment.officer_id.in_(ids), Assignment.status == "open")
                .group_by(Assignment.officer_id)
            ).all()
        )
        pool = [officer for officer in officers if officer.id in on_duty] or officers

        def score(officer: Officer) -> tuple[float, str]:
            distance = distance_m(request.near_lon, request.near_lat, officer.lon, officer.lat)
            return distance + workload.get(officer.id, 0) * request.workload_penalty_m, officer.id

        best = min(pool, key=score)
        return best, Assignment(
            step_key=request.step_key,
            case_id=request.case_id,
            officer_id=best.id,
            street_code=request.street_code,
            assigned_at=request.at,
            distance_m=distance_m(request.near_lon, request.near_lat, best.lon, best.lat),
            open_cases_at_assignment=workload.get(best.id, 0),
            on_duty=best.id in on_duty,
        )

    @activity.defn(name="release_assignment")
    def release(self, release: AssignmentRelease) -> None:
        with Session(self.engine) as session:
            rows = session.exec(
                select(Assignment).where(
                    Assignment.case_id == release.case_id,
                    Assignment.officer_id == release.officer_id,
                    Assignment.status == "open",
                )
            ).all()
            for row in rows:
                row.status, row.outcome, row.closed_at = "closed", release.outcome, datetime.now(UTC)
                session.add(row)
            session.commit()


def _choice(officer: Officer | None, assignment: Assignment) -> OfficerChoice:
    assert officer is not None, "assignments reference existing officers (foreign key)"
    return OfficerChoice(
        officer_id=officer.id,
        officer_name=officer.name,
        street_code=assignment.street_code,
        distance_m=assignment.distance_m,
        open_cases=assignment.open_cases_at_assignment,
        on_duty=assignment.on_duty,
    )
