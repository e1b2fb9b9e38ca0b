"""The payload decoder `onething dev` gives its own Temporal UI.

Case payloads, summaries included, are encrypted (models/payload_codec.py), so a UI
without a codec shows ciphertext where "渣土车 冒装 渝A·12345 · awaiting officer" should
be. A deployment's UI decodes through the API's `/codec`, which needs an operator's
token the dev UI has no way to send. On one machine the key already lies in
`.onething/secrets`, readable by whoever runs the stack, so this decoder adds no access:
it listens on loopback only and answers only the dev UI's origin (a page from any other
origin is refused, so a web page in the developer's browser cannot use it).
"""

import asyncio
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from temporalio.converter import PayloadCodec

from models.payload_codec import transcode_json

MAX_BODY = 4 * 1024 * 1024


class LocalCodecServer:
    """`{url}/decode` and `{url}/encode` in Temporal's remote-codec wire format."""

    def __init__(self, codec: PayloadCodec, ui_origins: set[str], host: str = "127.0.0.1") -> None:
        handler = type("Handler", (_CodecHandler,), {"codec": codec, "ui_origins": frozenset(ui_origins)})
        self.server = ThreadingHTTPServer((host, 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="dev-codec", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "LocalCodecServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _CodecHandler(BaseHTTPRequestHandler):
    codec: PayloadCodec
    ui_origins: frozenset[str]

    def do_OPTIONS(self) -> None:  # the browser's CORS preflight
        if self._origin_allowed():
            self._reply(HTTPStatus.NO_CONTENT, b"")

    def do_POST(self) -> None:
        if not self._origin_allowed():
            return
        # the UI adds a query (`?preserveStorageRefs=true`); the CLI may put the namespace first
        name = urlsplit(self.path).path.rsplit("/", 1)[-1]
        if name not in ("decode", "encode"):
            return self._error(HTTPStatus.NOT_FOUND, f"no codec operation {self.path}; use /decode or /encode")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body over {MAX_BODY} bytes")
        try:
            result = asyncio.run(transcode_json(self.codec, name, json.loads(self.rfile.read(length))))
        except ValueError as err:  # not json, not payloads, unknown key id or a tampered payload
            return self._error(HTTPStatus.UNPROCESSABLE_ENTITY, f"cannot {name}: {err}")
        self._reply(HTTPStatus.OK, json.dumps(result).encode())

    def _origin_allowed(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None or origin in self.ui_origins:  # no Origin: the CLI, not a browser page
            return True
        self._error(HTTPStatus.FORBIDDEN, f"origin {origin} is not this stack's Temporal UI")
        return False

    def _error(self, code: HTTPStatus, reason: str) -> None:
        self._reply(code, json.dumps({"detail": reason}).encode())

    def _reply(self, code: HTTPStatus, body: bytes) -> None:
        self.send_response(code)
        origin = self.headers.get("Origin")
        if origin in self.ui_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        self.send_header("Access-Control-Allow-Headers", "content-type, x-namespace, authorization")
        self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # the UI decodes on every page view: not worth a log line each
        pass
