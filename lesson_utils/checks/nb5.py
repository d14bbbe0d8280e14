"""Notebook 5, The whole CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb5 as check
    check.q1.check(answer)
"""

from __future__ import annotations

from lesson_utils.checks.core import Exercise, _expect_number


def _check_variant(model, x_test, y_test, lesson_accuracy):
    from lesson_utils.model import model_backend
    from lesson_utils.training import evaluate_cnn_model

    if not hasattr(model, "count_params") or not hasattr(model, "predict"):
        return "give the trained model itself (the object build_cnn_model returned)."
    if model.count_params() == 93_322:
        return (
            "this has exactly the lesson's 93,322 parameters: change something (filters, "
            "dense_units, kernel_size) to make it your own."
        )
    if model_backend(model) == "tensorflow" and getattr(model, "optimizer", None) is None:
        return "compile and train your model first (compile_cnn_model, train_cnn_model)."
    accuracy = evaluate_cnn_model(model, x_test, y_test)["accuracy"]
    if accuracy < 0.2:
        return (
            f"your model gets {accuracy:.1%} of the test images right, little better than "
            "guessing (10%): train it first, or train it for longer."
        )
    print(
        f"Your variant: {model.count_params():,} parameters, {accuracy:.1%} test accuracy; "
        f"the lesson's CNN: 93,322 parameters, {lesson_accuracy:.1%}."
    )
    return None


q1 = Exercise(
    5,
    1,
    "Account for every parameter",
    _expect_number(
        36_928,
        "the parameters of the first Dense layer",
        "Flatten gives 3 x 3 x 64 = 576 numbers; each of the 64 units "
        "has a weight for each, and a bias.",
    ),
    "The Dense layer after Flatten connects 576 inputs to 64 units, plus one bias per unit.",
    "answer = 576 * 64 + 64  # = 36,928",
)

q2 = Exercise(
    5,
    2,
    "A CNN of your own",
    _check_variant,
    "Call lu.build_cnn_model with other arguments, for example filters=(16, 32) or "
    "dense_units=128, then compile it and train it like the lesson's.",
    "variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), "
    "dense_units=32))\nlu.train_cnn_model(variant, data.x_train, data.y_train)\n"
    "check.q2.check(variant, data.x_test, data.y_test, scores['accuracy'])",
    praise="a model of your own, trained and compared.",
)

EXERCISES = [q1, q2]
