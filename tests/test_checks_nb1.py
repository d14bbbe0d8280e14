"""Notebook 1's exercises: a right answer, and a wrong answer for each cause the feedback names."""

from __future__ import annotations

import numpy as np
import pytest
from check_cases import assert_every_exercise_has_cases, assert_right_wrong_missing

from lesson_utils.checks import nb1


def normalise_right(images):
    return (images.astype(np.float32) / 255.0)[..., None]


CASES = [
    (
        nb1.q1,
        (100, 64, 64, 3),
        [
            ((100, 3, 64, 64), "channels come last in Keras"),
            ((100, 64, 64, 1), "3 channels"),
            ((100, 64, 64), "3 channels"),
            ((64, 64, 3), "a batch has the number of images first"),
            ((32, 28, 28, 1), "axis 0"),
            ((64, 64, 3, 100), "the number of images comes first"),
            ((100, 64, 64, 3.5), "3.5 is not a whole number"),
            ((None, 64, 64, 3), "write that number instead of None"),
            ("big", "tuple of whole numbers"),
            ("1006", "tuple of whole numbers"),  # a string of digits is not a shape
            (("100", "64", "64", "3"), "tuple of whole numbers"),
        ],
    ),
    (
        nb1.q2,
        normalise_right,
        [
            (lambda x: (x.astype(np.float32) / 255.0)[:, None], "channels come last in Keras"),
            (lambda x: x / 255.0, "expected (3, 28, 28, 1)"),
            (lambda x: x.astype(np.float32).reshape(-1, 28, 28) / 255.0, "expected (3, 28, 28, 1)"),
            (lambda x: (x / 255.0)[..., None], "float32"),
            (lambda x: x.astype(np.float32)[..., None], "0.0 (pixel 0)"),
            (normalise_right(np.zeros((1, 28, 28), np.uint8)), "the function"),
            (lambda x: None, "did you forget the `return` line?"),
        ],
    ),
]


@pytest.mark.parametrize(("exercise", "right", "wrongs"), CASES, ids=["q1", "q2"])
def test_right_wrong_and_missing(exercise, right, wrongs):
    assert_right_wrong_missing(exercise, right, wrongs)


def test_every_exercise_has_cases():
    assert_every_exercise_has_cases(nb1, [*CASES, (nb1.q3, None, None)])  # q3: below


def test_the_answer_is_not_printed_in_the_notebook():
    """Exercise 1.1 asks about colour photos, not the (32, 28, 28, 1) the notebook prints."""
    assert nb1.q1.evaluate((32, 28, 28, 1)).status == "wrong"


def test_a_shape_of_whole_floats_is_a_shape():
    """15.0 is what 30 / 2 gives: a whole number, accepted."""
    assert nb1.q1.evaluate((100.0, 64, 64, np.int64(3))).correct
    assert nb1.q1.evaluate(np.array([100, 64, 64, 3])).correct


@pytest.mark.parametrize(
    "normalise",
    [
        lambda images: (images.astype(np.float32) / 255.0).reshape(len(images), 28, 28, 1),
        lambda images: (images / 255.0).astype(np.float32).reshape(-1, 28, 28, 1),
        lambda images: np.expand_dims(images.astype(np.float32) / 255.0, -1),
    ],
    ids=["reshape-len", "reshape-minus-one", "expand-dims"],
)
def test_normalise_written_for_28x28_images_passes(normalise):
    """The exercise says the images are (n, 28, 28): code written for that size is right."""
    assert nb1.q2.evaluate(normalise).correct, nb1.q2.evaluate(normalise)


def test_normalise_is_tried_on_28x28_uint8_images():
    """A batch with every value 0-255, then a faint one whose largest pixel is 200."""
    seen = []

    def spy(images):
        seen.append((images.shape, images.dtype, int(images.min()), int(images.max())))
        return normalise_right(images)

    assert nb1.q2.evaluate(spy).correct
    assert seen == [((3, 28, 28), np.dtype(np.uint8), 0, 255), ((3, 28, 28), np.uint8, 20, 200)]


@pytest.mark.parametrize(
    "normalise",
    [
        lambda images: (images.astype(np.float32) / images.max())[..., None],
        lambda images: ((images.astype(np.float32) - images.min()) / (images.max() - images.min()))[
            ..., None
        ],
    ],
    ids=["own-max", "min-max"],
)
def test_normalise_by_the_batchs_own_range_is_wrong(normalise):
    """On a batch holding a 255 these equal / 255; a faint batch shows the difference."""
    feedback = nb1.q2.evaluate(normalise)
    assert feedback.status == "wrong"
    assert "divide by 255, the largest value a pixel can have" in feedback.message
    assert "faint digit" in feedback.message


def test_normalise_returning_a_list_is_told_to_return_an_array():
    feedback = nb1.q2.evaluate(lambda images: normalise_right(images).tolist())
    assert feedback.status == "wrong"
    assert "returned a list; it should return a NumPy array" in feedback.message
    assert "float64" not in feedback.message


def test_normalise_returning_float64_is_told_why_and_how():
    feedback = nb1.q2.evaluate(lambda images: (images / 255.0)[..., None])
    assert feedback.status == "wrong"
    assert "dividing uint8 pixels by 255.0 gives float64" in feedback.message
    assert ".astype(np.float32)" in feedback.message


