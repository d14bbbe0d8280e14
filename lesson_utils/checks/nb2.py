"""Notebook 2, Convolution: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb2 as check
    check.q1.check(answer)
    check.q4.check(prediction)
"""

from __future__ import annotations

import numpy as np

from lesson_utils.checks.answers import as_array, as_choice, expect_number, expect_shape
from lesson_utils.checks.exercise import Exercise
from lesson_utils.checks.feedback import Message, show, show_figure

# Pixels as everywhere in the lesson: ink = 1, background = 0.
INK_ABOVE = np.zeros((8, 8))
INK_ABOVE[:4, :] = 1.0  # ink in the top half, background in the bottom half
INK_BELOW = 1.0 - INK_ABOVE  # the mirror: background above, ink below
INK_RIGHT = INK_BELOW.T.copy()  # a vertical edge: background left, ink right


def _check_edge_kernel(kernel):
    from lesson_utils.numpy_layers import conv2d_loops

    kernel, problem = as_array(kernel, "your kernel")
    if problem:
        return problem
    # NaN or infinity would pass the sums below (NaN compares False) and print warnings.
    if not np.isfinite(kernel).all():
        return (
            "your kernel holds NaN or infinity; every weight must be an ordinary number, "
            "like 1, 0 or -1."
        )
    if kernel.shape != (3, 3):
        return f"the kernel must be 3x3; yours has shape {kernel.shape}."
    on_flat = np.abs(conv2d_loops(np.full((8, 8), 0.5), kernel)).max()
    if on_flat > 1e-6:
        return (
            f"on a flat image (every pixel 0.5) your kernel responds with {on_flat:g}; an edge "
            "detector should give 0 where nothing changes (make its weights add up to 0)."
        )
    on_edge = conv2d_loops(INK_ABOVE, kernel).max()
    on_mirror = conv2d_loops(INK_BELOW, kernel).max()
    across = np.abs(conv2d_loops(INK_RIGHT, kernel)).max()
    if on_edge <= 0 and on_mirror > 0:
        return (
            "this kernel responds to background above ink (the tops of strokes), the mirror "
            "of what is asked: flip it upside down."
        )
    if on_edge <= 0 and on_mirror <= 0 and across > 1e-6:
        return (
            "this kernel responds to left/right changes (vertical edges), not to changes "
            "from top to bottom: make its weights change from top to bottom, one row "
            "against another."
        )
    if on_edge <= 0:
        return (
            "on an image with ink above and background below, your kernel never gives a "
            "positive response; it should light up along the edge between them."
        )
    if on_mirror > 0.25 * on_edge:
        how_strongly = (
            "as strongly as"
            if on_mirror >= 0.95 * on_edge
            else f"{on_mirror / on_edge:.0%} as strongly as"
        )
        return (
            f"your kernel responds to background above ink (the tops of strokes) "
            f"{how_strongly} to ink above background (it gives {on_mirror:g} on the first, "
            f"{on_edge:g} on the second), so it finds both edges of a horizontal stroke, not "
            "only its bottom. A kernel for the bottoms alone has every positive weight above "
            "every negative one."
        )
    if across > 0.25 * on_edge:
        return (
            "your kernel responds almost as much to a vertical edge as to a horizontal one; "
            "it should only see changes from top to bottom."
        )
    return None


def _parameters(in_channels: int, filters: int = 64, kernel_size: int = 3) -> int:
    return filters * (kernel_size * kernel_size * in_channels + 1)


PARAMETER_CAUSES = {
    _parameters(1): "that is the count for 1 input channel. This layer gets the first "
    "convolution's 32 feature maps, so each filter has one 3x3 slice per channel: 3 x 3 x 32 "
    "weights.",
    _parameters(3): "that is the count for 3 input channels (a colour photo). This layer gets "
    "32 feature maps as its channels: 3 x 3 x 32 weights per filter.",
    _parameters(64): "that counts 64 input channels; this layer gets 32 (and has 64 filters).",
    18_432: "those are the weights; add the biases, one per filter (64).",
    18_464: "that has 32 biases; there is one bias per filter, and there are 64 filters.",
    2 * 18_432: "each filter has one bias, not one per weight.",
    3 * 3 * 32 + 1: "that is one filter; the layer has 64 of them.",
    320: "that is the first convolution's count (1 input channel, 32 filters).",
}


