"""Geography fixtures: one resolver over the committed data, and an isolated ONETHING_HOME."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.geo.resolver import JurisdictionResolver
from models.settings import get_settings


@pytest.fixture(scope="session")
def resolver() -> JurisdictionResolver:
    return JurisdictionResolver()


@pytest.fixture
def onething_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point settings at a fresh home so an import never touches the developer's overlay."""
    monkeypatch.setenv("ONETHING_HOME", str(tmp_path))
    monkeypatch.delenv("ONETHING_STREET_BOUNDARIES_PATH", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
