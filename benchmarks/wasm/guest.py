"""Inside the WebAssembly CPython (started by harness.py): look like Pyodide, then run.

    guest.py run SCRIPT [ARGS...]     # a script, as ``python SCRIPT ARGS...``
    guest.py notebooks TWIN.py ...    # each notebook's code cells in order, as a kernel would
    guest.py facts                    # one JSON line: what this WebAssembly Python can do
    guest.py code SOURCE              # run Python source, as ``python -c SOURCE``

What Pyodide shows lesson_utils, and this interpreter does not by itself:

* a NumPy without BLAS: this build's NumPy links a WebAssembly OpenBLAS, so its
  ``show_config()`` is made to report ``blas: none`` (set ``LESSON_WASM_NUMPY_BLAS=1`` to
  keep what it reports; ``LESSON_WASM_PRODUCTS=einsum`` forces lesson_utils's einsum
  way where SciPy would be used). NumPy's own ``@`` still reaches that OpenBLAS; lesson_utils's
  products do not use ``@`` where NumPy reports no BLAS.
* the browser: ``sys.platform`` is ``wasi`` here, not ``emscripten``, so
  ``LESSON_AS_IN_BROWSER=1`` is set unless the caller set it to 0.

The interpreter runs isolated (no site, no environment paths): the project (/src) and
the widget wheels (/site) are put on ``sys.path`` here.
"""

import ast
import copy
import inspect
import json
import os
import runpy
import sys
import time

sys.path[:0] = ["/src", "/site"]
os.chdir("/tmp")  # a fresh folder: whatever the code writes stays out of the repository
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("LESSON_AS_IN_BROWSER", "1")


def report_no_blas() -> None:
    """Make ``numpy.show_config()`` report what Pyodide's NumPy does: no BLAS, no LAPACK."""
    import numpy as np

    built = np.show_config(mode="dicts")

    def show_config(mode="stdout"):
        config = copy.deepcopy(built)
        for dependency in ("blas", "lapack"):
            config["Build Dependencies"][dependency] = {"name": "none", "found": False}
        if mode == "dicts":
            return config
        print(json.dumps(config, indent=2))
        return None

    np.show_config = np.__config__.show = show_config


def facts() -> dict:
    """What only wasm32 shows: 32-bit intp, no threads, no subprocesses; and the products."""
    import threading

    import numpy as np

    try:
        threading.Thread(target=lambda: None).start()
        threads = "started"
    except RuntimeError as err:
        threads = f"RuntimeError: {err}"
    try:
        import subprocess

        subprocess.run(["true"], check=False)
        subprocesses = "started"
    except Exception as err:  # noqa: BLE001 - any failure is the fact we report
        subprocesses = f"{type(err).__name__}: {err}"
    from lesson_utils import fast_layers, settings

    return {
        "platform": sys.platform,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "intp_bytes": np.dtype(np.intp).itemsize,
        "threads": threads,
        "subprocesses": subprocesses,
        "numpy_has_blas": fast_layers.numpy_has_blas(),
        "products": fast_layers.PRODUCTS,
        "scalar_loops": fast_layers.SCALAR_LOOPS,
        "in_browser": settings.in_browser(),
    }


def code_cells(path: str) -> list[tuple[int, str]]:
    """The code cells of a py:percent twin: (first line number, source)."""
    cells, kind, start, lines = [], None, 0, []
    with open(path) as file:
        text = file.read().splitlines(keepends=True)
    for number, line in enumerate(text, 1):
        if line.startswith("# %%"):
            if kind == "code":
                cells.append((start, "".join(lines)))
            kind = "markdown" if line.startswith("# %% [markdown]") else "code"
            start, lines = number + 1, []
        elif kind is not None:
            lines.append(line)
    if kind == "code":
        cells.append((start, "".join(lines)))
    return cells


def run_cell(source: str, path: str, first_line: int, namespace: dict) -> None:
    """Run one cell as a kernel does: top-level await allowed, the last expression shown."""
    tree = ast.parse("\n" * (first_line - 1) + source, path, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    execute(compile(tree, path, "exec", flags=flags), namespace)
    if last is not None:
        value = execute(compile(last, path, "eval", flags=flags), namespace)
        if value is not None:
            show(value)


def execute(code, namespace: dict):
    """eval; a cell with a top-level await (the browser's install cell) is stepped by hand.

    WASI has no sockets, so asyncio cannot make an event loop; the install cell awaits
    only in Pyodide, so here its coroutine ends at the first step.
    """
    value = eval(code, namespace)  # noqa: S307 - the lesson's own notebooks
    if code.co_flags & inspect.CO_COROUTINE:
        try:
            value.send(None)
        except StopIteration as done:
            return done.value
        value.close()
        raise RuntimeError("a cell waited on something: there is no event loop here")
    return value


def show(value) -> None:
    """What Jupyter does with a cell's last value: IPython's display, so widgets are built."""
    from IPython.display import display

    display(value)


def run_notebooks(paths: list[str]) -> int:
    import matplotlib.pyplot as plt

    for path in paths:
        namespace = {"__name__": "__main__"}
        start = time.perf_counter()
        for number, (first_line, source) in enumerate(code_cells(path), 1):
            began = time.perf_counter()
            run_cell(source, path, first_line, namespace)
            seconds = time.perf_counter() - began
            if seconds >= 1:
                print(f"[wasm] {path} cell {number} (line {first_line}): {seconds:.1f} s")
        plt.close("all")
        print(f"[wasm] {path}: ran in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


def main() -> int:
    if os.environ.get("LESSON_WASM_NUMPY_BLAS") != "1":
        report_no_blas()
    if os.environ.get("LESSON_WASM_PRODUCTS"):  # "einsum" or "scipy": to compare the two
        from lesson_utils import fast_layers

        fast_layers.PRODUCTS = os.environ["LESSON_WASM_PRODUCTS"]
    command, args = sys.argv[1], sys.argv[2:]
    if command == "facts":
        print(json.dumps(facts()))
        return 0
    if command == "notebooks":
        return run_notebooks(args)
    if command == "code":
        exec(compile(args[0], "<code>", "exec"), {"__name__": "__main__"})  # noqa: S102
        return 0
    if command != "run":
        raise SystemExit(f"guest.py: unknown command {command!r}")
    sys.argv = args
    sys.path.insert(0, os.path.dirname(args[0]))
    runpy.run_path(args[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
