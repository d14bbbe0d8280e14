"""Re-run every lesson notebook for real and store its outputs (what the site shows).

    python scripts/refresh_notebooks.py [notebooks/05_the_whole_cnn.ipynb ...]

Each notebook is synced from its .py twin (in notebooks/py/) (Jupytext), executed top to bottom with
the full defaults (not quick mode) on the backend LESSON_BACKEND picks, and
written back; the twin is synced again so the pair stays identical.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def refresh(notebook: Path) -> None:
    subprocess.run([sys.executable, "-m", "jupytext", "--sync", "-q", str(notebook)], check=True)
    nb = nbformat.read(notebook, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=1200,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
        # No widget state in the notebook: the site then shows each widget's still picture
        # (its image/png) instead of loading a widget renderer from a CDN (#15).
        store_widget_state=False,
    ).execute()
    nbformat.write(nb, notebook)
    jupytext.write(nb, notebook.parent / "py" / notebook.with_suffix(".py").name, fmt="py:percent")
    print(f"{notebook.name}: executed in {time.perf_counter() - start:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="the .ipynb files to re-run (default: all)"
    )
    arguments = parser.parse_args()
    if os.environ.get("LESSON_QUICK", "0") != "0":
        raise SystemExit("Unset LESSON_QUICK: the stored outputs come from a full run.")
    paths = arguments.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    missing = [str(p) for p in paths if p.suffix != ".ipynb" or not p.exists()]
    if missing:
        raise SystemExit(f"Not a notebook here: {', '.join(missing)}. Give .ipynb files.")
    for path in paths:
        refresh(path.resolve())


if __name__ == "__main__":
    main()
