"""A synthetic camera frame (PNG) for the demo and tests: real image bytes with a
distinct hash per seed, until the vision issue brings real road footage."""

import struct
import zlib
from pathlib import Path


def synthetic_frame_png(seed: int, width: int = 320, height: int = 180) -> bytes:
    rows = b"".join(
        b"\x00" + bytes(((seed * 37 + x + 2 * y + channel * 85) % 256) for x in range(width) for channel in range(3))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_frame(directory: Path, name: str, seed: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(synthetic_frame_png(seed))
    return path