# Exercise 4 (predict, then run): where does the mirror of the notebook's vertical-edge
# kernel light up on a vertical stroke? The check convolves and looks.
STROKE = np.zeros((8, 8))
STROKE[1:7, 2:5] = 1.0  # a vertical stroke of ink, 3 pixels wide: rows 1-6, columns 2-4
MIRROR_EDGE = np.array([[1.0, 0.0, -1.0]] * 3)  # +1 on the left, -1 on the right

WHERE_CHOICES = {
    "left edge": "left edge",
    "left": "left edge",
    "right edge": "right edge",
    "right": "right edge",
    "both edges": "both edges",
    "both": "both edges",
    "inside": "inside",
    "inside the stroke": "inside",
}


def stroke_map() -> np.ndarray:
    """The kernel's map of the stroke, (8, 8): padding="same", so map pixel (r, c) is the
    window centred on image pixel (r, c)."""
    from lesson_utils.numpy_layers import conv2d

    images, kernel = STROKE[None, :, :, None], MIRROR_EDGE[:, :, None, None]
    return conv2d(images, kernel, padding="same")[0, :, :, 0]


def where_largest(feature_map: np.ndarray) -> str:
    """Where a map of STROKE has its largest value: "left edge" (the stroke's first column
    or the one before), "right edge" (its last or the one after), "both edges" or "inside"."""
    columns = set(np.flatnonzero((feature_map == feature_map.max()).any(axis=0)))
    inked = np.flatnonzero(STROKE.any(axis=0))
    left, right = {inked[0] - 1, inked[0]}, {inked[-1], inked[-1] + 1}
    if columns <= left:
        return "left edge"
    if columns <= right:
        return "right edge"
    if columns <= left | right:
        return "both edges"
    return "inside"


def _check_where(answer):
    choice, problem = as_choice(answer, WHERE_CHOICES, "your prediction")
    if problem:
        return problem
    feature_map = stroke_map()
    measured = where_largest(feature_map)
    if choice == measured:
        return None
    inked = np.flatnonzero(STROKE.any(axis=0))
    largest, smallest = feature_map.max(), feature_map.min()
    inside = feature_map[:, inked[0] + 1 : inked[-1]]
    if measured != "right edge":  # not the lesson's stroke and kernel: say what was measured
        return f"the map's largest value, {largest:g}, is at the {measured}, not the {choice}."
    if choice == "left edge":
        return (
            f"along the left edge the map is {smallest:g}, its most negative value, and along "
            f"the right edge {largest:g}. This kernel is the mirror of the notebook's "
            "vertical-edge kernel: its +1s are on the left, so it answers where ink lies "
            "under its left column and background under its right, the stroke's right edge."
        )
    if choice == "both edges":
        return (
            f"the left edge gives {smallest:g}: as far from 0 as the right edge's "
            f"{largest:g}, but negative. There the window sees the opposite of its pattern "
            "(background on the left, ink on the right); the largest value is the positive one, "
            "and ReLU (notebook 3) would set the negative one to 0."
        )
    return (
        f"inside the stroke both outer columns of the window cover ink, and the +1s and -1s "
        f"cancel: the map is {np.abs(inside).max():g} there. An edge kernel answers to a "
        "change from background to ink, not to ink."
    )


def columns_of(feature_map: np.ndarray, value: float) -> list[int]:
    """The columns of a map where ``value`` appears: [4, 5] for the stroke's +3."""
    return np.flatnonzero((feature_map == value).any(axis=0)).tolist()


