"""What every exercise shares: the Exercise object, its Feedback, and small answer readers.

The exercises themselves live one module per notebook (``nb1`` ... ``nb6``).
"""

from __future__ import annotations

import functools
import html
import math
import numbers
import os
import reprlib
import sysconfig
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

CORRECT, WRONG, MISSING = "correct", "wrong", "not answered"


# How each kind of message looks: the word first (readable without any emoji
# font), then a colour for notebooks. Colours keep 4.5:1 contrast on their background.
_LOOK = {
    CORRECT: ("Correct", "#0f5323", "#e3f4e7"),
    WRONG: ("Not quite", "#8c1d18", "#fbe9e7"),
    MISSING: ("Not answered yet", "#5c4300", "#fff3cd"),
    "hint": ("Hint", "#0b4a7a", "#e3f0fb"),
    "solution": ("Solution", "#3b3b3b", "#f2f2f2"),
}


def _show(message) -> None:
    """Display rich (coloured HTML) in a notebook, print plain text anywhere else."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython
        print(message)
        return
    if get_ipython() is None:
        print(message)
    else:
        display(message)


@dataclass
class Message:
    """A line the learner reads: its kind (a key of _LOOK) and its text.

    ``str()`` gives plain text with the word first ("Correct: ...", "Hint: ..."); in a
    notebook it shows as a coloured box with the same word.
    """

    kind: str
    text: str

    @property
    def word(self) -> str:
        return _LOOK[self.kind][0]

    def __str__(self) -> str:
        separator = ":\n" if self.kind == "solution" else ": "
        return f"{self.word}{separator}{self.text}"

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's plain-text display
        printer.text(str(self))

    def _repr_html_(self) -> str:
        word, colour, background = _LOOK[self.kind]
        body = html.escape(self.text)
        if self.kind == "solution":
            body = f'<pre style="margin:0.3em 0 0;color:#1f1f1f">{body}</pre>'
        return (
            f'<div style="border-left:0.3em solid {colour};background:{background};'
            f'color:#1f1f1f;padding:0.4em 0.8em;margin:0.2em 0">'
            f'<strong style="color:{colour}">{word}:</strong> {body}</div>'
        )


class Feedback(Message):
    """The outcome of one check: a status (correct, wrong, not answered) and its sentence."""

    def __init__(self, status: str, message: str):
        super().__init__(status, message)

    @property
    def status(self) -> str:
        return self.kind

    @property
    def message(self) -> str:
        return self.text

    @property
    def correct(self) -> bool:
        return self.status == CORRECT


def _unanswered(answer) -> bool:
    return answer is Ellipsis or answer is None


_STILL_RETURNS_DOTS = "your function still returns ...: write its body and run the cell again."


class NotAnswered(Exception):
    """Raised by a checker when part of the answer is still the placeholder ``...``.

    ``message`` says which part; without one, a learner's function still returns ``...``.
    """

    def __init__(self, message: str = _STILL_RETURNS_DOTS):
        super().__init__(message)
        self.message = message


class Wrong(Exception):
    """Raised deep inside a checker to end it with a cause (``message``), e.g. by ``_call``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _call(function, *args):
    """Call a learner's function: returning ... is not answered yet, returning None is wrong."""
    result = function(*args)
    if result is Ellipsis:
        raise NotAnswered
    if result is None:
        raise Wrong("your function returns None: did you forget the `return` line?")
    return result


