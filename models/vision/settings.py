"""Vision settings (ONETHING_VISION_*): where built models live and how hard to look.

Kept apart from the core settings so a deployment without cameras of its own never
needs the vision models; the vision tier reads these once per worker process.
"""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class VisionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONETHING_VISION_", extra="ignore")

    models_dir: Path = Field(
        default=Path(".onething/models"), description="Built models (`onething vision build`), read at run time."
    )
    cache_dir: Path = Field(
        default=Path(".onething/cache"), description="Pinned registry packages the build reads the models from."
    )
    threads: int = Field(default=1, ge=1, description="onnxruntime intra-op threads per session (one per core)")
    min_vehicle_score: float = Field(default=0.35, ge=0.0, le=1.0)
    min_plate_confidence: float = Field(default=0.6, ge=0.0, le=1.0, description="below this a read is not trusted")
    classifier_path: Path | None = Field(
        default=None, description="optional city-trained visual-violation classifier (docs/vision.md: contract)"
    )
    max_section_minutes: float = Field(
        default=60.0, gt=0, description="two sightings further apart than this are not one section run"
    )


@lru_cache(maxsize=1)
def get_vision_settings() -> VisionSettings:
    return VisionSettings()
