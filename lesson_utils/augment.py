"""Data augmentation: new training images made from the old by moving them a little.

A digit moved by a pixel or two is still the same digit, so training on randomly
moved copies (new moves every epoch) teaches a network that position does not
matter, which notebook 5 measured it had not learnt. ``random_shifts`` moves each
image of a batch by its own random whole-pixel amount, with ``measure.shift`` from
notebook 3; ``train_cnn_model(..., augment_shift=2)`` trains with it on either
backend. NumPy only, so it runs in the browser too. Introduced in "Making it
generalise".
"""

from __future__ import annotations

import numpy as np

from lesson_utils.measure import shift
from lesson_utils.validation import check_images, check_scalar


def random_shifts(
    images: np.ndarray, max_shift: int = 2, rng: np.random.Generator | int | None = None
) -> np.ndarray:
    """Each image moved by its own random number of whole pixels; background (0) moves in.

    images (n, height, width, channels) -> a new batch of the same shape and dtype.
    Each image moves right by a number drawn evenly from -max_shift..max_shift
    (negative: left) and down by another (negative: up), so by at most ``max_shift``
    pixels each way; ink moved past the edge is lost. ``rng``: a
    ``np.random.Generator`` or a seed; None draws from NumPy's global random numbers,
    which ``set_global_seed`` seeds.
    """
    images = check_images(images)
    largest = min(images.shape[1:3]) - 1
    max_shift = check_scalar(max_shift, "max_shift", int, min_val=0, max_val=largest)
    size = (len(images), 2)
    if rng is None:
        moves = np.random.randint(-max_shift, max_shift + 1, size)
    else:
        moves = np.random.default_rng(rng).integers(-max_shift, max_shift + 1, size)
    moved = np.empty_like(images)
    for i, (right, down) in enumerate(moves):
        moved[i] = shift(images[i], right=int(right), down=int(down))
    return moved