def _show_stroke_map(prediction) -> None:
    """After a prediction: the map, as numbers and as a picture, and what it shows."""
    if as_choice(prediction, WHERE_CHOICES, "your prediction")[1]:
        return  # not a prediction it can read: the feedback has said so
    from lesson_utils import plots

    feature_map = stroke_map()
    largest, smallest = feature_map.max(), feature_map.min()
    inked = np.flatnonzero(STROKE.any(axis=0))
    print(feature_map.astype(int))
    show_figure(plots.plot_maps([feature_map], ["the mirrored kernel's map of the stroke"]))
    show(
        Message(
            "result",
            f"the map is {largest:+g} (red) along the stroke's right edge, columns "
            f"{' and '.join(map(str, columns_of(feature_map, largest)))}, where ink lies under "
            f"the +1s and background under the -1s; {smallest:g} (blue) along its left "
            f"edge, columns {' and '.join(map(str, columns_of(feature_map, smallest)))}; and 0 "
            f"(white) in column {inked[1]}, inside the stroke, where the +1s and the -1s both "
            'cover ink. (padding="same": map pixel (r, c) is the window centred on (r, c).)',
        )
    )


exercise = Exercise.of_notebook(2)

q1 = exercise(
    number=1,
    title="Output shape of a convolution",
    checker=expect_shape(
        (24, 24, 16),
        "The output of one image",
        causes={
            (26, 26, 16): "26 = 28 - 3 + 1 is for a 3x3 kernel; this one is 5x5.",
            (23, 23, 16): "28 - 5 = 23 forgets the + 1: the kernel fits at 28 - 5 + 1 positions.",
            (24, 24, 1): "there is one feature map (channel) per filter, and there are 16 filters.",
            (1, 24, 24, 16): "give the shape for one image, without the batch axis.",
            (28, 28, 16): 'keeping 28x28 would need padding="same"; this layer has '
            'Conv2D\'s default padding, "valid", so the 5x5 kernel fits at 28 - 5 + 1 '
            "positions.",
        },
    ),
    hint_text=(
        "With valid padding and stride 1 the output is (size - kernel + 1) on each side, "
        "and there is one feature map per filter."
    ),
    solution_code="answer = (24, 24, 16)  # 28 - 5 + 1 = 24, and 16 filters",
)

q2 = exercise(
    number=2,
    title="Design a kernel",
    checker=_check_edge_kernel,
    hint_text=(
        "The notebook's horizontal-edge kernel (vertical_edge.T) has -1s on top and +1s below: it "
        "responds to background above ink. You want ink (1) above: positive weights on the top "
        "row, negative on the bottom row, zeros between."
    ),
    solution_code=(
        "kernel = np.array([[ 1,  1,  1],\n                   [ 0,  0,  0],\n"
        "                   [-1, -1, -1]])"
    ),
)

q3 = exercise(
    number=3,
    title="Count a Conv2D layer's parameters",
    checker=expect_number(
        18_496,
        "the parameter count",
        "Did you count the weights over all 32 input channels, and the biases?",
        "Each filter has one 3x3 slice per input channel (32) and one bias.",
        causes=PARAMETER_CAUSES,
    ),
    hint_text=(
        "Each of the 64 filters has 3 x 3 x 32 weights (one 3x3 slice per input channel) "
        "and one bias."
    ),
    solution_code="answer = 64 * (3 * 3 * 32 + 1)  # = 18,496",
)

q4 = exercise(
    number=4,
    title="Predict, then run: where does the map light up?",
    checker=_check_where,
    hint_text=(
        "Put the window where its left column is on ink and its right column on background: "
        "the +1s then add 3, the -1s take nothing away. Which edge of the stroke is that? "
        "Where the columns are the other way round, the sum is negative, not large."
    ),
    solution_code='prediction = "right edge"  # ink under the +1s, background under the -1s',
    praise="its +1s on the left answer to ink on the left: the stroke's right edge.",
    reveal=_show_stroke_map,
)

EXERCISES = [q1, q2, q3, q4]
