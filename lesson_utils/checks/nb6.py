"""Notebook 6, Inside the trained CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb6 as check
    check.q1.check(answer)
"""

from __future__ import annotations

from lesson_utils.checks.core import (
    Exercise,
    NotAnswered,
    _as_shape,
    _expect_shape,
    _unanswered,
)


def _check_fashion(model, fashion):
    from lesson_utils.training import evaluate_cnn_model

    if _unanswered(fashion):
        raise NotAnswered(
            f"`fashion` is {'still ...' if fashion is Ellipsis else 'None'}: load it with "
            "`fashion = lu.load_fashion_mnist()` and run the cell again."
        )
    if getattr(fashion, "name", None) != "fashion_mnist":
        return "pass the Fashion-MNIST data set itself, as lu.load_fashion_mnist() returns it."
    if not hasattr(model, "predict"):
        return "give the model you trained on Fashion-MNIST."
    accuracy = evaluate_cnn_model(model, fashion.x_test, fashion.y_test)["accuracy"]
    if accuracy <= 0.1:
        return (
            f"on the Fashion-MNIST test images your model scores {accuracy:.1%}: no better "
            "than guessing one of the 10 classes at random (10%). Train it on "
            "fashion.x_train and fashion.y_train first."
        )
    if accuracy < 0.4:
        return (
            f"on the Fashion-MNIST test images your model scores {accuracy:.1%}: was it "
            "trained on Fashion-MNIST (fashion.x_train, fashion.y_train) rather than on "
            "digits, and for at least one epoch?"
        )
    print(f"Fashion-MNIST test accuracy: {accuracy:.1%}.")
    return None


# Exercise 1: the lesson's CNN on a 32x32 image. 32 -> conv 30 -> pool 15 -> conv 13
# -> pool 6 (13 / 2 rounds down) -> conv 4.
_POOLED_32 = (6, 6, 64)
_POOLED_32_CAUSES = {
    (5, 5, 64): (
        "that is what a 28x28 digit gives, printed above; start from 32x32: "
        "each 3x3 convolution takes 2 off, each pooling halves."
    ),
    (7, 7, 64): (
        "pooling 13x13 by 2x2 gives 6x6: 13 / 2 rounds down, the odd last row and "
        "column are dropped."
    ),
    (4, 4, 64): "that is conv2d_2's output, one layer later.",
    (13, 13, 64): "that is conv2d_1's output: max_pooling2d_1 halves it.",
    (8, 8, 64): (
        "32 -> 30 -> 15 so far, but conv2d_1 takes 2 off (15 -> 13) before the pooling halves it."
    ),
    (6, 6, 32): "conv2d_1 has 64 filters, so its maps, and their pooling, have 64 channels.",
}


def _check_pooled_shape(answer):
    shape = _as_shape(answer)
    if shape in _POOLED_32_CAUSES:
        return f"{shape} is not max_pooling2d_1's output here: {_POOLED_32_CAUSES[shape]}"
    return _expect_shape(_POOLED_32, "max_pooling2d_1's output")(answer)


q1 = Exercise(
    6,
    1,
    "The same layers on a larger image",
    _check_pooled_shape,
    "Follow one 32x32 image down the table above: a 3x3 convolution (valid) takes 2 off "
    "each side's size, a 2x2 pooling halves it (rounding down); the channels are the "
    "convolution's filters.",
    "answer = (6, 6, 64)  # 32 -> conv2d 30 -> pool 15 -> conv2d_1 13 -> pool 6\n"
    "# check: lu.build_cnn_model(input_shape=(32, 32, 1)).summary()",
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
