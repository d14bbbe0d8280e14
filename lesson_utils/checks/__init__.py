"""The exercises' checks: feedback in a sentence, never a traceback.

Each notebook ends with exercises. In the notebook::

    from lesson_utils.checks import nb2 as check
    answer = ...            # the learner replaces ... with an answer
    check.q1.check(answer)  # says right, not quite (and why), or not answered yet
    check.q1.hint()
    check.q1.solution()

One module per notebook (``nb1`` ... ``nb8``) states each exercise's checker, hint
and solution once; the site's exercise page is generated from the same objects, so
the two cannot drift. What they share is in one module per job:

- ``feedback``: how a check speaks (Correct, Not quite, Hint, Solution), in a
  coloured box in a notebook, as plain text elsewhere;
- ``exercise``: the ``Exercise`` object, given by keyword, and the sentence that
  blames the learner's own line when their answer raises;
- ``answers``: readers of an answer (a number, a shape, an array) and checkers built
  from the right answer and the known wrong ones;
- ``models``: recognising a trained model or a training History (notebooks 5-7).
"""

from __future__ import annotations

from types import SimpleNamespace

from lesson_utils.checks import nb1, nb2, nb3, nb4, nb5, nb6, nb7, nb8
from lesson_utils.checks.exercise import Exercise
from lesson_utils.checks.feedback import CORRECT, MISSING, WRONG, Feedback

EXERCISES: list[Exercise] = [
    *nb1.EXERCISES,
    *nb2.EXERCISES,
    *nb3.EXERCISES,
    *nb4.EXERCISES,
    *nb5.EXERCISES,
    *nb6.EXERCISES,
    *nb7.EXERCISES,
    *nb8.EXERCISES,
]


def exercises_of(notebook: int) -> SimpleNamespace:
    """The exercises of one notebook as attributes q1, q2, ..."""
    chosen = {e.name: e for e in EXERCISES if e.notebook == notebook}
    if not chosen:
        raise ValueError(f"there are no exercises for notebook {notebook}; notebooks 1-8 have.")
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
    "nb7",
    "nb8",
]
