"""Notebook 3's exercises: a right answer, and a wrong answer for each cause the feedback names."""

from __future__ import annotations

import numpy as np
import pytest
from check_cases import assert_every_exercise_has_cases, assert_right_wrong_missing

from lesson_utils.checks import nb3

# A digit drawn by hand, away from the borders as MNIST's are: a 0, a ring of ink.
DIGIT = np.zeros((1, 28, 28, 1), dtype=np.float32)
DIGIT[0, 6:22, 9:19, 0] = 1.0
DIGIT[0, 9:19, 12:16, 0] = 0.0


class WithDigit:
    """Exercise 3.3 checked on DIGIT, as the notebook's check.q3.check(prediction, images)."""

    def __init__(self, exercise, images):
        self.exercise, self.images = exercise, images
        self.number, self.name = exercise.number, exercise.name

    def evaluate(self, answer):
        return self.exercise.evaluate(answer, self.images)


CASES = [
    (
        nb3.q1,
        [[4, 5], [6, 7]],
        [
            ([[4, 6], [5, 7]], "you read the blocks down the columns"),
            ([[4, 5], [6, 3]], "row 1, column 1"),
            ([[1, 5], [6, 7]], "row 0, column 0"),
            ([[1, 0], [0, 2]], "smallest"),
            ([[2.5, 2], [2.25, 3.75]], "average pooling"),
            ([[1, 2], [0, 7]], "top-left"),
            ([[4, 3, 5]] * 3, "overlap"),
            ([1, 2], "shape"),
            ([[4, 5], [6]], "row 1 has 1 number"),
            ([[4, 5], 6], "row 1 is a single number"),
            ([["four", 5], [6, 7]], "must be numbers"),
        ],
    ),
    (
        nb3.q2,
        6,
        [
            (8, "forgets the convolutions"),
            (5, "forgets the + 1"),
            (28, "forgets the pooling"),
            (7, "rounds up"),
            (30, "after conv;"),
            (15, "after conv, pool;"),
            (13, "after conv, pool, conv;"),
            (4, "too low"),
            ("6", "as a number"),
        ],
    ),
    (
        WithDigit(nb3.q3, DIGIT),
        "moved by one cell",
        [
            ("unchanged", "only tolerates moves inside its 2x2 window"),
            ("moved by two cells", "2 / 2 = 1 cell of the 13x13 pooled map"),
            ("scrambled", "nothing is lost"),
            ("changed", "all 169 values equal"),
            ("moved by on cell", "Did you mean 'moved by one cell'?"),
            ("rotated", "is not one of the choices, 'unchanged', 'moved by one cell'"),
            (2, "as text in quotes"),
        ],
    ),
]


@pytest.mark.parametrize(("exercise", "right", "wrongs"), CASES, ids=["q1", "q2", "q3"])
def test_right_wrong_and_missing(exercise, right, wrongs):
    assert_right_wrong_missing(exercise, right, wrongs)


def test_every_exercise_has_cases():
    assert_every_exercise_has_cases(nb3, CASES)


def test_shrink_names_the_slips_on_the_lesson_digit():
    """On 28x28, one 3x3 convolution then pooling: 13; 14 forgets the convolution, 12 the + 1."""
    steps = ("conv", "pool")
    assert nb3.shrink(28, steps) == 13
    causes = nb3.shrink_causes(28, steps)
    assert "forgets the convolutions" in causes[14]
    assert "forgets the + 1" in causes[12]
    assert 13 not in causes


def test_the_answer_is_not_printed_in_the_notebook():
    """Exercise 3.2 asks about a 32x32 image; the notebook prints the 28x28 digit's sizes."""
    assert nb3.shrink(nb3.SHRINK_INPUT, nb3.SHRINK_STEPS) == 6
    assert nb3.SHRINK_INPUT != 28


@pytest.mark.parametrize(
    "answer",
    [[["4", "5"], ["6", "7"]], np.array([["4", "5"], ["6", "7"]]), [[4, 5], [6, "7"]]],
    ids=["strings", "string-array", "one-string"],
)
def test_pooling_answer_of_strings_is_not_numbers(answer):
    """ "4" is text: np.asarray(..., dtype=float) would have turned it into 4.0 quietly."""
    feedback = nb3.q1.evaluate(answer)
    assert feedback.status == "wrong"
    assert "must be numbers" in feedback.message and "is text" in feedback.message


