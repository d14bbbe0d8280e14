"""A small CNN in NumPy with a Keras-like surface: the browser's model.

``NumPyCNN`` stacks the layers of ``numpy_layers`` into the lesson's
architecture and trains them with Adam, computing them with ``fast_layers``
(the same numbers, faster, also where NumPy has no BLAS). It offers what the
lesson uses of a Keras model (``fit``, ``evaluate``, ``predict``, ``summary``, ``get_weights``,
``set_weights``, ``layers``), so a notebook runs unchanged where TensorFlow
does not exist. Used from notebook 5, "The whole CNN", on the NumPy backend.
"""

from __future__ import annotations

import time

import numpy as np

from lesson_utils import fast_layers as F
from lesson_utils import numpy_layers as L
from lesson_utils.architecture import LayerSpec, check_architecture, cnn_architecture
from lesson_utils.progress import TrainingProgress
from lesson_utils.recipe import (
    ADAM_BETA_2,
    DEFAULT_BATCH_SIZE,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SCHEDULE,
)
from lesson_utils.schedules import check_schedule, learning_rate_factor
from lesson_utils.validation import check_images, check_labels, check_positive_int


def glorot_uniform(
    shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator
) -> np.ndarray:
    """Keras's default kernel initialiser: uniform in +-sqrt(6 / (fan_in + fan_out))."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype(np.float32)


class Layer:
    """What every layer has: a name, an output shape (without the batch axis), weights.

    ``forward(x)`` computes the layer as in training and keeps what ``backward`` needs;
    ``layer(x)``, as Keras's ``layer(x, training=False)``, computes it as when predicting.
    """

    def __init__(self, spec: LayerSpec, rng: np.random.Generator | None = None):
        """A layer without weights (pooling, Flatten, ...); layers with weights add theirs.

        ``rng`` draws the initial weights of the layers that have them.
        """
        self.name, self.output_shape = spec.name, spec.output_shape
        self.weights: list[np.ndarray] = []
        self.grads: list[np.ndarray] = []

    def count_params(self) -> int:
        return int(sum(w.size for w in self.weights))

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        """The weights training changes, one per entry of ``grads``: all, for most layers."""
        return self.weights

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The layer's whole output for x. Only Dropout and BatchNormalization behave
        differently with ``training=True``; they override this."""
        return self.forward(x)


class Conv2DLayer(Layer):
    """Conv2D(filters, kernel_size, activation="relu"|None), padding valid or same."""

    def __init__(self, spec: LayerSpec, rng: np.random.Generator):
        filters, kernel_size = spec.arguments["filters"], spec.arguments["kernel_size"]
        channels = spec.input_shape[-1]
        super().__init__(spec)
        self.activation = spec.arguments.get("activation")
        self.stride = spec.arguments.get("strides", 1)
        self.padding = spec.arguments.get("padding", "valid")
        kernel = glorot_uniform(
            (kernel_size, kernel_size, channels, filters),
            kernel_size * kernel_size * channels,
            kernel_size * kernel_size * filters,
            rng,
        )
        self.weights = [kernel, np.zeros(filters, np.float32)]
        self.needs_input_grad = True
        # The output rows and columns the next layer reads (NumPyCNN sets it): a 2x2
        # pooling of an 11x11 map reads only the top-left 10x10.
        self.read_size = self.output_shape[:2]

    def forward(self, x: np.ndarray, only_read: bool = False) -> np.ndarray:
        """The layer's output; ``only_read=True``: only the part the next layer reads."""
        self.input_shape = x.shape
        x = self._crop(x) if only_read else x
        # F.conv2d is L.conv2d, faster, keeping the patches for the backward pass.
        out, self.patches = F.conv2d(x, *self.weights, self.stride, self.padding)
        if self.activation:  # L.relu: out > 0 exactly where the input to relu was
            out = F.relu(out)
        self.outputs = out
        return out

    def infer(self, x: np.ndarray) -> np.ndarray:
        """forward(x, only_read=True) for predicting: faster, keeping nothing for backward."""
        out = F.conv2d_infer(self._crop(x), *self.weights, self.stride, self.padding)
        return F.relu(out) if self.activation else out  # L.relu

    def _crop(self, x: np.ndarray) -> np.ndarray:
        """The top-left part of the input that the outputs in read_size come from."""
        rows, cols = self.read_size
        if (rows, cols) == self.output_shape[:2] or self.padding != "valid":
            return x
        kernel_h, kernel_w = self.weights[0].shape[:2]
        return x[:, : (rows - 1) * self.stride + kernel_h, : (cols - 1) * self.stride + kernel_w]

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        if self.activation:  # L.relu_backward: relu's output is > 0 where its input was
            grad = F.relu_backward(grad, self.outputs)
        grad_x, grad_kernel, grad_bias = F.conv2d_backward(
            grad,
            self.patches,
            self.input_shape,
            self.weights[0],
            self.stride,
            self.padding,
            need_input_grad=self.needs_input_grad,
        )
        self.grads = [grad_kernel, grad_bias]
        return grad_x


