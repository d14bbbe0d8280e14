"""Notebook 6, Inside the trained CNN: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb6 as check
    check.q1.check(answer, model, data)
"""

from __future__ import annotations

import numpy as np

from lesson_utils import training
from lesson_utils.checks.answers import in_words, is_unanswered, is_whole
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


def _pass_mark(fashion) -> float:
    """Quick mode's mark for a quick-mode subset: how the data was loaded decides."""
    return QUICK_PASS_MARK if getattr(fashion, "quick", False) else PASS_MARK


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
    if accuracy < _pass_mark(fashion):
        return (
            f"on the Fashion-MNIST test images your model scores {accuracy:.1%}, under the "
            f"{_pass_mark(fashion):.0%} that a model trained on them clears: was it trained on "
            "Fashion-MNIST (fashion.x_train, fashion.y_train) rather than on digits, or not "
            "trained for long enough?"
        )
    print(f"Fashion-MNIST test accuracy: {accuracy:.1%}.")
    return None


# Exercise 1: of the third convolution's maps that are blank (0 everywhere) for the
# notebook's digit, which belong to live filters, ones that respond to some other test
# digit? Computed from the learner's own model: each run learns its own filters.


def _largest(model, images, layer: str, batch: int = 500) -> np.ndarray:
    """Each filter's (channel's) largest output of ``layer`` over all ``images``, in
    batches so that 10,000 test digits fit in memory."""
    from lesson_utils.model import feature_maps

    largest = None
    for start in range(0, len(images), batch):
        outputs = np.asarray(feature_maps(model, images[start : start + batch], layer))
        most = outputs.reshape(-1, outputs.shape[-1]).max(axis=0)
        largest = most if largest is None else np.maximum(largest, most)
    return largest


def silent_filters(model, images, layer: str) -> set[int]:
    """The filters of ``layer`` that output 0 for every one of ``images``: for one digit,
    its blank maps; for all the test digits, the dead filters."""
    return {int(i) for i in np.flatnonzero(_largest(model, images, layer) == 0)}


def _as_indices(answer) -> tuple[set[int] | None, str | None]:
    """The answer as a set of filter indices, or why it is not a list of whole numbers."""
    if is_whole(answer):
        return None, f"give a list of indices, even for one map: [{int(answer)}], not {answer}."
    if isinstance(answer, str | bytes | dict):
        return None, f"give the indices as a list of whole numbers, like [2, 12]; got {answer!r}."
    try:
        values = list(answer)
    except TypeError:
        return None, f"give the indices as a list of whole numbers, like [2, 12]; got {answer!r}."
    if values and all(isinstance(v, bool | np.bool_) for v in values):
        return None, (
            "give the indices of the maps (numbers such as 2 or 12), not True or False for "
            "each map: np.flatnonzero(...) turns such a list into indices."
        )
    if not all(is_whole(v) for v in values):
        odd = next(v for v in values if not is_whole(v))
        return None, (
            f"each index is a whole number, like 2 or 12; {odd!r} is not one. Give the "
            "indices of the maps, not their values."
        )
    return {int(v) for v in values}, None


def _names(indices) -> str:
    """{33, 2, 12} -> "2, 12 and 33"; one index -> "2"."""
    return in_words(sorted(indices))


def _check_blank_not_dead(answer, model=None, data=None):
    if not hasattr(model, "predict") or not hasattr(model, "layers"):
        return "pass the trained model as the second argument: check.q1.check(answer, model, data)."
    if not hasattr(data, "x_test"):
        return "pass the digits as the third argument: check.q1.check(answer, model, data)."
    indices, problem = _as_indices(answer)
    if problem:
        return problem
    from lesson_utils.model import layer_names

    convolutions = [name for name in layer_names(model) if name.startswith("conv2d")]
    if len(convolutions) < 3:
        return "this exercise needs the lesson's CNN, with three Conv2D layers."
    layer, earlier = convolutions[2], convolutions[1]
    digit, test = data.x_test[:1], data.x_test
    on_digit = _largest(model, digit, layer)
    filters = len(on_digit)
    blank = {int(i) for i in np.flatnonzero(on_digit == 0)}
    dead = silent_filters(model, test, layer)
    right = blank - dead
    if indices == right:
        return None
    outside = sorted(i for i in indices if not 0 <= i < filters)
    if outside:
        return (
            f"{layer} has {filters} filters, numbered 0 to {filters - 1}; {_names(outside)} "
            f"{'are' if len(outside) > 1 else 'is'} not one of them."
        )
    tests = f"{len(test):,} test digits"
    if indices == blank and blank & dead:
        return (
            f"that is every map blank for this digit ({len(blank)} maps); {len(blank & dead)} "
            f"of them belong to dead filters, 0 for all {tests}. Leave those out."
        )
    # A dead filter is blank for every test digit, this one too: dead is part of blank.
    if indices == dead and dead:
        return (
            f"those are {layer}'s dead filters, 0 for all {tests}; the question asks for the "
            "other maps that are blank for this digit: those whose filters respond to other "
            "digits."
        )
    if indices and indices == silent_filters(model, digit, earlier) - silent_filters(
        model, test, earlier
    ):
        return (
            f"that is the answer for {earlier}, worked in the text; this exercise asks "
            f"about {layer}."
        )
    not_blank = indices - blank
    if not_blank:
        return (
            f"map{'s' * (len(not_blank) > 1)} {_names(not_blank)} of {layer} "
            f"{'are' if len(not_blank) > 1 else 'is'} not blank for this digit: "
            "the filter responds to it somewhere. Keep only maps that are 0 everywhere."
        )
    also_dead = indices & dead
    if also_dead:
        return (
            f"filter{'s' * (len(also_dead) > 1)} {_names(also_dead)} "
            f"{'are' if len(also_dead) > 1 else 'is'} dead: 0 for every one of the {tests}, "
            "not only for this digit. Leave out the dead filters."
        )
    missing = right - indices
    if not indices:
        return (
            f"{len(right)} of {layer}'s maps are blank for this digit and yet respond to other "
            "digits: compare the maps blank for this digit with the dead filters."
        )
    return (
        f"you have {len(indices)} of the {len(right)}: {len(missing)} more map"
        f"{'s are' if len(missing) > 1 else ' is'} blank for this digit while "
        f"{'their filters respond' if len(missing) > 1 else 'its filter responds'} to other "
        "digits."
    )


exercise = Exercise.of_notebook(6)

q1 = exercise(
    number=1,
    title="Blank for this digit, or dead?",
    checker=_check_blank_not_dead,
    hint_text=(
        "Two lists for conv2d_2, as the cells above printed them for conv2d_1: the maps "
        "that are 0 everywhere for our digit (silent(digit, 'conv2d_2')) and the filters "
        "that output 0 for every test digit (silent(data.x_test, 'conv2d_2')). Keep the "
        "first list's indices that are not in the second."
    ),
    solution_code=(
        "blank = silent(digit, 'conv2d_2')  # 0 everywhere for our digit\n"
        "dead = silent(data.x_test, 'conv2d_2')  # 0 for every test digit\n"
        "answer = sorted(set(blank.tolist()) - set(dead.tolist()))\n"
        "check.q1.check(answer, model, data)"
    ),
    praise="a blank map says as much about the digit as about its filter.",
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