@functools.cache  # the same folders for every frame of every traceback
def _library_folders() -> tuple[str, ...]:
    import lesson_utils

    folders = {os.path.dirname(np.__file__), os.path.dirname(lesson_utils.__file__)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        folder = sysconfig.get_paths().get(key)
        if folder:
            folders.add(folder)
    return tuple(os.path.join(os.path.realpath(f), "") for f in folders)


def _is_library_file(filename: str) -> bool:
    """Whether a traceback frame's file is NumPy, the lesson's code, or an installed package."""
    if filename.startswith("<frozen"):
        return True
    path = os.path.realpath(filename)
    if f"{os.sep}site-packages{os.sep}" in path or f"{os.sep}dist-packages{os.sep}" in path:
        return True
    return path.startswith(_library_folders())


def _learners_frame(tb) -> traceback.FrameSummary | None:
    """The last frame of a traceback that is the learner's own code (a notebook cell),
    not NumPy's, a package's or lesson_utils's; None where there is none."""
    frames = [f for f in traceback.extract_tb(tb) if not _is_library_file(f.filename)]
    return frames[-1] if frames else None


def _sentence(text: str) -> str:
    """Text ending in one full stop: an error's own message often has one already."""
    text = str(text).strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _raised(err: Exception) -> str:
    """An exception in a sentence, blaming the learner's code only where it ran there.

    With no frame of the learner's in the traceback, the check itself raised while it
    used the answer (e.g. evaluating a model on data it cannot take): "checking".
    """
    where = _learners_frame(err.__traceback__)
    detail = str(err).strip().removesuffix(".")
    what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    if where is None:
        return _sentence(f"checking your answer raised {what}")
    text = f"running your answer raised {what} (line {where.lineno} of {where.name})"
    if isinstance(err, AssertionError) and not detail:  # a bare `assert` of the learner's
        text += ": an assert in your code failed"
    return text + "."


@dataclass
class Exercise:
    """One exercise: a checker, a hint and a solution.

    ``checker(answer, *context)`` returns None when the answer is right, or
    the sentence saying what is wrong.
    """

    notebook: int
    number: int
    title: str
    checker: Callable
    hint_text: str
    solution_code: str
    praise: str = "well done."
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"q{self.number}"

    def evaluate(self, answer=..., *context) -> Feedback:
        """Check an answer and return the Feedback (``check`` prints it)."""
        if _unanswered(answer):
            return Feedback(
                MISSING,
                "replace the ... with your answer and run the cell again. "
                f"Stuck? Run check.{self.name}.hint().",
            )
        try:
            problem = self.checker(answer, *context)
        except NotAnswered as missing:
            return Feedback(MISSING, f"{missing.message} Stuck? Run check.{self.name}.hint().")
        except Wrong as wrong:
            problem = wrong.message
        except Exception as err:  # a learner's own code, or their model, failing in the check
            return Feedback(WRONG, _raised(err))
        if problem is None:
            return Feedback(CORRECT, self.praise)
        return Feedback(WRONG, f"{problem} Run check.{self.name}.hint() for a hint.")

    def check(self, answer=..., *context) -> None:
        """Say whether the answer is right, and if not, what is wrong."""
        _show(self.evaluate(answer, *context))

    def hint(self) -> None:
        _show(Message("hint", self.hint_text))

    def solution(self) -> None:
        _show(Message("solution", self.solution_code))


# ------------------------------------------------------------------ helpers


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_whole(value) -> bool:
    """A whole number: an int, or a float such as 15.0 (what 30 / 2 gives)."""
    if isinstance(value, numbers.Integral):
        return _is_real(value)
    return _is_real(value) and math.isfinite(value) and float(value).is_integer()


def _values(answer) -> list | None:
    """The items of a tuple, list or array; None for anything else (a string, a number)."""
    if isinstance(answer, str | bytes):
        return None
    try:
        return list(answer)
    except TypeError:
        return None


def _as_shape(answer) -> tuple | None:
    """The answer as a tuple of ints, or None unless it is a sequence of whole numbers."""
    values = _values(answer)
    if values is None or not all(_is_whole(v) for v in values):
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
    fraction = next((v for v in values or [] if _is_real(v) and not _is_whole(v)), None)
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


def _expect_shape(expected: tuple, what: str, causes: dict | None = None) -> Callable:
    """A checker for a shape; ``causes`` maps a known wrong shape to its cause."""
    causes = causes or {}

    def checker(answer):
        shape = _as_shape(answer)
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


def _expect_number(
    expected: float,
    what: str,
    too_low: str = "",
    too_high: str = "",
    causes: dict | None = None,
) -> Callable:
    """A checker for a number; ``causes`` maps a known wrong number to its cause."""
    causes = causes or {}

    def checker(answer):
        # numbers.Real: ints and floats of Python and NumPy; not True/False, not 1600+0j.
        if isinstance(answer, complex | np.complexfloating):
            return f"give {what} as a plain number, without an imaginary part j; got {answer!r}."
        if not _is_real(answer):
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


def _as_array(answer, what: str) -> tuple[np.ndarray | None, str | None]:
    """The answer as an array of floats, or the reason it is not one.

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
    odd = [v for v in elements.flat if not _is_real(v)]
    if odd and elements.ndim == 0:  # a string or an object where an array should be
        return None, f"{expected}; got {reprlib.repr(answer)}."
    if odd:
        return None, f"{expected}; {_not_a_number(odd[0])}."
    return elements.astype(float), None


def _training_steps(model) -> int | None:
    """How many optimiser steps a model has taken since it was compiled; None if unknown.

    Keras counts them in ``model.optimizer.iterations``, the NumPy backend in
    ``model.optimizer.step``. Compiling again starts the count again at 0.
    """
    optimizer = getattr(model, "optimizer", None)
    for name in ("iterations", "step"):
        count = getattr(optimizer, name, None)
        if count is not None:
            try:
                return int(count)
            except (TypeError, ValueError):
                return None
    return None


def _is_history(answer) -> bool:
    """Whether an answer is what training returns, a History (Keras's or the NumPy
    backend's), rather than a model: it has a ``history`` dict and cannot predict."""
    return isinstance(getattr(answer, "history", None), dict) and not hasattr(answer, "predict")


def _history_not_model(call: str) -> str:
    """Why a training History is not the model, and which call to make instead."""
    return (
        "this is a training history, not a model: lu.train_cnn_model returns the training "
        "history (the accuracy and loss of each epoch); the model is the one you passed "
        f"to it (built with lu.build_cnn_model), trained in place. Give that model: {call}."
    )
