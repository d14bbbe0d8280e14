"""NumPy stand-ins for the few ``keras.layers`` the notebooks call directly.

Where TensorFlow is missing (the browser), ``lesson_utils.keras_layers()``
returns this module instead of ``keras.layers``, so a cell such as:

    conv = layers.Conv2D(2, (3, 3), use_bias=False)
    conv.build((None, 28, 28, 1))
    conv.set_weights([kernels])
    maps = np.asarray(conv(images))

runs unchanged on either backend. Each stand-in computes with ``numpy_layers``;
Dropout and BatchNormalization take Keras's ``training=`` (False by default).
"""

from __future__ import annotations

import numpy as np

from lesson_utils import numpy_layers as L
from lesson_utils.validation import check_scalar


def _pair(value) -> int:
    """Keras accepts 3 or (3, 3); the lesson uses square windows only."""
    if isinstance(value, tuple | list):
        if len(set(value)) != 1:
            raise ValueError(f"the NumPy stand-ins support square windows only; got {value}.")
        return int(value[0])
    return int(value)


def _activate(x: np.ndarray, activation: str | None) -> np.ndarray:
    if activation in (None, "linear"):
        return x
    if activation == "relu":
        return L.relu(x)
    if activation == "softmax":
        return L.softmax(x)
    raise ValueError(f"activation must be None, 'relu' or 'softmax'; got {activation!r}.")


class _Layer:
    weights: list[np.ndarray]

    def get_weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        if len(weights) != len(self.weights):
            raise ValueError(f"set_weights needs {len(self.weights)} arrays; got {len(weights)}.")
        for i, (old, new) in enumerate(zip(self.weights, weights, strict=True)):
            new = np.asarray(new, dtype=np.float32)
            if new.shape != old.shape:
                raise ValueError(f"weight {i} must have shape {old.shape}; got {new.shape}.")
            self.weights[i] = new

    def build(self, input_shape) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis first, may be None)."""


class Conv2D(_Layer):
    """Stand-in for ``keras.layers.Conv2D``."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        activation=None,
        use_bias=True,
        **_ignored,
    ):
        self.filters, self.size, self.stride = filters, _pair(kernel_size), _pair(strides)
        self.padding, self.activation, self.use_bias = padding, activation, use_bias
        self.weights = []

    def build(self, input_shape) -> None:
        channels = input_shape[-1]
        self.weights = [np.zeros((self.size, self.size, channels, self.filters), np.float32)]
        if self.use_bias:
            self.weights.append(np.zeros(self.filters, np.float32))

    def __call__(self, images) -> np.ndarray:
        images = np.asarray(images, dtype=np.float32)
        if not self.weights:
            self.build(images.shape)
        bias = self.weights[1] if self.use_bias else None
        out = L.conv2d(images, self.weights[0], bias, self.stride, self.padding)
        return _activate(out, self.activation)


class MaxPooling2D(_Layer):
    """Stand-in for ``keras.layers.MaxPooling2D`` (valid padding)."""

    def __init__(self, pool_size=(2, 2), strides=None, **_ignored):
        self.pool_size = _pair(pool_size)
        self.stride = _pair(strides) if strides is not None else None
        self.weights = []

    def __call__(self, images) -> np.ndarray:
        return L.max_pool2d(np.asarray(images, dtype=np.float32), self.pool_size, self.stride)


class AveragePooling2D(MaxPooling2D):
    """Stand-in for ``keras.layers.AveragePooling2D`` (valid padding)."""

    def __call__(self, images) -> np.ndarray:
        return L.average_pool2d(np.asarray(images, dtype=np.float32), self.pool_size, self.stride)


class GlobalAveragePooling2D(_Layer):
    """Stand-in for ``keras.layers.GlobalAveragePooling2D``."""

    def __init__(self, **_ignored):
        self.weights = []

    def __call__(self, images) -> np.ndarray:
        return L.global_average_pool2d(np.asarray(images, dtype=np.float32))


class Flatten(_Layer):
    """Stand-in for ``keras.layers.Flatten``."""

    def __init__(self, **_ignored):
        self.weights = []

    def __call__(self, images) -> np.ndarray:
        return L.flatten(np.asarray(images, dtype=np.float32))


class Dense(_Layer):
    """Stand-in for ``keras.layers.Dense``."""

    def __init__(self, units, activation=None, use_bias=True, **_ignored):
        self.units, self.activation, self.use_bias = units, activation, use_bias
        self.weights = []

    def build(self, input_shape) -> None:
        self.weights = [np.zeros((input_shape[-1], self.units), np.float32)]
        if self.use_bias:
            self.weights.append(np.zeros(self.units, np.float32))

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if not self.weights:
            self.build(x.shape)
        bias = self.weights[1] if self.use_bias else np.zeros(self.units, np.float32)
        return _activate(L.dense(x, self.weights[0], bias), self.activation)


class Dropout(_Layer):
    """Stand-in for ``keras.layers.Dropout``: ``layer(x, training=True)`` drops, and
    ``layer(x)`` passes x through, as Keras does."""

    def __init__(self, rate, seed=None, **_ignored):
        rate = check_scalar(rate, "rate", float, min_val=0, max_val=1, include_max=False)
        self.rate, self.weights = rate, []
        self.rng = None if seed is None else np.random.default_rng(seed)

    def __call__(self, x, training=False) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if not training:
            return x
        return L.dropout(x, L.dropout_mask(x.shape, self.rate, self.rng))


class BatchNormalization(_Layer):
    """Stand-in for ``keras.layers.BatchNormalization`` over the last axis; weights
    [gamma, beta, moving_mean, moving_variance] as Keras's. ``layer(x, training=True)``
    normalises with the batch's statistics and updates the moving averages;
    ``layer(x)`` normalises with the moving averages."""

    def __init__(self, momentum=0.99, epsilon=0.001, **_ignored):
        self.momentum, self.epsilon, self.weights = momentum, epsilon, []

    def build(self, input_shape) -> None:
        channels = input_shape[-1]
        ones, zeros = np.ones(channels, np.float32), np.zeros(channels, np.float32)
        self.weights = [ones, zeros, zeros.copy(), ones.copy()]

    def __call__(self, x, training=False) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if not self.weights:
            self.build(x.shape)
        gamma, beta, moving_mean, moving_variance = self.weights
        if not training:
            return L.batch_norm(x, gamma, beta, moving_mean, moving_variance, self.epsilon)
        mean, variance = L.batch_statistics(x)
        self.weights[2] = L.moving_average(moving_mean, mean, self.momentum).astype(np.float32)
        self.weights[3] = L.moving_average(moving_variance, variance, self.momentum).astype(
            np.float32
        )
        return L.batch_norm(x, gamma, beta, mean, variance, self.epsilon)
