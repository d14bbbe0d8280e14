"""Shared fixtures: a clean environment, no network, a throw-away Keras cache."""

from __future__ import annotations

import socket

import matplotlib
import pytest

matplotlib.use("Agg")


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