@pytest.mark.parametrize("answer", [6.5, 6.25, np.float64(6.5)])
def test_a_height_that_is_not_whole_says_pooling_rounds_down(answer):
    """((32 - 3 + 1) / 2 - 3 + 1) / 2 = 6.5: / where pooling drops the odd last row."""
    feedback = nb3.q2.evaluate(answer)
    assert feedback.status == "wrong"
    assert "not a whole number" in feedback.message
    assert "rounds down" in feedback.message and "//" in feedback.message
    assert "too high" not in feedback.message


def test_a_height_that_is_not_a_number_is_not_too_high():
    feedback = nb3.q2.evaluate(float("nan"))
    assert feedback.status == "wrong" and "too high" not in feedback.message


@pytest.mark.parametrize("prediction", ["Moved by 1 cell", "  moved_by_one_cell.", "one cell"])
def test_a_move_prediction_is_read_in_any_case_and_spacing(prediction):
    assert nb3.q3.evaluate(prediction, DIGIT).correct


def test_each_wrong_move_prediction_gets_its_own_cause():
    wrongs = ("unchanged", "moved by two cells", "scrambled")
    messages = {nb3.q3.evaluate(choice, DIGIT).message for choice in wrongs}
    assert len(messages) == 3


def test_the_move_is_measured_on_the_lessons_digit():
    """On the notebook's 9 a 2-pixel move gives the pooled map moved by exactly one cell,
    though position by position it is less alike than after a 1-pixel move."""
    import lesson_utils as lu

    images = lu.load_mnist(source="sample", verbose=False).x_test[:1]
    measured = nb3.measure_move(images)
    assert measured["outcome"] == "moved by one cell"
    assert measured["cosine"] < measured["cosine_one_pixel"] < 1
    assert nb3.measure_move(images, pixels=1)["outcome"] == "scrambled"
    assert nb3.q3.evaluate("moved by one cell", images[0, :, :, 0]).correct  # (28, 28) too
    text = nb3.q3.evaluate("unchanged", images).message
    assert f"{measured['cosine']:.2f}, against {measured['cosine_one_pixel']:.2f}" in text


def test_a_digit_at_the_border_is_told_what_was_measured():
    """Ink at the left border has no left edge until the move brings background in from
    the left: then the pooled map is not simply moved, and the check says what it measured."""
    at_border = np.zeros((1, 28, 28, 1), dtype=np.float32)
    at_border[0, 5:20, 0:4, 0] = 1.0
    at_border[0, 5:20, 10:13, 0] = 1.0
    assert nb3.measure_move(at_border)["outcome"] == "scrambled"
    feedback = nb3.q3.evaluate("moved by one cell", at_border)
    assert (
        feedback.status == "wrong" and "on this digit the pooled map came out" in feedback.message
    )


@pytest.mark.parametrize(
    ("images", "words"),
    [
        (None, "Pass the digit as the second argument"),
        ("images", "pass the digit as the second argument"),
        (np.zeros((2, 28, 28, 1)), "got shape (2, 28, 28, 1)"),
        (np.zeros((1, 28, 28, 1)), "no left edges of strokes"),
        (np.ones((1, 28, 28, 1)), "no left edges of strokes"),
    ],
    ids=["missing", "text", "two-digits", "blank", "all-ink"],
)
def test_the_move_check_needs_one_digit(images, words):
    feedback = nb3.q3.evaluate("moved by one cell", images)
    # Without the digit a right prediction is not yet wrong: not answered, with the call.
    assert feedback.status == ("not answered" if images is None else "wrong")
    assert words in feedback.message
    assert "check.q3.check(prediction, images)" in feedback.message
    assert "Traceback" not in feedback.message


def test_the_published_solution_passes_on_the_lessons_digit():
    scope = {}
    exec(nb3.q3.solution_code.splitlines()[0], scope)
    assert nb3.q3.evaluate(scope["prediction"], DIGIT).correct
