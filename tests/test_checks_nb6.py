"""Notebook 6's exercise checks: the right answer, and one wrong answer per cause they name."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb6


def feedback(exercise, answer, *context):
    result = exercise.evaluate(answer, *context)
    return result.status, result.message


def test_pooled_shape_right_and_missing():
    assert feedback(nb6.q1, (6, 6, 64))[0] == CORRECT
    assert feedback(nb6.q1, [6, 6, 64])[0] == CORRECT
    assert feedback(nb6.q1, ...)[0] == MISSING


def test_pooled_shape_agrees_with_the_model():
    model = lu.build_cnn_model(input_shape=(32, 32, 1), backend="numpy")
    pooled = next(layer for layer in model.layers if layer.name == "max_pooling2d_1")
    assert pooled.output_shape == (6, 6, 64)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ((5, 5, 64), "28x28 digit"),
        ((7, 7, 64), "rounds down"),
        ((4, 4, 64), "conv2d_2's output"),
        ((13, 13, 64), "conv2d_1's output"),
        ((8, 8, 64), "15 -> 13"),
        ((6, 6, 32), "64 filters"),
        ((6, 6), "(6, 6)"),
        ((6, 6, 64, 1), "has 3 axes"),
        ((6, 64), "has 3 axes (height, width, channels); your shape (6, 64) has 2"),
        ((None, 6, 6, 64), "leave out None: it is the batch axis a summary shows"),
        ([None, 6, 6, 64], "Give the shape for one image, (height, width, channels)"),
        ((6.5, 6.5, 64), "6.5 is not a whole number"),
        ((6, 5, 64), "axis 1"),
        ("max_pooling2d_1", "tuple of whole numbers"),
    ],
)
def test_pooled_shape_names_each_cause(answer, words):
    status, message = feedback(nb6.q1, answer)
    assert status == WRONG and words in message and "check.q1.hint()" in message
    assert "one image;" not in message  # the question is about one image already


def test_pooled_shape_as_whole_floats_is_right():
    assert feedback(nb6.q1, (6.0, 6.0, 64))[0] == CORRECT  # (32 - 2) / 2 ... gives floats


@pytest.fixture
def numpy_backend(monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")


def always_predicting(model, digit):
    """The same model made to answer ``digit`` for every image."""
    weights = model.get_weights()
    weights[-2][:] = 0.0
    weights[-1][:] = 0.0
    weights[-1][digit] = 10.0
    model.set_weights(weights)
    return model


def test_fashion_check_causes(numpy_backend, quick):
    lu.set_global_seed(0)
    digits = lu.load_mnist(source="sample", verbose=False)
    fashion = lu.load_fashion_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))
    status, message = feedback(nb6.q2, model, ...)
    assert status == MISSING
    assert message.startswith(
        "`fashion` is still ...: load it with `fashion = lu.load_fashion_mnist()`"
    )
    assert "your function" not in message  # there is no function in this exercise
    assert "Fashion-MNIST data set itself" in feedback(nb6.q2, model, digits)[1]
    assert "give the model" in feedback(nb6.q2, "model", fashion)[1]
    lu.train_cnn_model(model, fashion.x_train, fashion.y_train, epochs=2, verbose=0)
    assert feedback(nb6.q2, model, fashion)[0] == CORRECT

    shares = np.bincount(fashion.y_test, minlength=10) / len(fashion.y_test)
    rarest, commonest = int(shares.argmin()), int(shares.argmax())
    assert shares[rarest] <= 0.1 < shares[commonest] < 0.4
    message = feedback(nb6.q2, always_predicting(model, rarest), fashion)[1]
    assert "no better than guessing" in message
    message = feedback(nb6.q2, always_predicting(model, commonest), fashion)[1]
    assert "was it trained on Fashion-MNIST" in message
