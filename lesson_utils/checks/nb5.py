"""Notebook 5, The whole CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb5 as check
    check.q1.check(answer)
    check.q3.check(answer, model, data)
"""

from __future__ import annotations

import math
import reprlib

import numpy as np

from lesson_utils import training
from lesson_utils.architecture import cnn_architecture
from lesson_utils.checks.answers import as_shape, expect_number, is_real, is_whole
from lesson_utils.checks.exercise import Exercise, NotAnswered, Wrong
from lesson_utils.checks.models import (
    history_not_model,
    is_history,
    not_compiled,
    trained_without_validation,
    training_steps,
)

# lu.build_cnn_model()'s 93,322 parameters: the CNN the lesson trains in notebook 5
LESSON_PARAMETERS = sum(layer.params for layer in cnn_architecture())

# Exercise 1: the first Dense layer (64 units) if the third convolution had 16 filters.
# Flatten then gives 3 x 3 x 16 = 144 numbers: 144 * 64 + 64. (With 32 filters the answer
# would be 18,496, the same as conv2d_1's row of the summary: a misread row would pass.)
_DENSE_WITH_16 = 144 * 64 + 64
_DENSE_CAUSES = {
    576 * 64 + 64: (
        "that is the lesson's layer, with 576 inputs. With 16 filters in the third "
        "convolution, Flatten gives 3 x 3 x 16 numbers, not 3 x 3 x 64."
    ),
    144 * 64: "the weights are right; add one bias per unit.",
    1600 * 64 + 64: (
        "1,600 inputs is the 5x5x64 block before the third convolution; that convolution "
        "shrinks it to 3x3 with 16 channels."
    ),
    400 * 64 + 64: (
        "400 inputs is 5 x 5 x 16: the third convolution also shrinks the maps, from 5x5 to 3x3."
    ),
    144 * 10 + 10: "that has 10 units; the first Dense layer has 64 (dense_units).",
    # Other rows of lu.build_cnn_model(filters=(32, 64, 16)).summary():
    3 * 3 * 64 * 16 + 16: (
        "that is conv2d_2's count in the summary (the third convolution: 3 x 3 x 64 x 16 "
        "weights + 16 biases); the question asks for the first Dense layer, dense."
    ),
    3 * 3 * 32 * 64 + 64: (
        "that is conv2d_1's count in the summary, the second convolution; the question asks "
        "for the first Dense layer, dense."
    ),
    64 * 10 + 10: (
        "that is dense_1's count in the summary, the last layer (10 units); the question asks "
        "for the first Dense layer, dense (64 units)."
    ),
    3 * 3 * 32 + 32: (
        "that is conv2d's count in the summary, the first convolution; the question asks "
        "for the first Dense layer, dense."
    ),
    320 + 18_496 + 9_232 + 9_280 + 650: (
        "that is the whole model's total in the summary; the question asks for the first "
        "Dense layer alone, dense."
    ),
}

_check_dense_count = expect_number(
    _DENSE_WITH_16, "the first Dense layer's parameters", causes=_DENSE_CAUSES
)


def validation_split_of(data, fraction: float = training.VALIDATION_SPLIT):
    """The validation images and labels ``train_cnn_model(..., validation_split=fraction)``
    holds out: the last ``fraction`` of the training images."""
    return training.split_validation(data.x_train, data.y_train, fraction)[1]


_RENAME = (
    "Name your variant's history `variant_history` (variant_history = "
    "lu.train_cnn_model(variant, ...)), run the lesson's training cell (history = "
    "lu.train_cnn_model(model, ...)) again, then this cell."
)


def _history_problem(history, model, scores) -> str | None:
    """Why ``history`` is not the lesson's CNN's training history with validation; None if
    it may well be. A Keras History knows its model; a NumPy one is recognised as the
    variant's when its last validation scores are exactly the variant's."""
    logs = history.history
    trained = getattr(history, "model", None)
    val_accuracy, val_loss = logs.get("val_accuracy"), logs.get("val_loss")
    same_scores = (
        bool(val_accuracy)
        and bool(val_loss)
        and val_accuracy[-1] == scores["accuracy"]
        and math.isclose(val_loss[-1], scores["loss"], rel_tol=1e-5)
    )
    if trained is model or (trained is None and same_scores):
        return (
            "`history` is your variant's training history, not the lesson's: "
            "`history = lu.train_cnn_model(variant, ...)` replaced the lesson's. " + _RENAME
        )
    count = getattr(trained, "count_params", None)
    if callable(count) and count() != LESSON_PARAMETERS:
        return (
            f"`history` is the training history of a model with {count():,} parameters, not "
            f"of the lesson's CNN ({LESSON_PARAMETERS:,}): did your own training replace it? "
            + _RENAME
        )
    if "val_accuracy" not in logs:
        return (
            "`history` holds no validation accuracy (val_accuracy), so it is not the history "
            "of the lesson's training, which holds out validation digits "
            "(validation_split=0.1): did your variant's training replace it? " + _RENAME
        )
    return None


