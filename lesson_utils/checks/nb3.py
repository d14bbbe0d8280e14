"""Notebook 3, ReLU and max pooling: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb3 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import numpy as np

from lesson_utils.checks.core import Exercise, _as_array, _expect_number

POOL_INPUT = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [6, 2, 3, 3]])
POOL_EXPECTED = np.array([[4, 5], [6, 7]])


def _check_pooling(answer):
    array, problem = _as_array(answer, "your answer")
    if problem:
        return problem
    if array.shape != (2, 2):
        return (
            f"2x2 pooling with stride 2 turns a 4x4 grid into 2x2; your answer has shape "
            f"{array.shape}."
        )
    wrong = [(r, c) for r in range(2) for c in range(2) if array[r, c] != POOL_EXPECTED[r, c]]
    if wrong:
        r, c = wrong[0]
        return (
            f"the window at row {r}, column {c} covers rows {2 * r}-{2 * r + 1} and columns "
            f"{2 * c}-{2 * c + 1} of the grid; its largest value is not {array[r, c]:g}."
        )
    return None


q1 = Exercise(
    3,
    1,
    "Max pooling by hand",
    _check_pooling,
    "Split the 4x4 grid into four 2x2 blocks, top-left, top-right, bottom-left and "
    "bottom-right, and keep the largest number of each.",
    "answer = [[4, 5],\n          [6, 7]]",
)

q2 = Exercise(
    3,
    2,
    "How the image shrinks",
    _expect_number(
        13, "the size", "", "Remember that 2x2 pooling halves the size (rounding down)."
    ),
    "A 3x3 convolution with valid padding takes 2 pixels off each side length; "
    "2x2 pooling then halves it.",
    "answer = (28 - 3 + 1) // 2  # = 13",
)

EXERCISES = [q1, q2]
