"""A muck-truck case from a raw frame with no edge alert: the vision worker sees the truck,
reads the rendered plate, finds the permit's hours broken, and the case reaches an officer.
Runs on time-skipping Temporal with every tier's worker, as the workflow tests do."""

from datetime import datetime

import cv2
import pytest
from sqlmodel import Session, select

from models.case import CameraEvent, Stage, Violation
from models.store import EvidenceRecord
from models.store.registry import CHONGQING_TZ
from models.vision.samples import truck_frame_with_plate
from models.vision.tables import PlateSighting
from tests.casebook import CAMERA, NEAR_OFFICER, PLATE_LOCAL, SITE_LOCAL
from tests.vision.conftest import CACHE
from tests.workflows.conftest import case_settings, stack, ts_env, wait_for  # noqa: F401,F811  (fixtures)

pytestmark = pytest.mark.slow  # real Temporal (time-skipping) server and every tier's worker

AFTERNOON = datetime(2026, 11, 24, 14, 5, tzinfo=CHONGQING_TZ)  # the casebook permit allows 22:00–06:00


def _raw_event(stack, name: str, frame) -> CameraEvent:
    path = stack.settings.home / "snapshots" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), frame, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return CameraEvent(camera_id=CAMERA, observed_at=AFTERNOON, snapshot_uri=str(path))


async def test_raw_frame_opens_a_case_that_reaches_assignment(manifest, sample, stack):
    sample("wqy-microhei.ttc")
    handle = await stack.open_case(_raw_event(stack, "raw.jpg", truck_frame_with_plate(PLATE_LOCAL, CACHE)))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response, timeout=30)

    assert status.plate == PLATE_LOCAL and status.violation is Violation.outside_hours
    assert status.source_site.site_id == SITE_LOCAL and status.source_site.found_by == "permit"
    assert status.officer.officer_id == NEAR_OFFICER
    confirmed = next(e for e in status.timeline if e.action == "violation confirmed")
    assert "outside its permitted hours" in confirmed.note and "14:05" in confirmed.note
    frame_evidence = status.evidence[0]
    assert frame_evidence.plate == PLATE_LOCAL and frame_evidence.violation is Violation.outside_hours

    with Session(stack.engine) as session:
        rows = session.exec(select(EvidenceRecord).where(EvidenceRecord.case_id == status.case_id)).all()
        frame = next(r for r in rows if r.sha256 == frame_evidence.sha256)
        analysed = next(step for step in frame.custody if step["what"] == "analysed on-platform")
        assert {m["sha256"] for m in analysed["models"]} == {m.sha256 for m in manifest.models.values()}
        assert any(d["label"] == "truck" for d in analysed["detections"])
        crops = [r for r in rows if r.sha256 != frame.sha256]
        assert [c.sha256 for c in crops] == analysed["crops"] and crops[0].media_type == "image/png"
        cut = crops[0].custody[-1]
        assert cut["frame_sha256"] == frame.sha256 and cut["plate"] == PLATE_LOCAL and cut["score"] > 0.5
        assert cut["model"]["sha256"] == manifest.models["vehicle-detector"].sha256
        assert (stack.settings.evidence_dir / "sha256" / crops[0].sha256[:2] / crops[0].sha256[2:4] / crops[0].sha256).exists()
        sighting = session.exec(select(PlateSighting)).one()
        assert (sighting.plate, sighting.camera_id, sighting.frame_sha256) == (PLATE_LOCAL, CAMERA, frame.sha256)


async def test_raw_frame_without_a_truck_is_dismissed(manifest, sample, stack):
    handle = await stack.open_case(_raw_event(stack, "bus.jpg", cv2.imread(str(sample("bus.jpg")))))
    final = await handle.result()
    assert final.stage is Stage.dismissed and final.plate is None
    assert "no truck in the frame" in final.outcome and "bus" in final.outcome
