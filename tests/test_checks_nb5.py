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
    assert feedback(nb5.q1, 9_280)[0] == CORRECT
    assert feedback(nb5.q1, ...)[0] == MISSING
    scope = {}
    exec(nb5.q1.solution_code, scope)
    assert feedback(nb5.q1, scope["answer"])[0] == CORRECT


def test_dense_count_agrees_with_the_model():
    model = lu.build_cnn_model(filters=(32, 64, 16), backend="numpy")
    dense = next(layer for layer in model.layers if layer.name == "dense")
    assert dense.count_params() == 9_280


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (36_928, "576 inputs"),  # the lesson's layer: the wrong number of inputs
        (1600 * 64 + 64, "before the third convolution"),  # inputs counted before conv2d_2
        (400 * 64 + 64, "also shrinks the maps"),  # 5x5x16: forgot conv2d_2 shrinks 5 -> 3
        (9_216, "add one bias per unit"),
        (1_450, "has 10 units"),
        (9_232, "conv2d_2's count in the summary"),
        (18_496, "conv2d_1's count in the summary"),  # the second convolution's row
        (650, "dense_1's count in the summary"),
        (320, "conv2d's count in the summary"),
        (37_978, "the whole model's total"),
        ([9_280], "as a number"),
        (5_000, "too low"),
        (90_000, "too high"),
        ("9280", "as a number"),
    ],
)
def test_dense_count_names_each_cause(answer, words):
    status, message = feedback(nb5.q1, answer)
    assert status == WRONG and words in message and "check.q1.hint()" in message


def test_dense_count_names_the_summarys_other_rows():
    """Each other row of lu.build_cnn_model(filters=(32, 64, 16)).summary() that the
    feedback names is that row's count; the right answer is dense's, and no other row's."""
    model = lu.build_cnn_model(filters=(32, 64, 16), backend="numpy")
    counts = {layer.name: layer.count_params() for layer in model.layers}
    for name in ("conv2d", "conv2d_1", "conv2d_2", "dense_1"):
        assert f"{name}'s count" in feedback(nb5.q1, counts[name])[1], name
    others = [n for n, c in counts.items() if n != "dense" and c == counts["dense"]]
    assert not others, f"a misread row ({others}) would pass"
    assert "whole model's total" in feedback(nb5.q1, model.count_params())[1]


@pytest.fixture
def numpy_backend(monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")


@pytest.fixture
def data(numpy_backend, quick):
    lu.set_global_seed(0)
    return lu.load_mnist(source="sample", verbose=False)


# The lesson's History as the check reads it (a NumPy History has no model attribute).
LESSON_HISTORY = SimpleNamespace(history={"val_accuracy": [0.95], "val_loss": [0.17]})


def always_predicting(digit, data, trained=True):
    """A NumPy model that answers ``digit`` for every image (not the lesson's size); with
    ``trained``, its optimiser counts one step, as after training."""
    model = lu.build_cnn_model(filters=(8, 16), dense_units=16, backend="numpy")
    weights = model.get_weights()
    weights[-2][:] = 0.0
    weights[-1][:] = 0.0
    weights[-1][digit] = 10.0
    model.set_weights(weights)
    model.optimizer.step = 1 if trained else 0
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


@pytest.mark.parametrize("share", ["rarest", "commonest"])
def test_untrained_variant_is_told_to_train_whatever_its_score(data, share):
    """Never trained: 'train it first', whether chance puts it under 10% or above."""
    _, y_val = nb5.validation_split_of(data)
    counts = np.bincount(y_val, minlength=10)
    digit = int(counts.argmin() if share == "rarest" else counts.argmax())
    model = always_predicting(digit, data, trained=False)
    status, message = feedback(nb5.q2, model, data, LESSON_HISTORY)
    assert status == WRONG and "has not been trained yet" in message
    assert "Train it first" in message


def test_fresh_compiled_variant_is_told_to_train(data):
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))
    status, message = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == WRONG and "has not been trained yet" in message


