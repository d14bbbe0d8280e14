"""The computations behind the lesson's interactive pictures, as plain tested functions.

Each widget of ``lesson_utils.widgets`` is a thin layer of controls over these:

- the kernel and pooling playground (notebooks 2-3): ``PRESET_KERNELS``,
  ``learned_kernels``, ``shift_image``, ``playground_maps`` and
  ``compare_maps``, the one number for how much a shift changed a map;
- watching the CNN learn (notebook 5): ``TrainingLog`` and ``first_layer``;
- drawing a digit (notebook 6): ``preprocess_drawing`` (the way MNIST was made),
  ``thicken``, ``top_classes`` and ``layer_outputs``.

Everything here is NumPy (the browser has no TensorFlow) and uses
``lesson_utils.numpy_layers``, the layers the learner wrote by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lesson_utils import measure
from lesson_utils import numpy_layers as L

# ------------------------------------------------------------- the playground

# Each kernel responds positively where its positive weights lie on ink (ink = 1).
PRESET_KERNELS: dict[str, np.ndarray] = {
    # ink to the right of the window's centre: the left edges of strokes
    "vertical edge": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=np.float32),
    # ink below the window's centre: the top edges of strokes
    "horizontal edge": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=np.float32),
    "blur": np.full((3, 3), 1 / 9, dtype=np.float32),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32),
}

MAX_SHIFT = 4  # pixels the playground shifts a digit by, at most, in each direction


def as_digit(image: object, name: str = "image") -> np.ndarray:
    """One grey image as float32 (height, width); accepts (h, w), (h, w, 1) or (1, h, w, 1)."""
    array = np.asarray(image, dtype=np.float32) if _is_numeric(image) else None
    if array is None:
        raise ValueError(f"{name} must be an array of pixel values; got {type(image).__name__}.")
    while array.ndim > 2 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be one grey image shaped (height, width) or (height, width, 1); "
            f"got shape {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or infinite pixels; every pixel must be a number.")
    return array


def _is_numeric(value: object) -> bool:
    try:
        return np.issubdtype(np.asarray(value).dtype, np.number)
    except (TypeError, ValueError):
        return False


def as_kernel(kernel: object) -> np.ndarray:
    """A 3x3 kernel as float32, from nested lists or an array; a clear error otherwise."""
    if not _is_numeric(kernel):
        raise ValueError(f"kernel must be 3x3 numbers; got {kernel!r}.")
    array = np.asarray(kernel, dtype=np.float32)
    if array.shape != (3, 3):
        raise ValueError(f"kernel must be 3x3 numbers; got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError("kernel holds NaN or infinity; every weight must be a number.")
    return array


def learned_kernels(model) -> dict[str, tuple[np.ndarray, float]]:
    """The first Conv2D layer's kernels of a trained model, either backend.

    Returns {"learned 0": (3x3 kernel, bias), ...}, one entry per filter, in the
    numbering of ``plot_kernels`` and ``plot_feature_maps``.
    """
    weights = model.get_weights()
    if len(weights) < 2 or np.ndim(weights[0]) != 4 or np.shape(weights[0])[:3] != (3, 3, 1):
        raise ValueError(
            "learned_kernels needs the lesson's CNN (a first Conv2D of 3x3 kernels on "
            f"one channel); this model's first weights have shape {np.shape(weights[0])}."
        )
    kernels, biases = np.asarray(weights[0]), np.asarray(weights[1])
    return {
        f"learned {i}": (kernels[:, :, 0, i].astype(np.float32), float(biases[i]))
        for i in range(kernels.shape[-1])
    }


def shift_image(image: np.ndarray, dx: int = 0, dy: int = 0) -> np.ndarray:
    """The image moved dx pixels right and dy pixels down (negative: left, up), with
    ``lesson_utils.measure.shift`` (notebook 3): what moves in is background (0)."""
    image = as_digit(image)
    for value, name in ((dx, "dx"), (dy, "dy")):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be a whole number of pixels; got {value!r}.")
    return measure.shift(image, right=int(dx), down=int(dy))


def compare_maps(a: np.ndarray, b: np.ndarray) -> float:
    """The playground's one number: the cosine similarity of two maps (notebook 3's
    ``lu.cosine_similarity``), from -1 to 1, 1 meaning the same pattern.

    Also defined where a map is all zero, as a high bias can make it: two blank maps
    count as the same (1.0), a blank map and any other as unrelated (0.0).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size != b.size:
        raise ValueError(f"the two maps must have the same size; got {a.size} and {b.size}.")
    if not a.any() or not b.any():
        return 1.0 if not a.any() and not b.any() else 0.0
    return float(np.clip(measure.cosine_similarity(a, b), -1.0, 1.0))


