"""The violation rules (违规研判) over what was seen plus what the registries say.

Pure functions: a `Sighting` and the facts looked up for it in, `Finding`s out, most
serious first, so every rule is tested without a model or a database. A case carries one
violation; the first finding becomes it and the others are kept in its reason.

Rules:
- camera-flagged visual violations (冒装 overloading, 撒漏 spillage, 未密闭 uncovered) from an
  edge camera's alert or the pluggable classifier, when confident enough;
- 区间测速 section speed: the same plate seen at both ends of a camera section of known length;
- 闯禁区 restricted zone: the camera stands inside a zone that is restricted at that hour;
- 无证运输 no transport permit valid on that day, and 违时运输 a valid permit outside its hours.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

import shapely
from pydantic import BaseModel, Field

from models.case import Violation
from models.store.registry import CHONGQING_TZ, TransportPermit
from models.vision.tables import CameraSection, RestrictedZone

VISUAL = (Violation.overloading, Violation.spillage, Violation.uncovered)
SEVERITY = (*VISUAL, Violation.speeding, Violation.restricted_zone, Violation.no_permit, Violation.outside_hours)


class Finding(BaseModel):
    violation: Violation
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str


@dataclass
class EarlierSighting:
    """The plate at a section's entry camera, with the section joining it to this camera."""

    section: CameraSection
    observed_at: datetime


@dataclass
class Sighting:
    camera_id: str
    lon: float
    lat: float
    observed_at: datetime
    plate: str | None
    plate_confidence: float
    visual: list[Finding] = field(default_factory=list)


def judge(
    sighting: Sighting,
    *,
    permits: list[TransportPermit],
    zones: list[RestrictedZone],
    earlier: list[EarlierSighting],
    min_confidence: float,
) -> list[Finding]:
    findings = [f for f in sighting.visual if f.violation in VISUAL and f.confidence >= min_confidence]
    findings += _restricted_zones(sighting, zones)
    if sighting.plate is not None:
        findings += _section_speed(sighting, earlier)
        findings += _permit(sighting, permits)
    return sorted(findings, key=lambda f: (SEVERITY.index(f.violation), -f.confidence))


def _section_speed(sighting: Sighting, earlier: list[EarlierSighting]) -> list[Finding]:
    """The fastest section run over its limit, if any (one finding, however many sections)."""
    runs = []
    for entry in earlier:
        seconds = (sighting.observed_at - entry.observed_at).total_seconds()
        if seconds > 0:
            runs.append((entry.section.distance_m / seconds * 3.6, seconds, entry.section))
    speeding = [run for run in runs if run[0] > run[2].limit_kmh]
    if not speeding:
        return []
    kmh, seconds, section = max(speeding, key=lambda run: run[0])
    return [
        Finding(
            violation=Violation.speeding,
            confidence=sighting.plate_confidence,
            reason=f"section {section.entry_camera_id}→{sighting.camera_id}: {section.distance_m:.0f} m in "
            f"{seconds:.0f} s = {kmh:.0f} km/h (limit {section.limit_kmh:.0f})",
        )
    ]


def _restricted_zones(sighting: Sighting, zones: list[RestrictedZone]) -> list[Finding]:
    point = shapely.Point(sighting.lon, sighting.lat)
    local = sighting.observed_at.astimezone(CHONGQING_TZ).time()
    return [
        Finding(
            violation=Violation.restricted_zone,
            confidence=1.0,
            reason=f"camera {sighting.camera_id} is inside restricted zone {zone.name} ({zone.id})"
            + (f", restricted {zone.restricted_start:%H:%M}–{zone.restricted_end:%H:%M}" if zone.restricted_start else ""),
        )
        for zone in zones
        if _restricted_at(zone, local) and shapely.from_geojson(zone.geofence).covers(point)
    ]


def _restricted_at(zone: RestrictedZone, local: time) -> bool:
    start, end = zone.restricted_start, zone.restricted_end
    if start is None or end is None:
        return True
    return start <= local < end if start <= end else (local >= start or local < end)


def _permit(sighting: Sighting, permits: list[TransportPermit]) -> list[Finding]:
    at = sighting.observed_at
    valid = [p for p in permits if p.status == "active" and p.valid_from <= at < p.valid_until]
    if not valid:
        return [
            Finding(
                violation=Violation.no_permit,
                confidence=sighting.plate_confidence,
                reason=f"{sighting.plate}: no transport permit valid at {at.astimezone(CHONGQING_TZ):%Y-%m-%d %H:%M}"
                f" ({len(permits)} on file)",
            )
        ]
    if any(p.allows(at) for p in valid):
        return []
    hours = ", ".join(f"{p.id} {p.permitted_start:%H:%M}–{p.permitted_end:%H:%M}" for p in valid)
    return [
        Finding(
            violation=Violation.outside_hours,
            confidence=sighting.plate_confidence,
            reason=f"{sighting.plate} seen at {at.astimezone(CHONGQING_TZ):%H:%M}, outside its permitted hours ({hours})",
        )
    ]
