"""Detection (感知): validate a camera's sighting, store its snapshot as evidence with a
chain of custody, and decide whether there is a violation to act on.

In this version the verdict is the camera's own edge-AI alert; on-platform inference
plugs into this same activity on the `vision` task queue.
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
from models.case import Evidence
from models.steps import DetectionRequest, DetectionResult
from models.store import Camera
from models.store.casework import EvidenceRecord
from models.store.upsert import upsert


class DetectionActivities:
    def __init__(self, engine: Engine, store: EvidenceStore, fetcher: SnapshotFetcher) -> None:
        self.engine = engine
        self.store = store
        self.fetcher = fetcher

    @activity.defn(name="detect")
    def detect(self, request: DetectionRequest) -> DetectionResult:
        log = case_logger("detection")
        event = request.event
        with Session(self.engine) as session:
            camera = session.get(Camera, event.camera_id)
            if camera is None:
                raise ApplicationError(f"unknown camera {event.camera_id}", type="Rejected", non_retryable=True)
            camera_place = place_of(session, camera.lon, camera.lat, camera.street_code)
        try:
            data = self.fetcher.fetch(event.snapshot_uri)
            media_type = media_type_of(data)
        except EvidenceRejected as err:
            raise ApplicationError(str(err), type="Rejected", non_retryable=True) from err
        digest, path = self.store.put(data)
        alert = event.alert
        evidence = Evidence(
            sha256=digest,
            stored_uri=path.resolve().as_uri(),
            source_uri=event.snapshot_uri,
            camera_id=event.camera_id,
            observed_at=event.observed_at,
            size_bytes=len(data),
            violation=alert.violation if alert else None,
            plate=alert.plate if alert else None,
            confidence=alert.confidence if alert else None,
        )
        self._record_custody(request.case_id, evidence, media_type)
        violation, reason = _verdict(request)
        log.info("evidence stored", sha256=digest, camera=event.camera_id, violation=violation, reason=reason)
        return DetectionResult(evidence=evidence, camera=camera_place, violation=violation, reason=reason)

    def _record_custody(self, case_id: str, evidence: Evidence, media_type: str) -> None:
        info = activity.info()
        custody = [
            {"at": evidence.observed_at.isoformat(), "by": f"camera:{evidence.camera_id}", "what": "captured"},
            {
                "at": datetime.now(UTC).isoformat(),
                "by": f"{socket.gethostname()}:{info.task_queue}",
                "what": f"fetched from {evidence.source_uri} and stored as sha256",
            },
        ]
        row = EvidenceRecord(
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
        with Session(self.engine) as session:
            upsert(session, EvidenceRecord, [row.model_dump(exclude={"id"})], keys=("case_id", "sha256"), keep=("custody",))
            session.commit()


def _verdict(request: DetectionRequest):
    alert = request.event.alert
    if alert is None or alert.violation is None:
        return None, "the camera reported no violation"
    if alert.confidence < request.min_confidence:
        return None, f"confidence {alert.confidence:.2f} is below the policy minimum {request.min_confidence:.2f}"
    return alert.violation, f"edge alert {alert.violation.value} at confidence {alert.confidence:.2f}"
