"""Notebook 3, ReLU and max pooling: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb3 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import math

import numpy as np

from lesson_utils.checks.answers import as_array, expect_number, is_real, is_whole
from lesson_utils.checks.exercise import Exercise

POOL_INPUT = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [6, 2, 3, 3]])
POOL_EXPECTED = np.array([[4, 5], [6, 7]])


def _check_pooling(answer):
    array, problem = as_array(answer, "your answer")
    if problem:
        return problem
    if array.shape == (3, 3):
        return (
            "a 3x3 result means windows that overlap (stride 1); with stride 2 the 2x2 windows "
            "do not overlap, so 4x4 becomes 2x2."
        )
    if array.shape != (2, 2):
        return (
            f"2x2 pooling with stride 2 turns a 4x4 grid into 2x2; your answer has shape "
            f"{array.shape}."
        )
    if array.shape == (2, 2) and not np.array_equal(array, POOL_EXPECTED):
        if np.array_equal(array, POOL_EXPECTED.T):
            return (
                "you read the blocks down the columns: the first row of the result holds the "
                "top two blocks, left then right; the second row the bottom two."
            )
        blocks = POOL_INPUT.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
        if np.array_equal(array, blocks.min(axis=-1)):
            return "you kept each block's smallest number; max pooling keeps the largest."
        if np.allclose(array, blocks.mean(axis=-1)):
            return "you averaged each block (average pooling); max pooling keeps the largest."
        if np.array_equal(array, POOL_INPUT[::2, ::2]):
            return "you kept each block's top-left number; max pooling keeps the largest of four."
    wrong = [(r, c) for r in range(2) for c in range(2) if array[r, c] != POOL_EXPECTED[r, c]]
    if wrong:
        r, c = wrong[0]
        return (
            f"the window at row {r}, column {c} covers rows {2 * r}-{2 * r + 1} and columns "
            f"{2 * c}-{2 * c + 1} of the grid; its largest value is not {array[r, c]:g}."
        )
    return None


exercise = Exercise.of_notebook(3)

q1 = exercise(
    number=1,
    title="Max pooling by hand",
    checker=_check_pooling,
    hint_text=(
        "Split the 4x4 grid into four 2x2 blocks, top-left, top-right, bottom-left and "
        "bottom-right, and keep the largest number of each."
    ),
    solution_code="answer = [[4, 5],\n          [6, 7]]",
)


def shrink(size: int, steps, *, conv=True, plus_one=True, pool=True, round_down=True) -> int:
    """The height after ``steps`` ("conv" 3x3 valid, "pool" 2x2), optionally with a slip.

    With every keyword True this is the right rule; each False is a learner's usual slip
    (forgetting the convolutions, the + 1, the pooling, or rounding 6.5 up).
    """
    for step in steps:
        if step == "conv" and conv:
            size = size - 3 + (1 if plus_one else 0)
        elif step == "pool" and pool:
            size = size // 2 if round_down else -(-size // 2)
    return size


def shrink_causes(size: int, steps) -> dict[int, str]:
    """{wrong answer: its cause} for the usual slips, leaving out any that give the right answer."""
    right = shrink(size, steps)
    slips = [
        (
            shrink(size, steps, conv=False),
            "that forgets the convolutions: each 3x3 convolution "
            "(valid padding) takes 2 pixels off, size - 3 + 1.",
        ),
        (
            shrink(size, steps, plus_one=False),
            "that forgets the + 1: a 3x3 kernel fits at size - 3 + 1 positions.",
        ),
        (
            shrink(size, steps, pool=False),
            "that forgets the pooling: 2x2 max pooling halves the size.",
        ),
        (
            shrink(size, steps, round_down=False),
            "that rounds up: 2x2 pooling with stride 2 "
            "rounds down (an odd last row has no full window).",
        ),
    ]
    for n in range(1, len(steps)):
        done = ", ".join(steps[:n])
        slips.append(
            (
                shrink(size, steps[:n]),
                f"that is the size after {done}; go on through all {len(steps)} steps.",
            )
        )
    causes = {}
    for answer, cause in slips:
        if answer != right:
            causes.setdefault(answer, cause)
    return causes


SHRINK_INPUT, SHRINK_STEPS = 32, ("conv", "pool", "conv", "pool")

_check_shrunk = expect_number(
    shrink(SHRINK_INPUT, SHRINK_STEPS),
    "the height",
    causes=shrink_causes(SHRINK_INPUT, SHRINK_STEPS),
)


def _check_height(answer):
    """A fraction such as 6.5 comes from dividing with / where pooling rounds down."""
    if is_real(answer) and math.isfinite(answer) and not is_whole(answer):
        return (
            f"{answer:g} is not a whole number of pixels: 2x2 pooling with stride 2 drops "
            "an odd last row and column (it has no full window), so halving rounds down, "
            "13 // 2 = 6. Divide with //, not /."
        )
    return _check_shrunk(answer)


q2 = exercise(
    number=2,
    title="How a bigger image shrinks",
    checker=_check_height,
    hint_text=(
        "Go step by step: a 3x3 convolution with valid padding gives size - 3 + 1; 2x2 pooling "
        "then halves, rounding down. Do it twice."
    ),
    solution_code="answer = ((32 - 3 + 1) // 2 - 3 + 1) // 2  # 32 -> 30 -> 15 -> 13 -> 6",
)

EXERCISES = [q1, q2]
