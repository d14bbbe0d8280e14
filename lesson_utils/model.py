"""Building the lesson's CNN on either backend, Keras or NumPy, and looking inside it.

Both builders read one description of the network (``lesson_utils.architecture``:
each layer's kind, name, output shape and parameters), so a Keras model and a
``NumPyCNN`` built with the same arguments have the same layers, names and shapes:

    Input (28, 28, 1)
    Conv2D(32, 3x3, relu)   -> (26, 26, 32)
    MaxPooling2D(2x2)       -> (13, 13, 32)
    Conv2D(64, 3x3, relu)   -> (11, 11, 64)
    MaxPooling2D(2x2)       -> (5, 5, 64)
    Conv2D(64, 3x3, relu)   -> (3, 3, 64)
    Flatten                 -> (576,)
    Dense(64, relu)         -> (64,)
    Dense(10, softmax)      -> (10,)        93,322 parameters in all

``model_backend(model)`` is the one way to ask which backend a model is on, and
``layer_outputs`` the one way to look at every layer's output. Introduced in
notebook 5, "The whole CNN". TensorFlow is imported here only when a Keras model is
asked for, never by ``import lesson_utils``.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np

from lesson_utils import settings
from lesson_utils.architecture import (
    LayerSpec,
    check_architecture,
    cnn_architecture,
    dense_architecture,
    keras_layer,
)
from lesson_utils.numpy_model import Adam, NumPyCNN
from lesson_utils.recipe import ADAM_BETA_2, DEFAULT_LEARNING_RATE
from lesson_utils.tensorflow_import import import_keras
from lesson_utils.validation import check_images, check_scalar


def keras_layers():
    """``keras.layers`` on the TensorFlow backend; NumPy stand-ins on the NumPy backend.

    The notebooks call this where they use a Keras layer on its own, so the
    same cell runs in the browser; it says so in one line when it substitutes.
    """
    if settings.get_backend() == "tensorflow":
        return import_keras().layers
    from lesson_utils import keras_standins

    print(
        "NumPy backend: keras.layers is stood in for by lesson_utils's NumPy layers "
        "(same arguments, same numbers)."
    )
    return keras_standins


def model_backend(model) -> str:
    """``"numpy"`` for a NumPyCNN, ``"tensorflow"`` for anything else (a Keras model).

    The one way lesson_utils tells the backends apart; it answers for any object.
    """
    return "numpy" if isinstance(model, NumPyCNN) else "tensorflow"


def build_cnn_model(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    filters: tuple[int, ...] = (32, 64, 64),
    dense_units: int = 64,
    num_classes: int = 10,
    kernel_size: int = 3,
    backend: str | None = None,
    pooling: str = "max",
    head: str = "flatten",
    batch_norm: bool = False,
    dropout_rate: float = 0.0,
):
    """The lesson's CNN: a Conv2D per entry of ``filters`` with 2x2 max pooling between
    them, then Flatten, Dense(dense_units, relu) and Dense(num_classes, softmax).

    ``pooling="average"`` pools with AveragePooling2D instead, and ``pooling="stride"``
    has no pooling layers: each Conv2D but the last steps 2 pixels (``strides=2``);
    ``head="global_average"``
    replaces Flatten by GlobalAveragePooling2D (one mean per feature map).
    ``batch_norm=True`` adds a BatchNormalization after each Conv2D, and
    ``dropout_rate=0.5`` a Dropout(0.5) between Flatten and the first Dense layer
    (``architecture.cnn_architecture``). Returns a ``keras.Sequential`` on the
    TensorFlow backend and a ``NumPyCNN`` on the NumPy one; ``backend=None`` follows
    ``LESSON_BACKEND``. For any other stack of layers, see ``build_model``.
    """
    architecture = cnn_architecture(
        input_shape=input_shape,
        filters=filters,
        dense_units=dense_units,
        num_classes=num_classes,
        kernel_size=kernel_size,
        pooling=pooling,
        head=head,
        batch_norm=batch_norm,
        dropout_rate=dropout_rate,
    )
    return build_model(architecture, backend, name="lesson_cnn")


def build_model(architecture: list[LayerSpec], backend: str | None = None, name: str = "model"):
    """The model an architecture (a list of ``LayerSpec``) describes, on either backend.

    ``keras.Sequential`` on the TensorFlow backend, ``NumPyCNN`` on the NumPy one;
    ``backend=None`` follows ``LESSON_BACKEND``. Any stack of the layers in
    ``lesson_utils.architecture``, each made from the shape before it, named as Keras
    names them where they have no name (``architecture.check_architecture``), e.g.::

        from lesson_utils import architecture as A
        layers = [A.flatten((28, 28, 1))]
        layers.append(A.dropout(layers[-1].output_shape, 0.2))
        layers.append(A.dense(layers[-1].output_shape, 10, "softmax"))
        model = build_model(layers)
    """
    architecture = check_architecture(architecture)
    backend = backend or settings.get_backend()
    if backend == "numpy":
        return NumPyCNN(architecture, name=name)
    if backend != "tensorflow":
        raise ValueError(f"backend must be 'tensorflow' or 'numpy'; got {backend!r}.")
    keras = import_keras()
    layers = [keras.Input(shape=architecture[0].input_shape)]
    layers += [keras_layer(spec, keras) for spec in architecture]
    return keras.Sequential(layers, name=name)


def compile_cnn_model(model, learning_rate: float = DEFAULT_LEARNING_RATE):
    """Adam (peak ``learning_rate``, beta_2 0.99), sparse categorical cross-entropy,
    accuracy. Returns the model.
    """
    learning_rate = check_scalar(
        learning_rate,
        "learning_rate",
        float,
        min_val=0,
        max_val=1,
        include_min=False,
        include_max=False,
        example="0.007",
    )
    if model_backend(model) == "numpy":
        model.compile(optimizer=Adam(learning_rate, beta_2=ADAM_BETA_2))
        return model
    keras = import_keras()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, beta_2=ADAM_BETA_2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def layer_names(model) -> list[str]:
    """The names of the model's layers, in order (``conv2d``, ``max_pooling2d``, ...)."""
    return [layer.name for layer in model.layers]


