"""Notebook 6, Inside the trained CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb6 as check
    check.q1.check(answer)
"""

from __future__ import annotations

from lesson_utils.checks.core import Exercise, NotAnswered, _unanswered


def _check_fashion(model, fashion):
    from lesson_utils.training import evaluate_cnn_model

    if _unanswered(fashion):
        raise NotAnswered
    if getattr(fashion, "name", None) != "fashion_mnist":
        return "pass the Fashion-MNIST data set itself, as lu.load_fashion_mnist() returns it."
    if not hasattr(model, "predict"):
        return "give the model you trained on Fashion-MNIST."
    accuracy = evaluate_cnn_model(model, fashion.x_test, fashion.y_test)["accuracy"]
    if accuracy < 0.4:
        return (
            f"on the Fashion-MNIST test images your model scores {accuracy:.1%}: was it "
            "trained on Fashion-MNIST (fashion.x_train, fashion.y_train) rather than on "
            "digits, and for at least one epoch?"
        )
    print(f"Fashion-MNIST test accuracy: {accuracy:.1%}.")
    return None


def _check_layer_name(answer):
    if not isinstance(answer, str):
        return f"give the layer's name as a string, like 'conv2d'; got {answer!r}."
    if answer == "conv2d_2":
        return "conv2d_2 outputs 3x3 maps; look one layer earlier."
    if answer != "max_pooling2d_1":
        return f"{answer!r} does not output (5, 5, 64); print model.summary() and look again."
    return None


q1 = Exercise(
    6,
    1,
    "Which layer?",
    _check_layer_name,
    "Print model.summary(): which layer's output shape is (None, 5, 5, 64)?",
    "answer = 'max_pooling2d_1'",
)

q2 = Exercise(
    6,
    2,
    "The same CNN on Fashion-MNIST",
    _check_fashion,
    "Load the clothes with lu.load_fashion_mnist(), then build, compile and train a "
    "new model exactly as for the digits.",
    "fashion = lu.load_fashion_mnist()\nfashion_model = "
    "lu.compile_cnn_model(lu.build_cnn_model())\nlu.train_cnn_model(fashion_model, "
    "fashion.x_train, fashion.y_train)\ncheck.q2.check(fashion_model, fashion)",
    praise="the same architecture learns clothes as well as digits.",
)

EXERCISES = [q1, q2]
