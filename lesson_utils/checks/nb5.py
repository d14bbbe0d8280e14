"""Notebook 5, The whole CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb5 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import math
import reprlib

from lesson_utils.checks.core import Exercise, NotAnswered, _expect_number

LESSON_PARAMETERS = 93_322  # lu.build_cnn_model(): the CNN the lesson trains in notebook 5

# Exercise 1: the first Dense layer (64 units) if the third convolution had 32 filters.
# Flatten then gives 3 x 3 x 32 = 288 numbers: 288 * 64 + 64.
_DENSE_WITH_32 = 288 * 64 + 64
_DENSE_CAUSES = {
    576 * 64 + 64: (
        "that is the lesson's layer, with 576 inputs. With 32 filters in the third "
        "convolution, Flatten gives 3 x 3 x 32 numbers, not 3 x 3 x 64."
    ),
    288 * 64: "the weights are right; add one bias per unit.",
    1600 * 64 + 64: (
        "1,600 inputs is the 5x5x64 block before the third convolution; that convolution "
        "shrinks it to 3x3 with 32 channels."
    ),
    800 * 64 + 64: (
        "800 inputs is 5 x 5 x 32: the third convolution also shrinks the maps, from 5x5 to 3x3."
    ),
    288 * 10 + 10: "that has 10 units; the first Dense layer has 64 (dense_units).",
    # Other rows of lu.build_cnn_model(filters=(32, 64, 32)).summary():
    3 * 3 * 64 * 32 + 32: (
        "that is conv2d_2's count in the summary (the third convolution: 3 x 3 x 64 x 32 "
        "weights + 32 biases); the question asks for the first Dense layer, dense."
    ),
    64 * 10 + 10: (
        "that is dense_1's count in the summary, the last layer (10 units); the question asks "
        "for the first Dense layer, dense (64 units)."
    ),
    3 * 3 * 32 + 32: (
        "that is conv2d's count in the summary, the first convolution; the question asks "
        "for the first Dense layer, dense."
    ),
    320 + 18_496 + 18_464 + 18_496 + 650: (
        "that is the whole model's total in the summary; the question asks for the first "
        "Dense layer alone, dense."
    ),
}

_check_dense_count = _expect_number(
    _DENSE_WITH_32, "the first Dense layer's parameters", causes=_DENSE_CAUSES
)


def validation_split_of(data, fraction: float = 0.1):
    """The validation images and labels ``train_cnn_model(..., validation_split=fraction)``
    holds out: the last ``fraction`` of the training images."""
    cut = len(data.x_train) - int(len(data.x_train) * fraction)
    return data.x_train[cut:], data.y_train[cut:]


def _training_steps(model) -> int | None:
    """How many optimiser steps a model has taken since it was compiled; None if unknown.

    Keras counts them in ``model.optimizer.iterations``, the NumPy backend in
    ``model.optimizer.step``. Compiling again starts the count again at 0.
    """
    optimizer = getattr(model, "optimizer", None)
    for name in ("iterations", "step"):
        count = getattr(optimizer, name, None)
        if count is not None:
            try:
                return int(count)
            except (TypeError, ValueError):
                return None
    return None


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
    from lesson_utils.model import model_backend
    from lesson_utils.training import evaluate_cnn_model

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
    if model_backend(model) == "tensorflow" and getattr(model, "optimizer", None) is None:
        return "compile and train your model first (compile_cnn_model, train_cnn_model)."
    x_val, y_val = validation_split_of(data)
    scores = evaluate_cnn_model(model, x_val, y_val)
    accuracy = scores["accuracy"]
    # Compiling again also sets the count to 0: a model that scores well was trained.
    if _training_steps(model) == 0 and accuracy < 0.5:
        return (
            "your model has not been trained yet (it has taken no training step since it "
            f"was compiled), so its {accuracy:.1%} on the validation digits is chance. Train "
            "it first: variant_history = lu.train_cnn_model(variant, data.x_train, "
            "data.y_train, validation_split=0.1)."
        )
    problem = _history_problem(lesson_history, model, scores)
    if problem:
        return problem
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


q1 = Exercise(
    5,
    1,
    "A Dense layer after a narrower convolution",
    _check_dense_count,
    "Work out what Flatten hands the Dense layer first: the third convolution's output "
    "is 3x3, with one channel per filter. Then inputs x units + one bias per unit.",
    "answer = (3 * 3 * 32) * 64 + 64  # 288 inputs: 18,496",
)

q2 = Exercise(
    5,
    2,
    "A CNN of your own",
    _check_variant,
    "Call lu.build_cnn_model with other arguments, for example filters=(32, 64, 32) or "
    "dense_units=128; compile it, train it with validation_split=0.1 like the lesson's "
    "(variant_history = lu.train_cnn_model(variant, ...): history must stay the lesson's, "
    "which the check compares with), and print variant.count_params() before you guess "
    "how it will do.",
    "variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))\n"
    "variant_history = lu.train_cnn_model(variant, data.x_train, data.y_train,\n"
    "                                     validation_split=0.1)  # history stays the lesson's\n"
    "print(f'{variant.count_params():,} parameters')  # 129,066: more than 93,322!\n"
    "check.q2.check(variant, data, history)\n"
    "# Fewer filters, yet more parameters: with two convolutions the maps stay 11x11,\n"
    "# so Flatten hands 11 x 11 x 32 = 3,872 numbers to the Dense layer (576 in the lesson).",
    praise="a model of your own, trained and compared on the validation digits.",
)

EXERCISES = [q1, q2]
