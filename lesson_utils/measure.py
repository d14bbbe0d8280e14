"""Small measurements the notebooks make: how far a unit sees, how alike two maps are.

Taught in notebook 3 (ReLU and max pooling): ``receptive_fields`` says how many
input pixels one unit of each layer sees, ``pixels_seen`` checks it by experiment,
and ``shift`` with ``cosine_similarity`` measures how much pooling tolerates a shift.
Notebook 6 (inside the trained CNN): ``top_patches`` finds the patches of digits, the
receptive fields, that excite a filter most. NumPy only, so they run in the browser too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lesson_utils import numpy_layers
from lesson_utils.validation import check_images, check_positive_int, check_scalar

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


def model_steps(model, layer: str) -> list[tuple[str, int, int]]:
    """The model's steps up to and including ``layer``, as ``receptive_fields`` reads them:
    [(kind, window, stride), ...] for each convolution ("conv") and pooling ("pool");
    layers that work pixel by pixel (BatchNormalization, Dropout) add none.

    Reads the layers of a Keras model or a NumPy one (the kernel's shape, ``strides`` or
    ``stride``, ``pool_size``), up to a layer with maps. Raises ValueError for a layer the
    model lacks and for padding "same" (its fields start outside the image, which
    ``receptive_fields`` does not describe).
    """
    names = [each.name for each in model.layers]
    if layer not in names:
        raise ValueError(
            f"layer must be the name of one of the model's layers ({', '.join(names)}); "
            f"got {layer!r}."
        )
    steps = []
    for each in model.layers[: names.index(layer) + 1]:
        weights = getattr(each, "weights", [])
        if hasattr(each, "pool_size"):  # MaxPooling2D, AveragePooling2D: stride = window
            window = int(np.ravel(each.pool_size)[0])
            step = ("pool", window, int(np.ravel(getattr(each, "strides", None) or window)[0]))
        elif weights and len(weights[0].shape) == 4:  # Conv2D: kernel (kh, kw, in, out)
            stride = getattr(each, "strides", getattr(each, "stride", 1))
            step = ("conv", int(weights[0].shape[0]), int(np.ravel(stride)[0]))
        else:  # ReLU, BatchNormalization, Dropout: pixel by pixel
            continue
        if str(getattr(each, "padding", "valid")).lower() != "valid":
            raise ValueError(
                f"layer {each.name!r} pads its input ({each.padding!r}); top_patches knows "
                "only the fields of padding 'valid', the lesson's."
            )
        steps.append(step)
    return steps


@dataclass(frozen=True)
class TopPatches:
    """The patches of digits that excite one filter most, strongest first.

    values (k,): the filter's largest outputs, after ReLU. positions (k, 3): for each, the
    image (its index in the images searched), and the row and column of the unit in the
    layer's map. windows (k, 4): the input pixels that unit sees, rows top:bottom and
    columns left:right (top, left, bottom, right; bottom and right excluded), clipped to
    the image. patches (k, field, field): those pixels, 0 (background) where the window
    passes the image's border. digits (k, height, width): the whole images.
    """

    layer: str
    filter: int
    field: int
    jump: int
    values: np.ndarray
    positions: np.ndarray
    windows: np.ndarray
    patches: np.ndarray
    digits: np.ndarray

    @property
    def dead(self) -> bool:
        """True when the filter output 0 everywhere on every image searched."""
        return bool(self.values.max() <= 0)


def crop_field(
    image: np.ndarray, row: int, col: int, field: int, jump: int
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The field x field pixels that unit (row, col) of a layer sees, and their window.

    image (height, width). A unit of a layer whose units sit ``jump`` pixels apart sees
    rows row * jump to row * jump + field - 1 (padding valid: unit (0, 0) sees the top-left
    corner). Where that square passes the image's border the window is clipped to the
    image and the patch is 0 there, as if the digit's background went on.
    Returns (patch (field, field), (top, left, bottom, right)).
    """
    height, width = image.shape
    top, left = row * jump, col * jump
    bottom, right = min(top + field, height), min(left + field, width)
    patch = np.zeros((field, field), dtype=image.dtype)
    patch[: bottom - top, : right - left] = image[top:bottom, left:right]
    return patch, (top, left, bottom, right)


def top_patches(
    model,
    images: np.ndarray,
    layer: str,
    filters: int | Sequence[int],
    k: int = 6,
    batch_size: int = 500,
) -> list[TopPatches]:
    """For each of a layer's ``filters``, the k image patches that excite it most.

    images (n, height, width, 1), ink in [0, 1]; layer: a name from
    ``lu.layer_names(model)`` with maps (a Conv2D or pooling layer); filters: a filter
    (channel) number or several, each in 0..channels-1; k: patches per filter, at most n.
    Each image gives at most one patch per filter, at the unit where the filter's map is
    largest (the first such unit if several tie), so the k patches come from k different
    digits; the k images with the largest maxima are kept. A patch is the unit's
    receptive field (``receptive_fields`` of ``model_steps(model, layer)``: 8x8 pixels
    for the lesson's ``conv2d_1``, 18x18 for ``conv2d_2``), cut out by ``crop_field``.
    The images go through the model ``batch_size`` at a time (either backend, with
    ``feature_maps``), so memory stays small. Returns one ``TopPatches`` per filter.
    """
    from lesson_utils.model import feature_maps  # a floor above; imported when used

    images = check_images(images)
    steps = model_steps(model, layer)
    shape = feature_maps(model, images[:1], layer).shape
    if len(shape) != 4:
        raise ValueError(
            f"layer must be a layer with maps (a Conv2D or pooling layer); {layer!r} "
            f"outputs shape {shape[1:]} per image."
        )
    channels = shape[-1]
    filters = [
        check_scalar(f, "filter", int, min_val=0, max_val=channels - 1)
        for f in ([filters] if np.ndim(filters) == 0 else filters)
    ]
    if not filters:
        raise ValueError("filters must name at least one filter, e.g. range(8); got none.")
    k = check_scalar(k, "k", int, min_val=1, max_val=len(images))
    batch_size = check_positive_int(batch_size, "batch_size")
    best = np.full((len(images), len(filters)), -np.inf)  # each image's maximum, per filter
    where = np.zeros((len(images), len(filters)), dtype=np.int64)  # its flat position
    for start in range(0, len(images), batch_size):
        maps = feature_maps(model, images[start : start + batch_size], layer)[..., filters]
        flat = maps.reshape(len(maps), -1, len(filters))
        where[start : start + len(maps)] = flat.argmax(axis=1)
        best[start : start + len(maps)] = flat.max(axis=1)
    map_width = maps.shape[2]
    _, field, jump = receptive_fields(steps)[-1]
    results = []
    for column, number in enumerate(filters):
        chosen = np.argsort(-best[:, column], kind="stable")[:k]  # ties: the earlier image
        rows, cols = np.divmod(where[chosen, column], map_width)
        digits = images[chosen, :, :, 0]
        crops = [crop_field(*unit, field, jump) for unit in zip(digits, rows, cols, strict=True)]
        results.append(
            TopPatches(
                layer=layer,
                filter=number,
                field=field,
                jump=jump,
                values=best[chosen, column].astype(np.float32),
                positions=np.stack([chosen, rows, cols], axis=1),
                windows=np.array([window for _, window in crops]),
                patches=np.stack([patch for patch, _ in crops]),
                digits=digits,
            )
        )
    return results


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
