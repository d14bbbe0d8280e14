"""Notebook 5's exercise checks: the right answer, and one wrong answer per cause they name."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb5


def feedback(exercise, answer, *context):
    result = exercise.evaluate(answer, *context)
    return result.status, result.message


def test_dense_count_right_and_missing():
    assert feedback(nb5.q1, 18_496)[0] == CORRECT
    assert feedback(nb5.q1, ...)[0] == MISSING
    scope = {}
    exec(nb5.q1.solution_code, scope)
    assert feedback(nb5.q1, scope["answer"])[0] == CORRECT


def test_dense_count_agrees_with_the_model():
    model = lu.build_cnn_model(filters=(32, 64, 32), backend="numpy")
    dense = next(layer for layer in model.layers if layer.name == "dense")
    assert dense.count_params() == 18_496


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (36_928, "576 inputs"),  # the lesson's layer: the wrong number of inputs
        (1600 * 64 + 64, "before the third convolution"),  # inputs counted before conv2d_2
        (800 * 64 + 64, "also shrinks the maps"),  # 5x5x32: forgot conv2d_2 shrinks 5 -> 3
        (18_432, "add one bias per unit"),
        (2_890, "has 10 units"),
        (5_000, "too low"),
        (90_000, "too high"),
        ("18496", "as a number"),
    ],
)
def test_dense_count_names_each_cause(answer, words):
    status, message = feedback(nb5.q1, answer)
    assert status == WRONG and words in message and "check.q1.hint()" in message


@pytest.fixture
def numpy_backend(monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")


@pytest.fixture
def data(numpy_backend, quick):
    lu.set_global_seed(0)
    return lu.load_mnist(source="sample", verbose=False)


LESSON_HISTORY = SimpleNamespace(history={"val_accuracy": [0.95]})


def always_predicting(digit, data):
    """A NumPy model that answers ``digit`` for every image (not the lesson's size)."""
    model = lu.build_cnn_model(filters=(8, 16), dense_units=16, backend="numpy")
    weights = model.get_weights()
    weights[-2][:] = 0.0
    weights[-1][:] = 0.0
    weights[-1][digit] = 10.0
    model.set_weights(weights)
    return model


def test_variant_no_better_than_guessing(data):
    _, y_val = nb5.validation_split_of(data)
    rarest = int(np.argmin(np.bincount(y_val, minlength=10)))
    assert np.mean(y_val == rarest) <= 0.1  # the rarest of ten classes is at most 10%
    status, message = feedback(nb5.q2, always_predicting(rarest, data), data, LESSON_HISTORY)
    assert status == WRONG and "no better than guessing" in message


def test_variant_little_better_than_guessing(data):
    _, y_val = nb5.validation_split_of(data)
    commonest = int(np.argmax(np.bincount(y_val, minlength=10)))
    assert 0.1 < np.mean(y_val == commonest) < 0.2
    status, message = feedback(nb5.q2, always_predicting(commonest, data), data, LESSON_HISTORY)
    assert status == WRONG and "little better than guessing" in message


def test_variant_other_causes(data):
    lesson = lu.compile_cnn_model(lu.build_cnn_model())
    assert "exactly the lesson's 93,322" in feedback(nb5.q2, lesson, data, LESSON_HISTORY)[1]
    assert "give the trained model" in feedback(nb5.q2, "model", data, LESSON_HISTORY)[1]
    variant = lu.build_cnn_model(filters=(16, 32), dense_units=32)
    assert "as lu.load_mnist() returned it" in feedback(nb5.q2, variant, "data", LESSON_HISTORY)[1]
    assert feedback(nb5.q2, ..., data, LESSON_HISTORY)[0] == MISSING


def test_trained_variant_is_compared_on_the_validation_digits(data, capsys):
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))
    lu.train_cnn_model(variant, data.x_train, data.y_train, validation_split=0.1, verbose=0)
    assert variant.count_params() == 129_066  # fewer filters, more parameters (a larger Flatten)
    status, _ = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == CORRECT
    assert "On the validation digits" in capsys.readouterr().out


def test_validation_split_is_the_one_training_holds_out(data):
    x_val, y_val = nb5.validation_split_of(data)
    cut = len(data.x_train) - int(len(data.x_train) * 0.1)
    assert len(x_val) == len(data.x_train) - cut
    assert np.array_equal(x_val, data.x_train[cut:]) and np.array_equal(y_val, data.y_train[cut:])


@pytest.mark.tensorflow
def test_uncompiled_keras_variant_is_told_to_compile(quick):
    pytest.importorskip("tensorflow")
    data = lu.load_mnist(source="sample", verbose=False)
    variant = lu.build_cnn_model(filters=(16, 32), backend="tensorflow")
    status, message = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == WRONG and "compile and train your model first" in message
