"""What a frame analysis produces, as pydantic models: they cross the activity boundary,
go into the evidence custody JSON and are printed by `onething detect`."""

from pydantic import BaseModel, Field

VEHICLE_CLASSES = ("car", "motorbike", "bus", "truck")
"""COCO classes a road camera cares about; a muck truck (渣土车) is a `truck`."""


class Box(BaseModel):
    """Pixel box in the original frame: left, top, right, bottom."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def iou(self, other: "Box") -> float:
        w = max(0.0, min(self.x2, other.x2) - max(self.x1, other.x1))
        h = max(0.0, min(self.y2, other.y2) - max(self.y1, other.y1))
        inter = w * h
        union = self.width * self.height + other.width * other.height - inter
        return inter / union if union > 0 else 0.0


class Detection(BaseModel):
    label: str
    class_id: int
    score: float = Field(ge=0.0, le=1.0)
    box: Box


class PlateReading(BaseModel):
    """A plate (车牌) read on one vehicle crop; `text` is normalised (渝A·12345) when valid."""

    text: str | None = Field(description="normalised plate, None when the characters do not form a Chinese plate")
    raw: str = Field(description="characters as recognised, before normalisation")
    confidence: float = Field(ge=0.0, le=1.0, description="mean character probability × plate-detector score")
    corners: list[tuple[float, float]] = Field(description="plate corners in frame pixels: TL, TR, BR, BL")


class Vehicle(BaseModel):
    detection: Detection
    plate: PlateReading | None = None


class StageTimings(BaseModel):
    """Milliseconds per stage of one frame; `plates` covers every vehicle crop."""

    decode: float = 0.0
    preprocess: float = 0.0
    inference: float = 0.0
    postprocess: float = 0.0
    plates: float = 0.0

    @property
    def total(self) -> float:
        return self.decode + self.preprocess + self.inference + self.postprocess + self.plates


class ModelRef(BaseModel):
    """Which model produced a result, pinned by the sha256 of its weights (chain of custody)."""

    name: str
    sha256: str


class FrameAnalysis(BaseModel):
    width: int
    height: int
    detections: list[Detection]
    vehicles: list[Vehicle]
    models: list[ModelRef]
    timings: StageTimings

    def trucks(self) -> list[Vehicle]:
        return [vehicle for vehicle in self.vehicles if vehicle.detection.label == "truck"]
