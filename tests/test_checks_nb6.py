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
        ((30, 30, 32), "conv2d's output, the first layer"),
        ((15, 15, 32), "max_pooling2d's output, the first pooling"),
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
    assert "or not trained for long enough?" in message


@pytest.mark.slow
def test_fashion_solution_passes_in_quick_mode_even_on_a_weak_seed(numpy_backend, quick):
    """Quick mode trains 8 steps: seed 10 gives the published solution 26.4% on the
    sample's test images (NumPy), one of its lowest of 40 seeds; it still passes."""
    fashion = lu.load_fashion_mnist(source="sample", verbose=False)
    lu.set_global_seed(10)
    fashion_model = lu.compile_cnn_model(lu.build_cnn_model())
    lu.train_cnn_model(fashion_model, fashion.x_train, fashion.y_train, verbose=0)
    assert feedback(nb6.q2, fashion_model, fashion)[0] == CORRECT


@pytest.mark.parametrize(
    ("quick_mode", "accuracy", "status"),
    [("1", 0.3, CORRECT), ("1", 0.15, WRONG), ("0", 0.3, WRONG), ("0", 0.45, CORRECT)],
)
def test_fashion_pass_mark_of_quick_and_full_runs(
    numpy_backend, monkeypatch, quick_mode, accuracy, status
):
    """Quick mode's mark is under the solution's worst quick run (19.8%) and over a
    digits model's best (14.0%); a full run keeps 40%."""
    monkeypatch.setenv("LESSON_QUICK", quick_mode)
    monkeypatch.setattr(
        lu.training, "evaluate_cnn_model", lambda *args: {"accuracy": accuracy, "loss": 1.0}
    )
    fashion = lu.load_fashion_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), dense_units=16))
    model.optimizer.step = 8  # as after a quick epoch
    result, message = feedback(nb6.q2, model, fashion)
    assert result == status, message
    if status == WRONG:
        assert "or not trained for long enough?" in message
    assert nb6.QUICK_PASS_MARK < 0.198 and nb6.QUICK_PASS_MARK > 0.14


def test_fashion_model_given_as_its_history(numpy_backend, quick):
    """fashion_model = lu.train_cnn_model(...) keeps the History, not the model."""
    fashion = lu.load_fashion_mnist(source="sample", verbose=False)
    history = lu.numpy_model.History()
    history.history = {"loss": [0.5], "accuracy": [0.8]}
    status, message = feedback(nb6.q2, history, fashion)
    assert status == WRONG
    assert "train_cnn_model returns the training history" in message
    assert "the one you passed to it (built with lu.build_cnn_model)" in message
    assert "check.q2.check(fashion_model, fashion)" in message


def test_fashion_untrained_model_is_told_to_train(numpy_backend, quick):
    fashion = lu.load_fashion_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), dense_units=16))
    status, message = feedback(nb6.q2, model, fashion)
    assert status == WRONG and "has not been trained yet" in message


def test_fashion_raw_pixels_are_named_in_one_sentence(numpy_backend, quick):
    """preprocess=False gives uint8 (n, 28, 28): the check says so, with no '..' and
    without blaming the learner's code for what the check's evaluation raised."""
    raw = lu.load_fashion_mnist(source="sample", preprocess=False, verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), dense_units=16))
    model.optimizer.step = 8
    status, message = feedback(nb6.q2, model, raw)
    assert status == WRONG and "preprocess=False" in message
    assert "lu.load_fashion_mnist()" in message
    assert ".." not in message.replace("...", "")
    assert "running your answer" not in message
