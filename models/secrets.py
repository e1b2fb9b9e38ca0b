"""Secrets for the embedded stack: taken from the environment in deployments, generated
once into `<home>/secrets/` (mode 0600) on a developer machine, never in the repository."""

import base64
import os
import secrets
import tempfile
from pathlib import Path


def load_or_create_secret(path: Path, nbytes: int = 32) -> bytes:
    """The secret stored at `path`, creating a random one on first use.

    The new secret is written to a private temporary file and hard-linked into place, so
    processes starting together (API and workers of `onething dev`) all read one complete
    secret: the first link wins, the others read what it wrote.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")  # mode 0600
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as out:
                out.write(base64.b64encode(secrets.token_bytes(nbytes)).decode("ascii"))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    return base64.b64decode(path.read_text(encoding="ascii").strip())
