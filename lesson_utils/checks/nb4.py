"""Notebook 4, Flatten and Dense: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb4 as check
    check.q1.check(answer)
    check.q3.check(answer)  # a prediction, then softmax run on the scores and on scores + 5
"""

from __future__ import annotations

import contextlib
import re
import sys
import warnings

import numpy as np

from lesson_utils.checks.answers import as_choice, expect_number, source_of
from lesson_utils.checks.exercise import (
    Exercise,
    _is_library_file,
    call_answer,
    learners_frame,
)
from lesson_utils.checks.feedback import Message, show

# Wrong lengths after Flatten that have one cause, and that cause in a sentence.
_FLATTEN_CAUSES = {
    25: "5 x 5 counts the pixels of one map; each pixel holds 64 channels.",
    320: "5 x 64 is one row of pixels; the block has 5 x 5 pixels of 64 channels each.",
    74: "5 + 5 + 64 adds the sizes; Flatten keeps every number, so multiply them.",
    576: "576 = 3 x 3 x 64 is the lesson's Flatten, after its third convolution (3x3x64); "
    "this block is 5x5x64.",
}

_check_flatten_length = expect_number(1600, "the length", causes=_FLATTEN_CAUSES)


# Rows chosen so that each way of getting softmax wrong shows in one of them.
_SOFTMAX_SCORES = np.array(
    [
        [1.0, 2.0, 3.0, 0.0],
        [1000.0, 1000.0, 0.0, 0.0],  # exp() overflows to inf: inf / inf = NaN
        [-1000.0, -1000.0, -1001.0, -1002.0],  # every exp() underflows to 0: 0 / 0 = NaN
        # Overflows unless the max is subtracted: its mean (0) or its min (-1000) leave 1000
        # or 2000, whose exp() is infinity.
        [1000.0, -1000.0, 0.0, 0.0],
        # Five rows of four: a square array would let s - s.max(axis=-1) broadcast.
        [0.5, -0.5, 2.0, 1.0],
    ]
)
_OVERFLOW_ROWS, _UNDERFLOW_ROW = (1, 3), 2
_SOFTMAX_SCORES.flags.writeable = False  # the learner gets a copy; this stays the truth


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


@contextlib.contextmanager
def _watching_for_a_ready_softmax(called: list[str]):
    """While the learner's function runs, note every library function whose name holds
    "softmax" that it calls, however it was imported or renamed
    (``from scipy.special import softmax as sps``): ``called`` gets their names."""

    def profile(frame, event, arg):
        if event == "call":
            code = frame.f_code
            module = frame.f_globals.get("__name__", "")
            if (
                "softmax" in code.co_name
                and module != __name__  # this watcher's own frames
                and _is_library_file(code.co_filename)
            ):
                called.append(_public_name(module, code.co_name))
        elif event == "c_call" and "softmax" in getattr(arg, "__name__", ""):
            called.append(_public_name(getattr(arg, "__module__", None) or "", arg.__name__))

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(previous)


def _public_name(module: str, name: str) -> str:
    """scipy.special._logsumexp, softmax -> scipy.special.softmax: the name a learner imports."""
    parts = [part for part in module.split(".") if part and not part.startswith("_")]
    return ".".join([*parts, name])


_READY_MADE = "; the exercise asks you to write it yourself, with np.exp."


def _check_softmax(function):
    if not callable(function):
        return "give the function itself (its name, without brackets), not its result."
    if _calls_a_ready_softmax(function):
        return (
            "your function calls a ready-made softmax (numpy_layers.softmax or another "
            f"library's){_READY_MADE}"
        )
    called: list[str] = []
    problem = _run_softmax(function, called)
    if called:
        return f"your function calls a ready-made softmax ({called[0]}){_READY_MADE}"
    return problem


def _run_softmax(function, called: list[str]):
    """Run the learner's softmax on _SOFTMAX_SCORES: None if right, else what is wrong.
    ``called`` gets the ready-made softmaxes it called."""
    # Overflow and underflow are the lesson here: the feedback says them, so NumPy's
    # RuntimeWarnings are silenced, during the call and while its result is read.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            # A copy: a softmax that works in place (s -= ...; np.exp(s, out=s)) is fine.
            with _watching_for_a_ready_softmax(called):
                result = call_answer(function, _SOFTMAX_SCORES.copy())
            result = np.asarray(result, dtype=float)
        except ValueError as err:
            if "broadcast" not in str(err):
                raise
            return _missing_keepdims(err, function)
        except OverflowError:  # math.exp(1000) raises where np.exp gives infinity
            return (
                "your function raised OverflowError: exp() of a score as large as 1000 is "
                "too big for a float. Subtract each row's maximum before exp(), so that "
                "every shifted score is 0 or below."
            )
        return _softmax_problem(result, _axis_as_written(function))