def test_a_normalise_that_raises_is_located_in_the_learners_code():
    """The error is raised inside NumPy; the message points at the learner's line."""

    def reshaped_to_a_wrong_size(images):
        return np.reshape(images, (len(images), 28, 28, 3))

    feedback = nb1.q2.evaluate(reshaped_to_a_wrong_size)
    assert feedback.status == "wrong"
    assert "running your answer raised ValueError" in feedback.message
    assert "of reshaped_to_a_wrong_size)" in feedback.message
    assert "_wrapfunc" not in feedback.message and "Traceback" not in feedback.message


def test_a_tuple_return_is_told_one_array_is_expected():
    message = nb1.q2.evaluate(lambda images: ((images / 255.0)[..., None],)).message
    assert "returned a tuple" in message and ".tolist()" not in message


@pytest.mark.parametrize(
    ("function", "written"),
    [
        (lambda images: (images / 255)[..., None], "by 255 gives float64"),
        (lambda images: (images / 255.0)[..., None], "by 255.0 gives float64"),
    ],
    ids=["255", "255.0"],
)
def test_the_float64_feedback_quotes_the_division_as_written(function, written):
    """A learner who divided by 255 is not told they divided by 255.0 (issue 20)."""
    message = nb1.q2.evaluate(function).message
    assert written in message
    if written == "by 255 gives float64":
        assert "255.0" not in message


def test_the_float64_feedback_without_readable_code_names_no_number_as_theirs():
    scope = {"np": np}
    exec("def normalise(images):\n    return np.true_divide(images, 255)[..., None]", scope)
    message = nb1.q2.evaluate(scope["normalise"]).message
    assert "dividing uint8 pixels by a plain number such as 255 gives float64" in message


# Exercise 3 (read the pixel grid): a digit whose pixel at row 16, column 11 is 178 and
# at row 11, column 16 (row and column swapped) is 32; its neighbours are other values.
DIGIT = np.zeros((28, 28), np.uint8)
DIGIT[15:18, 10:13] = 90
DIGIT[16, 11], DIGIT[11, 16] = 178, 32


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (178, "on the stored 0-255 scale"),  # read right, not scaled
        (32 / 255, "the row and the column are swapped"),  # digit[11, 16]
        (0.13, "the row and the column are swapped"),  # the same, to two decimals
        (32, "(and unscaled: divide by 255)"),  # swapped and unscaled
        (1 - 178 / 255, "as if ink were 0"),  # ink and background inverted
        (0.3, "as if ink were 0"),
        (90 / 255, "divide the value in that square by 255"),  # a neighbouring square
        (0.5, "find row 16 down the left side"),
        (1.5, "between 0 and 1"),
        (-0.7, "never negative"),
        ("0.7", "not as text in quotes"),
        ((0.7,), "as one number"),
        (True, "as one number"),
    ],
)
def test_pixel_names_each_cause(answer, words):
    feedback = nb1.q3.evaluate(answer, DIGIT)
    assert feedback.status == "wrong", feedback
    assert words in feedback.message, feedback.message
    assert "check.q3.hint()" in feedback.message


def test_pixel_right_and_missing():
    for right in (178 / 255, 0.7, 0.70, np.float32(178 / 255), 0.695):
        assert nb1.q3.evaluate(right, DIGIT).correct, right
    cut = nb1.q3.evaluate(0.69, DIGIT)  # two decimals: 0.70, not 0.69
    assert cut.status == "wrong" and "cuts off the third decimal instead of rounding" in cut.message
    assert "178 / 255 = 0.698" in cut.message
    assert nb1.q3.evaluate(..., DIGIT).status == "not answered"
    assert nb1.q3.evaluate(None, DIGIT).status == "not answered"


def test_pixel_is_computed_from_the_learners_digit():
    """Another digit, another answer: nothing is typed in."""
    other = DIGIT.copy()
    other[16, 11] = 51
    assert nb1.q3.evaluate(0.2, other).correct
    assert nb1.q3.evaluate(0.7, other).status == "wrong"


@pytest.mark.parametrize("digit", [None, "digit", np.zeros((28, 28, 1)), DIGIT / 255.0], ids=str)
def test_pixel_without_the_digit_says_what_to_pass(digit):
    feedback = nb1.q3.evaluate(0.7, digit)
    assert feedback.status == "wrong"
    assert "check.q3.check(answer, digit)" in feedback.message
    assert "Error" not in feedback.message


def test_pixel_solution_passes_on_the_notebooks_digit():
    """The bundled sample's first digit, the one the stored notebook draws: its pixel at
    row 16, column 11 differs from the swapped one, so the swap is told apart."""
    import lesson_utils as lu

    digit = lu.load_mnist(source="sample", preprocess=False, verbose=False).x_train[0]
    row, column = nb1.ROW, nb1.COLUMN
    assert 0 < digit[row, column] < 255 and digit[column, row] > 0
    assert abs(int(digit[row, column]) - int(digit[column, row])) > 255 * 0.02
    scope = {"digit": digit}
    exec(nb1.q3.solution_code.splitlines()[0], scope)
    assert nb1.q3.evaluate(scope["answer"], digit).correct
    swapped = nb1.q3.evaluate(digit[column, row] / 255, digit)
    assert "swapped" in swapped.message
