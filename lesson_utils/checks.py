"""The exercises' checks: feedback in a sentence, never a traceback.

Each notebook ends with exercises. In the notebook::

    from lesson_utils.checks import nb2 as check
    answer = ...            # the learner replaces ... with an answer
    check.q1.check(answer)  # says right, not quite (and why), or not answered yet
    check.q1.hint()
    check.q1.solution()

Each exercise states its hint and solution once, here; the site's exercise
pages are generated from the same objects, so the two cannot drift.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

CORRECT, WRONG, MISSING = "correct", "wrong", "not answered"


@dataclass
class Feedback:
    """The outcome of one check: a status and the sentence the learner reads."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        mark = {CORRECT: "✅ Correct", WRONG: "❌ Not quite", MISSING: "✏️ Not answered yet"}
        return f"{mark[self.status]}: {self.message}"


def _unanswered(answer) -> bool:
    return answer is Ellipsis or answer is None


class NotAnswered(Exception):
    """Raised by a checker when a learner's function still returns the placeholder ``...``."""


def _call(function, *args):
    """Call a learner's function; a function that still returns ... is not answered yet."""
    result = function(*args)
    if _unanswered(result):
        raise NotAnswered
    return result


@dataclass
class Exercise:
    """One exercise: a checker, a hint and a solution.

    ``checker(answer, *context)`` returns None when the answer is right, or
    the sentence saying what is wrong.
    """

    notebook: int
    number: int
    title: str
    checker: Callable
    hint_text: str
    solution_code: str
    praise: str = "well done."
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"q{self.number}"

    def evaluate(self, answer=..., *context) -> Feedback:
        """Check an answer and return the Feedback (``check`` prints it)."""
        if _unanswered(answer):
            return Feedback(
                MISSING,
                "replace the ... with your answer and run the cell again. "
                f"Stuck? Run check.{self.name}.hint().",
            )
        try:
            problem = self.checker(answer, *context)
        except NotAnswered:
            return Feedback(
                MISSING,
                "your function still returns ...: write its body and run "
                f"the cell again. Stuck? Run check.{self.name}.hint().",
            )
        except Exception as err:  # a learner's own code failing inside the check
            where = traceback.extract_tb(err.__traceback__)[-1]
            return Feedback(
                WRONG,
                f"running your answer raised {type(err).__name__}: {err} "
                f"(line {where.lineno} of {where.name}).",
            )
        if problem is None:
            return Feedback(CORRECT, self.praise)
        return Feedback(WRONG, f"{problem} Run check.{self.name}.hint() for a hint.")

    def check(self, answer=..., *context) -> None:
        """Print whether the answer is right, and if not, what is wrong."""
        print(self.evaluate(answer, *context))

    def hint(self) -> None:
        print(f"💡 Hint: {self.hint_text}")

    def solution(self) -> None:
        print(f"Solution:\n{self.solution_code}")


# ------------------------------------------------------------------ helpers


def _as_shape(answer) -> tuple | None:
    try:
        return tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return None


def _expect_shape(expected: tuple, what: str) -> Callable:
    def checker(answer):
        shape = _as_shape(answer)
        if shape is None:
            return f"give the shape as a tuple of whole numbers, like (2, 3); got {answer!r}."
        if len(shape) != len(expected):
            return f"{what} has {len(expected)} axes; your shape {shape} has {len(shape)}."
        if shape != expected:
            wrong = [i for i, (a, b) in enumerate(zip(shape, expected, strict=True)) if a != b]
            return f"axis {wrong[0]} of your shape {shape} is off."
        return None

    return checker


def _expect_number(expected: float, what: str, too_low: str = "", too_high: str = "") -> Callable:
    def checker(answer):
        if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
            return f"give {what} as a number; got {answer!r}."
        if answer == expected:
            return None
        if answer < expected:
            return f"{answer:,} is too low for {what}. {too_low}".strip()
        return f"{answer:,} is too high for {what}. {too_high}".strip()

    return checker


def _as_array(answer, what: str) -> tuple[np.ndarray | None, str | None]:
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, f"{what} must be numbers in an array or nested lists; got {answer!r}."
    return array, None


# --------------------------------------------------------- notebook 1: arrays


