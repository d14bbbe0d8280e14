"""Small measurements the notebooks make: how far a unit sees, how alike two maps are.

Taught in notebook 3 (ReLU and max pooling): ``receptive_fields`` says how many
input pixels one unit of each layer sees, ``pixels_seen`` checks it by experiment,
and ``shift`` with ``cosine_similarity`` measures how much pooling tolerates a shift.
NumPy only, so they run in the browser too.
"""

from __future__ import annotations

import numpy as np

from lesson_utils import numpy_layers
from lesson_utils.validation import check_scalar

# The lesson's CNN up to its last convolution: (kind, window, stride) for each step.
LESSON_STEPS = (("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1))


def receptive_fields(steps=LESSON_STEPS) -> list[tuple[str, int, int]]:
    """[(step, field, jump), ...]: after each step, the side of the square of input pixels
    one unit sees (its receptive field), and how many input pixels apart neighbouring
    units sit (the jump).

    A window of k units, each jump pixels apart, widens the field by (k - 1) * jump;
    a stride of s multiplies the jump by s.
    """
    field, jump, result = 1, 1, []
    for kind, window, stride in steps:
        field += (window - 1) * jump
        jump *= stride
        result.append((f"{kind} {window}x{window}", field, jump))
    return result


def pixels_seen(steps=LESSON_STEPS, size: int = 28) -> np.ndarray:
    """By experiment: which input pixels can change unit (0, 0) of the last step.

    Lights one pixel at a time (a batch of size * size images, each with a single 1),
    runs them through convolutions with all-ones kernels and max pooling, and returns
    a (size, size) boolean mask of the pixels that reach the unit.
    """
    impulses = np.eye(size * size, dtype=np.float32).reshape(size * size, size, size, 1)
    x = impulses
    for kind, window, stride in steps:
        if kind == "conv":
            x = numpy_layers.conv2d(x, np.ones((window, window, 1, 1), np.float32), stride=stride)
        else:
            x = numpy_layers.max_pool2d(x, window, stride)
    return (x[:, 0, 0, 0] > 0).reshape(size, size)


def shift(image: np.ndarray, right: int = 0, down: int = 0) -> np.ndarray:
    """The image moved right and down by whole pixels; what moves in is background (0).

    image: (height, width), (height, width, channels) or a batch (n, height, width, channels).
    """
    right = check_scalar(right, "right", int, expected="a whole number of pixels")
    down = check_scalar(down, "down", int, expected="a whole number of pixels")
    image = np.asarray(image)
    rows, cols = (1, 2) if image.ndim == 4 else (0, 1)
    moved = np.roll(image, (down, right), axis=(rows, cols))
    for axis, step in ((rows, down), (cols, right)):
        if step:
            edge = [slice(None)] * image.ndim
            edge[axis] = slice(0, step) if step > 0 else slice(step, None)
            moved[tuple(edge)] = 0
    return moved


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """How alike two maps are, position by position: 1 = same pattern, 0 = nothing shared.

    The cosine of the angle between the two maps read as long vectors.
    """
    a, b = np.ravel(a).astype(np.float64), np.ravel(b).astype(np.float64)
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    if norms == 0:
        raise ValueError("cosine similarity needs two maps that are not all zero.")
    return float(a @ b / norms)