def _axis_as_written(function) -> str:
    """The rows' axis as the learner wrote it (axis=1 or axis=-1), for the feedback to
    quote; axis=-1 where they wrote neither or both."""
    written = set(re.findall(r"axis\s*=\s*(-\s*1|1)\b", source_of(function)))
    written = {axis.replace(" ", "") for axis in written}
    return f"axis={written.pop()}" if len(written) == 1 else "axis=-1"


def _softmax_problem(result, axis: str = "axis=-1") -> str | None:
    """What is wrong with a softmax's result for _SOFTMAX_SCORES; None if it is right.
    axis: the rows' axis as the learner wrote it, for the advice."""
    scores = _SOFTMAX_SCORES
    if result.shape != scores.shape:
        return f"for scores of shape {scores.shape} your function returned {result.shape}."
    finite = np.isfinite(result).all(axis=-1)
    overflows = [row for row in _OVERFLOW_ROWS if not finite[row]]
    underflows = not finite[_UNDERFLOW_ROW]
    if overflows and underflows:
        return (
            "your function gave NaN for rows that hold huge or very negative scores. For "
            "[1000, 1000, 0, 0] exp(1000) overflows to infinity and infinity / infinity is "
            "NaN; for [-1000, -1000, -1001, -1002] every exp() underflows to 0 and 0 / 0 is "
            "NaN. Subtract each row's maximum before exp(): the largest exp() is then "
            "exactly 1."
        )
    if underflows:
        return (
            "for the scores [-1000, -1000, -1001, -1002] your function gave NaN: every "
            "exp() underflows to 0, and 0 / 0 is NaN. Subtract each row's own maximum "
            f"({axis}, keepdims=True), not the largest score of the whole array: the "
            "largest exp() of every row is then exactly 1."
        )
    if overflows:
        row = scores[overflows[0]].astype(int).tolist()
        return (
            f"for the scores {row} your function gave NaN or infinity: exp(1000) "
            "overflows to infinity, and infinity / infinity is NaN. Subtract each row's "
            "maximum before exp() (not its mean or its minimum): every shifted score is "
            "then 0 or below, so exp() never overflows."
        )
    sums = result.sum(axis=-1)
    if not np.allclose(sums, 1.0):
        return (
            f"each row of probabilities should add up to 1; yours add up to "
            f"{np.round(sums, 3)}. Divide by each row's own sum ({axis}, keepdims=True)."
        )
    expected = _reference_softmax(scores)
    if not np.allclose(result, expected, atol=1e-6):
        row = int(np.argmax(np.abs(result - expected).max(axis=-1)))
        return (
            f"for the scores {scores[row].tolist()} expected {np.round(expected[row], 4)}; "
            f"got {np.round(result[row], 4)}."
        )
    return None


def _keepdims_missing_on(line: str) -> dict[str, str]:
    """The max() and sum() calls a line of code makes without keepdims, in order:
    {"max": "scores.max(axis=1)", ...}, each call as the learner wrote it."""
    missing = {}
    for call in re.finditer(r"((?:[A-Za-z_]\w*\.)*)\b(max|amax|sum)\s*\(", line):
        depth, end = 1, call.end()
        while end < len(line) and depth:  # the call's arguments end at its closing bracket
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            end += 1
        name = "max" if call.group(2) == "amax" else call.group(2)
        if "keepdims" not in line[call.end() : end] and name not in missing:
            missing[name] = line[call.start() : end]
    return missing


def _missing_keepdims(err: ValueError, function=None) -> str:
    """The shape error of a row's max or sum taken without keepdims=True, named by the
    learner's code where it can be read (a notebook cell's or a file's): the line that
    raised, or else the whole function (the max or sum may sit on an earlier line)."""
    rows = _SOFTMAX_SCORES.shape[0]
    where = learners_frame(err.__traceback__)
    missing = _keepdims_missing_on(where.line or "") if where else {}
    if not missing and function is not None:
        missing = _keepdims_missing_on(source_of(function))
    start = f"for scores of shape {_SOFTMAX_SCORES.shape} your function raised a shape error"
    if where:
        start += f" (line {where.lineno} of {where.name})"
    if list(missing) == ["max"]:
        return (
            f"{start}: {missing['max']} has one number per row, shape ({rows},); "
            f"keepdims=True keeps it a column, shape ({rows}, 1), so that it can be "
            "subtracted from each row."
        )
    if list(missing) == ["sum"]:
        return (
            f"{start}: {missing['sum']} has one number per row, shape ({rows},); "
            f"keepdims=True keeps it a column, shape ({rows}, 1), so that each row is "
            "divided by its own sum."
        )
    return (
        f"{start}: a row's max(axis=-1) or sum(axis=-1) has one number per row, shape "
        f"({rows},); add keepdims=True to whichever lacks it, so that it stays a column, "
        f"shape ({rows}, 1), that lines up with the rows."
    )


