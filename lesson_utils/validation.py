"""Checks on what a learner passes in, with errors that say what to do.

Every public function of the lesson calls these before it computes, so a
mistake gets one sentence naming the argument, what was expected and what
was given, instead of a traceback from deep inside NumPy or Keras.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_scalar(
    value: object,
    name: str,
    kind: type = numbers.Real,
    *,
    min_val: float | None = None,
    max_val: float | None = None,
    include_min: bool = True,
    include_max: bool = True,
    example: str | None = None,
    expected: str | None = None,
):
    """Return ``value`` as a Python int or float, or raise ValueError naming ``name``.

    ``kind``: ``int`` (whole numbers; NumPy integers count) or ``float`` (any real
    number; NumPy floats and integers count). True/False, text, NaN and infinity
    are refused. ``min_val``/``max_val`` bound it (inclusive unless
    ``include_min``/``include_max`` is False). The message names the argument,
    what it expects and what it got, as scikit-learn's ``check_scalar`` does;
    ``example`` (e.g. ``"0.007"``) is offered as a value that would work;
    ``expected`` (e.g. ``"a fraction in [0, 1)"``) says what is expected in other words
    than the ones made from ``kind`` and the bounds.
    """
    whole = kind in (int, numbers.Integral)
    description = "a whole number" if whole else "a number"
    low = f"{'at least' if include_min else 'greater than'} {min_val}"
    high = f"{'at most' if include_max else 'less than'} {max_val}"
    if min_val is not None and max_val is not None:
        if include_min and include_max:
            description += f" from {min_val} to {max_val}"
        elif not include_min and not include_max:
            description += f" between {min_val} and {max_val}"
        else:
            description += f" {low} and {high}"
    elif min_val is not None:
        description += f" of {low}" if include_min else f" {low}"
    elif max_val is not None:
        description += f" of {high}" if include_max else f" {high}"
    expected = expected or description
    hint = f", such as {example}" if example else ""

    def refuse(why: str = ""):
        return ValueError(f"{name} must be {expected}{hint}; got {value!r}{why}.")

    if isinstance(value, bool | np.bool_):
        raise refuse(" (a yes/no value)")
    if whole:
        if not isinstance(value, numbers.Integral):
            raise refuse()
        number = int(value)
    else:
        if not isinstance(value, numbers.Real):
            raise refuse()
        number = value if isinstance(value, numbers.Integral) else float(value)
        if not np.isfinite(number):
            raise refuse()
    too_low = min_val is not None and (number < min_val or (not include_min and number == min_val))
    too_high = max_val is not None and (number > max_val or (not include_max and number == max_val))
    if too_low or too_high:
        raise refuse()
    return int(number) if whole else number


def check_positive_int(value: object, name: str) -> int:
    """Return value as an int, or raise ValueError if it is not a whole number >= 1."""
    return check_scalar(value, name, int, min_val=1)


def check_images(images: object, name: str = "images") -> np.ndarray:
    """Check a batch of images shaped (n, height, width, channels) with finite pixels.

    Returns the batch as a NumPy array. A batch without its channel axis,
    shaped (n, height, width), gets a hint to add it.
    """
    array = np.asarray(images)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must be an array of numbers; got dtype {array.dtype}.")
    if array.ndim == 3:
        raise ValueError(
            f"{name} has shape {array.shape}, without a channel axis. Expected "
            f"(n, height, width, channels); add one with {name}[..., None]."
        )
    if array.ndim != 4:
        raise ValueError(
            f"{name} must have 4 axes (n, height, width, channels); "
            f"got {array.ndim} axes, shape {array.shape}."
        )
    if len(array) == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); give at least one image.")
    if np.issubdtype(array.dtype, np.floating) and not np.all(np.isfinite(array)):
        bad = int(np.sum(~np.isfinite(array)))
        raise ValueError(
            f"{name} holds {bad} NaN or infinite pixel values; every pixel must be a finite number."
        )
    return array


def check_labels(
    labels: object, n_images: int, num_classes: int = 10, name: str = "labels"
) -> np.ndarray:
    """Check integer class labels shaped (n_images,) with values in 0..num_classes-1."""
    array = np.asarray(labels)
    if array.ndim == 2 and array.shape[1] == num_classes and array.shape[0] == n_images:
        raise ValueError(
            f"{name} look one-hot encoded (shape {array.shape}); the lesson uses "
            f"integer labels. Use {name}.argmax(axis=1)."
        )
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one label per image, shape ({n_images},); got shape {array.shape}."
        )
    if len(array) != n_images:
        raise ValueError(
            f"{name} has {len(array)} labels but there are {n_images} images; "
            "give one label per image."
        )
    if np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
            raise ValueError(
                f"{name} must be whole numbers 0-{num_classes - 1}; "
                "found fractions, NaN or infinity."
            )
    elif not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must be integers 0-{num_classes - 1}; got dtype {array.dtype}.")
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(
            f"{name} must lie in 0-{num_classes - 1}; found values from "
            f"{array.min()} to {array.max()}."
        )
    return array.astype(np.int64)
