"""Notebook 8, Stride, colour and 1x1: its exercise, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb8 as check
    check.q1.check(prediction)
"""

from __future__ import annotations

import numpy as np

from lesson_utils import numpy_layers, pictures
from lesson_utils.checks.answers import in_words
from lesson_utils.checks.exercise import Exercise, NotAnswered
from lesson_utils.checks.feedback import Message, show, show_figure

# Exercise 1 (predict, then run): which parts of the colour picture does a 1x1 filter
# light up? The filter: weights red 0, green 0, blue -1, bias +1, then ReLU: it lights
# up where there is no blue light. The notebook states these numbers in its text.
WEIGHTS = (0.0, 0.0, -1.0)  # red, green, blue
BIAS = 1.0
PARTS = (*pictures.SHAPE_COLOURS, "background")


def filter_output(picture: np.ndarray | None = None) -> np.ndarray:
    """The exercise's 1x1 filter (then ReLU) over the colour picture: (40, 60)."""
    if picture is None:
        picture, _ = pictures.colour_shapes()
    kernel = np.asarray(WEIGHTS, np.float32).reshape(1, 1, 3, 1)
    out = numpy_layers.conv2d(picture[np.newaxis], kernel, np.array([BIAS], np.float32))
    return numpy_layers.relu(out)[0, :, :, 0]


def lit_parts() -> dict[str, float]:
    """Each part of the picture (the five shapes and the background) -> the filter's
    output at its centre (the background: at the centre of the empty square)."""
    picture, centres = pictures.colour_shapes()
    output = filter_output(picture)
    where = {**centres, "background": pictures.BACKGROUND_PIXEL}
    return {part: float(output[where[part]]) for part in PARTS}


# Words a learner may write beside a colour ("the blue square", "black disc"): not names.
SHAPE_WORDS = {"the", "square", "disc", "circle", "shape", "shapes", "and"}


def _words(text: str) -> list[str]:
    """ "Red, the yellow square and black" -> ["red", "yellow", "black"]."""
    words = text.lower().replace(",", " ").replace("'", " ").replace('"', " ").split()
    return [word.strip(".;:") for word in words if word.strip(".;:") not in SHAPE_WORDS]


def _as_parts(prediction) -> tuple[set[str] | None, str | None]:
    """The prediction as a set of part names, or why it is not a list of them.

    A list, tuple or set of names, or one text naming them ("red, yellow and black");
    raises NotAnswered for an empty text.
    """
    import difflib

    listing = ", ".join(repr(p) for p in PARTS)
    if isinstance(prediction, str):
        if not prediction.strip():
            raise NotAnswered("write your prediction in the quotes, or as a list of names.")
        items = _words(prediction)
    elif isinstance(prediction, list | tuple | set | frozenset):
        items = list(prediction)
        if not all(isinstance(item, str) for item in items):
            odd = next(item for item in items if not isinstance(item, str))
            return None, f"each entry is a name in quotes, one of {listing}; {odd!r} is not."
        items = [word for item in items for word in _words(item)]
    else:
        return None, (
            f"give a list of names, such as ['red', 'background']; got {prediction!r:.60}. "
            f"The names: {listing}."
        )
    names = {"background" if name == "white" else name for name in items}
    unknown = sorted(names - set(PARTS))
    if unknown:
        close = {u: difflib.get_close_matches(u, PARTS, n=1, cutoff=0.7) for u in unknown}
        guesses = [f"{u!r} (did you mean {c[0]!r}?)" if c else repr(u) for u, c in close.items()]
        return None, f"{', '.join(guesses)}: the parts are named {listing}."
    return names, None


def _check_lit(prediction):
    names, problem = _as_parts(prediction)
    if problem:
        return problem
    values = lit_parts()
    lit = {part for part, value in values.items() if value > 0}
    if names == lit:
        return None
    if not names:
        return (
            "none lit up? All three weights are 0 or below, but the bias, +1, is added at "
            "every pixel: where there is no blue light the sum is 0 + 1 = 1."
        )
    if names == {"blue"}:
        return (
            "blue is where the filter's only weight that is not 0 sits, but that weight is "
            "-1: blue light lowers the sum. Where there is no blue, 0 + 1 (the bias) = 1."
        )
    if "blue" in names:
        return (
            "the blue square is (0, 0, 1): -1 x 1 + 1 = 0, and ReLU keeps 0, so not lit. "
            "Did you read the blue weight's sign as +?"
        )
    if "background" in names:
        return (
            "in notebooks 1-7 the background was 0, but this white background is "
            "(1, 1, 1): it has blue light, so -1 x 1 + 1 = 0, and ReLU keeps 0: not lit."
        )
    names_missing = sorted(lit - names)
    message = (
        f"{in_words(names_missing)} also light{'s' if len(names_missing) == 1 else ''} up: "
        f"{'it has' if len(names_missing) == 1 else 'each has'} blue 0, so the sum is "
        "0 + 1 (the bias) = 1."
    )
    if "black" in names_missing:
        message += " Black is (0, 0, 0): where the input is all 0, a filter outputs its bias."
    if "yellow" in names_missing:
        message += " Yellow is red and green light together, (1, 1, 0): no blue."
    return message


def _show_output(prediction) -> None:
    """After a prediction: the filter's output map over the picture, and what it shows."""
    if _as_parts(prediction)[1]:
        return  # not a prediction it can read: the feedback has said so
    from lesson_utils import plots

    output = filter_output()
    show_figure(
        plots.plot_maps([output], ["weights (0, 0, -1), bias +1, then ReLU"], label="output")
    )
    lit = [part for part, value in lit_parts().items() if value > 0]
    show(
        Message(
            "result",
            f"the map is 1 (red) on the {in_words(lit)} shapes, which have "
            "no blue light, and 0 (white) on the blue square and the white background, which "
            "have blue 1: -1 x 1 + 1 = 0.",
        )
    )


exercise = Exercise.of_notebook(8)

q1 = exercise(
    number=1,
    title="Predict, then run: what does a 1x1 filter light up?",
    checker=_check_lit,
    hint_text=(
        "For each part, write its (red, green, blue) from the picture (white is (1, 1, 1), "
        "yellow (1, 1, 0), black (0, 0, 0)), compute 0 x red + 0 x green - 1 x blue + 1, "
        "and keep the parts where the result is above 0 (ReLU turns the rest to 0)."
    ),
    solution_code="prediction = ['red', 'yellow', 'green', 'black']",
    praise="a 1x1 filter is a weighted sum of one pixel's channels, plus a bias.",
    reveal=_show_output,
)

EXERCISES = [q1]