def test_lesson_history_that_is_not_a_history(data):
    variant = always_predicting(0, data)
    status, message = feedback(nb5.q2, variant, data, ...)
    assert status == MISSING and message.startswith("`history` is still ...: run the lesson's")
    for wrong in (None, "history", {"val_accuracy": [0.9]}):
        status, message = feedback(nb5.q2, variant, data, wrong)
        assert status == WRONG and "should be the lesson's training history" in message
        assert "Error" not in message


def test_history_of_another_keras_model_is_named(data):
    """A Keras History knows its model: one that is not the lesson's 93,322 is named."""
    variant = always_predicting(0, data)
    _, y_val = nb5.validation_split_of(data)
    logs = {"val_accuracy": [0.9], "val_loss": [0.3]}
    other = SimpleNamespace(model=SimpleNamespace(count_params=lambda: 12_345), history=logs)
    message = feedback(nb5.q2, variant, data, other)[1]
    assert "a model with 12,345 parameters, not of the lesson's CNN (93,322)" in message
    assert "variant_history" in message
    own = SimpleNamespace(model=variant, history=logs)
    assert "is your variant's training history" in feedback(nb5.q2, variant, data, own)[1]
    lessons = SimpleNamespace(model=SimpleNamespace(count_params=lambda: 93_322), history=logs)
    message = feedback(nb5.q2, variant, data, lessons)[1]
    assert "history" not in message and "guessing" in message  # the next cause


def test_variant_other_causes(data):
    lesson = lu.compile_cnn_model(lu.build_cnn_model())
    assert "exactly the lesson's 93,322" in feedback(nb5.q2, lesson, data, LESSON_HISTORY)[1]
    assert "give the trained model" in feedback(nb5.q2, "model", data, LESSON_HISTORY)[1]
    variant = lu.build_cnn_model(filters=(16, 32), dense_units=32)
    assert "as lu.load_mnist() returned it" in feedback(nb5.q2, variant, "data", LESSON_HISTORY)[1]
    assert feedback(nb5.q2, ..., data, LESSON_HISTORY)[0] == MISSING


def test_trained_variant_is_compared_on_the_validation_digits(data, capsys):
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))
    history = lu.train_cnn_model(
        variant, data.x_train, data.y_train, validation_split=0.1, verbose=0
    )
    assert variant.count_params() == 129_066  # fewer filters, more parameters (a larger Flatten)
    status, _ = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == CORRECT
    out = capsys.readouterr().out
    assert "On the validation digits" in out and "the lesson's CNN, 93,322 parameters, 95.0%" in out

    # history = lu.train_cnn_model(variant, ...) replaced the lesson's history: said so,
    # not the variant's score printed as the lesson's.
    status, message = feedback(nb5.q2, variant, data, history)
    assert status == WRONG and "`history` is your variant's training history" in message
    assert "variant_history" in message and "training cell" in message
    assert capsys.readouterr().out == ""

    # ... and trained without validation: no val_accuracy, and no KeyError.
    no_validation = lu.numpy_model.History()
    no_validation.history = {key: history.history[key] for key in ("loss", "accuracy")}
    status, message = feedback(nb5.q2, variant, data, no_validation)
    assert status == WRONG and "holds no validation accuracy (val_accuracy)" in message
    assert "KeyError" not in message and "variant_history" in message


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


@pytest.mark.tensorflow
def test_keras_variant_untrained_then_its_history_passed_as_the_lessons(quick):
    """Keras: an untrained compiled variant is told to train whatever its score; once
    trained, its own History (history.model is the variant) is not taken for the lesson's."""
    pytest.importorskip("tensorflow")
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), backend="tensorflow"))
    status, message = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == WRONG and "has not been trained yet" in message
    history = lu.train_cnn_model(
        variant, data.x_train, data.y_train, epochs=1, validation_split=0.1, verbose=0
    )
    status, message = feedback(nb5.q2, variant, data, history)
    assert status == WRONG and "`history` is your variant's training history" in message


def test_variant_given_as_its_history_is_told_where_the_model_is(data):
    """variant = lu.train_cnn_model(...) keeps the History, not the model."""
    history = lu.numpy_model.History()
    history.history = {"loss": [0.5], "accuracy": [0.8], "val_loss": [0.4]}
    status, message = feedback(nb5.q2, history, data, LESSON_HISTORY)
    assert status == WRONG
    assert "train_cnn_model returns the training history" in message
    assert "the one you passed to it (built with lu.build_cnn_model)" in message


