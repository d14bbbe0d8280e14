"""Notebook 3's measurements: receptive fields, shifts, cosine similarity."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
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


# ---- top_patches (notebook 6): the patches of digits that excite a filter most


def planted_model():
    """One Conv2D of two 3x3 filters on 12x12 images: filter 0 adds the 9 pixels it sees
    (all weights 1, bias 0), filter 1 is dead (weights 0, bias -1)."""
    from lesson_utils import architecture as A

    model = lu.build_model([A.conv2d((12, 12, 1), 2)], backend="numpy")
    kernel = np.zeros((3, 3, 1, 2), np.float32)
    kernel[..., 0] = 1.0
    model.set_weights([kernel, np.array([0.0, -1.0], np.float32)])
    return model


def planted_images():
    """Image 0 blank; image 1 a 3x3 block of ink at rows 4-6, columns 7-9; image 2 one
    pixel of ink at the top-left corner; image 3 a 2x3 block at rows 9-10, columns 0-2."""
    images = np.zeros((4, 12, 12, 1), np.float32)
    images[1, 4:7, 7:10] = 1.0
    images[2, 0, 0] = 1.0
    images[3, 9:11, 0:3] = 1.0
    return images


def test_top_patches_finds_a_planted_maximum():
    found = measure.top_patches(planted_model(), planted_images(), "conv2d", [0, 1], k=3)
    live, dead = found
    assert (live.field, live.jump) == (3, 1)
    assert live.values.tolist() == [9.0, 6.0, 1.0]  # the 3x3 block, the 2x3 block, the pixel
    assert live.positions.tolist() == [[1, 4, 7], [3, 8, 0], [2, 0, 0]]
    assert live.windows.tolist() == [[4, 7, 7, 10], [8, 0, 11, 3], [0, 0, 3, 3]]
    assert live.patches[0].tolist() == np.ones((3, 3)).tolist()
    assert live.patches[1].tolist() == [[0, 0, 0], [1, 1, 1], [1, 1, 1]]
    assert live.digits.shape == (3, 12, 12) and live.digits[0].sum() == 9
    assert not live.dead and dead.dead and dead.filter == 1
    # Batches do not change the answer; one filter number gives a list of one.
    (alone,) = measure.top_patches(planted_model(), planted_images(), "conv2d", 0, 3, batch_size=1)
    assert alone.positions.tolist() == live.positions.tolist()


def test_top_patches_deeper_layer_agrees_with_the_maps():
    """conv2d_1 of the lesson's CNN: 8x8 fields, 2 pixels apart, each image's own maximum."""
    data = lu.load_mnist(source="sample", verbose=False)
    images = data.x_test[:40]
    model = lu.build_cnn_model(backend="numpy")
    (found,) = measure.top_patches(model, images, "conv2d_1", [5], k=4, batch_size=7)
    assert (found.field, found.jump) == (8, 2)
    maps = lu.feature_maps(model, images, "conv2d_1")[..., 5]
    strongest = maps.reshape(40, -1).max(axis=1)
    assert found.values.tolist() == pytest.approx(np.sort(strongest)[::-1][:4].tolist())
    assert len(set(found.positions[:, 0].tolist())) == 4  # four different digits
    for value, (image, row, col), patch in zip(
        found.values, found.positions, found.patches, strict=True
    ):
        assert maps[image, row, col] == pytest.approx(value)
        assert np.array_equal(patch, images[image, 2 * row : 2 * row + 8, 2 * col : 2 * col + 8, 0])
    assert measure.model_steps(model, "conv2d_2") == list(measure.LESSON_STEPS)
    assert measure.receptive_fields(measure.model_steps(model, "conv2d_2"))[-1][1] == 18


def test_crop_field_clips_at_the_border():
    image = np.arange(100.0).reshape(10, 10)
    patch, window = measure.crop_field(image, row=3, col=4, field=4, jump=2)
    assert window == (6, 8, 10, 10)  # rows 6-9, columns 8-9: two columns lie outside
    assert np.array_equal(patch[:, :2], image[6:10, 8:10])
    assert not patch[:, 2:].any()  # what lies outside is background, 0
    inside, _ = measure.crop_field(image, row=1, col=1, field=3, jump=1)
    assert np.array_equal(inside, image[1:4, 1:4])


@pytest.mark.parametrize(
    "change, message",
    [
        ({"layer": "conv9"}, "layer must be the name of one of the model's layers"),
        ({"filters": 2}, r"filter must be a whole number from 0 to 1; got 2"),
        ({"filters": [0, -1]}, r"filter must be .*; got -1"),
        ({"filters": []}, "filters must name at least one filter"),
        ({"k": 0}, r"k must be a whole number from 1 to 4; got 0"),
        ({"k": 5}, r"k must be a whole number from 1 to 4; got 5"),
        ({"k": 2.0}, "k must be a whole number"),
    ],
)
def test_top_patches_refuses_bad_arguments(change, message):
    arguments = {"layer": "conv2d", "filters": 0, "k": 2, **change}
    with pytest.raises(ValueError, match=message):
        measure.top_patches(planted_model(), planted_images(), **arguments)


def test_top_patches_refuses_a_layer_without_maps():
    model = lu.build_cnn_model(backend="numpy")
    with pytest.raises(ValueError, match="'dense' outputs shape"):
        measure.top_patches(model, np.zeros((2, 28, 28, 1), np.float32), "dense", 0)


@pytest.mark.tensorflow
def test_top_patches_on_keras():
    pytest.importorskip("tensorflow")
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.build_cnn_model(backend="tensorflow")
    assert measure.model_steps(model, "conv2d_2") == list(measure.LESSON_STEPS)
    (found,) = measure.top_patches(model, data.x_test[:20], "conv2d_2", 3, k=2, batch_size=8)
    maps = lu.feature_maps(model, data.x_test[:20], "conv2d_2")[..., 3]
    image, row, col = found.positions[0]
    assert found.field == 18 and maps[image, row, col] == pytest.approx(maps.max())
