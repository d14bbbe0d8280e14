"""What every exercise shares: the Exercise object, its Feedback, and small answer readers.

The exercises themselves live one module per notebook (``nb1`` ... ``nb6``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

CORRECT, WRONG, MISSING = "correct", "wrong", "not answered"


@dataclass
class Feedback:
    """The outcome of one check: a status and the sentence the learner reads."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        mark = {CORRECT: "✅ Correct", WRONG: "❌ Not quite", MISSING: "✏️ Not answered yet"}
        return f"{mark[self.status]}: {self.message}"


def _unanswered(answer) -> bool:
    return answer is Ellipsis or answer is None


class NotAnswered(Exception):
    """Raised by a checker when a learner's function still returns the placeholder ``...``."""


def _call(function, *args):
    """Call a learner's function; a function that still returns ... is not answered yet."""
    result = function(*args)
    if _unanswered(result):
        raise NotAnswered
    return result


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
        except NotAnswered:
            return Feedback(
                MISSING,
                "your function still returns ...: write its body and run "
                f"the cell again. Stuck? Run check.{self.name}.hint().",
            )
        except Exception as err:  # a learner's own code failing inside the check
            where = traceback.extract_tb(err.__traceback__)[-1]
            return Feedback(
                WRONG,
                f"running your answer raised {type(err).__name__}: {err} "
                f"(line {where.lineno} of {where.name}).",
            )
        if problem is None:
            return Feedback(CORRECT, self.praise)
        return Feedback(WRONG, f"{problem} Run check.{self.name}.hint() for a hint.")

    def check(self, answer=..., *context) -> None:
        """Print whether the answer is right, and if not, what is wrong."""
        print(self.evaluate(answer, *context))

    def hint(self) -> None:
        print(f"💡 Hint: {self.hint_text}")

    def solution(self) -> None:
        print(f"Solution:\n{self.solution_code}")


# ------------------------------------------------------------------ helpers


def _as_shape(answer) -> tuple | None:
    try:
        return tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return None


def _expect_shape(expected: tuple, what: str) -> Callable:
    def checker(answer):
        shape = _as_shape(answer)
        if shape is None:
            return f"give the shape as a tuple of whole numbers, like (2, 3); got {answer!r}."
        if len(shape) != len(expected):
            return f"{what} has {len(expected)} axes; your shape {shape} has {len(shape)}."
        if shape != expected:
            wrong = [i for i, (a, b) in enumerate(zip(shape, expected, strict=True)) if a != b]
            return f"axis {wrong[0]} of your shape {shape} is off."
        return None

    return checker


def _expect_number(expected: float, what: str, too_low: str = "", too_high: str = "") -> Callable:
    def checker(answer):
        if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
            return f"give {what} as a number; got {answer!r}."
        if answer == expected:
            return None
        if answer < expected:
            return f"{answer:,} is too low for {what}. {too_low}".strip()
        return f"{answer:,} is too high for {what}. {too_high}".strip()

    return checker


def _as_array(answer, what: str) -> tuple[np.ndarray | None, str | None]:
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, f"{what} must be numbers in an array or nested lists; got {answer!r}."
    return array, None
