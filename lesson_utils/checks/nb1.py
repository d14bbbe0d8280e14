"""Notebook 1, Images as arrays: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb1 as check
    check.q1.check(answer)
    check.q3.check(answer, digit)
"""

from __future__ import annotations

import re

import numpy as np

from lesson_utils.checks.answers import expect_shape, is_real, source_of
from lesson_utils.checks.exercise import Exercise, Wrong, call_answer

# Three 28x28 uint8 images, as the exercise says, holding every pixel value 0-255.
_IMAGES = (np.arange(3 * 28 * 28) % 256).astype(np.uint8).reshape(3, 28, 28)
# Three faint images: pixels 20-200, none at 255. Dividing by the batch's own largest
# value (or stretching its range to 0-1) gives the same as 255 on _IMAGES, not on these.
_FAINT = (20 + np.arange(3 * 28 * 28) % 181).astype(np.uint8).reshape(3, 28, 28)


def _check_normalise(function):
    if not callable(function):
        return "give the function itself (its name, without brackets), not its result."
    for images in (_IMAGES, _FAINT):
        problem = _problem_with(function, images.copy(), images)
        if problem:
            return problem
    return None


def _problem_with(function, images, untouched) -> str | None:
    """What is wrong with ``function(images)``; ``untouched`` is a copy that the
    function cannot have changed in place."""
    result = call_answer(function, images)
    if not isinstance(result, np.ndarray):
        return _not_an_array(result)
    if result.shape == (3, 1, 28, 28):
        return (
            "your function put the channel axis first, shape (3, 1, 28, 28): channels come last "
            "in Keras, (images, height, width, channels). Add it with [..., None]."
        )
    if result.shape != (3, 28, 28, 1):
        return (
            f"for images of shape (3, 28, 28) your function returned shape {result.shape}; "
            "expected (3, 28, 28, 1), with a channel axis at the end."
        )
    if result.dtype != np.float32:
        return _not_float32(result.dtype, function)
    if not np.allclose(result[..., 0], untouched / 255.0):
        return _wrong_values(result[..., 0], untouched)
    return None


def _not_an_array(result) -> str:
    kind = type(result).__name__
    if isinstance(result, list):
        return (
            "your function returned a list; it should return a NumPy array, which Keras "
            "takes as a batch: leave out .tolist() (or wrap the list in np.array(...))."
        )
    if isinstance(result, tuple):
        return (
            "your function returned a tuple; it should return one NumPy array (a trailing "
            "comma after the return value makes a tuple)."
        )
    return (
        f"your function returned a value of type {kind}; it should return a NumPy array of "
        "the pixels."
    )


def _not_float32(dtype, function=None) -> str:
    if dtype == np.float64:
        # Quote the division as the learner wrote it (255 or 255.0), where it can be read.
        written = re.search(r"/\s*(255(?:\.\d*)?)(?![\w.])", source_of(function))
        divisor = written.group(1) if written else "a plain number such as 255"
        return (
            "the pixels should be float32; your function returned float64: dividing uint8 "
            f"pixels by {divisor} gives float64 (NumPy's default). Convert with "
            ".astype(np.float32), before or after dividing."
        )
    return f"the pixels should be float32; your function returned {dtype}."


def _wrong_values(values, images) -> str:
    """Why the pixel values are not images / 255: the batch's own range, or the numbers."""
    by_own_max = images / images.max()
    stretched = (images - images.min()) / (images.max() - images.min())
    if np.allclose(values, by_own_max) or np.allclose(values, stretched):
        return (
            "divide by 255, the largest value a pixel can have, not by this batch's own "
            "largest value (or its range): otherwise a faint digit, whose ink is at most "
            f"{images.max()}, would come out as strong as a bold one."
        )
    where = np.unravel_index(np.argmax(images == 51), images.shape)
    return (
        "the values should run from 0.0 (pixel 0) to 1.0 (pixel 255); "
        f"pixel 51 became {float(values[where]):g}."
    )


# Exercise 3 (read a figure): the pixel at row 16, column 11 of the digit drawn by
# plot_pixel_grid, scaled to [0, 1]. Read from the learner's own `digit`: the check
# computes the value. In the bundled sample's first digit (a 9) it is 178, while the
# pixel at row 11, column 16 (the same numbers swapped) is 32.
ROW, COLUMN = 16, 11
# Two decimals are enough: 178 / 255 = 0.698 may be given as 0.7.
_TOLERANCE = 0.0051


