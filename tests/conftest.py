"""Shared fixtures: a clean environment, no network, a throw-away Keras cache."""

from __future__ import annotations

import os
import socket

import matplotlib
import pytest
from helpers import CHROMIUM, CHROMIUM_FLAGS, SITE_URL

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """Each test starts with the lesson's variables unset and its own Keras cache."""
    for name in ("LESSON_QUICK", "LESSON_BACKEND", "LESSON_DATA_DIR", "LESSON_AS_IN_BROWSER"):
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The whole site, MkDocs pages and the JupyterLite build in lite/, built once per
    session with scripts/build_site.py as it is published."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("mkdocs", reason="the site's tools are in requirements-docs.txt")
    pytest.importorskip("jupyterlite_core", reason="the site's tools are in requirements-docs.txt")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path_factory.mktemp("built") / "site"
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--output-dir", str(out)],
        cwd=root,
        env={**os.environ, "LESSON_SITE_URL": SITE_URL},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return out
