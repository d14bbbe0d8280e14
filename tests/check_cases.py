"""What the tests of every notebook's exercises share (tests/test_checks_nb*.py)."""

from __future__ import annotations

from lesson_utils.checks import CORRECT, MISSING, WRONG


def assert_right_wrong_missing(exercise, right, wrongs) -> None:
    """The right answer passes, ... and None are "not answered yet", and each wrong
    answer is marked wrong with feedback containing the words that name its cause.

    wrongs: [(wrong answer, words the feedback must contain), ...]
    """
    assert exercise.evaluate(right).status == CORRECT, exercise.evaluate(right)
    assert exercise.evaluate(...).status == MISSING
    assert exercise.evaluate(None).status == MISSING
    for wrong, words in wrongs:
        feedback = exercise.evaluate(wrong)
        assert feedback.status == WRONG, wrong
        assert words in feedback.message, (wrong, feedback.message)
        assert f"check.{exercise.name}.hint()" in feedback.message


def assert_every_exercise_has_cases(module, cases) -> None:
    """Each exercise of a notebook's checks module appears in its test cases."""
    assert {exercise.number for exercise, _, _ in cases} == {e.number for e in module.EXERCISES}