def _near(answer, value) -> bool:
    return abs(answer - value) <= _TOLERANCE


def _check_pixel(answer, digit=None):
    pixels = np.asarray(digit) if isinstance(digit, np.ndarray) else None
    if pixels is None or pixels.shape != (28, 28):
        raise Wrong(
            "pass the digit the figure shows, a 28x28 array, as the second argument: "
            "check.q3.check(answer, digit)."
        )
    if pixels.max() <= 1:
        raise Wrong(
            "pass the digit as loaded, with pixels from 0 to 255 (digit), not a scaled "
            "copy: check.q3.check(answer, digit)."
        )
    if isinstance(answer, str):
        return f"give the value as a number, such as 0.5, not as text in quotes; got {answer!r}."
    if not is_real(answer):
        return f"give the value as one number, such as 0.5; got {answer!r}."
    answer = float(answer)
    value, swapped = int(pixels[ROW, COLUMN]), int(pixels[COLUMN, ROW])
    right = value / 255
    if _near(answer, right):
        return None
    where = f"row {ROW}, column {COLUMN}"
    if abs(answer - np.floor(right * 100) / 100) < 1e-9:
        return (
            f"{value} / 255 = {right:.3f}: rounded to two decimals that is {right:.2f}; "
            f"{answer:g} cuts off the third decimal instead of rounding."
        )
    if answer == value:
        return (
            f"{value} is the figure's value for the pixel at {where}, on the stored 0-255 "
            "scale; the question asks for it after scaling to [0, 1]: divide by 255."
        )
    if swapped != value and (_near(answer, swapped / 255) or answer == swapped):
        unscaled = " (and unscaled: divide by 255)" if answer == swapped else ""
        return (
            f"that is the pixel at row {COLUMN}, column {ROW}{unscaled}: the row and the "
            "column are swapped. The row is counted down the left side of the figure, the "
            f"column along the bottom, and NumPy writes them in that order, "
            f"digit[{ROW}, {COLUMN}]."
        )
    if value and _near(answer, 1 - right):
        return (
            "that is 1 minus the scaled value, as if ink were 0: ink (drawn dark) has the "
            "large values and scales towards 1, background (white) is 0 and stays 0."
        )
    if answer > 1:
        return (
            f"after scaling every pixel lies between 0 and 1; {answer:g} is not. Find the "
            f"pixel at {where} in the figure and divide its value by 255."
        )
    if answer < 0:
        return "pixels are never negative: background is 0 and full ink 1 after scaling."
    return (
        f"{answer:g} is not the pixel at {where}, scaled: find row {ROW} down the left "
        f"side of the figure, go along it to column {COLUMN} (the numbers along the "
        "bottom), and divide the value in that square by 255."
    )


exercise = Exercise.of_notebook(1)

q1 = exercise(
    number=1,
    title="The shape of a batch of colour photos",
    checker=expect_shape(
        (100, 64, 64, 3),
        "A batch for Conv2D",
        causes={
            (100, 64, 64, 1): "a colour photo has 3 channels (red, green, blue), not 1.",
            (100, 64, 64): "a colour photo has 3 channels (red, green, blue): give them an axis "
            "at the end.",
        },
    ),
    hint_text=(
        "Conv2D wants (images, height, width, channels). How many channels does a colour "
        "photo have?"
    ),
    solution_code="answer = (100, 64, 64, 3)  # 100 images, 64x64 pixels, 3 colour channels last",
)

q2 = exercise(
    number=2,
    title="Prepare images for the network",
    checker=_check_normalise,
    hint_text=(
        "Divide by 255.0 after converting to float32, then add an axis at the end with "
        "[..., None] (or np.expand_dims(images, -1))."
    ),
    solution_code=(
        "def normalise(images):\n    return (images.astype(np.float32) / 255.0)[..., None]"
    ),
)

q3 = exercise(
    number=3,
    title="Read the pixel grid",
    checker=_check_pixel,
    hint_text=(
        f"In the figure of the digit up close, find row {ROW} in the numbers down the left "
        f"side, then go along that row to column {COLUMN}, numbered along the bottom. Divide "
        f"the value in that square by 255. digit[{ROW}, {COLUMN}] / 255 confirms it."
    ),
    solution_code=(
        f"answer = digit[{ROW}, {COLUMN}] / 255  # row first, then column; 0-255 to 0-1\n"
        "check.q3.check(answer, digit)"
    ),
    praise="row first, then column, and ink scaled towards 1: you read it as NumPy does.",
)

EXERCISES = [q1, q2, q3]
