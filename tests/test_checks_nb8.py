"""Notebook 8's exercise check: the right answer, and one wrong answer per cause it names."""

from __future__ import annotations

import numpy as np
import pytest

from lesson_utils import pictures
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb8

LIT = ["red", "yellow", "green", "black"]


def feedback(answer):
    result = nb8.q1.evaluate(answer)
    return result.status, result.message


def test_the_filter_lights_up_where_there_is_no_blue():
    """Computed from the picture, not typed in: weights (0, 0, -1), bias 1, ReLU."""
    values = nb8.lit_parts()
    assert values == {
        "red": 1.0,
        "yellow": 1.0,
        "green": 1.0,
        "blue": 0.0,
        "black": 1.0,
        "background": 0.0,
    }
    picture, _ = pictures.colour_shapes()
    no_blue = picture[:, :, 2] == 0
    np.testing.assert_array_equal(nb8.filter_output(picture) > 0, no_blue)


@pytest.mark.parametrize(
    "answer",
    [
        LIT,
        ["Black", " green", "YELLOW", "red"],
        ("red", "yellow", "green", "black"),
        {"red", "yellow", "green", "black"},
        "red, yellow, green and black",
        "Red yellow green black.",
        ["red disc", "the yellow square", "green", "black disc"],
    ],
)
def test_the_right_answer_in_any_spelling(answer):
    assert feedback(answer)[0] == CORRECT


def test_unanswered():
    assert feedback(...)[0] == MISSING
    assert feedback("")[0] == MISSING
    assert feedback("  ")[0] == MISSING


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ([], "the bias, +1, is added at every pixel"),  # weights <= 0: nothing, forgetting bias
        (["red", "yellow", "green"], "where the input is all 0, a filter outputs its bias"),
        ([*LIT, "blue"], "Did you read the blue weight's sign as +?"),  # the sign read as +
        (["blue", "background"], "Did you read the blue weight's sign as +?"),
        ([*LIT, "background"], "in notebooks 1-7 the background was 0"),  # MNIST's habit
        (["blue"], "that weight is -1: blue light lowers the sum"),  # "finds its colour"
        (["red", "green", "black"], "Yellow is red and green light together"),
        (["red", "yellow", "black"], "green also lights up: it has blue 0"),
        (["red"], "black, green and yellow also light up: each has blue 0"),
    ],
)
def test_each_wrong_answer_names_its_cause(answer, words):
    status, message = feedback(answer)
    assert status == WRONG, message
    assert words in message, message
    assert "check.q1.hint()" in message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (3, "give a list of names, such as ['red', 'background']; got 3"),
        (["red", 2], "each entry is a name in quotes"),
        (["red", "purple"], "'purple': the parts are named 'red', 'yellow'"),
        (["red", "yelow"], "'yelow' (did you mean 'yellow'?): the parts are named"),
        ({"red": 1}, "give a list of names"),
    ],
)
def test_a_malformed_answer_is_explained(answer, words):
    status, message = feedback(answer)
    assert status == WRONG
    assert words in message, message


def test_white_is_the_background():
    assert "this white background is (1, 1, 1)" in feedback([*LIT, "white"])[1]


def test_the_notebook_states_the_filter_the_check_uses():
    from pathlib import Path

    text = Path(__file__).parents[1].joinpath("notebooks/py/08_stride_colour_and_1x1.py")
    source = text.read_text()
    assert "red 0, green 0, blue -1" in source and "bias +1" in source
    assert nb8.WEIGHTS == (0.0, 0.0, -1.0) and nb8.BIAS == 1.0
