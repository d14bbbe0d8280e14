"""Notebook 2, Convolution: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb2 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import numpy as np

from lesson_utils.checks.answers import as_array, expect_number, expect_shape
from lesson_utils.checks.exercise import Exercise

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

EXERCISES = [q1, q2, q3]
