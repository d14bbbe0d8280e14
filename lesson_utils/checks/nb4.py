"""Notebook 4, Flatten and Dense: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb4 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import numpy as np

from lesson_utils.checks.core import Exercise, _call, _expect_number

# Wrong lengths after Flatten that have one cause, and that cause in a sentence.
_FLATTEN_CAUSES = {
    25: "5 x 5 counts the pixels of one map; each pixel holds 64 channels.",
    320: "5 x 64 is one row of pixels; the block has 5 x 5 pixels of 64 channels each.",
    74: "5 + 5 + 64 adds the sizes; Flatten keeps every number, so multiply them.",
    576: "576 = 3 x 3 x 64 is the lesson's Flatten, after its third convolution (3x3x64); "
    "this block is 5x5x64.",
}

_check_flatten_length = _expect_number(1600, "the length", causes=_FLATTEN_CAUSES)


# Rows chosen so that each way of getting softmax wrong shows in one of them.
_SOFTMAX_SCORES = np.array(
    [
        [1.0, 2.0, 3.0, 0.0],
        [1000.0, 1000.0, 0.0, 0.0],  # exp() overflows to inf: inf / inf = NaN
        [-1000.0, -1000.0, -1001.0, -1002.0],  # every exp() underflows to 0: 0 / 0 = NaN
    ]
)


def _reference_softmax(scores):
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def _calls_a_ready_softmax(function) -> bool:
    """Whether a learner's function is, or calls by name, a softmax it did not write:
    ``numpy_layers.softmax`` itself, an attribute ``.softmax`` of a module (lu.numpy_layers,
    scipy.special, ...), or a global ``softmax`` that is not a function of the learner's own
    notebook (``from lesson_utils.numpy_layers import softmax``, at the top of the notebook
    or in the function)."""
    import dis

    from lesson_utils import numpy_layers

    if function is numpy_layers.softmax:
        return True
    code = getattr(function, "__code__", None)
    if code is None or "softmax" not in code.co_names:
        return False
    for instruction in dis.get_instructions(code):
        if instruction.argval != "softmax":
            continue
        if any(kind in instruction.opname for kind in ("ATTR", "METHOD", "IMPORT_FROM")):
            return True
        if "GLOBAL" in instruction.opname or "NAME" in instruction.opname:
            own = getattr(function, "__globals__", {}).get("softmax")
            if getattr(own, "__module__", None) != function.__module__:
                return True
    return False


def _check_softmax(function):
    if not callable(function):
        return "give the function itself (its name, without brackets), not its result."
    if _calls_a_ready_softmax(function):
        return (
            "your function calls a ready-made softmax (numpy_layers.softmax or another "
            "library's); the exercise asks you to write it yourself, with np.exp."
        )
    scores = _SOFTMAX_SCORES.copy()
    with np.errstate(all="ignore"):  # overflow and underflow are the lesson here: say them
        try:
            result = np.asarray(_call(function, scores), dtype=float)
        except ValueError as err:
            if "broadcast" not in str(err):
                raise
            return (
                f"for scores of shape {scores.shape} your function raised a shape error "
                f"({err}): scores.max(axis=-1) has one number per row; keepdims=True keeps "
                "it a column, so that it can be subtracted from each row."
            )
    if result.shape != scores.shape:
        return f"for scores of shape {scores.shape} your function returned {result.shape}."
    expected = _reference_softmax(scores)
    finite = np.isfinite(result).all(axis=-1)
    if not finite[1] and not finite[2]:
        return (
            "your function gave NaN for two rows. For [1000, 1000, 0, 0] exp(1000) overflows "
            "to infinity and infinity / infinity is NaN; for [-1000, -1000, -1001, -1002] "
            "every exp() underflows to 0 and 0 / 0 is NaN. Subtract each row's maximum "
            "before exp(): the largest exp() is then exactly 1."
        )
    if not finite[2]:
        return (
            "for the scores [-1000, -1000, -1001, -1002] your function gave NaN: every "
            "exp() underflows to 0, and 0 / 0 is NaN. Subtract each row's own maximum "
            "(axis=-1, keepdims=True), not the largest score of the whole array: the "
            "largest exp() of every row is then exactly 1."
        )
    if not finite[1]:
        return (
            "for the scores [1000, 1000, 0, 0] your function gave NaN or infinity: exp(1000) "
            "overflows, and infinity / infinity is NaN. Subtract each row's maximum before exp()."
        )
    sums = result.sum(axis=-1)
    if not np.allclose(sums, 1.0):
        return (
            f"each row of probabilities should add up to 1; yours add up to "
            f"{np.round(sums, 3)}. Divide by each row's own sum (axis=-1, keepdims=True)."
        )
    if not np.allclose(result, expected, atol=1e-6):
        row = int(np.argmax(np.abs(result - expected).max(axis=-1)))
        return (
            f"for the scores {scores[row].tolist()} expected {np.round(expected[row], 4)}; "
            f"got {np.round(result[row], 4)}."
        )
    return None


q1 = Exercise(
    4,
    1,
    "The length after Flatten",
    _check_flatten_length,
    "Flatten lays every number of the (5, 5, 64) block in one row: multiply.",
    "answer = 5 * 5 * 64  # = 1,600",
)

q2 = Exercise(
    4,
    2,
    "Softmax in NumPy",
    _check_softmax,
    "exp() of each score divided by the sum of the exp() of the scores in its row; "
    "subtract the row's maximum first, so that exp() can neither overflow (huge scores) "
    "nor underflow to all zeros (very negative scores).",
    "def my_softmax(scores):\n    shifted = scores - scores.max(axis=-1, keepdims=True)\n"
    "    exps = np.exp(shifted)\n    return exps / exps.sum(axis=-1, keepdims=True)",
)

EXERCISES = [q1, q2]
