"""The NumPy stand-ins for keras.layers (the browser's) give Keras's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from lesson_utils import keras_standins as S

rng = np.random.default_rng(1)
IMAGES = rng.standard_normal((2, 9, 9, 3)).astype(np.float32)


@pytest.fixture(scope="module")
def keras():
    pytest.importorskip("tensorflow")
    from lesson_utils.tensorflow_import import import_keras

    return import_keras()


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("Conv2D", {"filters": 4, "kernel_size": (3, 3), "activation": "relu"}),
        ("Conv2D", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}),
        ("MaxPooling2D", {"pool_size": (2, 2)}),
        ("AveragePooling2D", {"pool_size": (2, 2)}),
        ("AveragePooling2D", {"pool_size": 3, "strides": 2}),
        ("GlobalAveragePooling2D", {}),
        ("Flatten", {}),
    ],
)
def test_stand_in_equals_keras(keras, name, arguments):
    real = getattr(keras.layers, name)(**arguments)
    expected = np.asarray(real(IMAGES))
    stand_in = getattr(S, name)(**arguments)
    if real.get_weights():
        stand_in.build(IMAGES.shape)
        stand_in.set_weights(real.get_weights())
    got = stand_in(IMAGES)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.tensorflow
def test_dense_stand_in_equals_keras(keras):
    x = IMAGES.reshape(2, -1)
    real = keras.layers.Dense(5, activation="softmax")
    expected = np.asarray(real(x))
    stand_in = S.Dense(5, activation="softmax")
    stand_in.build(x.shape)
    stand_in.set_weights(real.get_weights())
    np.testing.assert_allclose(stand_in(x), expected, rtol=1e-5, atol=1e-6)


def test_stand_ins_refuse_what_they_do_not_do():
    with pytest.raises(ValueError, match="square windows only"):
        S.AveragePooling2D(pool_size=(2, 3))
    with pytest.raises(ValueError, match="activation must be None, 'relu' or 'softmax'"):
        S.Conv2D(1, 3, activation="tanh")(IMAGES)


@pytest.mark.tensorflow
@pytest.mark.parametrize("momentum", [0.99, 0.9])
def test_batch_normalization_stand_in_equals_keras(keras, momentum):
    """Predicting, one training call (the batch's statistics, the averages updated), then
    predicting again with the new averages: Keras's numbers each time."""
    real = keras.layers.BatchNormalization(momentum=momentum)
    real.build(IMAGES.shape)
    start = [rng.uniform(0.5, 1.5, 3).astype(np.float32) for _ in range(4)]
    real.set_weights(start)
    stand_in = S.BatchNormalization(momentum=momentum)
    stand_in.build(IMAGES.shape)
    stand_in.set_weights(start)
    for training in (False, True, False):
        np.testing.assert_allclose(
            stand_in(IMAGES, training=training),
            np.asarray(real(IMAGES, training=training)),
            rtol=1e-4,
            atol=1e-5,
        )
        for got, expected in zip(stand_in.get_weights(), real.get_weights(), strict=True):
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert not np.allclose(stand_in.get_weights()[2], start[2])  # training moved them


@pytest.mark.tensorflow
def test_dropout_stand_in_behaves_as_keras(keras):
    np.testing.assert_array_equal(
        S.Dropout(0.5)(IMAGES), np.asarray(keras.layers.Dropout(0.5)(IMAGES))
    )
    x = np.abs(IMAGES) + 0.1
    dropped = S.Dropout(0.5, seed=0)(x, training=True)
    kept = dropped != 0
    np.testing.assert_allclose(dropped[kept], 2 * x[kept], rtol=1e-6)  # scaled by 1 / (1 - 0.5)
    assert 0.35 < np.mean(~kept) < 0.65
    np.testing.assert_array_equal(S.Dropout(0.5, seed=0)(x, training=True), dropped)
    with pytest.raises(ValueError, match="rate must be a number at least 0 and less than 1"):
        S.Dropout(1.0)
