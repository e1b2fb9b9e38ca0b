"""Process settings, read from the environment once.

Everything that differs between a laptop and a city deployment (database, Temporal
address, where files live) is a setting, so the same code runs on the embedded default
and on a cluster without edits.
"""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONETHING_", extra="ignore")

    home: Path = Field(
        default=Path(".onething"),
        description="Working directory for the embedded stack: SQLite files, evidence, caches.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "ONETHING_DATABASE_URL"),
        description="SQLAlchemy URL; SQLite under `home` when unset.",
    )
    temporal_address: str = Field(
        default="127.0.0.1:7233",
        validation_alias=AliasChoices("TEMPORAL_ADDRESS", "ONETHING_TEMPORAL_ADDRESS"),
    )
    temporal_namespace: str = Field(
        default="default",
        validation_alias=AliasChoices("TEMPORAL_NAMESPACE", "ONETHING_TEMPORAL_NAMESPACE"),
    )

    street_boundaries_path: Path = Field(
        default_factory=lambda data: data["home"] / "geo" / "official_streets.geojson",
        description="Official 镇街 street polygons imported with `onething data import-streets`.",
    )

    snapshot_roots: list[Path] = Field(
        default_factory=list,
        description="Directories camera snapshots may be read from by path; `home/snapshots` is always one.",
    )
    max_snapshot_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    notify_webhook_url: str | None = Field(
        default=None, description="POST every notification here as JSON (besides the log)."
    )

    workflow_cache_size: int = Field(
        default=1000,
        gt=0,
        description="open cases a workflow worker keeps in memory (~0.6 MB each); past it, a case's next step "
        "replays its history first. Set it above the open cases a district worker carries.",
    )

    workflow_sandbox: bool = Field(
        default=False,
        description="run workflow code in Temporal's determinism sandbox. The test suite turns it on, so every "
        "workflow path is checked in CI; workers leave it off, as it costs ~40 % of the district worker's CPU "
        "(docs/ops.md).",
    )

    payload_key: SecretStr | None = Field(
        default=None,
        description="base64 AES-256 key encrypting Temporal payloads; generated under home/secrets when unset",
    )
    payload_key_id: str = Field(default="k1", pattern=r"^[\w\-]{1,32}$")
    payload_old_keys: dict[str, SecretStr] = Field(
        default_factory=dict, description="retired keys (id → base64) still accepted for decoding"
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="HS256 key signing API tokens (ONETHING_JWT_SECRET); generated under home/secrets when unset",
    )

    @property
    def evidence_dir(self) -> Path:
        return self.home / "evidence"

    @property
    def allowed_snapshot_roots(self) -> list[Path]:
        return [path.resolve() for path in [self.home / "snapshots", *self.snapshot_roots]]

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'onething.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