@dataclass
class PlaygroundMaps:
    """What the playground shows for one setting of its controls.

    ``digit`` is the shifted input (28, 28); ``feature_map`` the signed output of
    the convolution (26, 26); ``after_relu`` and ``pooled`` (13, 13) are None when
    their switch is off. ``output`` is the last map computed; ``similarity`` is the
    cosine similarity of ``output`` to the same map of the unshifted digit, and
    ``similarity_before_pooling`` the same for the map before pooling.
    """

    digit: np.ndarray
    feature_map: np.ndarray
    after_relu: np.ndarray | None
    pooled: np.ndarray | None
    similarity: float
    similarity_before_pooling: float

    @property
    def output(self) -> np.ndarray:
        if self.pooled is not None:
            return self.pooled
        return self.after_relu if self.after_relu is not None else self.feature_map


def _layers(digit, kernel, bias, use_relu, use_pool):
    """conv2d -> [relu] -> [max_pool2d] on one (h, w) digit, with numpy_layers."""
    feature_map = L.conv2d(
        digit[None, :, :, None], kernel[:, :, None, None], np.array([bias], np.float32)
    )
    after_relu = L.relu(feature_map) if use_relu else None
    before_pool = after_relu if use_relu else feature_map
    pooled = L.max_pool2d(before_pool, 2) if use_pool else None
    return tuple(None if m is None else m[0, :, :, 0] for m in (feature_map, after_relu, pooled))


def playground_maps(
    digit: np.ndarray,
    kernel,
    bias: float = 0.0,
    use_relu: bool = True,
    use_pool: bool = True,
    dx: int = 0,
    dy: int = 0,
) -> PlaygroundMaps:
    """Convolve the digit, shifted by (dx, dy), with a 3x3 kernel and bias; then ReLU
    and 2x2 max pooling if switched on; and compare with the unshifted digit's maps.
    """
    digit = as_digit(digit, "digit")
    kernel = as_kernel(kernel)
    if not np.isfinite(bias):
        raise ValueError(f"bias must be a number; got {bias!r}.")
    shifted = shift_image(digit, dx, dy)
    maps = _layers(shifted, kernel, float(bias), use_relu, use_pool)
    if dx == 0 and dy == 0:
        still = maps
    else:
        still = _layers(digit, kernel, float(bias), use_relu, use_pool)
    last = next(m for m in reversed(maps) if m is not None)
    last_still = next(m for m in reversed(still) if m is not None)
    before = maps[1] if use_relu else maps[0]
    before_still = still[1] if use_relu else still[0]
    return PlaygroundMaps(
        digit=shifted,
        feature_map=maps[0],
        after_relu=maps[1],
        pooled=maps[2],
        similarity=compare_maps(last, last_still),
        similarity_before_pooling=compare_maps(before, before_still),
    )


def one_digit_per_class(images: np.ndarray, labels: np.ndarray) -> dict[int, int]:
    """{label: index of its first image}, for the playground's choice of digit."""
    labels = np.asarray(labels)
    return {int(c): int(np.flatnonzero(labels == c)[0]) for c in np.unique(labels)}


# ------------------------------------------------------------- watch it learn


@dataclass
class TrainingLog:
    """What watch_it_learn records as training goes: one row per batch, one per epoch."""

    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    epoch_steps: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    def add_batch(self, loss: float, accuracy: float, learning_rate: float) -> int:
        """Record one batch (the epoch's running means, as Keras logs them); returns its step."""
        step = len(self.steps) + 1
        self.steps.append(step)
        self.loss.append(float(loss))
        self.accuracy.append(float(accuracy))
        self.learning_rate.append(float(learning_rate))
        return step

    def add_epoch(self, logs: dict | None) -> None:
        """Record an epoch's end (and its validation scores, where there are any)."""
        logs = logs or {}
        if "val_loss" in logs:
            self.epoch_steps.append(len(self.steps))
            self.val_loss.append(float(logs["val_loss"]))
            self.val_accuracy.append(float(logs.get("val_accuracy", np.nan)))