def _check_normalise(function):
    if not callable(function):
        return "give the function itself (its name, without brackets), not its result."
    images = np.array([[[0, 51], [255, 102]]] * 3, dtype=np.uint8)  # (3, 2, 2)
    result = np.asarray(_call(function, images))
    if result.shape != (3, 2, 2, 1):
        return (
            f"for images of shape (3, 2, 2) your function returned shape {result.shape}; "
            "expected (3, 2, 2, 1), with a channel axis at the end."
        )
    if result.dtype != np.float32:
        return f"the pixels should be float32; your function returned {result.dtype}."
    if not np.allclose(result[..., 0], images / 255.0):
        return (
            "the values should run from 0.0 (pixel 0) to 1.0 (pixel 255); "
            f"pixel 51 became {float(result[0, 0, 1, 0]):g}."
        )
    return None


# ----------------------------------------------------- notebook 2: convolution


def _check_edge_kernel(kernel):
    from lesson_utils.numpy_layers import conv2d_loops

    kernel, problem = _as_array(kernel, "your kernel")
    if problem:
        return problem
    if kernel.shape != (3, 3):
        return f"the kernel must be 3x3; yours has shape {kernel.shape}."
    horizontal = np.zeros((8, 8))
    horizontal[4:, :] = 1.0  # dark top, bright bottom
    vertical = horizontal.T.copy()  # dark left, bright right
    flat = np.full((8, 8), 0.5)
    on_edge = conv2d_loops(horizontal, kernel).max()
    across = np.abs(conv2d_loops(vertical, kernel)).max()
    on_flat = np.abs(conv2d_loops(flat, kernel)).max()
    if on_edge <= 0:
        return (
            "on an image that is dark above and bright below, your kernel never gives a "
            "positive response; it should light up along the edge."
        )
    if on_flat > 1e-6:
        return (
            f"on a flat grey image your kernel responds with {on_flat:g}; an edge detector "
            "should give 0 where nothing changes (make its weights add up to 0)."
        )
    if across > 0.25 * on_edge:
        return (
            "your kernel responds almost as much to a vertical edge as to a horizontal one; "
            "it should only see changes from top to bottom."
        )
    return None


# --------------------------------------------------- notebook 3: pooling


POOL_INPUT = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [6, 2, 3, 3]])
POOL_EXPECTED = np.array([[4, 5], [6, 7]])


def _check_pooling(answer):
    array, problem = _as_array(answer, "your answer")
    if problem:
        return problem
    if array.shape != (2, 2):
        return (
            f"2x2 pooling with stride 2 turns a 4x4 grid into 2x2; your answer has shape "
            f"{array.shape}."
        )
    wrong = [(r, c) for r in range(2) for c in range(2) if array[r, c] != POOL_EXPECTED[r, c]]
    if wrong:
        r, c = wrong[0]
        return (
            f"the window at row {r}, column {c} covers rows {2 * r}-{2 * r + 1} and columns "
            f"{2 * c}-{2 * c + 1} of the grid; its largest value is not {array[r, c]:g}."
        )
    return None


# --------------------------------------------------- notebook 4: dense


def _check_softmax(function):
    if not callable(function):
        return "give the function itself (its name, without brackets), not its result."
    scores = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 0.0]])
    with np.errstate(all="ignore"):  # the overflow is the lesson here; say it in words
        result = np.asarray(_call(function, scores), dtype=float)
    if result.shape != scores.shape:
        return f"for scores of shape {scores.shape} your function returned {result.shape}."
    if not np.all(np.isfinite(result)):
        return (
            "for the scores [1000, 1000, 0] your function gave NaN or infinity: exp(1000) "
            "overflows. Subtract each row's maximum before exp()."
        )
    expected = np.exp(scores[0] - 3) / np.exp(scores[0] - 3).sum()
    if not np.allclose(result.sum(axis=-1), 1.0):
        return "each row of probabilities should add up to 1."
    if not np.allclose(result[0], expected, atol=1e-6):
        return f"for [1, 2, 3] expected {np.round(expected, 4)}; got {np.round(result[0], 4)}."
    return None


# --------------------------------------------------- notebook 5: the CNN


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


