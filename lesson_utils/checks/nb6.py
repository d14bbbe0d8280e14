"""Notebook 6, Inside the trained CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb6 as check
    check.q1.check(answer)
"""

from __future__ import annotations

from lesson_utils import training
from lesson_utils.checks.answers import as_shape, expect_shape, is_unanswered
from lesson_utils.checks.exercise import Exercise, NotAnswered
from lesson_utils.checks.models import history_not_model, is_history, not_compiled, training_steps

# The test accuracy that a model trained by the lesson's recipe clears on Fashion-MNIST
# and one trained on digits does not. Measured with the published solution on the
# bundled sample: a full run scored 81.6-83.3% (NumPy, seeds 0-4), a digits model 5-7%.
# Quick mode (LESSON_QUICK=1) trains 1 epoch of 1,000 images, 8 steps: the solution
# scored 19.8-61.4% (NumPy seeds 0-39, TensorFlow seeds 0-31), a digits model 1.4-14.0%,
# hence a mark of its own between the two. An untrained model (up to 20%) is told
# apart by its step count instead.
PASS_MARK = 0.4
QUICK_PASS_MARK = 0.17


def _pass_mark() -> float:
    from lesson_utils.settings import quick_mode

    return QUICK_PASS_MARK if quick_mode() else PASS_MARK


def _raw_pixels(fashion) -> bool:
    """Whether the data set holds the stored pixels (preprocess=False): uint8 0-255,
    without the channel axis, which the model cannot take."""
    x_test = getattr(fashion, "x_test", None)
    return getattr(x_test, "ndim", 4) != 4 or getattr(x_test, "dtype", None) == "uint8"


def _check_fashion(model, fashion):
    if is_unanswered(fashion):
        raise NotAnswered(
            f"`fashion` is {'still ...' if fashion is Ellipsis else 'None'}: load it with "
            "`fashion = lu.load_fashion_mnist()` and run the cell again."
        )
    if getattr(fashion, "name", None) != "fashion_mnist":
        return "pass the Fashion-MNIST data set itself, as lu.load_fashion_mnist() returns it."
    if is_history(model):
        return history_not_model("check.q2.check(fashion_model, fashion)")
    if not hasattr(model, "predict"):
        return "give the model you trained on Fashion-MNIST."
    if _raw_pixels(fashion):
        return (
            "`fashion` holds the pixels as stored, 0-255 without a channel axis "
            "(lu.load_fashion_mnist(preprocess=False)); the model takes them prepared, "
            "float32 in [0, 1] shaped (n, 28, 28, 1). Load it with "
            "`fashion = lu.load_fashion_mnist()`, train on that, and check again."
        )
    if problem := not_compiled(model):
        return problem
    accuracy = training.evaluate_cnn_model(model, fashion.x_test, fashion.y_test)["accuracy"]
    # Compiling again also sets the count to 0: a model that scores well was trained.
    if training_steps(model) == 0 and accuracy < 0.5:
        return (
            "your model has not been trained yet (it has taken no training step since it "
            f"was compiled), so its {accuracy:.1%} on the Fashion-MNIST test images is "
            "chance. Train it first: lu.train_cnn_model(fashion_model, fashion.x_train, "
            "fashion.y_train)."
        )
    if accuracy <= 0.1:
        return (
            f"on the Fashion-MNIST test images your model scores {accuracy:.1%}: no better "
            "than guessing one of the 10 classes at random (10%). Train it on "
            "fashion.x_train and fashion.y_train first."
        )
    if accuracy < _pass_mark():
        return (
            f"on the Fashion-MNIST test images your model scores {accuracy:.1%}, under the "
            f"{_pass_mark():.0%} that a model trained on them clears: was it trained on "
            "Fashion-MNIST (fashion.x_train, fashion.y_train) rather than on digits, or not "
            "trained for long enough?"
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
    (30, 30, 32): (
        "that is conv2d's output, the first layer (32 - 3 + 1 = 30, 32 filters); go on "
        "through max_pooling2d, conv2d_1 and max_pooling2d_1."
    ),
    (15, 15, 32): (
        "that is max_pooling2d's output, the first pooling; go on through conv2d_1 "
        "(64 filters) and max_pooling2d_1."
    ),
}


def _check_pooled_shape(answer):
    shape = as_shape(answer)
    if shape in _POOLED_32_CAUSES:
        return f"{shape} is not max_pooling2d_1's output here: {_POOLED_32_CAUSES[shape]}"
    return expect_shape(_POOLED_32, "max_pooling2d_1's output")(answer)


exercise = Exercise.of_notebook(6)

q1 = exercise(
    number=1,
    title="The same layers on a larger image",
    checker=_check_pooled_shape,
    hint_text=(
        "Follow one 32x32 image down the layers, as the printed shapes did for 28x28: a 3x3 "
        "convolution (valid) takes 2 off "
        "each side's size, a 2x2 pooling halves it (rounding down); the channels are the "
        "convolution's filters."
    ),
    solution_code=(
        "answer = (6, 6, 64)  # 32 -> conv2d 30 -> pool 15 -> conv2d_1 13 -> pool 6\n"
        "# check: lu.build_cnn_model(input_shape=(32, 32, 1)).summary()"
    ),
)

q2 = exercise(
    number=2,
    title="The same CNN on Fashion-MNIST",
    checker=_check_fashion,
    hint_text=(
        "Load the clothes with lu.load_fashion_mnist(), then build, compile and train a "
        "new model exactly as for the digits."
    ),
    solution_code=(
        "fashion = lu.load_fashion_mnist()\nfashion_model = "
        "lu.compile_cnn_model(lu.build_cnn_model())\nlu.train_cnn_model(fashion_model, "
        "fashion.x_train, fashion.y_train)\ncheck.q2.check(fashion_model, fashion)"
    ),
    praise="the same architecture learns clothes as well as digits.",
)

EXERCISES = [q1, q2]
