"""The lesson's code in WebAssembly: a wasm32 CPython with NumPy, run by V8 (benchmarks/wasm/).

The browser runs the notebooks in Pyodide, which a test here cannot start (its packages
come from a CDN). What only WebAssembly shows is caught here instead: 32-bit ``intp``,
no threads, no subprocesses, no sockets, a memory that only grows. The tools are
installed by ``benchmarks/wasm/harness.py`` into ``~/.cache/lesson-wasm``: the first run
on a machine downloads about 230 MB (10-20 s on a fast link), later runs find them. The
four tests take about 30 s with the tools cached, about 60 s on a fresh machine.
In CI (``CI`` set) a failure to install them fails the test; elsewhere it skips, saying why.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "wasm"))
import harness  # noqa: E402

TWINS = sorted((ROOT / "notebooks" / "py").glob("[0-9][0-9]_*.py"))
# The whole WebAssembly memory the eight notebooks may use in quick mode, run one after
# another in one interpreter (a phone's browser may refuse much more than 1 GiB).
MEMORY_BUDGET_BYTES = 1 << 30


def tools_or_say_why() -> harness.Tools:
    """The tools; where they cannot be installed, a failure in CI and a skip elsewhere."""
    try:
        return harness.setup()
    except harness.ToolsMissing as err:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"CI must run the WebAssembly tests, but their tools are missing: {err}")
        pytest.skip(f"the WebAssembly tools cannot be installed here: {err}")


@pytest.fixture(scope="module")
def tools() -> harness.Tools:
    return tools_or_say_why()


def test_missing_tools_fail_in_ci_and_skip_elsewhere(monkeypatch):
    def no_npm():
        raise harness.ToolsMissing("npm is needed")

    monkeypatch.setattr(harness, "setup", no_npm)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the WebAssembly tests"):
        tools_or_say_why()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="npm is needed"):
        tools_or_say_why()


def run(tools, *guest_args, **env) -> harness.Result:
    result = harness.run(tools, list(guest_args), env=env, timeout=600)
    assert result.returncode == 0, (result.stdout[-4000:], result.stderr[-4000:])
    return result


def test_the_guest_is_wasm32_without_threads_processes_or_blas(tools):
    facts = json.loads(run(tools, "facts").stdout.splitlines()[-1])
    assert facts["platform"] == "wasi"
    assert facts["intp_bytes"] == 4  # wasm32: array indices are 32-bit
    assert facts["threads"].startswith("RuntimeError")
    assert facts["subprocesses"].startswith("OSError")
    # As in Pyodide: NumPy reports no BLAS, so the products go through SciPy's gemm.
    assert facts["numpy_has_blas"] is False
    assert facts["products"] == "scipy"
    # NumPy's loops there have no SIMD: relu and pooling take their scalar-loop forms.
    assert facts["scalar_loops"] is True
    assert facts["in_browser"] is True


def test_each_way_of_the_products_gives_the_same_training_step_in_wasm32(tools):
    """fast_layers's SciPy and einsum ways against numpy_layers, inside WebAssembly."""
    code = """
import numpy as np
import lesson_utils as lu
from lesson_utils import fast_layers as F
from lesson_utils.numpy_model import NumPyCNN
data = lu.load_mnist(source="sample", verbose=False)
x, y = data.x_train[:64], data.y_train[:64]
grads = {}
for way in ("scipy", "einsum"):
    F.PRODUCTS = way
    model = NumPyCNN(seed=3)
    model.train_step(x, y)
    grads[way] = [g for layer in model.layers for g in layer.grads]
    print(way, "predict", model.predict(data.x_test[:300]).argmax(1)[:10].tolist())
worst = max(float(np.abs(a - b).max()) for a, b in zip(grads["scipy"], grads["einsum"]))
print("largest difference", worst)
"""
    out = run(tools, "code", code).stdout.splitlines()
    predictions = [line.split("predict ")[1] for line in out if " predict " in line]
    assert len(predictions) == 2 and predictions[0] == predictions[1]
    assert float(out[-1].split()[-1]) < 1e-4


def test_data_falls_back_to_the_sample_where_no_thread_can_start(tools):
    """Outside Pyodide's browser path the download is tried, and cannot start (issue 22)."""
    code = "import lesson_utils as lu\nprint('source:', lu.load_mnist().source)"
    out = run(tools, "code", code, LESSON_AS_IN_BROWSER="0").stdout.splitlines()
    assert out == [
        "Using the bundled sample: MNIST is not in Keras's cache and could not be "
        "downloaded (this Python cannot start a download: it has no threads).",
        "Loaded MNIST from the bundled sample of real images: 4,000 train / 1,000 test images",
        "source: sample",
    ]


def test_every_notebook_runs_in_webassembly(tools):
    """All eight notebooks' code, quick mode, NumPy backend; widget cells build their widgets."""
    assert [t.name[:2] for t in TWINS] == ["01", "02", "03", "04", "05", "06", "07", "08"]
    twins = [f"/src/{t.relative_to(ROOT).as_posix()}" for t in TWINS]
    result = run(tools, "notebooks", *twins, LESSON_QUICK="1", LESSON_BACKEND="numpy")
    for twin in twins:
        assert f"[wasm] {twin}: ran in" in result.stdout
    # The widgets were built and shown (as text: there is no front end).
    for widget in ("KernelPlayground(", "DrawADigit("):
        assert widget in result.stdout
    assert "Traceback" not in result.stderr
    assert result.memory_bytes is not None and result.memory_bytes < MEMORY_BUDGET_BYTES
