"""Notebook 3's measurements: receptive fields, shifts, cosine similarity."""

from __future__ import annotations

import numpy as np
import pytest

from lesson_utils import measure


def test_receptive_fields_of_the_lesson_cnn():
    """A unit of the last convolution sees 18x18 of the 28x28 digit."""
    fields = measure.receptive_fields()
    assert [field for _, field, _ in fields] == [3, 4, 8, 10, 18]
    assert [jump for _, _, jump in fields] == [1, 2, 2, 4, 4]


def test_pixels_seen_by_experiment_agrees_with_the_formula():
    mask = measure.pixels_seen()
    assert mask.sum() == 18 * 18
    assert mask[:18, :18].all()
    one_conv = measure.pixels_seen(steps=(("conv", 3, 1),), size=8)
    assert one_conv.sum() == 9


def test_shift_moves_in_background():
    image = np.arange(1, 10, dtype=float).reshape(3, 3)
    assert measure.shift(image, right=1).tolist() == [[0, 1, 2], [0, 4, 5], [0, 7, 8]]
    assert measure.shift(image, down=-1).tolist() == [[4, 5, 6], [7, 8, 9], [0, 0, 0]]
    batch = image[None, :, :, None]
    assert measure.shift(batch, right=1)[0, :, :, 0].tolist() == [[0, 1, 2], [0, 4, 5], [0, 7, 8]]
    one = image[:, :, None]  # (height, width, channels), as data.x_test[i] is
    assert measure.shift(one, right=1)[:, :, 0].tolist() == [[0, 1, 2], [0, 4, 5], [0, 7, 8]]


def test_cosine_similarity():
    a = np.array([[1.0, 0.0], [2.0, 0.0]])
    assert measure.cosine_similarity(a, 3 * a) == pytest.approx(1.0)
    assert measure.cosine_similarity(a, np.array([[0.0, 1.0], [0.0, 1.0]])) == 0.0
    with pytest.raises(ValueError, match="not all zero"):
        measure.cosine_similarity(a, np.zeros((2, 2)))


@pytest.mark.parametrize("bad", [1.5, True, "2", None])
def test_shift_names_a_step_that_is_not_a_whole_number(bad):
    image = np.zeros((5, 5))
    with pytest.raises(ValueError, match="right must be a whole number of pixels"):
        measure.shift(image, right=bad)
    assert measure.shift(image, right=np.int64(1), down=np.int32(-1)).shape == (5, 5)
