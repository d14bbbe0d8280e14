"""Notebook 3's exercises: a right answer, and a wrong answer for each cause the feedback names."""

from __future__ import annotations

import numpy as np
import pytest
from check_cases import assert_every_exercise_has_cases, assert_right_wrong_missing

from lesson_utils.checks import nb3

CASES = [
    (
        nb3.q1,
        [[4, 5], [6, 7]],
        [
            ([[4, 6], [5, 7]], "you read the blocks down the columns"),
            ([[4, 5], [6, 3]], "row 1, column 1"),
            ([[1, 5], [6, 7]], "row 0, column 0"),
            ([[1, 0], [0, 2]], "smallest"),
            ([[2.5, 2], [2.25, 3.75]], "average pooling"),
            ([[1, 2], [0, 7]], "top-left"),
            ([[4, 3, 5]] * 3, "overlap"),
            ([1, 2], "shape"),
            ([[4, 5], [6]], "row 1 has 1 number"),
            ([[4, 5], 6], "row 1 is a single number"),
            ([["four", 5], [6, 7]], "must be numbers"),
        ],
    ),
    (
        nb3.q2,
        6,
        [
            (8, "forgets the convolutions"),
            (5, "forgets the + 1"),
            (28, "forgets the pooling"),
            (7, "rounds up"),
            (30, "after conv;"),
            (15, "after conv, pool;"),
            (13, "after conv, pool, conv;"),
            (4, "too low"),
            ("6", "as a number"),
        ],
    ),
]


@pytest.mark.parametrize(("exercise", "right", "wrongs"), CASES, ids=["q1", "q2"])
def test_right_wrong_and_missing(exercise, right, wrongs):
    assert_right_wrong_missing(exercise, right, wrongs)


def test_every_exercise_has_cases():
    assert_every_exercise_has_cases(nb3, CASES)


def test_shrink_names_the_slips_on_the_lesson_digit():
    """On 28x28, one 3x3 convolution then pooling: 13; 14 forgets the convolution, 12 the + 1."""
    steps = ("conv", "pool")
    assert nb3.shrink(28, steps) == 13
    causes = nb3.shrink_causes(28, steps)
    assert "forgets the convolutions" in causes[14]
    assert "forgets the + 1" in causes[12]
    assert 13 not in causes


def test_the_answer_is_not_printed_in_the_notebook():
    """Exercise 3.2 asks about a 32x32 image; the notebook prints the 28x28 digit's sizes."""
    assert nb3.shrink(nb3.SHRINK_INPUT, nb3.SHRINK_STEPS) == 6
    assert nb3.SHRINK_INPUT != 28


@pytest.mark.parametrize(
    "answer",
    [[["4", "5"], ["6", "7"]], np.array([["4", "5"], ["6", "7"]]), [[4, 5], [6, "7"]]],
    ids=["strings", "string-array", "one-string"],
)
def test_pooling_answer_of_strings_is_not_numbers(answer):
    """ "4" is text: np.asarray(..., dtype=float) would have turned it into 4.0 quietly."""
    feedback = nb3.q1.evaluate(answer)
    assert feedback.status == "wrong"
    assert "must be numbers" in feedback.message and "is text" in feedback.message


@pytest.mark.parametrize("answer", [6.5, 6.25, np.float64(6.5)])
def test_a_height_that_is_not_whole_says_pooling_rounds_down(answer):
    """((32 - 3 + 1) / 2 - 3 + 1) / 2 = 6.5: / where pooling drops the odd last row."""
    feedback = nb3.q2.evaluate(answer)
    assert feedback.status == "wrong"
    assert "not a whole number" in feedback.message
    assert "rounds down" in feedback.message and "//" in feedback.message
    assert "too high" not in feedback.message


def test_a_height_that_is_not_a_number_is_not_too_high():
    feedback = nb3.q2.evaluate(float("nan"))
    assert feedback.status == "wrong" and "too high" not in feedback.message