def _check_variant(model, data, lesson_history):
    if is_history(model):
        return history_not_model("check.q2.check(variant, data, history)")
    if not hasattr(model, "count_params") or not hasattr(model, "predict"):
        return "give the trained model itself (the object build_cnn_model returned)."
    if not hasattr(data, "x_train"):
        return "pass the data as lu.load_mnist() returned it (the variable data)."
    if lesson_history is Ellipsis:
        raise NotAnswered(
            "`history` is still ...: run the lesson's training cell (history = "
            "lu.train_cnn_model(model, ...)) above, then this cell again."
        )
    if not isinstance(getattr(lesson_history, "history", None), dict):
        return (
            "the third argument should be the lesson's training history, what history = "
            f"lu.train_cnn_model(model, ...) returned; got {reprlib.repr(lesson_history)}. "
            "Run the lesson's training cell again, then this cell."
        )
    if model.count_params() == LESSON_PARAMETERS:
        return (
            "this has exactly the lesson's 93,322 parameters: change something (filters, "
            "dense_units, kernel_size) to make it your own."
        )
    if problem := not_compiled(model):
        return problem
    x_val, y_val = validation_split_of(data)
    scores = training.evaluate_cnn_model(model, x_val, y_val)
    accuracy = scores["accuracy"]
    # Compiling again also sets the count to 0: a model that scores well was trained.
    if training_steps(model) == 0 and accuracy < 0.5:
        return (
            "your model has not been trained yet (it has taken no training step since it "
            f"was compiled), so its {accuracy:.1%} on the validation digits is chance. Train "
            "it first: variant_history = lu.train_cnn_model(variant, data.x_train, "
            "data.y_train, validation_split=0.1)."
        )
    problem = _history_problem(lesson_history, model, scores)
    if problem:
        return problem
    if trained_without_validation(model, data):
        return (
            "your variant was trained on all the training images, the validation digits "
            "too, so comparing it with the lesson's CNN on them would favour it. Train it "
            "with validation_split=0.1 like the lesson's model, so that both are compared "
            "on digits neither trained on: variant_history = lu.train_cnn_model(variant, "
            "data.x_train, data.y_train, validation_split=0.1)."
        )
    if accuracy <= 0.1:
        return (
            f"your model gets {accuracy:.1%} of the validation digits right: no better than "
            "guessing one of 10 digits at random (10%). Train it (for longer) with "
            "lu.train_cnn_model(variant, data.x_train, data.y_train, validation_split=0.1), "
            "and check its learning rate."
        )
    if accuracy < 0.2:
        return (
            f"your model gets {accuracy:.1%} of the validation digits right, little better "
            "than guessing (10%): train it for longer, or check its learning rate."
        )
    lesson_accuracy = lesson_history.history["val_accuracy"][-1]
    print(
        f"On the validation digits: your variant, {model.count_params():,} parameters, "
        f"{accuracy:.1%}; the lesson's CNN, 93,322 parameters, {lesson_accuracy:.1%}."
    )
    return None


# Exercise 3 (read a figure): which mistake does the trained CNN make most often, as
# (true digit, predicted digit)? Read from the confusion matrix; the check counts it
# from the learner's own model and test digits, as the notebook's figure does.


def confusion_of(model, data) -> np.ndarray:
    """counts[true, predicted] on the test digits, predicted as the notebook's figure
    predicts them (``model.predict(data.x_test, verbose=0)``)."""
    from lesson_utils.plots import confusion_matrix

    predicted = np.asarray(model.predict(data.x_test, verbose=0)).argmax(axis=1)
    return confusion_matrix(data.y_test, predicted, 10)


def _pair(answer) -> tuple[int, int]:
    """The answer as (true, predicted), two digits 0-9; raises Wrong for anything else."""
    example = "give the pair as (true digit, predicted digit), such as (4, 9)"
    if is_real(answer) and is_whole(answer) and 10 <= answer <= 99:
        raise Wrong(
            f"{example}: {int(answer)} is one number. For the digits {int(answer) // 10} and "
            f"{int(answer) % 10}, write ({int(answer) // 10}, {int(answer) % 10}); the question "
            "asks which two digits, not how many mistakes."
        )
    if is_real(answer):
        raise Wrong(
            f"{example}, not one number: the question asks which two digits, not how many mistakes."
        )
    pair = as_shape(answer)
    if pair is None or len(pair) != 2:
        raise Wrong(f"{example}; got {reprlib.repr(answer)}.")
    if not all(0 <= digit <= 9 for digit in pair):
        raise Wrong(f"the digits are 0 to 9; {pair} is not a pair of them.")
    return pair


