"""Content-addressed evidence storage: a file's name is its sha256, so the same frame is
stored once, a stored file can be verified against its name, and no caller-supplied
string ever becomes part of a path (no traversal).
"""

import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"RIFF": "image/webp",
    b"BM": "image/bmp",
}


class EvidenceRejected(ValueError):
    """The snapshot can never be accepted (not an image, too large, outside allowed roots)."""


def media_type_of(data: bytes) -> str:
    for magic, media_type in _MAGIC.items():
        if data.startswith(magic) and (magic != b"RIFF" or data[8:12] == b"WEBP"):
            return media_type
    raise EvidenceRejected("snapshot is not a JPEG, PNG, WebP or BMP image")


class SnapshotFetcher:
    """Reads a snapshot by path/file:// (only under allowed roots) or http(s) URL."""

    def __init__(self, allowed_roots: list[Path], max_bytes: int) -> None:
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.max_bytes = max_bytes

    def fetch(self, uri: str) -> bytes:
        local = self.check_reference(uri)
        return local.read_bytes() if local else self._fetch_http(uri)

    def check_reference(self, uri: str) -> Path | None:
        """Refuse what can be refused without downloading; returns the local file, if any.

        The API calls this at intake so a bad reference is a 422, not a dismissed case.
        """
        parsed = urlparse(uri)
        if parsed.scheme in ("http", "https"):
            if not parsed.netloc:
                raise EvidenceRejected(f"snapshot URL {uri!r} has no host")
            return None
        if parsed.scheme not in ("", "file"):
            raise EvidenceRejected(f"snapshot scheme {parsed.scheme!r} is not supported (path, file://, http(s)://)")
        path = Path(unquote(parsed.path) if parsed.scheme else uri).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise EvidenceRejected(f"snapshot path {uri} is outside the allowed snapshot directories")
        if not path.is_file():
            raise EvidenceRejected(f"snapshot {uri} does not exist")
        if path.stat().st_size > self.max_bytes:
            raise EvidenceRejected(f"snapshot {uri} is larger than {self.max_bytes} bytes")
        return path

    def _fetch_http(self, uri: str) -> bytes:
        with httpx.Client(timeout=10.0, follow_redirects=True) as client, client.stream("GET", uri) as response:
            if 400 <= response.status_code < 500:
                raise EvidenceRejected(f"snapshot {uri} answered HTTP {response.status_code}")
            response.raise_for_status()  # 5xx: transient, the activity retries
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise EvidenceRejected(f"snapshot {uri} is larger than {self.max_bytes} bytes")
                chunks.append(chunk)
        return b"".join(chunks)


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> tuple[str, Path]:
        """Store `data` under its sha256 (atomically; a second put is a no-op)."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_of(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
                tmp.write(data)
            os.replace(tmp.name, path)
        return digest, path

    def path_of(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"{digest!r} is not a sha256 hex digest")
        return self.root / "sha256" / digest[:2] / digest[2:4] / digest
