"""The raw-frame judge against a real store: registry facts, section speed across two
cameras, restricted zones, and a pluggable classifier that follows the documented contract."""

import json
from datetime import datetime, timedelta

import cv2
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from activities.evidence_store import EvidenceStore
from activities.vision.classifier import (
    ClassifierContractError,
    VisualViolationClassifier,
)
from activities.vision.judge import FrameJudge
from models.case import Violation
from models.store import Camera, make_engine, session_scope
from models.store.registry import CHONGQING_TZ
from models.vision.samples import truck_frame_with_plate
from models.vision.settings import VisionSettings
from models.vision.tables import CameraSection, RestrictedZone
from tests.casebook import CAMERA, JIULONGPO, PLATE_LOCAL, YANGJIAPING
from tests.vision.conftest import CACHE
from tests.workflows.conftest import case_settings  # noqa: F401  (fixture)

NIGHT = datetime(2026, 11, 24, 23, 0, tzinfo=CHONGQING_TZ)  # inside the casebook permit's 22:00–06:00
ENTRY = "CAM-JLP-ENTRY"


def _classifier(path, labels, probabilities) -> None:
    """A stand-in city model: constant probabilities, the contract's input and metadata."""
    logits = np.log(np.array([probabilities], dtype=np.float32))
    graph = helper.make_graph(
        [
            helper.make_node("ReduceMean", ["crop"], ["mean"], axes=[1, 2, 3], keepdims=0),
            helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
            helper.make_node("Add", ["logits", "nothing"], ["scores"]),
            helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1),
        ],
        "city-visual-violations",
        [helper.make_tensor_value_info("crop", TensorProto.FLOAT, [1, 3, 64, 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, len(labels)])],
        [numpy_helper.from_array(logits, "logits"), numpy_helper.from_array(np.zeros((1, 1), np.float32), "zero")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    helper.set_model_props(model, {"labels": json.dumps(labels), "threshold": "0.5"})
    onnx.save(model, path)


@pytest.fixture
def judge_and_engine(manifest, models_dir, sample, case_settings, tmp_path):  # noqa: F811
    from activities.vision.pipeline import pipeline_for

    sample("wqy-microhei.ttc")
    engine = make_engine(case_settings.resolved_database_url)
    with session_scope(engine) as session:
        session.add(Camera(id=ENTRY, name="入口", lon=106.500, lat=29.500, district_code=JIULONGPO,
                           street_code=YANGJIAPING, heading_deg=90.0, road_name="铜陶北路"))
        session.flush()
        session.add(CameraSection(id="SEC-1", entry_camera_id=ENTRY, exit_camera_id=CAMERA, distance_m=1500, limit_kmh=60))
    judge = FrameJudge(engine, EvidenceStore(tmp_path / "evidence"), pipeline_for(models_dir), VisionSettings())
    yield judge, engine
    engine.dispose()


def _frame_bytes() -> bytes:
    return cv2.imencode(".jpg", truck_frame_with_plate(PLATE_LOCAL, CACHE))[1].tobytes()


def _camera(engine, camera_id):
    with session_scope(engine) as session:
        camera = session.get(Camera, camera_id)
        session.expunge(camera)
        return camera


def test_section_speed_from_two_cameras(judge_and_engine):
    judge, engine = judge_and_engine
    data = _frame_bytes()
    entry = judge.judge(data, _camera(engine, ENTRY), NIGHT, "a" * 64, min_confidence=0.6)
    assert entry.violation is None and entry.plate == PLATE_LOCAL, "permit valid, inside its hours"
    exit_ = judge.judge(data, _camera(engine, CAMERA), NIGHT + timedelta(seconds=60), "b" * 64, min_confidence=0.6)
    assert exit_.violation is Violation.speeding
    assert "1500 m in 60 s = 90 km/h (limit 60)" in exit_.reason
    again = judge.judge(data, _camera(engine, CAMERA), NIGHT + timedelta(seconds=60), "b" * 64, min_confidence=0.6)
    assert again.violation is Violation.speeding, "a retried activity records the sighting once and judges the same"


def test_restricted_zone_around_the_camera(judge_and_engine):
    judge, engine = judge_and_engine
    with session_scope(engine) as session:
        ring = [[106.50, 29.50], [106.52, 29.50], [106.52, 29.51], [106.50, 29.51], [106.50, 29.50]]
        geofence = json.dumps({"type": "Polygon", "coordinates": [ring]})
        session.add(RestrictedZone(id="Z-OLD-TOWN", name="杨家坪步行街", geofence=geofence))
    verdict = judge.judge(_frame_bytes(), _camera(engine, CAMERA), NIGHT, "c" * 64, min_confidence=0.6)
    assert verdict.violation is Violation.restricted_zone and "杨家坪步行街" in verdict.reason
    assert len(verdict.crops) == 1 and verdict.crops[0].plate == PLATE_LOCAL


def test_pluggable_classifier_flags_spillage_on_the_truck_crop(judge_and_engine, tmp_path):
    judge, engine = judge_and_engine
    _classifier(tmp_path / "city.onnx", ["none", "overloading", "spillage"], [0.05, 0.1, 0.85])
    judge.classifier = VisualViolationClassifier(tmp_path / "city.onnx")
    verdict = judge.judge(_frame_bytes(), _camera(engine, CAMERA), NIGHT, "d" * 64, min_confidence=0.6)
    assert verdict.violation is Violation.spillage
    assert verdict.findings[0].reason == "classifier city.onnx: spillage 0.85"


def test_classifier_outside_the_contract_is_refused(tmp_path):
    _classifier(tmp_path / "bad.onnx", ["none", "fire"], [0.5, 0.5])
    with pytest.raises(ClassifierContractError, match="unknown labels"):
        VisualViolationClassifier(tmp_path / "bad.onnx")
