"""A frame whose header claims a huge image (a decompression bomb) is refused before
OpenCV allocates for it; garbage is refused too."""

import struct
import zlib

import pytest

from activities.vision.pipeline import UndecodableFrame, decode_frame
from workers.frames import synthetic_frame_png


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_a_bomb_header_is_refused():
    with pytest.raises(UndecodableFrame, match="refused by the decoder"):
        decode_frame(png_claiming(100_000, 100_000))  # 10 GP: 30 GB if it were decoded


def test_garbage_is_refused_and_a_real_frame_decodes():
    with pytest.raises(UndecodableFrame):
        decode_frame(b"not an image at all")
    assert decode_frame(synthetic_frame_png(3)).shape == (180, 320, 3)
