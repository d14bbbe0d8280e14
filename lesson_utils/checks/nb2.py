"""Notebook 2, Convolution: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb2 as check
    check.q1.check(answer)
"""

from __future__ import annotations

import numpy as np

from lesson_utils.checks.core import Exercise, _as_array, _expect_number, _expect_shape


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


q1 = Exercise(
    2,
    1,
    "Output shape of a convolution",
    _expect_shape((24, 24, 16), "The output of one image"),
    "With valid padding and stride 1 the output is (size - kernel + 1) on each side, "
    "and there is one feature map per filter.",
    "answer = (24, 24, 16)  # 28 - 5 + 1 = 24, and 16 filters",
)

q2 = Exercise(
    2,
    2,
    "Design a kernel",
    _check_edge_kernel,
    "Look at the vertical-edge kernel in this notebook and turn it on its side: "
    "negative weights on the top row, positive on the bottom row, zeros between.",
    "kernel = np.array([[-1, -1, -1],\n                   [ 0,  0,  0],\n"
    "                   [ 1,  1,  1]])",
)

q3 = Exercise(
    2,
    3,
    "Count a Conv2D layer's parameters",
    _expect_number(
        18_496,
        "the parameter count",
        "Did you count the weights over all 32 input channels, and the biases?",
        "Each filter has one bias, not one per weight.",
    ),
    "Each of the 64 filters has 3 x 3 x 32 weights (one 3x3 slice per input channel) and one bias.",
    "answer = 64 * (3 * 3 * 32 + 1)  # = 18,496",
)

EXERCISES = [q1, q2, q3]
