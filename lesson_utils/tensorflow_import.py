"""Importing TensorFlow without its start-up log lines.

While it is imported, TensorFlow 2.21's C++ code writes, twice:

    WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
    I0000 00:00:... port.cc:153] oneDNN custom operations are on. You may see ...

straight to the process's standard error (file descriptor 2), before it reads
``TF_CPP_MIN_LOG_LEVEL``, so Python cannot catch them and a notebook shows them
as a pink box. ``quiet_tensorflow_import()`` points descriptor 2 at a pipe for
the length of the import and passes on every line except these known ones:
TensorFlow's real errors still show, and oneDNN stays on (it only stops being
announced). Set ``TF_CPP_MIN_LOG_LEVEL=0`` to see every line again.

Every place lesson_utils imports TensorFlow or Keras goes through here
(``import_tensorflow``, ``import_keras``; notebook 5 is the first to train with
them); ``import lesson_utils`` itself never does.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

# TensorFlow's start-up notices that tell a learner nothing they can act on.
KNOWN_NOISE = (
    re.compile(r"^WARNING: All log messages before absl::InitializeLog\(\) is called"),
    re.compile(r"^I\d{4} [\d:.]+ +\d+ port\.cc:\d+\] oneDNN custom operations are on"),
)


def is_known_noise(line: str) -> bool:
    """True for one of TensorFlow's start-up notices listed in ``KNOWN_NOISE``."""
    return any(pattern.match(line) for pattern in KNOWN_NOISE)


def _forward(source: int, target: int) -> None:
    """Copy lines from the pipe `source` to descriptor `target`, leaving out the noise."""
    pending = b""
    with os.fdopen(source, "rb", buffering=0) as pipe:
        while chunk := pipe.read(65536):
            *lines, pending = (pending + chunk).split(b"\n")
            kept = [line for line in lines if not is_known_noise(line.decode(errors="replace"))]
            if kept:
                os.write(target, b"\n".join(kept) + b"\n")
    if pending and not is_known_noise(pending.decode(errors="replace")):
        os.write(target, pending)


@contextmanager
def quiet_tensorflow_import() -> Iterator[None]:
    """Within this block, TensorFlow's known start-up notices on stderr are dropped.

    Everything else written to standard error passes through as it is written,
    so an error TensorFlow prints before a crash still reaches the learner.
    Does nothing once TensorFlow is imported, with ``TF_CPP_MIN_LOG_LEVEL=0``,
    or where standard error is no file descriptor.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's later INFO lines
    if "tensorflow" in sys.modules or os.environ["TF_CPP_MIN_LOG_LEVEL"].strip() == "0":
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    read_end, write_end = os.pipe()
    forwarder = threading.Thread(target=_forward, args=(read_end, saved), daemon=True)
    forwarder.start()
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield
    finally:
        if sys.stderr is not None:
            sys.stderr.flush()
        os.dup2(saved, 2)  # closes the pipe's last write end: the forwarder sees its end
        forwarder.join(timeout=5)
        if not forwarder.is_alive():  # a child process may still hold the pipe open
            os.close(saved)


def import_tensorflow() -> ModuleType:
    """``import tensorflow``, without its start-up notices (see the module's docstring)."""
    with quiet_tensorflow_import():
        import tensorflow
    return tensorflow


def import_keras() -> ModuleType:
    """Import and return ``keras`` (TensorFlow's), with a clear error where it cannot be."""
    try:
        with quiet_tensorflow_import():
            import keras
            import tensorflow  # noqa: F401 - Keras needs its backend importable
    except ImportError as err:
        raise ImportError(
            f"The TensorFlow backend needs TensorFlow, which cannot be imported here ({err}). "
            "Install it with `pip install tensorflow`, or use the NumPy backend: "
            "set LESSON_BACKEND=numpy."
        ) from err
    return keras
