"""A pluggable, city-trained visual-violation classifier (冒装 / 撒漏 / 未密闭) on truck crops.

Contract (docs/vision.md): one ONNX file, set by ONETHING_VISION_CLASSIFIER_PATH.
- input: float32 [1, 3, H, W], RGB scaled to [0, 1], the truck crop resized to H × W
  (both read from the model's input shape);
- output: float32 [1, K] class probabilities (softmax inside the model);
- metadata_props: `labels` = JSON list of K names, each a visual violation
  (`overloading`, `spillage`, `uncovered`) or `none`; optional `threshold` (default 0.5).
"""

import json
from pathlib import Path

import cv2
import numpy as np

from activities.vision.rules import VISUAL, Finding
from activities.vision.sessions import session_for
from models.case import Violation
from models.vision.observations import Box


class ClassifierContractError(ValueError):
    """The model does not follow the documented contract."""


class VisualViolationClassifier:
    def __init__(self, path: Path, threads: int = 1) -> None:
        self.session = session_for(path, threads)
        self.name = path.name
        meta = self.session.get_modelmeta().custom_metadata_map
        try:
            self.labels = json.loads(meta["labels"])
        except (KeyError, ValueError) as err:
            raise ClassifierContractError(f"{path.name}: metadata `labels` must be a JSON list") from err
        known = {v.value for v in VISUAL} | {"none"}
        if unknown := set(self.labels) - known:
            raise ClassifierContractError(f"{path.name}: unknown labels {sorted(unknown)}; allowed {sorted(known)}")
        self.threshold = float(meta.get("threshold", 0.5))
        shape = self.session.get_inputs()[0].shape
        if len(shape) != 4 or shape[1] != 3 or not all(isinstance(d, int) for d in shape[2:]):
            raise ClassifierContractError(f"{path.name}: input must be [1, 3, H, W] with fixed H and W, not {shape}")
        self.size = (shape[3], shape[2])
        self.input_name = self.session.get_inputs()[0].name

    def classify(self, frame: np.ndarray, box: Box) -> list[Finding]:
        crop = frame[int(box.y1) : int(box.y2), int(box.x1) : int(box.x2)]
        if crop.size == 0:
            return []
        rgb = cv2.cvtColor(cv2.resize(crop, self.size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)
        tensor = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32) / 255.0
        probabilities = self.session.run(None, {self.input_name: tensor})[0][0]
        if len(probabilities) != len(self.labels):
            raise ClassifierContractError(f"{self.name}: {len(probabilities)} outputs for {len(self.labels)} labels")
        return [
            Finding(violation=Violation(label), confidence=round(float(p), 4), reason=f"classifier {self.name}: {label} {p:.2f}")
            for label, p in zip(self.labels, probabilities, strict=True)
            if label != "none" and p >= self.threshold
        ]