def _check_most_confused(answer, model=None, data=None):
    if is_history(model) or not hasattr(model, "predict"):
        raise Wrong(
            "pass the lesson's trained CNN as the second argument: "
            "check.q3.check(answer, model, data)."
        )
    if not hasattr(data, "x_test") or not hasattr(data, "y_test"):
        raise Wrong("pass the digits as the third argument: check.q3.check(answer, model, data).")
    true, predicted = _pair(answer)
    counts = confusion_of(model, data)
    mistakes = counts - np.diag(np.diag(counts))
    most = int(mistakes.max())
    if true == predicted:
        return (
            f"({true}, {true}) is on the diagonal: the {counts[true, true]} there are the "
            f"{true}s read right. The question asks for a mistake, a cell off the diagonal."
        )
    if mistakes[true, predicted] == most:
        tied = [tuple(int(i) for i in cell) for cell in np.argwhere(mistakes == most)]
        others = [cell for cell in tied if cell != (true, predicted)]
        also = f" (tied with {', '.join(map(str, others))})" if others else ""
        print(
            f"{most} of the test {true}s read as {predicted}{also}: the "
            "largest count off the diagonal."
        )
        return None
    if mistakes[predicted, true] == most:
        return (
            f"the cell in row {true}, column {predicted} holds {mistakes[true, predicted]}: "
            "did you read the axes the wrong way round? Rows are the true digit (the "
            "left side), columns the predicted one (along the bottom), so a pair "
            "(true, predicted) is (row, column)."
        )
    return (
        f"the cell in row {true}, column {predicted} holds {mistakes[true, predicted]}, "
        f"and a cell off the diagonal holds {most}: look for the largest count outside "
        "the diagonal, then read its row (the true digit) and its column (the predicted one)."
    )


exercise = Exercise.of_notebook(5)

q1 = exercise(
    number=1,
    title="A Dense layer after a narrower convolution",
    checker=_check_dense_count,
    hint_text=(
        "Work out what Flatten hands the Dense layer first: the third convolution's output "
        "is 3x3, with one channel per filter. Then inputs x units + one bias per unit."
    ),
    solution_code="answer = (3 * 3 * 16) * 64 + 64  # 144 inputs: 9,280",
)

q2 = exercise(
    number=2,
    title="A CNN of your own",
    checker=_check_variant,
    hint_text=(
        "Call lu.build_cnn_model with other arguments, for example filters=(32, 64, 32) or "
        "dense_units=128; compile it, train it with validation_split=0.1 like the lesson's "
        "(variant_history = lu.train_cnn_model(variant, ...): history must stay the lesson's, "
        "which the check compares with), and print variant.count_params() before you guess "
        "how it will do."
    ),
    solution_code=(
        "variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))\n"
        "variant_history = lu.train_cnn_model(variant, data.x_train, data.y_train,\n"
        "                                     validation_split=0.1)  # history stays the lesson's\n"
        "print(f'{variant.count_params():,} parameters')  # 129,066: more than 93,322!\n"
        "check.q2.check(variant, data, history)\n"
        "# Fewer filters, yet more parameters: with two convolutions the maps stay 11x11,\n"
        "# so Flatten hands 11 x 11 x 32 = 3,872 numbers to the Dense layer (576 in the lesson)."
    ),
    praise="a model of your own, trained and compared on the validation digits.",
)

q3 = exercise(
    number=3,
    title="Read the confusion matrix: the commonest mistake",
    checker=_check_most_confused,
    hint_text=(
        "Leave the diagonal out: it holds the digits read right. Find the largest count "
        "in any other cell; its row (left side) is the true digit, its column (bottom) "
        "the digit the network predicted. Where several cells tie, any of them is right."
    ),
    solution_code=(
        "counts = lu.plots.confusion_matrix(data.y_test, predicted)\n"
        "np.fill_diagonal(counts, 0)  # the digits read right are not mistakes\n"
        "answer = np.unravel_index(counts.argmax(), counts.shape)  # (row, column)\n"
        "check.q3.check(answer, model, data)"
    ),
    praise="rows are the truth, columns the network's answer.",
)

EXERCISES = [q1, q2, q3]
