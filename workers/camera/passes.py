"""One post per truck passing (过车): sightings of the same truck in consecutive frames are
one pass, told apart by plate when read and by box overlap otherwise.

A pass is posted as soon as a frame shows its plate (the best evidence arrives early for
an approaching truck); a pass whose plate never reads is posted once it leaves, with its
highest-scoring frame.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from models.vision.observations import Box, Vehicle


@dataclass
class Pass:
    number: int
    box: Box
    last_seen: datetime
    plate: str | None = None
    posted: bool = False
    best_score: float = 0.0
    best_frame: np.ndarray | None = field(default=None, repr=False)
    best_at: datetime | None = None


@dataclass
class Post:
    """A frame to send as a sighting, and the pass it stands for."""

    passing: Pass
    frame: np.ndarray
    observed_at: datetime


class PassTracker:
    def __init__(self, gap: timedelta = timedelta(seconds=5), min_overlap: float = 0.2) -> None:
        self.gap = gap
        self.min_overlap = min_overlap
        self.active: list[Pass] = []
        self.count = 0

    def observe(self, vehicles: list[Vehicle], frame: np.ndarray, at: datetime) -> list[Post]:
        posts = self._expire(at)
        claimed: set[int] = set()
        for vehicle in sorted(vehicles, key=lambda v: -v.detection.score):
            plate = vehicle.plate.text if vehicle.plate else None
            passing = self._match(vehicle.detection.box, plate, claimed)
            if passing is None:
                self.count += 1
                passing = Pass(number=self.count, box=vehicle.detection.box, last_seen=at)
                self.active.append(passing)
            claimed.add(passing.number)
            passing.box, passing.last_seen = vehicle.detection.box, at
            passing.plate = passing.plate or plate
            if vehicle.detection.score > passing.best_score:
                passing.best_score, passing.best_frame, passing.best_at = vehicle.detection.score, frame, at
            if plate and not passing.posted:
                passing.posted = True
                posts.append(Post(passing, frame, at))
        return posts

    def flush(self) -> list[Post]:
        """The source ended: every pass still open has left."""
        return self._expire(None)

    def _match(self, box: Box, plate: str | None, claimed: set[int]) -> Pass | None:
        candidates = [p for p in self.active if p.number not in claimed]
        if plate:
            same = next((p for p in candidates if p.plate == plate), None)
            if same is not None:
                return same
        overlapping = [(p.box.iou(box), p) for p in candidates if not (plate and p.plate and p.plate != plate)]
        best = max(overlapping, key=lambda item: item[0], default=(0.0, None))
        return best[1] if best[0] >= self.min_overlap else None

    def _expire(self, now: datetime | None) -> list[Post]:
        gone = [p for p in self.active if now is None or now - p.last_seen > self.gap]
        self.active = [p for p in self.active if p not in gone]
        return [Post(p, p.best_frame, p.best_at) for p in gone if not p.posted and p.best_frame is not None]
