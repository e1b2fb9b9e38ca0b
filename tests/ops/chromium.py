"""Headless Debian Chromium driven over the DevTools protocol, for looking at web pages.

`--dump-dom` with a virtual-time budget never finishes on the Temporal UI's case page (it
long-polls the history, and virtual time waits for the network), so the page is opened in
a real headless browser and read once it shows what is expected, in real time.
"""

import base64
import itertools
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import Request, urlopen

import websocket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
]


class Browser:
    def __init__(self, profile: Path, size: tuple[int, int] = (1440, 1100)) -> None:
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", "about:blank"],
            stderr=subprocess.PIPE, text=True,
        )
        for line in self.process.stderr:
            if found := re.search(r"DevTools listening on ws://([^/]+)/", line):
                self.http = f"http://{found.group(1)}"
                return
        raise RuntimeError("chromium exited before its DevTools endpoint came up")

    def open(self, url: str) -> "Page":
        with urlopen(Request(f"{self.http}/json/new?{quote(url, safe=':/?=&%')}", method="PUT"), timeout=10) as answer:
            return Page(json.load(answer)["webSocketDebuggerUrl"])

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Page:
    def __init__(self, ws_url: str) -> None:
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.ids = itertools.count(1)

    def call(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def text(self) -> str:
        """The page's text, with its same-origin frames' (the UI renders summaries in frames)."""
        script = (
            "[document.body, ...[...document.querySelectorAll('iframe')].map(f => f.contentDocument && f.contentDocument.body)]"
            ".filter(Boolean).map(b => b.innerText).join('\\n')"
        )
        return self.call("Runtime.evaluate", expression=script)["result"]["value"]

    def wait_for_text(self, *needles: str, timeout_s: float = 45) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            text = self.text()
            missing = [needle for needle in needles if needle not in text]
            if not missing:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never showed {missing}; it shows:\n{text[:3000]}")
            time.sleep(0.5)

    def click_text(self, label: str) -> None:
        """Click the innermost element whose own text is `label` (a tab, a button)."""
        script = (
            "(() => { const all = [...document.querySelectorAll('button, a, summary, [role=tab], span, div')];"
            f" const hit = all.find(e => e.childElementCount === 0 && e.textContent.trim() === {json.dumps(label)});"
            " if (hit) { hit.click(); return true; } return false; })()"
        )
        if not self.call("Runtime.evaluate", expression=script)["result"]["value"]:
            raise AssertionError(f"nothing labelled {label!r} to click")

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return path