def test_variant_trained_without_validation_keras_history(data):
    """A Keras model keeps its last training's History: no val_accuracy, no val_loss."""
    variant = always_predicting(0, data)
    variant.history = SimpleNamespace(history={"loss": [0.3], "accuracy": [0.9]})
    status, message = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == WRONG and "trained on all the training images" in message
    assert "validation_split=0.1 like the lesson's model" in message
    assert "digits neither trained on" in message
    variant.history.history.update(val_loss=[0.3], val_accuracy=[0.9])
    message = feedback(nb5.q2, variant, data, LESSON_HISTORY)[1]
    assert "validation_split=0.1 like" not in message


@pytest.mark.parametrize("split", [0.0, 0.1])
def test_variant_trained_without_validation_numpy_steps(data, split):
    """A NumPy model keeps no History: its step count tells. On 700 images an epoch is 6
    steps of 128; with validation_split=0.1 (630 images) it is 5."""
    few = SimpleNamespace(x_train=data.x_train[:700], y_train=data.y_train[:700])
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), dense_units=16))
    lu.train_cnn_model(
        variant, few.x_train, few.y_train, epochs=1, validation_split=split, verbose=0
    )
    assert variant.optimizer.step == (6 if split == 0.0 else 5)
    message = feedback(nb5.q2, variant, few, LESSON_HISTORY)[1]
    assert ("digits neither trained on" in message) == (split == 0.0), message


@pytest.mark.tensorflow
def test_keras_variant_trained_without_validation_is_told_to_hold_out_digits(quick):
    """Keras keeps the last training's History on the model (model.history): trained
    without validation_split it has no val_accuracy, whatever the step count."""
    pytest.importorskip("tensorflow")
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), backend="tensorflow"))
    lu.train_cnn_model(variant, data.x_train, data.y_train, epochs=1, verbose=0)
    status, message = feedback(nb5.q2, variant, data, LESSON_HISTORY)
    assert status == WRONG and "validation_split=0.1 like the lesson's model" in message


# Exercise 3 (read the confusion matrix). Test digits and a stand-in model that predicts
# them as chosen: 7s read as 2 four times (the commonest mistake), 2s read as 7 three
# times (the swapped cell), 3s read as 5 twice.
TRUE = np.array([0] * 5 + [2] * 6 + [7] * 6 + [3] * 4)
PREDICTED = np.array([0] * 5 + [2] * 3 + [7] * 3 + [7] * 2 + [2] * 4 + [3, 3, 5, 5])
DIGITS = SimpleNamespace(x_test=np.arange(len(TRUE)), y_test=TRUE)


class Predicting:
    """A model whose predict gives probabilities with ``predicted[i]`` the most probable."""

    def __init__(self, predicted):
        self.predicted = np.asarray(predicted)

    def predict(self, images, verbose=0):
        return np.eye(10)[self.predicted[images]]


def test_most_confused_right_and_missing(capsys):
    model = Predicting(PREDICTED)
    assert np.array_equal(nb5.confusion_of(model, DIGITS)[[7, 2, 3], [2, 7, 5]], [4, 3, 2])
    for right in [(7, 2), [7, 2], np.array([7, 2]), (np.int64(7), 2.0)]:
        assert feedback(nb5.q3, right, model, DIGITS)[0] == CORRECT, right
    assert "4 of the test 7s read as 2: the largest count off the diagonal" in (
        capsys.readouterr().out
    )
    assert feedback(nb5.q3, ..., model, DIGITS)[0] == MISSING
    assert feedback(nb5.q3, None, model, DIGITS)[0] == MISSING


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ((2, 7), "did you read the axes the wrong way round?"),  # true and predicted swapped
        ((2, 7), "row 2, column 7 holds 3"),
        ((7, 7), "(7, 7) is on the diagonal: the 2 there are the 7s read right"),
        ((3, 5), "row 3, column 5 holds 2, and a cell off the diagonal holds 4"),
        ((5, 3), "row 5, column 3 holds 0"),  # neither the cell nor its mirror
        (4, "not one number"),  # the count, not the pair
        (49, "For the digits 4 and 9, write (4, 9)"),  # the pair typed without brackets
        ("7, 2", "as (true digit, predicted digit)"),
        ((7,), "as (true digit, predicted digit)"),
        ((7, 2, 1), "as (true digit, predicted digit)"),
        ((7.5, 2), "as (true digit, predicted digit)"),
        ((7, 12), "the digits are 0 to 9"),
        ((-1, 2), "the digits are 0 to 9"),
    ],
)
def test_most_confused_names_each_cause(answer, words):
    status, message = feedback(nb5.q3, answer, Predicting(PREDICTED), DIGITS)
    assert status == WRONG, message
    assert words in message, message
    assert "check.q3.hint()" in message and "Error" not in message