class Pool2DLayer(Layer):
    """What both 2-D poolings share: a pool size (= stride), padding valid, no weights."""

    def __init__(self, spec: LayerSpec, rng: np.random.Generator | None = None):
        super().__init__(spec)
        self.pool_size = spec.arguments["pool_size"]


class MaxPool2DLayer(Pool2DLayer):
    """MaxPooling2D(pool_size): the largest value of each window."""

    nonnegative = False  # its inputs are relu's outputs (NumPyCNN sets it): faster pooling

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.inputs = x
        self.pooled = F.max_pool2d(x, self.pool_size, nonnegative=self.nonnegative)
        return self.pooled

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return F.max_pool2d_backward(grad, self.inputs, self.pooled, self.pool_size)


class AveragePool2DLayer(Pool2DLayer):
    """AveragePooling2D(pool_size): the mean of each window."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return L.average_pool2d(x, self.pool_size)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return L.average_pool2d_backward(grad, self.input_shape, self.pool_size)


class GlobalAveragePool2DLayer(Layer):
    """GlobalAveragePooling2D: each feature map's mean, (h, w, c) -> (c,)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return L.global_average_pool2d(x)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return L.global_average_pool2d_backward(grad, self.input_shape)


class FlattenLayer(Layer):
    """Flatten: (h, w, c) feature maps -> one vector of h * w * c numbers."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.input_shape = x.shape
        return L.flatten(x)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return L.flatten_backward(grad, self.input_shape)


class DenseLayer(Layer):
    """Dense(units, activation="relu"|"softmax"|None)."""

    def __init__(self, spec: LayerSpec, rng: np.random.Generator):
        (inputs,), units = spec.input_shape, spec.arguments["units"]
        super().__init__(spec)
        self.activation = spec.arguments.get("activation")
        self.weights = [
            glorot_uniform((inputs, units), inputs, units, rng),
            np.zeros(units, np.float32),
        ]

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.inputs = x
        kernel, bias = self.weights
        self.pre_activation = F.matmul(x, kernel) + bias  # L.dense(x, kernel, bias)
        if self.activation == "relu":
            return F.relu(self.pre_activation)  # L.relu
        if self.activation == "softmax":
            return L.softmax(self.pre_activation)
        return self.pre_activation

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # For softmax the model hands in the gradient w.r.t. the scores already
        # (softmax and cross-entropy are differentiated together), so only ReLU is undone here.
        if self.activation == "relu":
            grad = F.relu_backward(grad, self.pre_activation)  # L.relu_backward
        # L.dense_backward(grad, self.inputs, kernel), through F's products
        kernel = self.weights[0]
        grad_x = F.matmul_nt(grad, kernel)
        self.grads = [F.matmul_tn(self.inputs, grad), grad.sum(axis=0)]
        return grad_x


class DropoutLayer(Layer):
    """Dropout(rate): while training, zero each number with probability rate and scale
    the rest by 1 / (1 - rate); when predicting, pass everything through."""

    def __init__(self, spec: LayerSpec, rng: np.random.Generator | None = None):
        super().__init__(spec)
        self.rate = spec.arguments["rate"]

    def forward(self, x: np.ndarray) -> np.ndarray:
        # NumPy's global random numbers, so set_global_seed repeats a run.
        self.mask = L.dropout_mask(x.shape, self.rate)
        return L.dropout(x, self.mask)

    def infer(self, x: np.ndarray) -> np.ndarray:
        return x

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return self.forward(x) if training else self.infer(x)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return L.dropout_backward(grad, self.mask)


class BatchNormLayer(Layer):
    """BatchNormalization(momentum, epsilon) over the channels (last axis); Keras's
    defaults are 0.99 and 0.001, the lesson's CNN uses momentum 0.9 (``recipe``).

    ``weights`` in Keras's order: gamma, beta (trained by Adam), moving mean, moving
    variance (kept as running averages while training, used when predicting).
    """

    def __init__(self, spec: LayerSpec, rng: np.random.Generator | None = None):
        super().__init__(spec)
        self.momentum = spec.arguments.get("momentum", 0.99)
        self.epsilon = spec.arguments.get("epsilon", 1e-3)
        channels = spec.input_shape[-1]
        ones, zeros = np.ones(channels, np.float32), np.zeros(channels, np.float32)
        self.weights = [ones, zeros, zeros.copy(), ones.copy()]

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        return self.weights[:2]  # gamma and beta; not the moving averages

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Training: normalise with the batch's own statistics, and update the averages.

        The numbers of L.batch_statistics and L.batch_norm, in fewer passes over x; the
        standardised inputs are kept for backward.
        """
        gamma, beta, moving_mean, moving_variance = self.weights
        rows = x.reshape(-1, x.shape[-1])  # one row per position, one column per channel
        mean = rows.mean(axis=0)
        centred = rows - mean
        variance = np.einsum("ij,ij->j", centred, centred) / len(rows)
        self.inverse_std = 1 / np.sqrt(variance + self.epsilon)
        self.x_hat = centred * self.inverse_std
        self.weights[2] = L.moving_average(moving_mean, mean, self.momentum).astype(np.float32)
        self.weights[3] = L.moving_average(moving_variance, variance, self.momentum).astype(
            np.float32
        )
        return (self.x_hat * gamma + beta).reshape(x.shape)

    def infer(self, x: np.ndarray) -> np.ndarray:
        """Predicting: normalise with the moving averages kept while training."""
        return L.batch_norm(x, *self.weights, self.epsilon)

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return self.forward(x) if training else self.infer(x)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """L.batch_norm_backward, from the standardised inputs kept by forward."""
        rows = grad.reshape(-1, grad.shape[-1])
        grad_beta = rows.sum(axis=0)
        grad_gamma = np.einsum("ij,ij->j", rows, self.x_hat)
        self.grads = [grad_gamma, grad_beta]
        n, gamma = len(rows), self.weights[0]
        # grad_x_hat = grad * gamma, less its mean and its mean along x_hat, over std
        grad_x = (gamma * self.inverse_std) * (rows - grad_beta / n - self.x_hat * (grad_gamma / n))
        return grad_x.reshape(grad.shape)


