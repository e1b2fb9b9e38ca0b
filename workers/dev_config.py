"""`temporal-dev.yml`, parsed and checked: the embedded stack's ports, files and workers."""

import json
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, model_validator

from models import search_attributes, task_queues

_SA_TYPES = {"Keyword": 2, "Bool": 5, "Datetime": 6}


class TemporalDevServer(BaseModel):
    ip: str = "127.0.0.1"
    port: int = 7233
    ui_port: int = 8233
    namespace: str = "default"
    db_file: Path = Path(".onething/temporal.db")
    sqlite_pragmas: dict[str, str] = Field(default_factory=dict)
    log_level: str = "warn"
    dynamic_config: dict[str, bool | int | float | str] = Field(default_factory=dict)
    search_attributes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _matches_code(self) -> "TemporalDevServer":
        declared = {key.name: int(key.indexed_value_type) for key in search_attributes.ALL}
        configured = {name: _SA_TYPES.get(kind) for name, kind in self.search_attributes.items()}
        if configured != declared:
            raise ValueError(
                "temporal.search_attributes must list exactly the attributes of models/search_attributes.py "
                f"with their types; differs for {sorted(set(configured.items()) ^ set(declared.items()))}"
            )
        return self

    def dynamic_config_args(self) -> list[str]:
        """`temporal server start-dev` flags for `dynamic_config`; the CLI takes each value as JSON."""
        return [arg for key, value in self.dynamic_config.items() for arg in ("--dynamic-config-value", f"{key}={json.dumps(value)}")]

    @property
    def address(self) -> str:
        return f"{self.ip}:{self.port}"


class StoreConfig(BaseModel):
    seed: int = 7
    sites: int = 300


class ApiConfig(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000


class DevStackConfig(BaseModel):
    temporal: TemporalDevServer = Field(default_factory=TemporalDevServer)
    store: StoreConfig = Field(default_factory=StoreConfig)
    api: ApiConfig = Field(default_factory=ApiConfig)
    workers: dict[str, int] = Field(default_factory=lambda: {tier: 1 for tier in task_queues.ALL})

    @model_validator(mode="after")
    def _known_tiers(self) -> "DevStackConfig":
        unknown = set(self.workers) - set(task_queues.ALL)
        if unknown:
            raise ValueError(f"workers: unknown tiers {sorted(unknown)}; tiers are {list(task_queues.ALL)}")
        return self

    @classmethod
    def load(cls, path: Path) -> "DevStackConfig":
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