# ---------------------------------------------- notebook 6: inside, Fashion


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


EXERCISES = [
    Exercise(
        1,
        1,
        "The shape Conv2D expects",
        _expect_shape((32, 28, 28, 1), "A batch for Conv2D"),
        "Conv2D wants (batch, height, width, channels). How many channels does a grey image have?",
        "answer = (32, 28, 28, 1)  # 32 images, 28x28 pixels, 1 grey channel",
    ),
    Exercise(
        1,
        2,
        "Prepare images for the network",
        _check_normalise,
        "Divide by 255.0 after converting to float32, then add an axis at the end with "
        "[..., None] (or np.expand_dims(images, -1)).",
        "def normalise(images):\n    return (images.astype(np.float32) / 255.0)[..., None]",
    ),
    Exercise(
        2,
        1,
        "Output shape of a convolution",
        _expect_shape((24, 24, 16), "The output of one image"),
        "With valid padding and stride 1 the output is (size - kernel + 1) on each side, "
        "and there is one feature map per filter.",
        "answer = (24, 24, 16)  # 28 - 5 + 1 = 24, and 16 filters",
    ),
    Exercise(
        2,
        2,
        "Design a kernel",
        _check_edge_kernel,
        "Look at the vertical-edge kernel in this notebook and turn it on its side: "
        "negative weights on the top row, positive on the bottom row, zeros between.",
        "kernel = np.array([[-1, -1, -1],\n                   [ 0,  0,  0],\n"
        "                   [ 1,  1,  1]])",
    ),
    Exercise(
        2,
        3,
        "Count a Conv2D layer's parameters",
        _expect_number(
            18_496,
            "the parameter count",
            "Did you count the weights over all 32 input channels, and the biases?",
            "Each filter has one bias, not one per weight.",
        ),
        "Each of the 64 filters has 3 x 3 x 32 weights (one 3x3 slice per input channel) "
        "and one bias.",
        "answer = 64 * (3 * 3 * 32 + 1)  # = 18,496",
    ),
    Exercise(
        3,
        1,
        "Max pooling by hand",
        _check_pooling,
        "Split the 4x4 grid into four 2x2 blocks, top-left, top-right, bottom-left and "
        "bottom-right, and keep the largest number of each.",
        "answer = [[4, 5],\n          [6, 7]]",
    ),
    Exercise(
        3,
        2,
        "How the image shrinks",
        _expect_number(
            13, "the size", "", "Remember that 2x2 pooling halves the size (rounding down)."
        ),
        "A 3x3 convolution with valid padding takes 2 pixels off each side length; "
        "2x2 pooling then halves it.",
        "answer = (28 - 3 + 1) // 2  # = 13",
    ),
    Exercise(
        4,
        1,
        "The length after Flatten",
        _expect_number(1600, "the length"),
        "Flatten lays every number of the (5, 5, 64) block in one row: multiply.",
        "answer = 5 * 5 * 64  # = 1,600",
    ),
    Exercise(
        4,
        2,
        "Softmax in NumPy",
        _check_softmax,
        "exp() of each score divided by the sum of the exp() of the scores in its row; "
        "subtract the row's maximum first so that exp() cannot overflow.",
        "def my_softmax(scores):\n    shifted = scores - scores.max(axis=-1, keepdims=True)\n"
        "    exps = np.exp(shifted)\n    return exps / exps.sum(axis=-1, keepdims=True)",
    ),
    Exercise(
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
    ),
    Exercise(
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
    ),
    Exercise(
        6,
        1,
        "Which layer?",
        _check_layer_name,
        "Print model.summary(): which layer's output shape is (None, 5, 5, 64)?",
        "answer = 'max_pooling2d_1'",
    ),
    Exercise(
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
    ),
]


def exercises_of(notebook: int) -> SimpleNamespace:
    """The exercises of one notebook as attributes q1, q2, ..."""
    chosen = {e.name: e for e in EXERCISES if e.notebook == notebook}
    if not chosen:
        raise ValueError(f"there are no exercises for notebook {notebook}; notebooks 1-6 have.")
    return SimpleNamespace(**chosen)


nb1, nb2, nb3, nb4, nb5, nb6 = (exercises_of(n) for n in range(1, 7))
