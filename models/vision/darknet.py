"""Reading darknet's own formats: the `.cfg` network description and the `.weights` blob.

Only what YOLOv4-tiny (and YOLOv3/v4 of the same family) use is understood; anything else
is refused by name, so a converter never silently builds a different network.
"""

from dataclasses import dataclass, field

import numpy as np

from models.pinned import BuildInputError


@dataclass
class Section:
    kind: str
    options: dict[str, str] = field(default_factory=dict)

    def int(self, key: str, default: int | None = None) -> int:
        return int(self._get(key, default))

    def float(self, key: str, default: float | None = None) -> float:
        return float(self._get(key, default))

    def ints(self, key: str) -> list[int]:
        return [int(part) for part in self._get(key, None).split(",") if part.strip()]

    def text(self, key: str, default: str | None = None) -> str:
        return str(self._get(key, default))

    def _get(self, key: str, default):
        if key in self.options:
            return self.options[key]
        if default is None:
            raise BuildInputError(f"[{self.kind}] has no {key}")
        return default


def parse_cfg(text: str) -> list[Section]:
    sections: list[Section] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            sections.append(Section(kind=line.strip("[]").strip()))
        elif "=" in line and sections:
            key, value = line.split("=", 1)
            sections[-1].options[key.strip()] = value.strip()
    if not sections or sections[0].kind not in ("net", "network"):
        raise BuildInputError("a darknet cfg starts with [net]")
    return sections


class WeightsReader:
    """Sequential reader of a `.weights` file: a header, then each layer's floats in cfg order."""

    def __init__(self, blob: bytes) -> None:
        major, minor, _revision = np.frombuffer(blob, dtype="<i4", count=3)
        header = 12 + (8 if major * 10 + minor >= 2 else 4)  # `seen` became 64-bit in 0.2
        usable = (len(blob) - header) // 4 * 4  # a truncated file is caught by `take`, not here
        self.values = np.frombuffer(blob[header : header + usable], dtype="<f4")
        self.position = 0

    def take(self, count: int) -> np.ndarray:
        if self.position + count > self.values.size:
            raise BuildInputError("weights file is shorter than the cfg needs")
        chunk = self.values[self.position : self.position + count]
        self.position += count
        return chunk.astype(np.float32)

    def finish(self) -> None:
        if self.position != self.values.size:
            raise BuildInputError(f"weights file has {self.values.size - self.position} floats the cfg does not use")
