"""Notebook 5, The whole CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb5 as check
    check.q1.check(answer)
"""

from __future__ import annotations

from lesson_utils.checks.core import Exercise, _expect_number

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
}


def _check_dense_count(answer):
    if not isinstance(answer, bool) and answer in _DENSE_CAUSES:
        return f"{answer:,} is not the Dense layer's count: {_DENSE_CAUSES[answer]}"
    return _expect_number(_DENSE_WITH_32, "the first Dense layer's parameters")(answer)


def validation_split_of(data, fraction: float = 0.1):
    """The validation images and labels ``train_cnn_model(..., validation_split=fraction)``
    holds out: the last ``fraction`` of the training images."""
    cut = len(data.x_train) - int(len(data.x_train) * fraction)
    return data.x_train[cut:], data.y_train[cut:]


def _check_variant(model, data, lesson_history):
    from lesson_utils.model import model_backend
    from lesson_utils.training import evaluate_cnn_model

    if not hasattr(model, "count_params") or not hasattr(model, "predict"):
        return "give the trained model itself (the object build_cnn_model returned)."
    if not hasattr(data, "x_train"):
        return "pass the data as lu.load_mnist() returned it (the variable data)."
    if model.count_params() == 93_322:
        return (
            "this has exactly the lesson's 93,322 parameters: change something (filters, "
            "dense_units, kernel_size) to make it your own."
        )
    if model_backend(model) == "tensorflow" and getattr(model, "optimizer", None) is None:
        return "compile and train your model first (compile_cnn_model, train_cnn_model)."
    x_val, y_val = validation_split_of(data)
    accuracy = evaluate_cnn_model(model, x_val, y_val)["accuracy"]
    if accuracy <= 0.1:
        return (
            f"your model gets {accuracy:.1%} of the validation digits right: no better than "
            "guessing one of 10 digits at random (10%). Train it first, with "
            "lu.train_cnn_model(variant, data.x_train, data.y_train, validation_split=0.1)."
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
    "dense_units=128; compile it, train it with validation_split=0.1 like the lesson's, "
    "and print variant.count_params() before you guess how it will do.",
    "variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))\n"
    "lu.train_cnn_model(variant, data.x_train, data.y_train, validation_split=0.1)\n"
    "print(f'{variant.count_params():,} parameters')  # 129,066: more than 93,322!\n"
    "check.q2.check(variant, data, history)\n"
    "# Fewer filters, yet more parameters: with two convolutions the maps stay 11x11,\n"
    "# so Flatten hands 11 x 11 x 32 = 3,872 numbers to the Dense layer (576 in the lesson).",
    praise="a model of your own, trained and compared on the validation digits.",
)

EXERCISES = [q1, q2]
