"""Notebooks 4-6 hold what issue #11 asked of them: computed numbers checked by nbval, the
schedule plotted, figures with alt texts, Next links after the exercises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def cells(name: str) -> list[dict]:
    return json.loads((NOTEBOOKS / name).read_text())["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def text_output(cell: dict) -> str:
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def code_cell_with(name: str, words: str) -> dict:
    found = [c for c in cells(name) if c["cell_type"] == "code" and words in source(c)]
    assert len(found) == 1, f"{name}: {len(found)} code cells contain {words!r}"
    return found[0]


def checked(cell: dict) -> bool:
    return "nbval-check-output" in cell["metadata"].get("tags", [])


def test_why_convolutions_numbers_are_computed_and_checked():
    cell = code_cell_with("04_flatten_and_dense.ipynb", "dense_parameters = ")
    assert checked(cell)
    assert "16,981,120 parameters" in text_output(cell)  # 784 * 21,632 + 21,632
    assert "320 parameters" in text_output(cell)


def test_dense_network_against_the_cnn_is_in_notebook_5():
    cell = code_cell_with("05_the_whole_cnn.ipynb", "lu.build_dense_model()")
    assert checked(cell)
    assert "Dense network: 101,770 parameters | the CNN: 93,322" in text_output(cell)
    shifted = code_cell_with("05_the_whole_cnn.ipynb", "def accuracy_moved")
    lines = text_output(shifted).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "moved 0 pixels",
        "moved 1 pixel",
        "moved 2 pixels",
        "moved 3 pixels",
    ]


def test_notebook_5_plots_the_schedule():
    cell = code_cell_with("05_the_whole_cnn.ipynb", "lu.plot_learning_rate_schedule(")
    assert cell["metadata"].get("alt")
    assert any("image/png" in o.get("data", {}) for o in cell["outputs"])


def test_misclassified_digits_show_their_probabilities():
    cell = code_cell_with("05_the_whole_cnn.ipynb", "lu.plot_misclassified(")
    assert "probabilities=probabilities" in source(cell)


@pytest.mark.parametrize(
    "name",
    [
        "04_flatten_and_dense.ipynb",
        "05_the_whole_cnn.ipynb",
        "06_inside_the_trained_cnn.ipynb",
        "07_making_it_generalise.ipynb",
        "08_stride_colour_and_1x1.ipynb",
    ],
)
def test_figures_have_alt_texts_and_no_caption_is_left_unwritten(name):
    for cell in cells(name):
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            assert cell["metadata"].get("alt"), source(cell)[:80]
        assert "CAPTION-" not in source(cell)


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("04_flatten_and_dense.ipynb", "(05_the_whole_cnn.ipynb)"),
        ("05_the_whole_cnn.ipynb", "(06_inside_the_trained_cnn.ipynb)"),
        ("06_inside_the_trained_cnn.ipynb", "(07_making_it_generalise.ipynb)"),
        ("07_making_it_generalise.ipynb", "(08_stride_colour_and_1x1.ipynb)"),
    ],
)
def test_next_link_comes_after_the_exercises(name, target):
    sources = [source(c) for c in cells(name)]
    exercises = next(i for i, s in enumerate(sources) if s.startswith("## Exercises"))
    nexts = [i for i, s in enumerate(sources) if s.startswith("Next: [") and target in s]
    assert nexts == [len(sources) - 1] and nexts[0] > exercises