def feature_maps(model, images: np.ndarray, layer: str | int) -> np.ndarray:
    """The output of one layer for a batch of images, on either backend.

    images (n, 28, 28, 1); layer: a name from ``layer_names(model)`` or an
    index. Returns e.g. (n, 26, 26, 32) for the first Conv2D.
    """
    names = layer_names(model)
    if isinstance(layer, str):
        if layer not in names:
            raise ValueError(
                f"layer {layer!r} is not in this model; its layers are {', '.join(names)}."
            )
        index = names.index(layer)
    else:
        layer = check_scalar(layer, "layer", int, expected="a layer's name or index")
        if not -len(names) <= layer < len(names):
            raise ValueError(
                f"layer index {layer} is out of range: the model has "
                f"{len(names)} layers (0-{len(names) - 1})."
            )
        index = layer % len(names)
    return layer_outputs(model, images, upto=index + 1)[index][1]


# One Keras "probe" per model (a keras.Model with every layer's output), built on
# first use; not an attribute of the model, which Keras would track as a layer.
_KERAS_PROBES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layer_outputs(
    model, images: np.ndarray, upto: int | None = None
) -> list[tuple[str, np.ndarray]]:
    """[(layer name, its output for the batch), ...] for the model's first ``upto`` layers
    (all by default), on either backend: the one way lesson_utils looks inside a model.

    images (n, 28, 28, 1) float32; e.g. ("conv2d", (n, 26, 26, 32)) first and
    ("dense_1", (n, 10)), the class probabilities, last. Layers compute as when
    predicting (Keras's ``training=False``): Dropout passes everything through and
    BatchNormalization uses its moving averages, which this leaves unchanged.
    """
    x = check_images(images).astype(np.float32)
    layers = model.layers[:upto]
    if model_backend(model) == "numpy":  # run the layers one by one, as when predicting
        outputs = []
        for layer in layers:
            x = layer(x)
            outputs.append((layer.name, x))
        return outputs
    probe = _KERAS_PROBES.get(model)
    if probe is None:
        keras = import_keras()
        probe = keras.Model(inputs=model.inputs[0], outputs=[la.output for la in model.layers])
        _KERAS_PROBES[model] = probe
    values = probe(x, training=False)
    return [(layer.name, np.asarray(value)) for layer, value in zip(layers, values, strict=False)]


def save_model(model, folder: str | Path) -> Path:
    """Save a trained model: ``cnn.keras`` (Keras) or ``cnn_weights.npz`` (NumPy)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if model_backend(model) == "numpy":
        path = folder / "cnn_weights.npz"
        np.savez_compressed(path, *model.get_weights())
    else:
        path = folder / "cnn.keras"
        model.save(path)
    return path


def build_dense_model(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    hidden_units: int = 128,
    num_classes: int = 10,
    backend: str | None = None,
):
    """A network without convolutions, to compare with the CNN: Flatten, then
    Dense(hidden_units, relu) and Dense(num_classes, softmax).

    For 28x28 digits and the default 128 hidden units it is 784-128-10, with
    101,770 parameters: about the CNN's 93,322. Compile and train it with
    ``compile_cnn_model`` and ``train_cnn_model`` like the CNN. Returns a
    ``keras.Sequential`` on the TensorFlow backend and a ``NumPyCNN`` without
    convolutions on the NumPy one. Introduced in notebook 5, "The whole CNN".
    """
    return build_model(
        dense_architecture(input_shape, hidden_units, num_classes), backend, name="dense_network"
    )
