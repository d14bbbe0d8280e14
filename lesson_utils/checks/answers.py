"""Reading a learner's answer: a number, a shape, an array or a choice, and why it is not one.

The notebooks' checks (``nb1`` ... ``nb6``) build on these: ``expect_number`` and
``expect_shape`` make a whole checker from the right answer and the known wrong ones;
``as_shape``, ``as_array`` and ``as_choice`` read an answer for a checker of its own.
"""

from __future__ import annotations

import inspect
import math
import numbers
import reprlib
from collections.abc import Callable

import numpy as np


def in_words(items) -> str:
    """Items as a reader lists them: [2, 12, 33] -> "2, 12 and 33"; one item -> "2"."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def is_unanswered(answer) -> bool:
    """Whether an answer is still the placeholder ``...`` (or None)."""
    return answer is Ellipsis or answer is None


def source_of(function) -> str:
    """A learner's function as they wrote it, for feedback that quotes their own code;
    "" where it cannot be read (code made by exec, a built-in)."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def is_real(value) -> bool:
    """A real number, Python's or NumPy's; not True/False, not a complex number."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def is_whole(value) -> bool:
    """A whole number: an int, or a float such as 15.0 (what 30 / 2 gives)."""
    if isinstance(value, numbers.Integral):
        return is_real(value)
    return is_real(value) and math.isfinite(value) and float(value).is_integer()


# ------------------------------------------------------------------ choices


def _spelling(text: str) -> str:
    """Text as a choice is compared: lower case, no quotes or full stop, single spaces
    ("Left_Edge." and " left  edge" both read "left edge")."""
    text = text.strip().strip("\"'.").lower()
    for mark in "_-":
        text = text.replace(mark, " ")
    return " ".join(text.split())


def as_choice(answer, choices: dict[str, str], what: str) -> tuple[str | None, str | None]:
    """The choice an answer names, or why it names none: ``(choice, None)`` or
    ``(None, reason)``.

    choices: {spelling: choice}, e.g. {"left edge": "left edge", "left": "left edge"}; the
    answer is read in any case, with any spacing, quotes or a full stop. A misspelling
    gets the closest choice suggested.
    """
    import difflib

    named = ", ".join(repr(c) for c in dict.fromkeys(choices.values()))
    if not isinstance(answer, str):
        return None, f"give {what} as text in quotes, one of {named}; got {reprlib.repr(answer)}."
    spelling = _spelling(answer)
    if spelling in choices:
        return choices[spelling], None
    close = difflib.get_close_matches(spelling, list(choices), n=1, cutoff=0.8)
    guess = f" Did you mean {choices[close[0]]!r}?" if close else ""
    return None, f"{answer!r} is not one of the choices, {named}.{guess}"


# ------------------------------------------------------------------ numbers


def expect_number(
    expected: float,
    what: str,
    too_low: str = "",
    too_high: str = "",
    causes: dict | None = None,
) -> Callable:
    """A checker for a number; ``causes`` maps a known wrong number to its cause, and
    ``too_low``/``too_high`` add a sentence to an answer below or above."""
    causes = causes or {}

    def checker(answer):
        # numbers.Real: ints and floats of Python and NumPy; not True/False, not 1600+0j.
        if isinstance(answer, complex | np.complexfloating):
            return f"give {what} as a plain number, without an imaginary part j; got {answer!r}."
        if not is_real(answer):
            return f"give {what} as a number; got {answer!r}."
        # NaN is neither above nor below the answer; a Python int is always finite (and
        # math.isfinite cannot take one too large for a float).
        if not isinstance(answer, int) and not math.isfinite(answer):
            return f"give {what} as an ordinary number; got {answer}."
        if answer == expected:
            return None
        if answer in causes:
            return f"{answer:,} is not {what}: {causes[answer]}"
        if answer < expected:
            return f"{answer:,} is too low for {what}. {too_low}".strip()
        return f"{answer:,} is too high for {what}. {too_high}".strip()

    return checker


# ------------------------------------------------------------------- shapes


def _values(answer) -> list | None:
    """The items of a tuple, list or array; None for anything else (a string, a number)."""
    if isinstance(answer, str | bytes):
        return None
    try:
        return list(answer)
    except TypeError:
        return None


def as_shape(answer) -> tuple | None:
    """The answer as a tuple of ints, or None unless it is a sequence of whole numbers."""
    values = _values(answer)
    if values is None or not all(is_whole(v) for v in values):
        return None
    return tuple(int(v) for v in values)


# How each length of a Keras shape reads, for the feedback.
_LAYOUTS = {3: "(height, width, channels)", 4: "(images, height, width, channels)"}


def _not_a_shape(answer, expected: tuple) -> str:
    """Why an answer is not a tuple of whole numbers: a summary's None, a fraction, or else."""
    values = _values(answer)
    if values and values[0] is None:
        if len(expected) == 3:
            return (
                "leave out None: it is the batch axis a summary shows (any number of images). "
                "Give the shape for one image, (height, width, channels)."
            )
        if len(expected) == 4:
            return (
                "None is how a summary shows the batch axis (any number of images); this batch "
                "has a known number of images: write that number instead of None."
            )
    fraction = next((v for v in values or [] if is_real(v) and not is_whole(v)), None)
    if fraction is not None:
        return (
            f"{fraction:g} is not a whole number; each axis of a shape counts something "
            "(images, pixels, channels)."
        )
    return f"give the shape as a tuple of whole numbers, like (2, 3); got {reprlib.repr(answer)}."


