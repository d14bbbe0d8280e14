"""One exercise: its checker, hint and solution, and a sentence when the answer raises.

Each notebook's module (``nb1`` ... ``nb8``) names its notebook once and states its
exercises by keyword, as Kaggle's learntools does::

    exercise = Exercise.of_notebook(2)
    q1 = exercise(number=1, title="...", checker=..., hint_text="...", solution_code="...")

An error raised while the learner's answer runs is told in a sentence that names the
learner's own line (``learners_frame``), never as a traceback.
"""

from __future__ import annotations

import functools
import os
import sysconfig
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lesson_utils.checks.answers import is_unanswered
from lesson_utils.checks.feedback import CORRECT, MISSING, WRONG, Feedback, Message, show

_STILL_RETURNS_DOTS = "your function still returns ...: write its body and run the cell again."


class NotAnswered(Exception):
    """Raised by a checker when part of the answer is still the placeholder ``...``.

    ``message`` says which part; without one, a learner's function still returns ``...``.
    """

    def __init__(self, message: str = _STILL_RETURNS_DOTS):
        super().__init__(message)
        self.message = message


class Wrong(Exception):
    """Raised deep inside a checker to end it with a cause (``message``), e.g. by
    ``call_answer``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def call_answer(function, *args):
    """Call a learner's function: returning ... is not answered yet, returning None is wrong."""
    result = function(*args)
    if result is Ellipsis:
        raise NotAnswered
    if result is None:
        raise Wrong("your function returns None: did you forget the `return` line?")
    return result


@dataclass(kw_only=True)
class Exercise:
    """One exercise: a checker, a hint and a solution, given by keyword.

    ``checker(answer, *context)`` returns None when the answer is right, or the
    sentence saying what is wrong; it may raise ``NotAnswered`` or ``Wrong``.
    ``praise`` ends the "Correct:" line.
    """

    notebook: int
    number: int
    title: str
    checker: Callable
    hint_text: str
    solution_code: str
    praise: str = "well done."
    # For "predict, then run": ``reveal(answer, *context)`` shows what happens (a figure
    # and what to see in it) once the learner has given a prediction, so the stored
    # notebook, whose answer cell is unanswered, does not give the answer away. It draws
    # nothing for an answer it cannot read.
    reveal: Callable | None = None

    @classmethod
    def of_notebook(cls, notebook: int) -> Callable[..., Exercise]:
        """A maker of one notebook's exercises, so that its module names the notebook once:
        ``exercise = Exercise.of_notebook(2)``, then ``q1 = exercise(number=1, ...)``."""
        return functools.partial(cls, notebook=notebook)

    @property
    def name(self) -> str:
        return f"q{self.number}"

    def evaluate(self, answer=..., *context) -> Feedback:
        """Check an answer and return the Feedback (``check`` shows it)."""
        if is_unanswered(answer):
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
        """Say whether the answer is right, and if not, what is wrong; for a prediction,
        then show what happens (``reveal``)."""
        feedback = self.evaluate(answer, *context)
        show(feedback)
        if self.reveal is None or feedback.status == MISSING:
            return
        try:
            self.reveal(answer, *context)
        except Exception:  # the feedback above has already said what is wrong with it
            return

    def hint(self) -> None:
        show(Message("hint", self.hint_text))

    def solution(self) -> None:
        show(Message("solution", self.solution_code))


# ------------------------------------------- blaming the learner's line, not a library's


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


def learners_frame(tb) -> traceback.FrameSummary | None:
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
    where = learners_frame(err.__traceback__)
    detail = str(err).strip().removesuffix(".")
    what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
    if where is None:
        return _sentence(f"checking your answer raised {what}")
    text = f"running your answer raised {what} (line {where.lineno} of {where.name})"
    if isinstance(err, AssertionError) and not detail:  # a bare `assert` of the learner's
        text += ": an assert in your code failed"
    return text + "."
