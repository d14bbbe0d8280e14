"""The lesson's notebooks: executed by nbval on both backends, paired with their .py twins."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run_nbval(env: dict, timeout: int) -> subprocess.CompletedProcess:
    """Run the notebooks under nbval, as CI does, in a separate pytest."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval-lax",
        "--nbval-current-env",
        "-q",
        "-p",
        "no:cacheprovider",
        "notebooks/",
    ]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_there_are_eight_notebooks():
    assert [nb.stem[:2] for nb in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07", "08"]


@pytest.mark.parametrize(
    "backend", ["numpy", pytest.param("tensorflow", marks=pytest.mark.tensorflow)]
)
@pytest.mark.slow
def test_notebooks_run_under_nbval(backend):
    """Every notebook, top to bottom, under the quick flag; marked cells must match."""
    if backend == "tensorflow":
        pytest.importorskip("tensorflow")
    env = {**os.environ, "LESSON_QUICK": "1", "LESSON_BACKEND": backend}
    result = run_nbval(env, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_sentinel_refuses_a_run_without_the_quick_flag():
    env = {k: v for k, v in os.environ.items() if k != "LESSON_QUICK"}
    result = run_nbval(env, timeout=120)
    assert result.returncode != 0
    assert "tested under LESSON_QUICK=1" in result.stdout + result.stderr


def twin_differences(notebook: Path, twin_text: str) -> list[str]:
    """What differs between a notebook's cells and its py:percent twin's, read by jupytext.

    Compared: each cell's type, source and metadata (tags and the rest), in order, and
    the notebook's kernel. Not compared: the header's ``jupytext_version`` stamp and
    other details of how a jupytext release writes the text, which say nothing about
    the lesson (a new jupytext release must not fail a fresh clone's tests).
    """
    import jupytext

    # Both sides go through the same jupytext: the notebook written as text and read
    # back (what the twin would say if it were written now), and the twin read.
    written = jupytext.reads(jupytext.writes(jupytext.read(notebook), fmt="py:percent"), "py")
    twin = jupytext.reads(twin_text, "py:percent")
    differences = []
    if len(written.cells) != len(twin.cells):
        differences.append(
            f"{len(written.cells)} cells in the notebook, {len(twin.cells)} in the twin"
        )
    for i, (a, b) in enumerate(zip(written.cells, twin.cells, strict=False)):
        for part in ("cell_type", "source", "metadata"):
            if a.get(part) != b.get(part):
                differences.append(
                    f"cell {i}: {part} differs ({a.get(part)!r:.80} / {b.get(part)!r:.80})"
                )
    if written.metadata.get("kernelspec") != twin.metadata.get("kernelspec"):
        differences.append("the kernelspec differs")
    return differences


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_and_py_twin_are_in_sync(notebook):
    pytest.importorskip("jupytext")
    twin = notebook.parent / "py" / notebook.with_suffix(".py").name
    assert twin.exists(), f"{notebook.name} has no .py twin in notebooks/py/"
    differences = twin_differences(notebook, twin.read_text())
    assert not differences, (
        f"{notebook.name} and py/{twin.name} differ: run `jupytext --sync notebooks/py/{twin.name}`"
        + "".join(f"\n  {d}" for d in differences)
    )


def test_sync_check_ignores_the_version_stamp_but_not_a_cell():
    """The twin of another jupytext release still matches; an edited cell or tag does not."""
    pytest.importorskip("jupytext")
    notebook = NOTEBOOKS[0]
    twin_text = (notebook.parent / "py" / notebook.with_suffix(".py").name).read_text()
    assert "jupytext_version: " in twin_text
    restamped = re.sub(r"jupytext_version: \S+", "jupytext_version: 99.0.0", twin_text)
    assert twin_differences(notebook, restamped) == []
    edited = twin_text.replace("import lesson_utils as lu", "import lesson_utils as lesson", 1)
    assert edited != twin_text
    assert any("source differs" in d for d in twin_differences(notebook, edited))
    untagged = twin_text.replace('tags=["remove-cell"]', "", 1)
    assert untagged != twin_text
    assert any("metadata differs" in d for d in twin_differences(notebook, untagged))
    one_cell_less = twin_text[: twin_text.rindex("# %%")]
    assert any("cells in the notebook" in d for d in twin_differences(notebook, one_cell_less))


def test_each_notebook_appears_once_in_the_notebooks_folder():
    """JupyterLab opens .py twins as notebooks too: the twins live in notebooks/py/."""
    assert not list((ROOT / "notebooks").glob("*.py"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_nbval_markers_are_tags_not_comments(notebook):
    """A learner types into answer cells: nbval's markers live in cell tags, out of view."""
    cells = json.loads(notebook.read_text())["cells"]
    assert not any("NBVAL" in "".join(c["source"]) for c in cells)
    tags = [t for c in cells for t in c.get("metadata", {}).get("tags", [])]
    assert "nbval-check-output" in tags
    install = cells[1]
    assert "piplite" in "".join(install["source"]), "the browser's install cell comes first"
    assert "remove-cell" in install["metadata"].get("tags", []), "the site hides it"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_stored_outputs_are_from_a_real_run_and_small(notebook):
    text = notebook.read_text()
    assert len(text) < 1_500_000, f"{notebook.name} is {len(text):,} bytes; shrink its outputs"
    cells = json.loads(text)["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell was executed"
    outputs = json.dumps([c.get("outputs", []) for c in code])
    assert "quick mode ON" not in outputs, "stored outputs must come from a full run"
    assert "Traceback" not in outputs and '"output_type": "error"' not in outputs


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_stored_exercise_cells_are_left_unanswered(notebook):
    """Each "### Exercise N:" cell is followed by its answer cell, stored with its
    placeholder ... and the check's "Not answered yet" (nbval compares it where tagged)."""
    cells = json.loads(notebook.read_text())["cells"]
    numbers = []
    for i, cell in enumerate(cells):
        found = re.match(r"### Exercise (\d+):", "".join(cell["source"]))
        if cell["cell_type"] != "markdown" or not found:
            continue
        numbers.append(int(found.group(1)))
        answer = cells[i + 1]
        source = "".join(answer["source"])
        assert answer["cell_type"] == "code" and "..." in source, source
        assert f"check.q{found.group(1)}.check(" in source, source
        shown = json.dumps(answer.get("outputs", []))
        assert "Not answered yet" in shown, (notebook.name, found.group(0), shown[:300])
    assert numbers == list(range(1, len(numbers) + 1)) and numbers, numbers