def _shape_mistake(shape: tuple, expected: tuple) -> str | None:
    """The usual slips with a Keras shape, named: channels first, a missing axis, the number
    of images last."""
    if len(expected) in (3, 4) and len(shape) == len(expected) and shape != expected:
        leading = expected[:-3]
        channels_first = (*leading, expected[-1], *expected[-3:-1])
        if shape == channels_first:
            layout = _LAYOUTS[len(expected)]
            return (
                f"your shape {shape} puts the channels first: channels come last in Keras, "
                f"{layout}."
            )
    if len(shape) == len(expected) - 1:
        if shape == expected[:-1]:
            return f"your shape {shape} has no channel axis: Keras shapes end with the channels."
        if len(expected) == 4 and shape == expected[1:]:
            return f"your shape {shape} is one image; a batch has the number of images first."
    if len(expected) == 4 and shape != expected and shape == (*expected[1:], expected[0]):
        return (
            f"your shape {shape} puts the number of images last: the number of images comes "
            f"first, {_LAYOUTS[4]}."
        )
    return None


def expect_shape(expected: tuple, what: str, causes: dict | None = None) -> Callable:
    """A checker for a shape; ``causes`` maps a known wrong shape to its cause."""
    causes = causes or {}

    def checker(answer):
        shape = as_shape(answer)
        if shape is None:
            return _not_a_shape(answer, expected)
        if shape == expected:
            return None
        if shape in causes:
            return causes[shape]
        mistake = _shape_mistake(shape, expected)
        if mistake:
            return mistake
        if len(shape) != len(expected):
            layout = f" {_LAYOUTS[len(expected)]}" if len(expected) in _LAYOUTS else ""
            return f"{what} has {len(expected)} axes{layout}; your shape {shape} has {len(shape)}."
        wrong = [i for i, (a, b) in enumerate(zip(shape, expected, strict=True)) if a != b]
        return f"axis {wrong[0]} of your shape {shape} is off."

    return checker


# ------------------------------------------------------------------- arrays


def _ragged(answer) -> str | None:
    """For nested lists whose rows differ in length: which row, and how long it is."""
    if not isinstance(answer, list | tuple) or not answer:
        return None
    rows = [row for row in answer if isinstance(row, list | tuple | np.ndarray)]
    if not rows:
        return None
    if len(rows) != len(answer):
        single = next(i for i, row in enumerate(answer) if not isinstance(row, list | tuple))
        return f"row {single} is a single number, not a row: write every row in brackets."
    lengths = [len(row) for row in answer]
    for i, length in enumerate(lengths):
        if length != lengths[0]:
            return (
                f"row {i} has {length} number{'s' * (length != 1)} but row 0 has "
                f"{lengths[0]}: every row needs the same length."
            )
    return None


def _not_a_number(value) -> str:
    """What a value that is not a number is, in the learner's words."""
    value = value.item() if isinstance(value, np.generic) else value
    if value is None:
        return "None is not a number"
    if isinstance(value, str | bytes):
        return f"{value!r} is text (it is in quotes): write the number without quotes"
    if isinstance(value, bool):
        return f"{value} is a yes/no value (True or False), not a number"
    if isinstance(value, complex):
        return f"{value} is a complex number: write a plain number, without j"
    return f"{reprlib.repr(value)} is a {type(value).__name__}, not a number"


def as_array(answer, what: str) -> tuple[np.ndarray | None, str | None]:
    """The answer as an array of floats, or the reason it is not one: ``(array, None)``
    or ``(None, reason)``.

    The elements are checked first because np.asarray(..., dtype=float) would quietly
    turn "4" into 4.0 and True into 1.0, and accept 4+0j after a warning.
    """
    ragged = _ragged(answer)
    if ragged:
        return None, f"{what}: {ragged}"
    expected = f"{what} must be numbers in an array or nested lists"
    try:
        elements = np.asarray(answer, dtype=object)
    except (TypeError, ValueError):
        return None, f"{expected}; got {reprlib.repr(answer)}."
    odd = [v for v in elements.flat if not is_real(v)]
    if odd and elements.ndim == 0:  # a string or an object where an array should be
        return None, f"{expected}; got {reprlib.repr(answer)}."
    if odd:
        return None, f"{expected}; {_not_a_number(odd[0])}."
    return elements.astype(float), None
