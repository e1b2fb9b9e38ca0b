"""Sample officers for every 镇街 town/street and a 14-day on-duty roster.

Dispatch picks the nearest free officer of the responsible street, so every street needs
officers, a lead (街道负责人, who receives escalations) and someone on duty around the
clock. The roster is two 12-hour shifts a day (08:00–20:00, 20:00–08:00 local time),
rotated through the street's officers in an order that never gives anyone a night shift
followed directly by a day shift.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from models.store.directory import StreetRow
from models.store.registry import CHONGQING_TZ, DutyShift, Officer
from models.store.samples.names import person_name
from models.store.samples.places import Geography

OFFICERS_PER_STREET = (2, 5)
SKILLS = ("muck_truck", "flood_patrol", "crowd_control", "citizen_appeal")
LEAD_SKILLS = ("muck_truck",)
POSITION_RADIUS_M = 600.0
ROSTER_DAYS = 14
DAY_SHIFT_START = time(8, 0)
SHIFT_HOURS = 12


@dataclass(frozen=True)
class Staff:
    officers: list[Officer]
    shifts: list[dict[str, Any]]
    """`DutyShift` columns as plain rows: ~29,000 ORM instances would cost more than the rest of the seed."""


def _position(rng: random.Random, geography: Geography, street: StreetRow) -> tuple[float, float]:
    """Near the street's seat, inside the street; the seat itself if nothing nearby resolves there."""
    point = geography.point_near(rng, street, POSITION_RADIUS_M)
    return (point.lon, point.lat) if point else (street.seat_lon, street.seat_lat)


def _skills(rng: random.Random, lead: bool) -> list[str]:
    chosen = set(rng.sample(SKILLS, rng.randint(1, 3)))
    if lead:
        chosen.update(LEAD_SKILLS)
    return [skill for skill in SKILLS if skill in chosen]


def _street_officers(rng: random.Random, geography: Geography, street: StreetRow) -> list[Officer]:
    officers = []
    for number in range(1, rng.randint(*OFFICERS_PER_STREET) + 1):
        lon, lat = _position(rng, geography, street)
        officers.append(
            Officer(
                id=f"SAMPLE-OFF-{street.code}-{number}",
                name=person_name(rng),
                street_code=street.code,
                handling_unit_code=street.handling_unit_code,
                skills=_skills(rng, lead=number == 1),
                lon=lon,
                lat=lat,
                is_street_lead=number == 1,
                sample=True,
            )
        )
    return officers


def _roster(rng: random.Random, officers: list[Officer], start: date) -> list[dict[str, Any]]:
    """Day d's day shift goes to rotation slot 2d, its night shift to slot 2d+1 (mod n)."""
    rotation = officers[:]
    rng.shuffle(rotation)
    shifts = []
    for offset in range(ROSTER_DAYS):
        day = start + timedelta(days=offset)
        day_start = datetime.combine(day, DAY_SHIFT_START, CHONGQING_TZ)
        for slot, label in enumerate(("day", "night")):
            officer = rotation[(2 * offset + slot) % len(rotation)]
            begins = day_start + timedelta(hours=SHIFT_HOURS * slot)
            shifts.append(
                {
                    DutyShift.id.key: f"{officer.id}-{day:%Y%m%d}-{label}",
                    DutyShift.officer_id.key: officer.id,
                    DutyShift.starts_at.key: begins,
                    DutyShift.ends_at.key: begins + timedelta(hours=SHIFT_HOURS),
                    DutyShift.sample.key: True,
                }
            )
    return shifts


def staff(rng: random.Random, geography: Geography, start: date) -> Staff:
    officers: list[Officer] = []
    shifts: list[dict[str, Any]] = []
    for street in geography.streets.values():
        street_officers = _street_officers(rng, geography, street)
        officers += street_officers
        shifts += _roster(rng, street_officers, start)
    return Staff(officers=officers, shifts=shifts)