def test_most_confused_accepts_every_tied_cell(capsys):
    """All four 3s read as 5, as many as the 7s read as 2: either cell is right, and the
    other is named as tied."""
    tied = np.where(TRUE == 3, 5, PREDICTED)
    model = Predicting(tied)
    counts = nb5.confusion_of(model, DIGITS)
    assert counts[7, 2] == counts[3, 5] == 4
    assert feedback(nb5.q3, (3, 5), model, DIGITS)[0] == CORRECT
    assert "(tied with (7, 2))" in capsys.readouterr().out
    assert feedback(nb5.q3, (7, 2), model, DIGITS)[0] == CORRECT
    assert "(tied with (3, 5))" in capsys.readouterr().out
    assert "wrong way round" in feedback(nb5.q3, (2, 7), model, DIGITS)[1]


def test_most_confused_with_a_numpy_model_that_always_answers_one_digit(data):
    """Every true digit other than 0 read as 0: the commonest true digit's cell is the
    largest (all of them where the test digits are as many of each)."""
    model = always_predicting(0, data)
    counts = np.bincount(data.y_test, minlength=10)
    counts[0] = 0
    commonest = int(counts.argmax())
    assert feedback(nb5.q3, (commonest, 0), model, data)[0] == CORRECT
    message = feedback(nb5.q3, (0, commonest), model, data)[1]
    assert "the wrong way round" in message


def test_most_confused_without_the_model_says_what_to_pass():
    model = Predicting(PREDICTED)
    history = SimpleNamespace(history={"loss": [0.3]})
    for context in [(), (None, DIGITS), (history, DIGITS), ("model", DIGITS)]:
        status, message = feedback(nb5.q3, (7, 2), *context)
        assert status == WRONG and "check.q3.check(answer, model, data)" in message
    status, message = feedback(nb5.q3, (7, 2), model, None)
    assert status == WRONG and "as the third argument" in message


def test_most_confused_solution_passes():
    model = Predicting(PREDICTED)
    predicted = model.predict(DIGITS.x_test).argmax(axis=1)
    scope = {"np": np, "lu": lu, "data": DIGITS, "predicted": predicted}
    exec("\n".join(nb5.q3.solution_code.splitlines()[:-1]), scope)
    assert feedback(nb5.q3, scope["answer"], model, DIGITS)[0] == CORRECT


def test_every_exercise_is_tested():
    assert [e.number for e in nb5.EXERCISES] == [1, 2, 3]


@pytest.mark.tensorflow
def test_most_confused_with_a_briefly_trained_keras_model(quick):
    """The notebook's way of reading the figure (its `predicted`) agrees with the check's
    count on a Keras model, and the diagonal is told apart."""
    pytest.importorskip("tensorflow")
    from lesson_utils.plots import confusion_matrix

    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(filters=(8, 16), backend="tensorflow"))
    lu.train_cnn_model(model, data.x_train, data.y_train, epochs=1, verbose=0)
    predicted = np.asarray(model.predict(data.x_test, verbose=0)).argmax(axis=1)
    counts = confusion_matrix(data.y_test, predicted)
    np.fill_diagonal(counts, 0)
    answer = np.unravel_index(counts.argmax(), counts.shape)
    assert feedback(nb5.q3, answer, model, data)[0] == CORRECT
    assert "on the diagonal" in feedback(nb5.q3, (answer[0], answer[0]), model, data)[1]