class Adam:
    """The Adam optimiser with Keras's defaults (beta_1 0.9, beta_2 0.999, epsilon 1e-7)."""

    def __init__(
        self,
        learning_rate: float = 1e-3,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ):
        self.learning_rate, self.beta_1, self.beta_2, self.epsilon = (
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
        )
        self.step = 0
        self.m: list[np.ndarray] = []
        self.v: list[np.ndarray] = []

    def apply(self, weights: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Update each weight in place from its gradient."""
        if not self.m:
            self.m = [np.zeros_like(w) for w in weights]
            self.v = [np.zeros_like(w) for w in weights]
        self.step += 1
        # Bias correction: m and v start at 0, so early averages are scaled up.
        scale = (
            self.learning_rate * np.sqrt(1 - self.beta_2**self.step) / (1 - self.beta_1**self.step)
        )
        for w, g, m, v in zip(weights, grads, self.m, self.v, strict=True):
            m += (1 - self.beta_1) * (g - m)  # running mean of the gradient
            v += (1 - self.beta_2) * (g * g - v)  # running mean of its square
            w -= (scale * m / (np.sqrt(v) + self.epsilon)).astype(w.dtype)


# kind (architecture.KERAS_CLASSES) -> the NumPy layer that computes it.
LAYER_CLASSES: dict[str, type[Layer]] = {
    "conv2d": Conv2DLayer,
    "max_pooling2d": MaxPool2DLayer,
    "average_pooling2d": AveragePool2DLayer,
    "global_average_pooling2d": GlobalAveragePool2DLayer,
    "flatten": FlattenLayer,
    "dense": DenseLayer,
    "dropout": DropoutLayer,
    "batch_normalization": BatchNormLayer,
}


class History:
    """Like Keras's History: ``history.history["loss"]`` holds one value per epoch."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []


class NumPyCNN:
    """The lesson's CNN in NumPy, built from a list of layer descriptions.

    ``architecture``: a list of ``LayerSpec`` (``lesson_utils.architecture``), by
    default the lesson's CNN, ``cnn_architecture()``. Build it with
    ``lesson_utils.build_cnn_model()`` (which picks this class on the NumPy
    backend) or directly. Like a Keras model, ``input_shape`` is (None, 28, 28, 1)
    and ``output_shape`` (None, 10): the batch axis first. Images float32 in [0, 1].
    """

    def __init__(
        self,
        architecture: list[LayerSpec] | None = None,
        seed: int | None = None,
        name: str = "lesson_cnn",
    ):
        self.name = name  # printed by summary(), as Keras's model names are
        self.architecture = check_architecture(
            cnn_architecture() if architecture is None else architecture
        )
        rng = np.random.default_rng(seed if seed is not None else np.random.randint(2**31))
        self.input_shape = (None, *self.architecture[0].input_shape)
        self.output_shape = (None, *self.architecture[-1].output_shape)
        self.layers: list[Layer] = [
            LAYER_CLASSES[spec.kind](spec, rng) for spec in self.architecture
        ]
        self.layers[0].needs_input_grad = False  # nothing learns from the image itself
        for layer, after in zip(self.layers[:-1], self.layers[1:], strict=True):
            if isinstance(layer, Conv2DLayer) and isinstance(after, Pool2DLayer):
                # Training and predicting compute only what the pooling reads (the same
                # numbers, 17% less work for conv2d_1 where 11x11 pools to 5x5).
                pool = after.pool_size
                layer.read_size = tuple(pool * (size // pool) for size in layer.output_shape[:2])
                if isinstance(after, MaxPool2DLayer):  # relu's outputs: a faster max
                    after.nonnegative = layer.activation == "relu"
        # As after compile_cnn_model: the recipe's Adam (lesson_utils.recipe).
        self.optimizer = Adam(DEFAULT_LEARNING_RATE, beta_2=ADAM_BETA_2)
        self.stop_training = False

    @property
    def num_classes(self) -> int:
        """How many classes the last layer gives probabilities for."""
        return self.output_shape[-1]

    # ---- Keras-like surface

    def compile(
        self, optimizer: Adam | None = None, learning_rate: float = DEFAULT_LEARNING_RATE
    ) -> None:
        """Reset the optimiser (by default the recipe's Adam at ``learning_rate``); the
        loss is always sparse categorical cross-entropy."""
        self.optimizer = optimizer or Adam(learning_rate, beta_2=ADAM_BETA_2)

    def count_params(self) -> int:
        """All the weights, as Keras counts them: BatchNormalization's moving averages too."""
        return sum(layer.count_params() for layer in self.layers)

    def get_weights(self) -> list[np.ndarray]:
        """Weights in Keras's order: kernel then bias of each layer, first layer first
        (BatchNormalization: gamma, beta, moving mean, moving variance)."""
        return [w.copy() for layer in self.layers for w in layer.weights]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Load weights in Keras's order, e.g. ``keras_model.get_weights()``."""
        slots = [(layer, i) for layer in self.layers for i in range(len(layer.weights))]
        if len(weights) != len(slots):
            raise ValueError(
                f"set_weights needs {len(slots)} arrays (each layer's weights in "
                f"Keras's order, e.g. a kernel and a bias); got {len(weights)}."
            )
        for (layer, i), new in zip(slots, weights, strict=True):
            new = np.asarray(new, dtype=np.float32)
            if new.shape != layer.weights[i].shape:
                raise ValueError(
                    f"weight {i} of layer {layer.name} must have shape "
                    f"{layer.weights[i].shape}; got {new.shape}."
                )
            layer.weights[i] = new.copy()

    def summary(self, print_fn=print) -> None:
        """Print each layer's name, output shape and parameter count, as Keras does."""
        rows = [("Layer (type)", "Output Shape", "Param #")]
        for layer, spec in zip(self.layers, self.architecture, strict=True):
            rows.append(
                (
                    f"{layer.name} ({spec.keras_class})",
                    str((None, *layer.output_shape)),
                    f"{layer.count_params():,}",
                )
            )
        widths = [max(len(r[i]) for r in rows) + 2 for i in range(3)]
        line = "-" * sum(widths)
        print_fn(f'Model: "{self.name}"')
        print_fn(line)
        for k, row in enumerate(rows):
            print_fn("".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
            if k == 0:
                print_fn(line)
        print_fn(line)
        print_fn(f"Total params: {self.count_params():,}")
        trainable = sum(w.size for layer in self.layers for w in layer.trainable_weights)
        print_fn(f"Trainable params: {trainable:,}")
        print_fn(f"Non-trainable params: {self.count_params() - trainable:,}")

    def forward(self, images: np.ndarray, upto: int | None = None) -> np.ndarray:
        """Run images through the layers (all, or the first ``upto``), as when predicting."""
        x = np.asarray(images, dtype=np.float32)
        for layer in self.layers[:upto]:
            x = layer(x)
        return x

    def predict(self, images: np.ndarray, batch_size: int = 256, verbose: int = 0) -> np.ndarray:
        """Class probabilities (n, num_classes) for images (n, 28, 28, 1)."""
        images = self._check_images(images)
        batch_size = check_positive_int(batch_size, "batch_size")
        return np.concatenate(
            [self._infer(images[i : i + batch_size]) for i in range(0, len(images), batch_size)]
        )

    def _infer(self, images: np.ndarray) -> np.ndarray:
        """forward() through the layers' faster ways to predict, where they have one."""
        x = images
        for layer in self.layers:
            x = layer.infer(x) if hasattr(layer, "infer") else layer.forward(x)
        return x

    def evaluate(self, images, labels, batch_size: int = 256, verbose: int = 0) -> dict:
        """{"loss": mean cross-entropy, "accuracy": fraction right} on (images, labels)."""
        images = self._check_images(images)
        labels = check_labels(labels, len(images), self.num_classes)
        probabilities = self.predict(images, batch_size)
        return {
            "loss": L.sparse_categorical_crossentropy(probabilities, labels),
            "accuracy": float(np.mean(probabilities.argmax(axis=1) == labels)),
        }

    def train_step(self, images: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
        """One Adam step on one batch; returns the batch's (loss, accuracy)."""
        x = images
        for layer in self.layers:  # forward(), computing only what the next layer reads
            x = (
                layer.forward(x, only_read=True)
                if isinstance(layer, Conv2DLayer)
                else layer.forward(x)
            )
        probabilities = x
        grad = L.softmax_crossentropy_backward(probabilities, labels)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        weights = [w for layer in self.layers for w in layer.trainable_weights]
        grads = [g for layer in self.layers for g in layer.grads]
        self.optimizer.apply(weights, grads)
        return (
            L.sparse_categorical_crossentropy(probabilities, labels),
            float(np.mean(probabilities.argmax(axis=1) == labels)),
        )

    def fit(
        self,
        x,
        y,
        epochs: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
        validation_data=None,
        verbose: int = 2,
        shuffle: bool = True,
        callbacks=None,
        learning_rate_schedule: str = DEFAULT_SCHEDULE,
        augment=None,
    ) -> History:
        """Train with Adam; prints one line per epoch (as Keras's verbose=2) and returns a History.

        ``callbacks``: objects with ``on_epoch_end(epoch, logs)``, as in Keras; those with
        ``on_train_begin(logs)`` hear before training starts, and those with
        ``on_train_batch_end(batch, logs)`` after each batch (the epoch's means so far).
        The defaults are ``train_cnn_model``'s (``lesson_utils.recipe``): batches of
        128, and ``learning_rate_schedule="warmup_cosine"``, which rises to the
        optimiser's learning rate and falls back towards 0 over this call
        (``lesson_utils.schedules``; ``"constant"`` keeps it); the learning rate is
        put back afterwards.
        Where an epoch takes more than a few seconds it also shows progress within the
        epoch, and before a long training how long it will take (``lesson_utils.progress``);
        ``verbose=0`` prints nothing. ``augment``: None, or a function that takes a batch
        of training images (n, 28, 28, 1) and returns a changed batch of the same shape
        (e.g. ``lesson_utils.augment.random_shifts``), called afresh for every batch.
        """
        x = self._check_images(x, "x")
        y = check_labels(y, len(x), self.num_classes, "y")
        epochs = check_positive_int(epochs, "epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        check_schedule(learning_rate_schedule)
        history = History()
        # Callbacks with Keras's on_train_batch_end hear after each batch (e.g. watch_it_learn).
        self._batch_callbacks = [c for c in callbacks or [] if hasattr(c, "on_train_batch_end")]
        self._augment = augment
        steps = -(-len(x) // batch_size)
        self._progress = TrainingProgress(epochs, steps, verbose)
        peak = self.optimizer.learning_rate
        begun = time.perf_counter()
        for callback in callbacks or []:  # as Keras: before the first "Epoch 1/N" line
            if hasattr(callback, "on_train_begin"):
                callback.on_train_begin(logs=None)
        # A callback's start (watch_it_learn draws its picture) costs about what its work
        # at each epoch's end does: the forecast counts it once per epoch.
        self._progress.epoch_extra_seconds = time.perf_counter() - begun
        try:
            for epoch in range(epochs):
                self._progress.start_epoch(epoch)
                logs = self._fit_one_epoch(
                    x, y, batch_size, shuffle, learning_rate_schedule, epoch, epochs, peak
                )
                if validation_data is not None:
                    scores = self.evaluate(*validation_data)
                    logs.update(val_accuracy=scores["accuracy"], val_loss=scores["loss"])
                self._progress.end_epoch(logs)  # the epoch's line, as Keras's verbose=2
                for key, value in logs.items():
                    history.history.setdefault(key, []).append(value)
                history.epoch.append(epoch)
                for callback in callbacks or []:
                    callback.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
        finally:
            self.optimizer.learning_rate = peak  # the schedule changes it step by step
        return history

    def _fit_one_epoch(self, x, y, batch_size, shuffle, schedule, epoch, epochs, peak) -> dict:
        """One pass over (x, y) in batches; returns the epoch's mean loss and accuracy."""
        start = time.perf_counter()
        steps = -(-len(x) // batch_size)
        order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
        losses, right = 0.0, 0.0
        for step_in_epoch, first in enumerate(range(0, len(x), batch_size)):
            factor = learning_rate_factor(schedule, epoch * steps + step_in_epoch, epochs * steps)
            self.optimizer.learning_rate = peak * factor
            batch = order[first : first + batch_size]
            images = x[batch]
            if getattr(self, "_augment", None) is not None:  # new random changes each time
                images = self._augment(images).astype(np.float32, copy=False)
            loss, accuracy = self.train_step(images, y[batch])
            losses += loss * len(batch)
            right += accuracy * len(batch)
            for callback in getattr(self, "_batch_callbacks", ()):  # as Keras: means so far
                seen = first + len(batch)
                callback.on_train_batch_end(
                    step_in_epoch, {"accuracy": right / seen, "loss": losses / seen}
                )
            if hasattr(self, "_progress"):  # batches done, time so far and left
                self._progress.batch_done(step_in_epoch + 1)
        self.last_epoch_seconds = time.perf_counter() - start
        return {"accuracy": right / len(x), "loss": losses / len(x)}

    def _check_images(self, images, name: str = "images") -> np.ndarray:
        images = check_images(images, name)
        if images.shape[1:] != self.input_shape[1:]:
            raise ValueError(
                f"{name} must have shape (n, {', '.join(map(str, self.input_shape[1:]))})"
                f" for this model; got {images.shape}."
            )
        return images.astype(np.float32, copy=False)
