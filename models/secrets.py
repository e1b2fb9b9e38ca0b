"""Secrets for the embedded stack: taken from the environment in deployments, generated
once into `<home>/secrets/` (mode 0600) on a developer machine, never in the repository."""

import base64
import os
import secrets
from pathlib import Path


def load_or_create_secret(path: Path, nbytes: int = 32) -> bytes:
    """The secret stored at `path`, creating a random one on first use."""
    if path.exists():
        return base64.b64decode(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_bytes(nbytes)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(base64.b64encode(value).decode("ascii"))
    return value
