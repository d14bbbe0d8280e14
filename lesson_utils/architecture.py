"""The lesson's networks described once, as a list of layers both backends build.

Each ``LayerSpec`` says what a layer is (``kind``, Keras's class and arguments), what
Keras will name it (``conv2d``, ``conv2d_1``, ...) and what it gives: its output shape
for one image and its number of parameters. ``cnn_architecture()`` and
``dense_architecture()`` return such lists; ``model.build_cnn_model`` hands one to
Keras (``keras_layer``) or to ``NumPyCNN``, which read the same list, so the two
backends cannot drift apart. The lesson's CNN for a 28x28 digit:

    conv2d           Conv2D(32, 3x3, relu)        (26, 26, 32)     320
    max_pooling2d    MaxPooling2D(2x2)            (13, 13, 32)       0
    conv2d_1         Conv2D(64, 3x3, relu)        (11, 11, 64)  18,496
    max_pooling2d_1  MaxPooling2D(2x2)            (5, 5, 64)         0
    conv2d_2         Conv2D(64, 3x3, relu)        (3, 3, 64)    36,928
    flatten          Flatten                      (576,)             0
    dense            Dense(64, relu)              (64,)         36,928
    dense_1          Dense(10, softmax)           (10,)            650   93,322 in all

To add a layer type, see CONTRIBUTING.md ("How to add a layer"). Introduced in
notebook 5, "The whole CNN".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from lesson_utils.numpy_layers import conv_output_size
from lesson_utils.recipe import BATCH_NORM_MOMENTUM
from lesson_utils.validation import check_positive_int, check_scalar

# kind -> Keras's class in keras.layers. The kind is Keras's default name for a layer of
# that class (the class name in snake_case: Conv2D -> conv2d, ReLU -> re_lu), so both
# backends name layers alike; `keras.layers.ReLU().name` shows it.
KERAS_CLASSES = {
    "conv2d": "Conv2D",
    "max_pooling2d": "MaxPooling2D",
    "average_pooling2d": "AveragePooling2D",
    "global_average_pooling2d": "GlobalAveragePooling2D",
    "flatten": "Flatten",
    "dense": "Dense",
    "dropout": "Dropout",
    "batch_normalization": "BatchNormalization",
}
POOLINGS = {"max": "max_pooling2d", "average": "average_pooling2d"}
# pooling="stride": no pooling layer; the convolution before it steps 2 pixels instead.
DOWNSAMPLINGS = (*POOLINGS, "stride")
HEADS = ("flatten", "global_average")


@dataclass(frozen=True)
class LayerSpec:
    """One layer: its kind, Keras's arguments for it, its name and what it outputs.

    ``input_shape`` and ``output_shape`` are for one image (no batch axis), e.g.
    (28, 28, 1) and (26, 26, 32);
    ``arguments`` are Keras's keyword arguments (``filters``, ``kernel_size``,
    ``pool_size``, ``units``, ``activation``, ``rate``, ...); ``params`` counts its
    weights as Keras's ``count_params()`` does, those training does not change
    included (BatchNormalization's moving mean and variance), and
    ``non_trainable_params`` counts those alone.
    """

    kind: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int = 0
    non_trainable_params: int = 0
    arguments: dict = field(default_factory=dict)
    name: str = ""

    @property
    def keras_class(self) -> str:
        return KERAS_CLASSES[self.kind]


# ---- one function per kind: the shape arithmetic the notebooks teach


def conv2d(
    input_shape: tuple,
    filters: int,
    kernel_size: int = 3,
    activation="relu",
    strides: int = 1,
    padding: str = "valid",
) -> LayerSpec:
    """Conv2D: (h, w, c) -> (h', w', filters), h' = floor((h - k) / s) + 1 for padding
    valid, ceil(h / s) for same (``numpy_layers.conv_output_size``).

    ``strides`` and ``padding`` are only passed to Keras when they differ from its
    defaults (1 and valid), so the lesson's layers read as notebook 5 writes them.
    """
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same'; got {padding!r}.")
    strides = check_positive_int(strides, "strides")
    height, width, channels = input_shape
    arguments = {"filters": filters, "kernel_size": kernel_size, "activation": activation}
    if strides != 1:
        arguments["strides"] = strides
    if padding != "valid":
        arguments["padding"] = padding
    return LayerSpec(
        "conv2d",
        tuple(input_shape),
        (
            conv_output_size(height, kernel_size, strides, padding),
            conv_output_size(width, kernel_size, strides, padding),
            filters,
        ),
        params=kernel_size * kernel_size * channels * filters + filters,
        arguments=arguments,
    )


def pooling2d(input_shape: tuple, kind: str = "max_pooling2d", pool_size: int = 2) -> LayerSpec:
    """MaxPooling2D or AveragePooling2D, stride = pool size: (h, w, c) -> (h // p, w // p, c)."""
    if kind not in POOLINGS.values():
        raise ValueError(f"kind must be one of {', '.join(POOLINGS.values())}; got {kind!r}.")
    height, width, channels = input_shape
    output_shape = (height // pool_size, width // pool_size, channels)
    return LayerSpec(kind, tuple(input_shape), output_shape, arguments={"pool_size": pool_size})


def global_average_pooling2d(input_shape: tuple) -> LayerSpec:
    """GlobalAveragePooling2D: (h, w, c) -> (c,), each map's mean."""
    return LayerSpec("global_average_pooling2d", tuple(input_shape), (input_shape[-1],))


def flatten(input_shape: tuple) -> LayerSpec:
    """Flatten: (h, w, c) -> (h * w * c,)."""
    size = 1
    for n in input_shape:
        size *= n
    return LayerSpec("flatten", tuple(input_shape), (size,))


def dense(input_shape: tuple, units: int, activation: str | None = "relu") -> LayerSpec:
    """Dense: (inputs,) -> (units,), with inputs * units + units parameters."""
    (inputs,) = input_shape
    return LayerSpec(
        "dense",
        tuple(input_shape),
        (units,),
        params=inputs * units + units,
        arguments={"units": units, "activation": activation},
    )


def dropout(input_shape: tuple, rate: float) -> LayerSpec:
    """Dropout: the shape is unchanged. While training, each number is set to 0 with
    probability ``rate`` (the rest are scaled by 1 / (1 - rate)); when predicting it
    passes everything through. No parameters.
    """
    rate = check_scalar(rate, "rate", float, min_val=0, max_val=1, include_max=False, example="0.5")
    return LayerSpec("dropout", tuple(input_shape), tuple(input_shape), arguments={"rate": rate})


def batch_normalization(
    input_shape: tuple, momentum: float = 0.99, epsilon: float = 1e-3
) -> LayerSpec:
    """BatchNormalization over the last axis (the channels): the shape is unchanged.

    Four numbers per channel: gamma and beta, which training learns, and the moving
    mean and variance, which it keeps as running averages for predicting (so 4 * c
    parameters, 2 * c of them non-trainable, as Keras counts them). Keras's defaults:
    momentum 0.99, epsilon 0.001.
    """
    momentum = check_scalar(momentum, "momentum", float, min_val=0, max_val=1)
    epsilon = check_scalar(epsilon, "epsilon", float, min_val=0, include_min=False)
    channels = input_shape[-1]
    return LayerSpec(
        "batch_normalization",
        tuple(input_shape),
        tuple(input_shape),
        params=4 * channels,
        non_trainable_params=2 * channels,
        arguments={"momentum": momentum, "epsilon": epsilon},
    )


def with_keras_names(layers: list[LayerSpec]) -> list[LayerSpec]:
    """Name layers as Keras does in a fresh session: conv2d, conv2d_1, conv2d_2, ...

    Both backends use these names, so a notebook can ask for ``"conv2d_1"`` on either.
    """
    seen: dict[str, int] = {}
    named = []
    for layer in layers:
        n = seen.get(layer.kind, 0)
        seen[layer.kind] = n + 1
        named.append(replace(layer, name=layer.kind if n == 0 else f"{layer.kind}_{n}"))
    return named


def check_architecture(layers: object) -> list[LayerSpec]:
    """``layers`` as a list of LayerSpec that a model can be built from, or a ValueError.

    Each layer's input shape must be the previous layer's output shape; layers without
    a name get Keras's (``with_keras_names``); names must differ.
    """
    if isinstance(layers, LayerSpec) or not isinstance(layers, list | tuple) or not layers:
        raise ValueError(
            "architecture must be a non-empty list of layers (LayerSpec), such as "
            f"cnn_architecture(); got {layers!r:.80}."
        )
    for i, spec in enumerate(layers):
        if not isinstance(spec, LayerSpec):
            raise ValueError(
                f"architecture[{i}] must be a LayerSpec (lesson_utils.architecture: conv2d(), "
                f"dense(), ...); got {type(spec).__name__}."
            )
        if spec.kind not in KERAS_CLASSES:
            raise ValueError(
                f"architecture[{i}] is a {spec.kind!r} layer, which no backend builds; "
                f"the kinds are {', '.join(KERAS_CLASSES)}."
            )
    for i, (before, after) in enumerate(zip(layers[:-1], layers[1:], strict=True), start=1):
        if after.input_shape != before.output_shape:
            raise ValueError(
                f"architecture[{i}] ({after.kind}) takes inputs of shape {after.input_shape}, "
                f"but the layer before it gives {before.output_shape}: make each layer from "
                "the previous one's output_shape."
            )
    named = [s if s.name else k for s, k in zip(layers, with_keras_names(layers), strict=True)]
    names = [spec.name for spec in named]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"two layers of the architecture are named {', '.join(repeated)}.")
    return named


# ---- the lesson's two networks


def check_input_shape(input_shape: object) -> tuple[int, int, int]:
    """(height, width, channels) as whole numbers >= 1, or a ValueError saying so."""
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = ()
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels); got {input_shape!r}.")
    return tuple(check_positive_int(v, "input_shape") for v in shape)


def cnn_architecture(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    filters: tuple[int, ...] = (32, 64, 64),
    dense_units: int = 64,
    num_classes: int = 10,
    kernel_size: int = 3,
    pooling: str = "max",
    head: str = "flatten",
    batch_norm: bool = False,
    dropout_rate: float = 0.0,
) -> list[LayerSpec]:
    """The lesson's CNN: a Conv2D (relu) per entry of ``filters`` with 2x2 pooling
    between them, then Flatten, Dense(dense_units, relu), Dense(num_classes, softmax).

    ``pooling``: ``"max"`` (MaxPooling2D, the lesson's), ``"average"``
    (AveragePooling2D) or ``"stride"``: no pooling layer, each Conv2D but the last
    steps 2 pixels at a time (``strides=2``) and so halves the maps itself.
    ``head``: ``"flatten"`` (the lesson's) or
    ``"global_average"`` (GlobalAveragePooling2D: one mean per feature map in
    place of Flatten). ``batch_norm=True`` puts a BatchNormalization after each
    Conv2D (after its ReLU, before the pooling), with momentum 0.9 for the lesson's
    short runs (``recipe.BATCH_NORM_MOMENTUM`` says why); ``dropout_rate=0.5`` puts a
    Dropout(0.5) before the first Dense layer (after Flatten); 0 means none.
    Raises ValueError, naming the argument, for a network that cannot be built.
    """
    shape = check_input_shape(input_shape)
    if not isinstance(filters, tuple | list) or not filters:
        raise ValueError(
            f"filters must name at least one Conv2D layer, e.g. (32, 64, 64); got {filters!r}."
        )
    filters = tuple(check_positive_int(f, "each entry of filters") for f in filters)
    dense_units = check_positive_int(dense_units, "dense_units")
    num_classes = _check_classes(num_classes)
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    if pooling not in DOWNSAMPLINGS:
        raise ValueError(f"pooling must be 'max', 'average' or 'stride'; got {pooling!r}.")
    if head not in HEADS:
        raise ValueError(f"head must be 'flatten' or 'global_average'; got {head!r}.")
    if not isinstance(batch_norm, bool | np.bool_):
        raise ValueError(f"batch_norm must be True or False; got {batch_norm!r}.")
    dropout_rate = check_scalar(
        dropout_rate, "dropout_rate", float, min_val=0, max_val=1, include_max=False, example="0.5"
    )
    layers = []
    for i, count in enumerate(filters):
        if min(shape[:2]) < kernel_size:
            raise ValueError(
                f"{len(filters)} convolutions of {kernel_size}x{kernel_size} do not "
                f"fit a {input_shape[0]}x{input_shape[1]} image: the feature maps "
                "shrink to nothing. Use fewer filters entries or a smaller kernel."
            )
        strides = 2 if pooling == "stride" and i < len(filters) - 1 else 1
        layers.append(conv2d(shape, count, kernel_size, strides=strides))
        shape = layers[-1].output_shape
        if batch_norm:
            layers.append(batch_normalization(shape, momentum=BATCH_NORM_MOMENTUM))
        if i < len(filters) - 1 and pooling != "stride":  # pool after all convs but the last
            if min(shape[:2]) < 2:
                raise ValueError(
                    f"{pooling} pooling shrinks the feature maps to nothing; use fewer "
                    "Conv2D layers."
                )
            layers.append(pooling2d(shape, POOLINGS[pooling]))
            shape = layers[-1].output_shape
    layers.append(flatten(shape) if head == "flatten" else global_average_pooling2d(shape))
    if dropout_rate:
        layers.append(dropout(layers[-1].output_shape, dropout_rate))
    layers.append(dense(layers[-1].output_shape, dense_units))
    layers.append(dense(layers[-1].output_shape, num_classes, "softmax"))
    return with_keras_names(layers)


def dense_architecture(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    hidden_units: int = 128,
    num_classes: int = 10,
) -> list[LayerSpec]:
    """A network without convolutions: Flatten, Dense(hidden_units, relu),
    Dense(num_classes, softmax); 784-128-10 has 101,770 parameters.
    """
    shape = check_input_shape(input_shape)
    hidden_units = check_positive_int(hidden_units, "hidden_units")
    num_classes = _check_classes(num_classes)
    layers = [flatten(shape)]
    layers.append(dense(layers[-1].output_shape, hidden_units))
    layers.append(dense(layers[-1].output_shape, num_classes, "softmax"))
    return with_keras_names(layers)


def _check_classes(num_classes: object) -> int:
    if check_positive_int(num_classes, "num_classes") < 2:
        raise ValueError(f"num_classes must be at least 2; got {num_classes}.")
    return int(num_classes)


def keras_layer(layer: LayerSpec, keras):
    """The Keras layer a LayerSpec describes: ``keras.layers.<class>(**arguments, name)``."""
    return getattr(keras.layers, layer.keras_class)(**layer.arguments, name=layer.name)