# Exercise 3 (predict, then run): the notebook's ten scores, each plus 5. What happens to
# the probabilities? The learner picks a description; the check runs softmax on both and
# says which description fits what it computed.
SCORES = np.array([1.0, 0.5, 4.0, 0.0, -1.0, 0.0, 2.0, 0.0, 1.0, 0.0])  # notebook 4's
SHIFT = 5.0
CHOICES = {
    "same": "every probability stays as it was",
    "all grow": "every probability grows",
    "sharper": "the largest probability grows and the others shrink",
    "evener": "the probabilities move closer together",
}


def _what_happens(before, after) -> str:
    """The choice that describes how the probabilities ``before`` became ``after``."""
    if np.allclose(before, after, rtol=0, atol=1e-9):
        return "same"
    if np.all(after >= before):
        return "all grow"
    return "sharper" if after.max() > before.max() else "evener"


SPELLINGS = {name: name for name in CHOICES}


def _show_probabilities(answer) -> None:
    """After a prediction: the two rows of probabilities, and what happened to them."""
    if as_choice(answer, SPELLINGS, "your prediction")[1]:
        return  # not a prediction it can read: the feedback has said so
    before = _reference_softmax(SCORES)
    after = _reference_softmax(SCORES + SHIFT)
    print(f"softmax(scores):     {np.round(before, 3)}")
    print(f"softmax(scores + {SHIFT:g}): {np.round(after, 3)}")
    happened = _what_happens(before, after)
    show(Message("result", f"{CHOICES[happened]} ({happened!r})."))


def _check_shift_prediction(answer):
    choice, problem = as_choice(answer, SPELLINGS, "your prediction")
    if problem:
        return problem
    before = _reference_softmax(SCORES)
    after = _reference_softmax(SCORES + SHIFT)
    happened = _what_happens(before, after)
    if choice == happened:
        return None
    first, second = np.sort(SCORES)[::-1][:2]
    gap = (
        f"the largest score, {first:g} + {SHIFT:g} = {first + SHIFT:g}, is still "
        f"{first - second:g} ahead of the next, {second + SHIFT:g}"
    )
    if happened != "same":  # never for a shift; said plainly rather than misexplained
        return f"you predicted {choice!r}, but the probabilities show {happened!r}."
    if choice == "all grow":
        return (
            f"probabilities always add up to 1 ({before.sum():.3f} before, {after.sum():.3f} "
            "after), so they cannot all grow: one grows only if another shrinks. Adding "
            f"{SHIFT:g} multiplies every exp(score) by the same e^{SHIFT:g}, about "
            f"{np.exp(SHIFT):.0f}, and dividing by their sum, which grew by the same factor, "
            "cancels it: they stay the same."
        )
    if choice == "sharper":
        return (
            f"the largest probability is {before.max():.3f} before and {after.max():.3f} "
            f"after. Softmax sees only the differences between scores, and {gap}. "
            "Multiplying the scores by 2 would double the gaps and sharpen the probabilities; "
            "adding the same number to each leaves them as they were."
        )
    return (
        f"{first + SHIFT:g} and {second + SHIFT:g} are closer in ratio than {first:g} and "
        f"{second:g}, but softmax reads differences, not ratios: {gap}. Every gap is kept, "
        "so the probabilities stay as they were."
    )


exercise = Exercise.of_notebook(4)

q1 = exercise(
    number=1,
    title="The length after Flatten",
    checker=_check_flatten_length,
    hint_text="Flatten lays every number of the (5, 5, 64) block in one row: multiply.",
    solution_code="answer = 5 * 5 * 64  # = 1,600",
)

q2 = exercise(
    number=2,
    title="Softmax in NumPy",
    checker=_check_softmax,
    hint_text=(
        "exp() of each score divided by the sum of the exp() of the scores in its row; "
        "subtract the row's maximum first, so that exp() can neither overflow (huge scores) "
        "nor underflow to all zeros (very negative scores)."
    ),
    solution_code=(
        "def my_softmax(scores):\n    shifted = scores - scores.max(axis=-1, keepdims=True)\n"
        "    exps = np.exp(shifted)\n    return exps / exps.sum(axis=-1, keepdims=True)"
    ),
)

q3 = exercise(
    number=3,
    title="Predict, then run: add 5 to every score",
    checker=_check_shift_prediction,
    hint_text=(
        "exp(score + 5) = exp(score) x exp(5): every exp() is multiplied by the same number. "
        "What does dividing by their sum do to that number? Exercise 2's softmax subtracted "
        "each row's maximum without changing the answer: why could it?"
    ),
    solution_code='answer = "same"  # exp(s + 5) = exp(s) * exp(5), and so does their sum',
    reveal=_show_probabilities,
    praise=(
        "softmax sees only the differences between scores; that is why subtracting each "
        "row's maximum, as in exercise 2, changes nothing but the overflow."
    ),
)

EXERCISES = [q1, q2, q3]
