"""Vehicle detection with the converted YOLOv4-tiny (COCO-80).

Pre- and post-processing follow darknet exactly: a plain resize to the network size (no
letterbox), RGB in [0, 1]; the graph already decodes boxes and scores
(`models/vision/darknet_onnx.py`); here boxes are scored by their best class and
suppressed per class at IoU 0.45, as darknet's and OpenCV's samples do.
"""

import cv2
import numpy as np

from models.vision.observations import Box, Detection

NMS_IOU = 0.45


class VehicleDetector:
    def __init__(self, session, labels: list[str], min_score: float) -> None:
        self.session = session
        self.labels = labels
        self.min_score = min_score
        shape = session.get_inputs()[0].shape
        self.input_name = session.get_inputs()[0].name
        self.size = (int(shape[3]), int(shape[2]))

    def preprocess(self, frame: np.ndarray) -> np.ndarray:
        """BGR uint8 frame → [1, 3, H, W] RGB float in [0, 1] (resize first: fewer pixels to convert)."""
        small = cv2.resize(frame, self.size, interpolation=cv2.INTER_LINEAR)
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        return np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32) * np.float32(1 / 255)

    def infer(self, tensor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        boxes, scores = self.session.run(None, {self.input_name: tensor})
        return boxes[0], scores[0]

    def postprocess(self, boxes: np.ndarray, scores: np.ndarray, width: int, height: int) -> list[Detection]:
        class_ids = scores.argmax(axis=1)
        best = scores[np.arange(len(scores)), class_ids]
        keep = best >= self.min_score
        boxes, class_ids, best = boxes[keep], class_ids[keep], best[keep]
        scale = np.array([width, height, width, height], dtype=np.float32)
        corners = np.concatenate([boxes[:, :2] - boxes[:, 2:] / 2, boxes[:, :2] + boxes[:, 2:] / 2], axis=1) * scale
        detections = []
        for class_id in np.unique(class_ids):
            members = np.flatnonzero(class_ids == class_id)
            for index in members[_nms(corners[members], best[members], NMS_IOU)]:
                x1, y1, x2, y2 = (round(float(v), 1) for v in corners[index])
                detections.append(
                    Detection(
                        label=self.labels[int(class_id)],
                        class_id=int(class_id),
                        score=round(float(best[index]), 4),
                        box=Box(x1=max(0.0, x1), y1=max(0.0, y1), x2=min(float(width), x2), y2=min(float(height), y2)),
                    )
                )
        return sorted(detections, key=lambda d: -d.score)

    def detect(self, frame: np.ndarray) -> list[Detection]:
        height, width = frame.shape[:2]
        return self.postprocess(*self.infer(self.preprocess(frame)), width, height)


def _nms(corners: np.ndarray, scores: np.ndarray, threshold: float) -> list[int]:
    """Greedy non-maximum suppression; returns kept indices, best first."""
    order = np.argsort(-scores, kind="stable")
    areas = (corners[:, 2] - corners[:, 0]) * (corners[:, 3] - corners[:, 1])
    kept: list[int] = []
    while order.size:
        first, rest = order[0], order[1:]
        kept.append(int(first))
        w = np.clip(np.minimum(corners[first, 2], corners[rest, 2]) - np.maximum(corners[first, 0], corners[rest, 0]), 0, None)
        h = np.clip(np.minimum(corners[first, 3], corners[rest, 3]) - np.maximum(corners[first, 1], corners[rest, 1]), 0, None)
        overlap = w * h / (areas[first] + areas[rest] - w * h + 1e-9)
        order = rest[overlap <= threshold]
    return kept