def first_layer(model, digit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(kernels (3, 3, 32), feature maps (26, 26, 32)) of the model's first Conv2D now.

    The maps are computed with ``numpy_layers`` from the current weights (conv2d,
    then ReLU), the same numbers on either backend and cheap during training.
    """
    kernel, bias = (np.asarray(w, dtype=np.float32) for w in model.get_weights()[:2])
    digit = as_digit(digit, "digit")
    maps = L.relu(L.conv2d(digit[None, :, :, None], kernel, bias))[0]
    return kernel[:, :, 0, :], maps


# -------------------------------------------------------------- draw a digit

MNIST_BOX = 20  # MNIST fitted each digit into a 20x20 box...
MNIST_SIZE = 28  # ...inside a 28x28 image, centred on its centre of mass.


def _area_resample(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights: each output pixel is the mean of the input it covers."""
    edges = np.arange(n_out + 1) * (n_in / n_out)
    lo, hi = edges[:-1, None], edges[1:, None]
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0.0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a (h, w) image by averaging the area each new pixel covers (no library needed)."""
    image = np.asarray(image, dtype=np.float64)
    rows = _area_resample(image.shape[0], height)
    cols = _area_resample(image.shape[1], width)
    return rows @ image @ cols.T


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the ink's centre of mass, pixels weighted by their value."""
    total = image.sum()
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def preprocess_drawing(drawing: object) -> np.ndarray | None:
    """A drawing made the way MNIST's digits were: (28, 28) float32, ink = 1, or None if empty.

    drawing: (height, width) ink amounts, 0 for background, either 0-255 or 0-1
    (the pad sends its canvas this way). Steps, as MNIST: crop to the ink, scale
    so the longer side is 20 pixels (keeping the proportions), place it in a
    28x28 image so the ink's centre of mass is at the centre (row 14, column 14,
    where MNIST's digits have it), and scale so the strongest ink is 1.
    A drawing with no ink returns None (there is nothing to centre).
    """
    image = as_digit(drawing, "drawing").astype(np.float64)
    if image.min() < 0:
        raise ValueError("drawing must hold ink amounts >= 0 (0 = background).")
    if image.max() > 1:
        image = image / 255.0
    ink = image > 1 / 255
    if not ink.any():
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    image = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = MNIST_BOX / max(image.shape)
    height = max(1, round(image.shape[0] * scale))
    width = max(1, round(image.shape[1] * scale))
    boxed = resize(image, height, width)
    centre_row, centre_col = center_of_mass(boxed)
    # Put the centre of mass on (14, 14), keeping the whole box inside the image.
    top = int(np.clip(round(MNIST_SIZE / 2 - centre_row), 0, MNIST_SIZE - height))
    left = int(np.clip(round(MNIST_SIZE / 2 - centre_col), 0, MNIST_SIZE - width))
    digit = np.zeros((MNIST_SIZE, MNIST_SIZE))
    digit[top : top + height, left : left + width] = boxed
    return (digit / digit.max()).astype(np.float32)


def thicken(digit: np.ndarray) -> np.ndarray:
    """Strokes one pixel thicker on every side: each pixel takes the strongest ink of
    itself and its four neighbours (up, down, left, right)."""
    digit = as_digit(digit, "digit")
    padded = np.pad(digit, 1)
    neighbours = [padded[1:-1, 1:-1], padded[:-2, 1:-1], padded[2:, 1:-1]]
    neighbours += [padded[1:-1, :-2], padded[1:-1, 2:]]
    return np.max(neighbours, axis=0)


def top_classes(probabilities, class_names=None, k: int = 3) -> list[tuple[str, float]]:
    """The k most probable classes, most probable first: [("7", 0.93), ("1", 0.04), ...]."""
    probabilities = np.asarray(probabilities, dtype=np.float64).ravel()
    names = list(class_names) if class_names is not None else [str(i) for i in range(10)]
    if len(names) != len(probabilities):
        raise ValueError(
            f"got {len(probabilities)} probabilities but {len(names)} class names; "
            "give one name per class."
        )
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(names[i], float(probabilities[i])) for i in order]


def layer_outputs(model, digit: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """[(layer name, its output for this digit), ...] for every layer, either backend.

    digit (28, 28) or (28, 28, 1); each output without the batch axis, e.g.
    ("conv2d", (26, 26, 32)) ... ("dense_1", (10,)), the class probabilities last.
    """
    from lesson_utils.model import layer_outputs as batch_layer_outputs

    digit = as_digit(digit, "digit")[None, :, :, None]
    return [(name, output[0]) for name, output in batch_layer_outputs(model, digit)]
