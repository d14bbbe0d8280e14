"""Shared fixtures: a clean environment, no network, a throw-away Keras cache."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

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


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """Each test starts with the lesson's variables unset and its own Keras cache."""
    for name in ("LESSON_QUICK", "LESSON_BACKEND", "LESSON_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))


@pytest.fixture
def no_network(monkeypatch):
    """Make every connection and name lookup fail, as on a machine with no network."""

    def refuse(*args, **kwargs):
        raise OSError("network unreachable (blocked by the test)")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setenv("LESSON_QUICK", "1")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "application/javascript",
    }

    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path):
    """Serve folder on a free localhost port; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright; skipped where there is none, except in CI."""
    if CHROMIUM is None:
        if os.environ.get("LESSON_REQUIRE_BROWSER") == "1":
            pytest.fail("LESSON_REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("no chromium here (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        # Each launch gets a fresh, empty profile (user data dir) from Playwright.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def screenshot(page, name: str) -> None:
    """Save what the page shows under test-artifacts/ (or $LESSON_SCREENSHOT_DIR)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
