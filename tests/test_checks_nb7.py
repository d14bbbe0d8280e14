"""Notebook 7's exercise checks: the right answer, and one wrong answer per cause they name."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb7

# A History of 8 epochs: the validation loss is lowest at epoch 3, the validation
# accuracy highest at epoch 5, the training loss lowest at the last epoch, 8.
HISTORY = SimpleNamespace(
    history={
        "loss": [2.0, 1.0, 0.6, 0.4, 0.2, 0.1, 0.05, 0.02],
        "val_loss": [2.1, 1.2, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
        "accuracy": [0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99, 1.0],
        "val_accuracy": [0.3, 0.6, 0.8, 0.82, 0.85, 0.84, 0.83, 0.83],
    }
)


def feedback(exercise, answer, *context):
    result = exercise.evaluate(answer, *context)
    return result.status, result.message


def test_lowest_validation_loss_right_and_missing():
    assert feedback(nb7.q1, 3, HISTORY)[0] == CORRECT
    assert feedback(nb7.q1, np.int64(3), HISTORY)[0] == CORRECT
    assert feedback(nb7.q1, 3.0, HISTORY)[0] == CORRECT
    assert feedback(nb7.q1, HISTORY.history, HISTORY.history)[0] == WRONG  # a dict, not an epoch
    assert feedback(nb7.q1, ..., HISTORY)[0] == MISSING
    assert feedback(nb7.q1, None, HISTORY)[0] == MISSING


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (2, "counts epochs from 1"),  # np.argmin without the + 1
        (8, "training loss (circles)"),  # the lowest training loss
        (5, "validation accuracy is highest"),  # the best validation accuracy
        (6, "find the lowest of the squares"),  # another epoch
        (9, "epochs 1 to 8"),  # off the axis
        (0, "epochs 1 to 8"),
        (3.5, "whole number"),
        ("3", "whole number"),
    ],
)
def test_lowest_validation_loss_names_each_cause(answer, words):
    status, message = feedback(nb7.q1, answer, HISTORY)
    assert status == WRONG, message
    assert words in message, message
    assert "check.q1.hint()" in message


def test_lowest_validation_loss_without_a_history_says_what_to_pass():
    for context in [(), (None,), (SimpleNamespace(history={"loss": [1.0]}),)]:
        status, message = feedback(nb7.q1, 3, *context)
        assert status == WRONG
        assert "check.q1.check(answer, plain_history)" in message


def test_lowest_validation_loss_solution_passes():
    scope = {"np": np, "plain_history": HISTORY, "check": nb7}
    answer_line = nb7.q1.solution_code.splitlines()[0]
    exec(answer_line, scope)
    assert feedback(nb7.q1, scope["answer"], HISTORY)[0] == CORRECT


@pytest.fixture(scope="module")
def half_right():
    """A NumPy CNN that answers 3 for every image, and 40 test digits of which half are
    3s: its accuracy is 50% however far the digits move."""
    sample = lu.load_mnist(source="sample", verbose=False)
    model = lu.build_cnn_model(backend="numpy")
    weights = model.get_weights()
    weights[-2][:] = 0.0  # the last Dense layer's kernel: every image alike
    weights[-1][:] = 0.0
    weights[-1][3] = 10.0  # class 3 wins
    model.set_weights(weights)
    labels = np.array([3, 7] * 20)
    return model, SimpleNamespace(x_test=sample.x_test[:40], y_test=labels)


def test_moved_accuracy_of_a_model_that_ignores_position(half_right):
    model, data = half_right
    assert [nb7.moved_accuracy(model, data, pixels) for pixels in (0, 4)] == [0.5, 0.5]


def test_prediction_right_and_missing(half_right, capsys):
    model, data = half_right
    assert feedback(nb7.q2, 0.5, model, data)[0] == CORRECT
    assert "moved 4 pixels 50.0%" in capsys.readouterr().out  # the measurement is shown
    assert feedback(nb7.q2, 0.58, model, data)[0] == CORRECT  # within 10 points
    assert feedback(nb7.q2, ..., model, data)[0] == MISSING


@pytest.mark.parametrize(
    ("prediction", "words"),
    [
        (0.9, "accuracy falls again"),  # too optimistic
        (0.2, "more than you expected"),  # too pessimistic
        (50, "looks like a percentage"),
        (-0.1, "between 0 and 1"),
        (150, "between 0 and 1"),
        ("0.5", "as a number"),
        (True, "as a number"),
    ],
)
def test_prediction_names_each_cause(half_right, prediction, words):
    model, data = half_right
    status, message = feedback(nb7.q2, prediction, model, data)
    assert status == WRONG, message
    assert words in message, message
    assert "check.q2.hint()" in message


def test_prediction_without_the_model_says_what_to_pass(half_right):
    model, data = half_right
    for context in [(), (HISTORY, data), (None, data)]:
        status, message = feedback(nb7.q2, 0.5, *context)
        assert status == WRONG
        assert "check.q2.check(prediction, augmented_cnn, data)" in message
    status, message = feedback(nb7.q2, 0.5, model)
    assert status == WRONG and "as the third argument" in message


def test_every_exercise_is_tested():
    assert [e.number for e in nb7.EXERCISES] == [1, 2]
