"""Notebook 2's exercises: a right answer, and a wrong answer for each cause the feedback names."""

from __future__ import annotations

import numpy as np
import pytest
from check_cases import assert_every_exercise_has_cases, assert_right_wrong_missing

from lesson_utils.checks import nb2

INK_ABOVE_BACKGROUND = np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])

CASES = [
    (
        nb2.q1,
        (24, 24, 16),
        [
            ((16, 24, 24), "channels come last in Keras"),
            ((26, 26, 16), "3x3 kernel"),
            ((23, 23, 16), "forgets the + 1"),
            ((24, 24, 1), "one feature map (channel) per filter"),
            ((1, 24, 24, 16), "without the batch axis"),
            ((24, 24), "no channel axis"),
            ((24, 25, 16), "axis 1"),
            ((1, 1, 24, 24, 16), "has 3 axes"),
            ((24, 16), "has 3 axes (height, width, channels)"),
            ((None, 24, 24, 16), "leave out None"),
            ((24, 24, 16.5), "16.5 is not a whole number"),
        ],
    ),
    (
        nb2.q2,
        INK_ABOVE_BACKGROUND,
        [
            (INK_ABOVE_BACKGROUND[::-1], "background above ink"),  # the mirror
            # bar kernels: as strong on the tops of strokes as on their bottoms
            (np.array([[1, 1, 1], [-2, -2, -2], [1, 1, 1]]), "both edges of a horizontal"),
            (np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]), "as strongly as to ink above"),
            (np.array([[2, 2, 2], [-3, -3, -3], [1, 1, 1]]), "50% as strongly as"),
            (np.array([[-1, 0, 1]] * 3), "responds to left/right changes (vertical edges)"),
            (np.array([[1, 0, -1]] * 3), "make its weights change from top to bottom"),
            (np.zeros((3, 3)), "never gives a positive"),
            (np.ones((3, 3)), "flat image"),
            (np.array([[1, 1, 0], [1, 0, -1], [0, -1, -1]]), "vertical edge"),
            (np.eye(2), "must be 3x3"),
            ([[1, 1, 1], [0, 0], [-1, -1, -1]], "row 1 has 2 numbers"),
            ([["a", "b", "c"]] * 3, "must be numbers"),
        ],
    ),
    (
        nb2.q3,
        18_496,
        [
            (640, "1 input channel"),
            (64 * (9 * 3 + 1), "3 input channels"),
            (64 * (9 * 64 + 1), "64 input channels"),
            (18_432, "add the biases"),
            (18_464, "one bias per filter"),
            (2 * 18_432, "not one per weight"),
            (289, "one filter"),
            (320, "first convolution's count"),
            (18_000, "too low"),
            (19_000, "too high"),
            ("18496", "as a number"),
        ],
    ),
    (
        nb2.q4,
        "right edge",
        [
            ("left edge", "the mirror of the notebook's vertical-edge kernel"),
            ("both edges", "but negative"),
            ("inside", "cancel: the map is 0 there"),
            ("lefft edge", "Did you mean 'left edge'?"),
            ("top edge", "is not one of the choices, 'left edge', 'right edge'"),
            (3, "as text in quotes"),
            (["right edge"], "as text in quotes"),
        ],
    ),
]


@pytest.mark.parametrize(("exercise", "right", "wrongs"), CASES, ids=["q1", "q2", "q3", "q4"])
def test_right_wrong_and_missing(exercise, right, wrongs):
    assert_right_wrong_missing(exercise, right, wrongs)


def test_every_exercise_has_cases():
    assert_every_exercise_has_cases(nb2, CASES)


def test_edge_kernel_follows_the_ink_convention():
    """Ink is 1, background 0: the kernel the text asks for (ink above background) passes,
    scaled versions too, and its mirror is told to flip."""
    assert nb2.q2.evaluate(INK_ABOVE_BACKGROUND).correct
    assert nb2.q2.evaluate(0.5 * INK_ABOVE_BACKGROUND).correct
    mirror = nb2.q2.evaluate(-INK_ABOVE_BACKGROUND)
    assert not mirror.correct and "flip it" in mirror.message


def test_a_two_axis_shape_for_one_image_is_not_called_one_image():
    """(24, 16) drops an axis of one image's shape; it is not 'one image of a batch'."""
    text = nb2.q1.evaluate((24, 16)).message
    assert "one image;" not in text and "number of images first" not in text
    assert "(height, width, channels); your shape (24, 16) has 2" in text


