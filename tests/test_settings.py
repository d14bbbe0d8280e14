import sys

import pytest

from lesson_utils import settings


@pytest.mark.parametrize(("value", "expected"), [("", False), ("0", False), ("1", True)])
def test_quick_mode_values(monkeypatch, value, expected):
    monkeypatch.setenv("LESSON_QUICK", value)
    assert settings.quick_mode() is expected
    assert settings.default_epochs() == (1 if expected else 5)
    assert settings.default_epochs(60_000) == (1 if expected else 2)


def test_default_epochs_by_training_set_size():
    assert settings.default_epochs(3_600) == 5  # the bundled sample after validation
    assert settings.default_epochs(19_999) == 5
    assert settings.default_epochs(20_000) == 2


@pytest.mark.parametrize("value", ["yes", "true", "2", "on"])
def test_quick_mode_rejects_other_values(monkeypatch, value):
    monkeypatch.setenv("LESSON_QUICK", value)
    with pytest.raises(ValueError, match=f"LESSON_QUICK is '{value}'; expected 1"):
        settings.quick_mode()


def test_backend_numpy_and_auto(monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")
    assert settings.get_backend() == "numpy"
    monkeypatch.setenv("LESSON_BACKEND", "auto")
    assert settings.get_backend() == ("tensorflow" if settings.tensorflow_available() else "numpy")


def test_backend_invalid_value(monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "pytorch")
    with pytest.raises(ValueError, match="LESSON_BACKEND is 'pytorch'; expected one of auto"):
        settings.get_backend()


def test_auto_picks_numpy_when_tensorflow_cannot_be_imported(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # makes `import tensorflow` fail
    assert settings.get_backend() == "numpy"
    monkeypatch.setenv("LESSON_BACKEND", "tensorflow")
    with pytest.raises(ImportError, match="cannot be imported here"):
        settings.get_backend()


def test_browser_means_numpy(monkeypatch):
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert settings.in_browser()
    assert settings.get_backend() == "numpy"
    assert "in the browser" in settings.describe()


def test_the_webassembly_harness_can_say_it_is_a_browser(monkeypatch):
    """benchmarks/wasm/ runs a WASI Python (sys.platform "wasi"): it sets LESSON_AS_IN_BROWSER."""
    monkeypatch.setattr(sys, "platform", "wasi")
    assert not settings.in_browser()
    monkeypatch.setenv("LESSON_AS_IN_BROWSER", "1")
    assert settings.in_browser()
    assert settings.get_backend() == "numpy"
    monkeypatch.setenv("LESSON_AS_IN_BROWSER", "0")
    assert not settings.in_browser()


def test_describe_reports_quick_mode(quick):
    assert "quick mode ON" in settings.describe()
