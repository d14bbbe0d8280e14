"""Helpers the browser tests share: Debian's Chromium, a localhost server, screenshots."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = Path(os.environ.get("LESSON_SCREENSHOT_DIR", ROOT / "test-artifacts"))
# Debian's Chromium, headless, with nothing that reaches for the network.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The published site is usually a project's pages, under a sub-path: its 404 page's links
# start with this path (mkdocs.yml reads LESSON_SITE_URL).
SITE_URL = "https://lesson.example.org/cnn-lesson/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "application/javascript",
    }
    prefix = ""  # the URL path the folder is served under, as on a project's pages

    def __init__(self, *args, not_found: Path | None = None, **kwargs):
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if self.prefix and not path.startswith(self.prefix + "/"):
            return "/nonexistent/outside-the-prefix"
        return super().translate_path(path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        """A missing page gets the site's own 404.html, as static hosts serve it."""
        if code != 404 or self.not_found is None:
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a rebuilt site is seen at once
        super().end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path, prefix: str = "", not_found: Path | None = None):
    """Serve folder on a free localhost port under the URL path prefix (e.g. "/lesson");
    missing files answer with not_found (a 404 page) if given. Yields the folder's URL."""
    handler_class = type("Handler", (_QuietHandler,), {"prefix": prefix.rstrip("/")})
    handler = functools.partial(handler_class, directory=str(folder), not_found=not_found)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix.rstrip('/')}"
    finally:
        httpd.shutdown()


def screenshot(page, name: str, full_page: bool = False) -> None:
    """Save what the page shows under test-artifacts/ (or $LESSON_SCREENSHOT_DIR)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)
