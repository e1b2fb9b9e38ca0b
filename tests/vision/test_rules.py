"""The violation rules on their own: permits and hours, zones, section speed, visual flags."""

from datetime import UTC, datetime, time, timedelta

import pytest

from activities.vision.rules import EarlierSighting, Finding, Sighting, judge
from models.case import Violation
from models.store.registry import CHONGQING_TZ, TransportPermit
from models.vision.tables import CameraSection, RestrictedZone

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=CHONGQING_TZ)
NIGHT = datetime(2026, 11, 24, 23, 30, tzinfo=CHONGQING_TZ)
PLATE = "渝A·11111"
SQUARE = '{"type":"Polygon","coordinates":[[[106.50,29.50],[106.52,29.50],[106.52,29.52],[106.50,29.52],[106.50,29.50]]]}'


def _permit(**changes) -> TransportPermit:
    fields = dict(
        id="P1", plate=PLATE, site_id="S1", company="c", valid_from=datetime(2026, 1, 1, tzinfo=UTC),
        valid_until=datetime(2027, 1, 1, tzinfo=UTC), permitted_start=time(22), permitted_end=time(6), route="{}",
    )
    return TransportPermit(**(fields | changes))


def _sighting(at=NIGHT, plate=PLATE, lon=106.51, lat=29.51, visual=()) -> Sighting:
    return Sighting(camera_id="CAM-B", lon=lon, lat=lat, observed_at=at, plate=plate, plate_confidence=0.9, visual=list(visual))


def _judge(sighting, permits=(), zones=(), earlier=()) -> list[Finding]:
    return judge(sighting, permits=list(permits), zones=list(zones), earlier=list(earlier), min_confidence=0.6)


def test_valid_permit_inside_its_hours_is_no_violation():
    assert _judge(_sighting(), permits=[_permit()]) == []


def test_no_permit_and_outside_hours():
    assert [f.violation for f in _judge(_sighting())] == [Violation.no_permit]
    expired = _permit(valid_until=datetime(2026, 6, 1, tzinfo=UTC))
    assert [f.violation for f in _judge(_sighting(), permits=[expired])] == [Violation.no_permit]
    revoked = _permit(status="revoked")
    assert [f.violation for f in _judge(_sighting(), permits=[revoked])] == [Violation.no_permit]
    outside = _judge(_sighting(at=NOON), permits=[_permit()])
    assert [f.violation for f in outside] == [Violation.outside_hours]
    assert "12:00" in outside[0].reason and "22:00–06:00" in outside[0].reason


def test_unread_plate_skips_the_registry_rules():
    assert _judge(_sighting(plate=None)) == []


def test_restricted_zone_always_or_at_its_hours():
    always = RestrictedZone(id="Z1", name="解放碑", geofence=SQUARE)
    daytime = RestrictedZone(id="Z2", name="观音桥", geofence=SQUARE, restricted_start=time(7), restricted_end=time(21))
    assert [f.violation for f in _judge(_sighting(), permits=[_permit()], zones=[always])] == [Violation.restricted_zone]
    assert _judge(_sighting(), permits=[_permit()], zones=[daytime]) == []
    outside = _sighting(lon=106.60)
    assert _judge(outside, permits=[_permit()], zones=[always]) == []


@pytest.mark.parametrize(("seconds", "speeding"), [(60, True), (120, False)])
def test_section_speed_from_two_sightings(seconds, speeding):
    section = CameraSection(id="S", entry_camera_id="CAM-A", exit_camera_id="CAM-B", distance_m=1500, limit_kmh=60)
    earlier = [EarlierSighting(section=section, observed_at=NIGHT - timedelta(seconds=seconds))]
    findings = _judge(_sighting(), permits=[_permit()], earlier=earlier)
    assert [f.violation for f in findings] == ([Violation.speeding] if speeding else [])
    if speeding:
        assert findings[0].reason == "section CAM-A→CAM-B: 1500 m in 60 s = 90 km/h (limit 60)"


def test_visual_flags_need_confidence_and_come_first():
    flags = [
        Finding(violation=Violation.spillage, confidence=0.9, reason="edge"),
        Finding(violation=Violation.overloading, confidence=0.4, reason="weak"),
    ]
    findings = _judge(_sighting(at=NOON, visual=flags), permits=[_permit()])
    assert [f.violation for f in findings] == [Violation.spillage, Violation.outside_hours]
