"""Notebook 4, Flatten and Dense: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb4 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import numpy as np

from lesson_utils.checks.core import Exercise, _call, _expect_number


def _check_softmax(function):
    if not callable(function):
        return "give the function itself (its name, without brackets), not its result."
    scores = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 0.0]])
    with np.errstate(all="ignore"):  # the overflow is the lesson here; say it in words
        result = np.asarray(_call(function, scores), dtype=float)
    if result.shape != scores.shape:
        return f"for scores of shape {scores.shape} your function returned {result.shape}."
    if not np.all(np.isfinite(result)):
        return (
            "for the scores [1000, 1000, 0] your function gave NaN or infinity: exp(1000) "
            "overflows. Subtract each row's maximum before exp()."
        )
    expected = np.exp(scores[0] - 3) / np.exp(scores[0] - 3).sum()
    if not np.allclose(result.sum(axis=-1), 1.0):
        return "each row of probabilities should add up to 1."
    if not np.allclose(result[0], expected, atol=1e-6):
        return f"for [1, 2, 3] expected {np.round(expected, 4)}; got {np.round(result[0], 4)}."
    return None


q1 = Exercise(
    4,
    1,
    "The length after Flatten",
    _expect_number(1600, "the length"),
    "Flatten lays every number of the (5, 5, 64) block in one row: multiply.",
    "answer = 5 * 5 * 64  # = 1,600",
)

q2 = Exercise(
    4,
    2,
    "Softmax in NumPy",
    _check_softmax,
    "exp() of each score divided by the sum of the exp() of the scores in its row; "
    "subtract the row's maximum first so that exp() cannot overflow.",
    "def my_softmax(scores):\n    shifted = scores - scores.max(axis=-1, keepdims=True)\n"
    "    exps = np.exp(shifted)\n    return exps / exps.sum(axis=-1, keepdims=True)",
)

EXERCISES = [q1, q2]
