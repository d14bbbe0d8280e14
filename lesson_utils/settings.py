"""The lesson's switches, read from the environment in one place.

* ``LESSON_QUICK``: ``1`` shrinks every default (1 epoch, a small subset of
  the data) so that a notebook runs in seconds; unset or ``0`` is the real run.
* ``LESSON_BACKEND``: ``auto`` (default), ``tensorflow`` or ``numpy``.
* ``LESSON_DATA_DIR``: a folder holding a local copy of MNIST/Fashion-MNIST.
* ``LESSON_AS_IN_BROWSER``: ``1`` makes lesson_utils behave as in the browser
  (benchmarks/wasm/ sets it in its WebAssembly Python, where ``sys.platform`` is
  ``wasi``, not Pyodide's ``emscripten``).

Introduced in notebook 1, "Images as arrays".
"""

from __future__ import annotations

import importlib.util
import os
import sys

BACKENDS = ("auto", "tensorflow", "numpy")

# What quick mode shrinks to: enough to exercise every line, done in seconds.
QUICK_EPOCHS = 1
QUICK_TRAIN_IMAGES = 1000
QUICK_TEST_IMAGES = 500
# A full-size data set (MNIST's 60,000 images) needs 2 epochs with the default
# recipe; the 4,000-image bundled sample gives only ~30 steps an epoch, so 5.
LARGE_TRAINING_SET = 20_000
LARGE_SET_EPOCHS = 2
SMALL_SET_EPOCHS = 5


def quick_mode() -> bool:
    """True when ``LESSON_QUICK=1``; raises ValueError for any value but unset, 0 or 1."""
    value = os.environ.get("LESSON_QUICK", "").strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValueError(f"LESSON_QUICK is {value!r}; expected 1 (quick run), 0 or unset (full run).")


def default_epochs(num_images: int = 0, quick: bool | None = None) -> int:
    """Epochs for ``num_images`` training images: 2 from 20,000 up, 5 below, 1 in quick mode.

    ``quick=None`` reads ``LESSON_QUICK``; True or False decides it here.
    """
    if quick_mode() if quick is None else quick:
        return QUICK_EPOCHS
    return LARGE_SET_EPOCHS if num_images >= LARGE_TRAINING_SET else SMALL_SET_EPOCHS


def in_browser() -> bool:
    """True inside Pyodide (JupyterLite), where TensorFlow does not exist.

    Also True where ``LESSON_AS_IN_BROWSER=1``: the WebAssembly harness (benchmarks/wasm/).
    """
    return sys.platform == "emscripten" or os.environ.get("LESSON_AS_IN_BROWSER") == "1"


def tensorflow_available() -> bool:
    """Whether ``import tensorflow`` could work, found without importing it."""
    if in_browser():
        return False
    try:
        return importlib.util.find_spec("tensorflow") is not None
    except (ImportError, ValueError):
        return False


def get_backend() -> str:
    """The backend to use, ``"tensorflow"`` or ``"numpy"``, from ``LESSON_BACKEND``.

    ``auto`` picks TensorFlow where it can be imported and NumPy elsewhere.
    Raises ValueError for an unknown value and ImportError when ``tensorflow``
    is asked for but cannot be imported.
    """
    wanted = os.environ.get("LESSON_BACKEND", "auto").strip().lower() or "auto"
    if wanted not in BACKENDS:
        raise ValueError(f"LESSON_BACKEND is {wanted!r}; expected one of {', '.join(BACKENDS)}.")
    if wanted == "auto":
        return "tensorflow" if tensorflow_available() else "numpy"
    if wanted == "tensorflow" and not tensorflow_available():
        raise ImportError(
            "LESSON_BACKEND=tensorflow, but TensorFlow cannot be imported here. "
            "Install it (pip install tensorflow) or set LESSON_BACKEND=numpy."
        )
    return wanted


def describe() -> str:
    """One line for the top of a notebook: backend, quick mode, where it runs."""
    quick = ", quick mode ON (1 epoch, small data)" if quick_mode() else ""
    if in_browser():
        return (
            f"lesson_utils: numpy backend in the browser (Pyodide){quick}. There is no "
            "TensorFlow here, so NumPy computes every layer, on the bundled sample of "
            "5,000 real digits."
        )
    return f"lesson_utils: {get_backend()} backend on Python {sys.version.split()[0]}{quick}"
