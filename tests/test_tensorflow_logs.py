"""TensorFlow's start-up notices never reach a learner; its real messages still do (#12)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from lesson_utils.settings import tensorflow_available
from lesson_utils.tensorflow_import import is_known_noise, quiet_tensorflow_import

ROOT = Path(__file__).resolve().parents[1]
ABSL_LINE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
ONEDNN_LINE = (
    "I0000 00:00:1795886853.643450    9429 port.cc:153] oneDNN custom operations are on. "
    "You may see slightly different numerical results due to floating-point round-off "
    "errors from different computation orders. To turn them off, set the environment "
    "variable `TF_ENABLE_ONEDNN_OPTS=0`."
)
# Any line in the format of TensorFlow's C++ logs ("I0000 00:00:...", "W0000 ...").
C_LOG_LINE = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:", re.MULTILINE)


def assert_no_tensorflow_notices(text: str) -> None:
    assert "absl::InitializeLog" not in text, text
    assert "oneDNN custom operations" not in text, text
    assert not C_LOG_LINE.search(text), text


def test_the_known_notices_and_nothing_else_count_as_noise():
    assert is_known_noise(ABSL_LINE) and is_known_noise(ONEDNN_LINE)
    for real in (
        "E0000 00:00:1795886853.643450    9429 cuda_executor.cc:1] failed call to cuInit",
        "F0000 00:00:1795886853.643450    9429 port.cc:1] Check failed: oneDNN",
        "The TensorFlow library was compiled to use AVX instructions, but these aren't available",
        "Traceback (most recent call last):",
        "",
    ):
        assert not is_known_noise(real), real


@pytest.fixture
def tensorflow_not_imported(monkeypatch):
    """The quiet import acts only before TensorFlow is imported: pretend it is not."""
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)


def test_notices_on_file_descriptor_2_are_dropped_and_the_rest_passes(
    tensorflow_not_imported, capfd
):
    with quiet_tensorflow_import():
        os.write(2, f"{ABSL_LINE}\n{ONEDNN_LINE}\n".encode())
        os.write(2, b"E0000 00:00:1.0  1 some.cc:1] a real error\n")
        os.write(2, f"{ABSL_LINE}\n".encode())
        os.write(2, b"a last line without its newline")
    os.write(2, b"\nafter the block\n")
    err = capfd.readouterr().err
    assert err == (
        "E0000 00:00:1.0  1 some.cc:1] a real error\n"
        "a last line without its newline\n"
        "after the block\n"
    )


def test_an_error_inside_the_block_passes_through_and_stderr_comes_back(
    tensorflow_not_imported, capfd
):
    with pytest.raises(ImportError, match="no such module"):
        with quiet_tensorflow_import():
            os.write(2, f"{ONEDNN_LINE}\nwhy it failed\n".encode())
            raise ImportError("no such module")
    os.write(2, f"{ONEDNN_LINE}\n".encode())  # outside the block nothing is filtered
    assert capfd.readouterr().err == f"why it failed\n{ONEDNN_LINE}\n"


def test_log_level_0_shows_every_line(tensorflow_not_imported, monkeypatch, capfd):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    with quiet_tensorflow_import():
        os.write(2, f"{ABSL_LINE}\n".encode())
    assert capfd.readouterr().err == f"{ABSL_LINE}\n"


@pytest.mark.slow
@pytest.mark.tensorflow
def test_a_notebook_cell_importing_tensorflow_through_lesson_utils_shows_no_notice(
    monkeypatch,
):
    if not tensorflow_available():  # found without importing it here
        pytest.skip("TensorFlow cannot be imported here")
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("LESSON_BACKEND", "tensorflow")
    # ipykernel passes file descriptor 2 on to the notebook, as in JupyterLab,
    # except under pytest, which it recognises by this variable.
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import lesson_utils as lu\nmodel = lu.build_cnn_model()\nprint(model.name)"
            ),
            # Proves the kernel shows what reaches its file descriptor 2, so the
            # check above could see TensorFlow's notices if they came through.
            nbformat.v4.new_code_cell("import os\nos.write(2, b'fd 2 reaches the notebook\\n')"),
        ]
    )
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    first, second = (
        "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        for cell in notebook.cells
    )
    assert first.strip() == "lesson_cnn"
    assert_no_tensorflow_notices(first)
    assert "fd 2 reaches the notebook" in second
