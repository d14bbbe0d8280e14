"""The exercises' checks: feedback in a sentence, never a traceback.

Each notebook ends with exercises. In the notebook::

    from lesson_utils.checks import nb2 as check
    answer = ...            # the learner replaces ... with an answer
    check.q1.check(answer)  # says right, not quite (and why), or not answered yet
    check.q1.hint()
    check.q1.solution()

One module per notebook (``nb1`` ... ``nb6``) states each exercise's checker, hint
and solution once; the site's exercise page is generated from the same objects, so
the two cannot drift. ``core`` holds what they share.
"""

from __future__ import annotations

from types import SimpleNamespace

from lesson_utils.checks import nb1, nb2, nb3, nb4, nb5, nb6
from lesson_utils.checks.core import CORRECT, MISSING, WRONG, Exercise, Feedback

EXERCISES: list[Exercise] = [
    *nb1.EXERCISES,
    *nb2.EXERCISES,
    *nb3.EXERCISES,
    *nb4.EXERCISES,
    *nb5.EXERCISES,
    *nb6.EXERCISES,
]


def exercises_of(notebook: int) -> SimpleNamespace:
    """The exercises of one notebook as attributes q1, q2, ..."""
    chosen = {e.name: e for e in EXERCISES if e.notebook == notebook}
    if not chosen:
        raise ValueError(f"there are no exercises for notebook {notebook}; notebooks 1-6 have.")
    return SimpleNamespace(**chosen)


__all__ = [
    "CORRECT",
    "EXERCISES",
    "MISSING",
    "WRONG",
    "Exercise",
    "Feedback",
    "exercises_of",
    "nb1",
    "nb2",
    "nb3",
    "nb4",
    "nb5",
    "nb6",
]
