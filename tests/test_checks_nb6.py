"""Notebook 6's exercise checks: the right answer, and one wrong answer per cause they name."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb6


def feedback(exercise, answer, *context):
    result = exercise.evaluate(answer, *context)
    return result.status, result.message


def _largest(model, images, layer):
    outputs = lu.feature_maps(model, images, layer)
    return outputs.reshape(-1, outputs.shape[-1]).max(axis=0)


def _make_blank_for_digit_0(weights, bias_index, on_digit, on_all, filters):
    """Set the biases so that these filters are 0 everywhere for digit 0 but not for
    every digit (chosen where another digit excites them more than digit 0 does)."""
    for f in filters:
        assert on_all[f] > on_digit[f] + 0.02, f
        weights[bias_index][f] = -on_digit[f] - 0.01


@pytest.fixture(scope="module")
def crafted():
    """A NumPy CNN with known blank and dead filters for the first of 200 test digits.
    In conv2d_2, filters 0-4 are dead, three are blank for digit 0 yet alive, and every
    other filter outputs 1 everywhere; in conv2d_1, two more filters are blank for
    digit 0 yet alive. Returns the model, the digits, and for each layer the filters
    blank for digit 0 yet alive, and the dead ones."""
    np.random.seed(0)
    sample = lu.load_mnist(source="sample", verbose=False)
    data = SimpleNamespace(x_test=sample.x_test[:200])
    model = lu.build_cnn_model(backend="numpy")
    weights = model.get_weights()  # conv2d_1's bias is weights[3], conv2d_2's weights[5]
    for layer, bias_index, count in (("conv2d_1", 3, 2), ("conv2d_2", 5, 3)):
        weights[bias_index][:] = 0.0
        model.set_weights(weights)
        on_digit = _largest(model, data.x_test[:1], layer)
        on_all = _largest(model, data.x_test, layer)
        candidates = [f for f in range(5, 64) if on_all[f] > on_digit[f] + 0.02 and on_digit[f] > 0]
        _make_blank_for_digit_0(weights, bias_index, on_digit, on_all, candidates[:count])
        if layer == "conv2d_2":
            dead = [0, 1, 2, 3, 4]
            for f in dead:
                weights[bias_index][f] = -on_all[f] - 1.0
            rest = [f for f in range(64) if f not in candidates[:count] and f not in dead]
            weights[bias_index - 1][..., rest] = 0.0  # these filters output 1 everywhere
            weights[bias_index][rest] = 1.0
        model.set_weights(weights)
    expected = {}
    for layer in ("conv2d_1", "conv2d_2"):
        blank = nb6.silent_filters(model, data.x_test[:1], layer)
        dead = nb6.silent_filters(model, data.x_test, layer)
        expected[layer] = (blank - dead, dead)
    # The construction holds: these are the sets the notebook's cells would print.
    assert expected["conv2d_2"] == (set(candidates[:3]), {0, 1, 2, 3, 4})
    assert expected["conv2d_1"][0] and expected["conv2d_1"][0] != expected["conv2d_2"][0]
    return model, data, expected


def test_blank_not_dead_right_and_missing(crafted):
    model, data, expected = crafted
    right = sorted(expected["conv2d_2"][0])
    assert len(right) == 3
    for answer in (right, right[::-1], np.array(right), set(right), tuple(right)):
        assert feedback(nb6.q1, answer, model, data)[0] == CORRECT, answer
    assert feedback(nb6.q1, ..., model, data)[0] == MISSING


def test_blank_not_dead_names_each_cause(crafted):
    model, data, expected = crafted
    alive_blank, dead = expected["conv2d_2"]
    right = sorted(alive_blank)
    earlier = sorted(expected["conv2d_1"][0])
    some_dead = sorted(dead)[:1]
    lit = next(f for f in range(64) if f not in alive_blank | dead)
    assert set(right[-2:]) != set(earlier)  # two causes the cases tell apart
    cases = [
        (sorted(alive_blank | dead), "every map blank for this digit (8 maps); 5 of them"),
        (sorted(dead), "those are conv2d_2's dead filters, 0 for all 200 test digits"),
        (earlier, "that is the answer for conv2d_1, worked in the text"),
        ([*right, lit], f"map {lit} of conv2d_2 is not blank for this digit"),
        ([*right, *some_dead], f"filter {some_dead[0]} is dead: 0 for every one of the 200"),
        (right[-2:], "you have 2 of the 3: 1 more map is blank for this digit"),
        ([], "3 of conv2d_2's maps are blank for this digit and yet respond"),
        ([*right, 64], "numbered 0 to 63; 64 is not one of them"),
        (right[0], f"even for one map: [{right[0]}]"),
        ("2, 12", "as a list of whole numbers, like [2, 12]"),
        ([f in alive_blank for f in range(64)], "not True or False for each map"),
        ([0.5, 1.25], "0.5 is not one. Give the indices of the maps, not their values"),
    ]
    for answer, words in cases:
        status, message = feedback(nb6.q1, answer, model, data)
        assert status == WRONG, (answer, message)
        assert words in message, (answer, message)
        assert "check.q1.hint()" in message


def test_blank_not_dead_without_the_model_says_what_to_pass(crafted):
    model, data, expected = crafted
    right = sorted(expected["conv2d_2"][0])
    status, message = feedback(nb6.q1, right)
    assert status == WRONG and "check.q1.check(answer, model, data)" in message
    status, message = feedback(nb6.q1, right, model)
    assert status == WRONG and "pass the digits as the third argument" in message


def test_blank_not_dead_solution_passes(crafted):
    """The published solution, run with the notebook's own helper ``silent``."""
    model, data, _ = crafted

    def silent(images, layer):  # as notebook 6 defines it
        outputs = lu.feature_maps(model, images, layer)
        return np.flatnonzero(outputs.reshape(-1, outputs.shape[-1]).max(axis=0) == 0)

    scope = {"silent": silent, "digit": data.x_test[:1], "data": data, "model": model}
    scope["check"] = SimpleNamespace(q1=SimpleNamespace(check=lambda *args: None))
    exec(nb6.q1.solution_code, scope)
    assert feedback(nb6.q1, scope["answer"], model, data)[0] == CORRECT


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
