"""Detection (感知): validate a camera's sighting, store its snapshot as evidence with a
chain of custody, and decide whether there is a violation to act on.

A sighting with an edge alert is judged by the camera's own verdict; a raw frame (no
alert) is judged on-platform (`activities/vision/judge.py`): truck, plate, registries,
rules, with every vehicle crop stored and its custody recorded.
"""

import socket
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.evidence_store import EvidenceRejected, EvidenceStore, SnapshotFetcher, media_type_of
from activities.logs import case_logger
from activities.places import place_of
from activities.vision.judge import FrameJudge, FrameVerdict, StoredCrop
from activities.vision.pipeline import UndecodableFrame
from models.case import Evidence
from models.steps import DetectionRequest, DetectionResult
from models.store import Camera
from models.store.casework import EvidenceRecord
from models.store.upsert import upsert


class DetectionActivities:
    def __init__(
        self, engine: Engine, store: EvidenceStore, fetcher: SnapshotFetcher, vision: FrameJudge | None = None
    ) -> None:
        self.engine = engine
        self.store = store
        self.fetcher = fetcher
        self.vision = vision

    @activity.defn(name="detect")
    def detect(self, request: DetectionRequest) -> DetectionResult:
        log = case_logger("detection")
        event = request.event
        with Session(self.engine) as session:
            camera = session.get(Camera, event.camera_id)
            if camera is None:
                raise ApplicationError(f"unknown camera {event.camera_id}", type="Rejected", non_retryable=True)
            camera_place = place_of(session, camera.lon, camera.lat, camera.street_code)
            session.expunge(camera)
        try:
            data = self.fetcher.fetch(event.snapshot_uri)
            media_type = media_type_of(data)
        except EvidenceRejected as err:
            raise ApplicationError(str(err), type="Rejected", non_retryable=True) from err
        digest, path = self.store.put(data)
        alert = event.alert
        seen = self._look(request, data, camera, digest) if alert is None else None
        evidence = Evidence(
            sha256=digest,
            stored_uri=path.resolve().as_uri(),
            source_uri=event.snapshot_uri,
            camera_id=event.camera_id,
            observed_at=event.observed_at,
            size_bytes=len(data),
            violation=seen.violation if seen else alert.violation if alert else None,
            plate=seen.plate if seen else alert.plate if alert else None,
            confidence=seen.plate_confidence if seen else alert.confidence if alert else None,
        )
        rows = [_evidence_row(request.case_id, evidence, media_type, _custody(evidence, seen))]
        if seen is not None:
            rows += [_crop_row(request.case_id, evidence, crop) for crop in seen.crops]
        with Session(self.engine) as session:
            records = [r.model_dump(exclude={"id"}) for r in rows]
            upsert(session, EvidenceRecord, records, keys=("case_id", "sha256"), keep=("custody",))
            session.commit()
        if seen is not None:
            violation, reason, plate = seen.violation, seen.reason, seen.plate
        else:
            (violation, reason), plate = _verdict(request), alert.plate if alert else None
        log.info("evidence stored", sha256=digest, camera=event.camera_id, violation=violation, plate=plate, reason=reason)
        return DetectionResult(evidence=evidence, camera=camera_place, violation=violation, reason=reason, plate=plate)

    def _look(self, request: DetectionRequest, data: bytes, camera: Camera, digest: str) -> FrameVerdict:
        """No edge alert: the platform judges the frame itself, or says it cannot."""
        if self.vision is None:
            raise ApplicationError(
                "the sighting has no edge alert and this vision worker has no models (run `onething vision build`)",
                type="VisionUnavailable",
            )
        try:
            return self.vision.judge(data, camera, request.event.observed_at, digest, min_confidence=request.min_confidence)
        except UndecodableFrame as err:
            raise ApplicationError(str(err), type="Rejected", non_retryable=True) from err


def _handler() -> str:
    return f"{socket.gethostname()}:{activity.info().task_queue}"


def _custody(evidence: Evidence, seen: FrameVerdict | None) -> list[dict]:
    custody = [
        {"at": evidence.observed_at.isoformat(), "by": f"camera:{evidence.camera_id}", "what": "captured"},
        {
            "at": datetime.now(UTC).isoformat(),
            "by": _handler(),
            "what": f"fetched from {evidence.source_uri} and stored as sha256",
        },
    ]
    if seen is not None:
        analysis = seen.analysis
        custody.append(
            {
                "at": datetime.now(UTC).isoformat(),
                "by": _handler(),
                "what": "analysed on-platform",
                "frame_sha256": evidence.sha256,
                "models": [m.model_dump() for m in analysis.models],
                "detections": [d.model_dump() for d in analysis.detections],
                "plates": [v.plate.model_dump() for v in analysis.vehicles if v.plate],
                "crops": [c.sha256 for c in seen.crops],
                "findings": [f.model_dump(mode="json") for f in seen.findings],
                "verdict": seen.reason,
            }
        )
    return custody


def _evidence_row(case_id: str, evidence: Evidence, media_type: str, custody: list[dict]) -> EvidenceRecord:
    return EvidenceRecord(
        case_id=case_id,
        sha256=evidence.sha256,
        stored_uri=evidence.stored_uri,
        source_uri=evidence.source_uri,
        camera_id=evidence.camera_id,
        observed_at=evidence.observed_at,
        size_bytes=evidence.size_bytes,
        media_type=media_type,
        custody=custody,
    )


def _crop_row(case_id: str, frame: Evidence, crop: StoredCrop) -> EvidenceRecord:
    """A vehicle crop is evidence of its own, traceable to its frame and the model that cut it."""
    return EvidenceRecord(
        case_id=case_id,
        sha256=crop.sha256,
        stored_uri=crop.stored_uri,
        source_uri=f"sha256:{frame.sha256}#box={crop.box.x1:.0f},{crop.box.y1:.0f},{crop.box.x2:.0f},{crop.box.y2:.0f}",
        camera_id=frame.camera_id,
        observed_at=frame.observed_at,
        size_bytes=crop.size_bytes,
        media_type="image/png",
        custody=[
            {"at": frame.observed_at.isoformat(), "by": f"camera:{frame.camera_id}", "what": "captured"},
            {
                "at": datetime.now(UTC).isoformat(),
                "by": _handler(),
                "what": f"{crop.label} cut from frame sha256:{frame.sha256} at score {crop.score:.3f}",
                "frame_sha256": frame.sha256,
                "model": crop.model.model_dump(),
                "score": crop.score,
                "box": crop.box.model_dump(),
                "plate": crop.plate,
                "plate_confidence": crop.plate_confidence,
            },
        ],
    )


def _verdict(request: DetectionRequest):
    alert = request.event.alert
    if alert is None or alert.violation is None:
        return None, "the camera reported no violation"
    if alert.confidence < request.min_confidence:
        return None, f"confidence {alert.confidence:.2f} is below the policy minimum {request.min_confidence:.2f}"
    return alert.violation, f"edge alert {alert.violation.value} at confidence {alert.confidence:.2f}"
