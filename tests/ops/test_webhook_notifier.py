"""The webhook notifier delivers keys that carry a plate (渝A·…): headers must be ASCII,
so the idempotency key travels percent-encoded (found by the intake benchmark)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import unquote

from activities.notifiers import WebhookNotifier
from models.case import Role
from models.steps import Notification


def test_a_plate_in_the_key_is_delivered():
    received: list[tuple[str, dict]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.headers["Idempotency-Key"], body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.handle_request, daemon=True).start()
    key = "muck-truck-渝A12345-overloading-30230#2:notify-assigned"
    message = Notification(
        key=key, case_id="muck-truck-渝A12345-overloading-30230", recipient_role=Role.officer,
        recipient_id="OF-1", kind="assigned", text="渣土车 冒装 渝A·12345",
    )
    WebhookNotifier(f"http://127.0.0.1:{server.server_port}/notify").deliver(message)
    server.server_close()
    (header, body), = received
    assert unquote(header) == key and body["text"] == "渣土车 冒装 渝A·12345"
