"""Notebook 1's exercises: a right answer, and a wrong answer for each cause the feedback names."""

from __future__ import annotations

import numpy as np
import pytest
from check_cases import assert_every_exercise_has_cases, assert_right_wrong_missing

from lesson_utils.checks import nb1


def normalise_right(images):
    return (images.astype(np.float32) / 255.0)[..., None]


CASES = [
    (
        nb1.q1,
        (100, 64, 64, 3),
        [
            ((100, 3, 64, 64), "channels come last in Keras"),
            ((100, 64, 64, 1), "3 channels"),
            ((100, 64, 64), "3 channels"),
            ((64, 64, 3), "a batch has the number of images first"),
            ((32, 28, 28, 1), "axis 0"),
            ("big", "tuple of whole numbers"),
        ],
    ),
    (
        nb1.q2,
        normalise_right,
        [
            (lambda x: (x.astype(np.float32) / 255.0)[:, None], "channels come last in Keras"),
            (lambda x: x / 255.0, "expected (3, 2, 2, 1)"),
            (lambda x: (x / 255.0)[..., None], "float32"),
            (lambda x: x.astype(np.float32)[..., None], "0.0 (pixel 0)"),
            (normalise_right(np.zeros((1, 2, 2), np.uint8)), "the function"),
        ],
    ),
]


@pytest.mark.parametrize(("exercise", "right", "wrongs"), CASES, ids=["q1", "q2"])
def test_right_wrong_and_missing(exercise, right, wrongs):
    assert_right_wrong_missing(exercise, right, wrongs)


def test_every_exercise_has_cases():
    assert_every_exercise_has_cases(nb1, CASES)


def test_the_answer_is_not_printed_in_the_notebook():
    """Exercise 1.1 asks about colour photos, not the (32, 28, 28, 1) the notebook prints."""
    assert nb1.q1.evaluate((32, 28, 28, 1)).status == "wrong"