def test_output_shape_of_same_padding_names_the_default_padding():
    """(28, 28, 16) keeps the input's size: what padding="same" would give."""
    text = nb2.q1.evaluate((28, 28, 16)).message
    assert 'padding="same"' in text and "default padding" in text and '"valid"' in text


@pytest.mark.parametrize(
    "kernel",
    [np.full((3, 3), np.nan), np.array([[np.inf] * 3, [0] * 3, [-np.inf] * 3])],
    ids=["nan", "inf"],
)
def test_a_kernel_of_nan_or_infinity_is_rejected_without_warnings(kernel, recwarn):
    feedback = nb2.q2.evaluate(kernel)
    assert feedback.status == "wrong"
    assert "NaN or infinity" in feedback.message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(
    ("kernel", "words"),
    [
        ([["1", "1", "1"], ["0", "0", "0"], ["-1", "-1", "-1"]], "'1' is text"),
        ([[1, 1, 1j], [0, 0, 0], [-1, -1, -1]], "complex number"),
        ([[True, True, True], [0, 0, 0], [-1, -1, -1]], "True or False"),
    ],
    ids=["strings", "complex", "booleans"],
)
def test_a_kernel_of_other_things_than_numbers_is_rejected(kernel, words):
    feedback = nb2.q2.evaluate(kernel)
    assert feedback.status == "wrong"
    assert "must be numbers" in feedback.message and words in feedback.message


@pytest.mark.parametrize(
    "kernel",
    [
        [[1, 1, 1], [-1, -1, -1], [0, 0, 0]],  # the edge one row higher
        [[0, 0, 0], [1, 1, 1], [-1, -1, -1]],  # ... or one row lower
        [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],  # Sobel's weights
        [[2, 2, 2], [-1, -1, -1], [-1, -1, -1]],  # ink above, two rows below
    ],
)
def test_kernels_for_the_bottoms_of_strokes_alone_pass(kernel):
    """Every kernel whose positive weights all sit above its negative ones is an answer."""
    assert nb2.q2.evaluate(np.array(kernel)).correct


def test_a_bar_kernel_is_rejected_with_both_responses_quoted():
    """A bar kernel lights up on the tops of strokes as much as on their bottoms (issue 20)."""
    text = nb2.q2.evaluate(np.array([[1, 1, 1], [-2, -2, -2], [1, 1, 1]])).message
    assert "tops of strokes" in text and "it gives 3 on the first, 3 on the second" in text


@pytest.mark.parametrize("prediction", ["Right Edge", " right_edge. ", "right", '"right edge"'])
def test_a_prediction_is_read_in_any_case_and_spacing(prediction):
    assert nb2.q4.evaluate(prediction).correct


def test_each_wrong_prediction_gets_its_own_cause():
    messages = {choice: nb2.q4.evaluate(choice).message for choice in ("left", "both", "inside")}
    assert len(set(messages.values())) == 3
    assert "-3" in messages["left"] and "3" in messages["both"]  # the map's own numbers
    assert "Did you mean" not in nb2.q4.evaluate("top edge").message  # nothing close


def test_where_the_map_lights_up_is_measured_not_typed():
    """The answer comes from convolving: the notebook's own kernel (the mirror) lights up on
    the stroke's left edge, the mirrored one on its right edge, the bar kernel inside."""
    assert nb2.where_largest(nb2.stroke_map()) == "right edge"
    from lesson_utils.numpy_layers import conv2d

    def map_of(kernel):
        return conv2d(nb2.STROKE[None, :, :, None], kernel[:, :, None, None], padding="same")

    assert nb2.where_largest(map_of(-nb2.MIRROR_EDGE)[0, :, :, 0]) == "left edge"
    assert nb2.where_largest(map_of(np.abs(nb2.MIRROR_EDGE))[0, :, :, 0]) == "inside"


def test_the_notebook_shows_the_checked_stroke_and_kernel():
    """Exercise 2.4's markdown draws the image and kernel as text: the same as the check's."""
    import json

    from helpers import ROOT

    cells = json.loads((ROOT / "notebooks" / "02_convolution.ipynb").read_text())["cells"]
    text = next(
        "".join(c["source"]) for c in cells if "".join(c["source"]).startswith("### Exercise 4")
    )
    rows = text.split("```")[1].strip().splitlines()[1:]
    image = [[float(v) for v in row.split()[:8]] for row in rows]
    kernel = [[float(v) for v in row.split()[8:]] for row in rows[:3]]
    assert np.array_equal(image, nb2.STROKE)
    assert np.array_equal(kernel, nb2.MIRROR_EDGE)
