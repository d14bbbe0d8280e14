"""Watching the CNN learn (notebook 5): its first layer's kernels forming as it trains.

    callbacks=[lu.watch_it_learn(model, data)]

From the maths to the picture: ``TrainingLog`` records each batch and epoch,
``first_layer`` computes the first Conv2D's kernels and one digit's maps with
``lesson_utils.numpy_layers``, ``TrainingFigure`` draws them with the curves so far,
and ``WatchItLearn`` shows that picture in one IPython display redrawn in place. No
widgets are needed (nothing here imports ipywidgets), so its last picture stays in the
notebook. ``watch_it_learn`` wraps it in a training callback for either backend.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field

import numpy as np

from lesson_utils import numpy_layers as L
from lesson_utils.plots import AFTER_RELU_CMAP, SIGNED_CMAP
from lesson_utils.validation import check_scalar
from lesson_utils.widgets.common import LiveFigure, as_digit, bare

# -------------------------------------------------------------------- the maths


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


def training_stage(log: TrainingLog) -> str:
    """Where training is, in words: before training (random kernels), after 50 batches."""
    if not log.steps:
        return "before training (random kernels)"
    step = log.steps[-1]
    return f"after {step} batch" + ("" if step == 1 else "es")


def first_layer(model, digit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(kernels (3, 3, 32), feature maps (26, 26, 32)) of the model's first Conv2D now.

    The maps are computed with ``numpy_layers`` from the current weights (conv2d,
    then ReLU), the same numbers on either backend and cheap during training.
    """
    kernel, bias = (np.asarray(w, dtype=np.float32) for w in model.get_weights()[:2])
    digit = as_digit(digit, "digit")
    maps = L.relu(L.conv2d(digit[None, :, :, None], kernel, bias))[0]
    return kernel[:, :, 0, :], maps


# ------------------------------------------------------------------- the figure


# The kernels' colour scale is fixed for a run, so that a kernel that grows looks
# stronger and one that shrinks paler: twice the random kernels' largest weight, which
# holds what training makes of them (Glorot's start, at most 0.14 for 3x3 on one channel,
# grew to 0.26 in the lesson's run). Should a weight pass it, the scale grows to fit,
# and never shrinks back.
KERNEL_SCALE_HEADROOM = 2.0


class TrainingFigure(LiveFigure):
    """The first layer's kernels and one digit's maps, the curves so far, the learning rate.

    10 inches wide: on the site's column (about 830 pixels) its still is shown at about
    58%, so its 11-point text stays 12 pixels or more."""

    def __init__(self, n_kernels: int = 32):
        super().__init__((10, 6.6))
        self.kernel_limit: float | None = None  # the kernels' fixed scale, set at the first draw
        top, bottom = self.figure.subfigures(2, 1, height_ratios=[1.25, 1])
        left, right = top.subfigures(1, 2)
        columns = 8
        rows = -(-n_kernels // columns)
        self.kernels, self.maps = [], []
        for sub, store, title in (
            (left, self.kernels, "first layer's kernels (one scale, fixed for the run)"),
            (right, self.maps, "their maps of one digit, after ReLU (one scale)"),
        ):
            axes = sub.subplots(rows, columns)
            sub.subplots_adjust(left=0.03, right=0.85, bottom=0.03, top=0.76, hspace=0.4)
            for i, ax in enumerate(axes.flat):
                bare(ax)
                if i < n_kernels:
                    blank = np.zeros((3, 3) if store is self.kernels else (26, 26))
                    cmap = SIGNED_CMAP if store is self.kernels else AFTER_RELU_CMAP
                    store.append(ax.imshow(blank, cmap=cmap, vmin=-1, vmax=1))
                    ax.set_title(str(i), fontsize=11, pad=1)
                else:
                    ax.axis("off")
            sub.suptitle(title, fontsize=11, y=0.89)
            bar = sub.colorbar(store[0], cax=sub.add_axes((0.88, 0.06, 0.03, 0.7)))
            bar.ax.tick_params(labelsize=11)
        self.loss_ax, self.acc_ax, self.lr_ax = bottom.subplots(1, 3)
        bottom.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.8, wspace=0.42)
        self.bottom = bottom
        self.legend = None  # one legend for the loss and accuracy, above them
        self.title = self.figure.suptitle("Watching the CNN learn", fontsize=12, y=0.995)

    def update(self, kernels: np.ndarray, maps: np.ndarray, log: TrainingLog) -> None:
        """kernels (3, 3, n), maps (26, 26, n) after ReLU, and the training log so far."""
        largest = float(np.abs(kernels).max()) or 1.0
        if self.kernel_limit is None:
            self.kernel_limit = KERNEL_SCALE_HEADROOM * largest
        self.kernel_limit = max(self.kernel_limit, largest)  # grows to fit, never shrinks
        k_limit = self.kernel_limit
        m_limit = float(maps.max()) or 1.0
        for i, (k_image, m_image) in enumerate(zip(self.kernels, self.maps, strict=True)):
            k_image.set_data(kernels[:, :, i])
            k_image.set_clim(-k_limit, k_limit)
            m_image.set_data(maps[:, :, i])
            m_image.set_clim(0, m_limit)
        # One legend above the two panels it names, where it hides no curve.
        for ax, values, val, name in (
            (self.loss_ax, log.loss, log.val_loss, "loss"),
            (self.acc_ax, log.accuracy, log.val_accuracy, "accuracy"),
        ):
            ax.clear()
            ax.plot(log.steps, values, label="training (epoch's mean so far)")
            if val:
                ax.plot(log.epoch_steps, val, "s--", label="validation (each epoch's end)")
            ax.set_xlabel("batch", fontsize=11)
            ax.set_ylabel(name, fontsize=11)
            ax.tick_params(labelsize=11)
            ax.grid(alpha=0.3)
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        if log.steps:
            handles, labels = self.acc_ax.get_legend_handles_labels()
            self.legend = self.bottom.legend(
                handles,
                labels,
                loc="upper left",
                bbox_to_anchor=(0.08, 1.0),
                ncol=2,
                fontsize=11,
                frameon=False,
            )
        self.lr_ax.clear()
        self.lr_ax.plot(log.steps, log.learning_rate, color="tab:green")
        self.lr_ax.set_xlabel("batch", fontsize=11)
        self.lr_ax.set_ylabel("learning rate", fontsize=11)
        self.lr_ax.tick_params(labelsize=11)
        self.lr_ax.grid(alpha=0.3)
        # Plain decimals (0.007, not 7 x 1e-3), as the text and the schedule's plot write
        # the rate; from 0, as a rate is never negative.
        self.lr_ax.ticklabel_format(axis="y", style="plain", useOffset=False)
        self.lr_ax.set_ylim(bottom=0)
        if not log.steps:  # before training: empty axes, no numbers to read
            for ax in (self.loss_ax, self.acc_ax, self.lr_ax):
                ax.set_xticks([])
                ax.set_yticks([])
                ax.text(
                    0.5,
                    0.5,
                    "no batches yet",
                    ha="center",
                    va="center",
                    fontsize=11,
                    transform=ax.transAxes,
                )
        self.title.set_text(f"Watching the CNN learn: {training_stage(log)}")


# ------------------------------------------------------------- the live picture


def watch_it_learn(model, digit, every: int = 50):
    """A training callback that redraws, every ``every`` batches (and at batches 2, 4,
    8, ... before the first of those, so that a short run moves too), the first layer's
    kernels on a scale fixed for the run, their feature maps of one digit, the loss and
    accuracy so far and the learning rate (notebook 5). Pass it to training on either backend:

        lu.train_cnn_model(model, x, y, callbacks=[lu.watch_it_learn(model, data)])

    digit: an image (28, 28[, 1]) or the lesson's ``Dataset`` (its first test digit).
    It redraws one IPython display in place (no widgets needed). The picture appears
    when training begins, with the random kernels, above the training log, on both
    backends (a fit without ``on_train_begin`` shows it at the first batch). At the end
    of each epoch it is redrawn sharper (as a still), so the last picture that stays in
    the notebook is readable on the static site. The callback's ``watcher`` is the
    ``WatchItLearn`` that draws.
    """
    every = check_scalar(every, "every", int, min_val=1)
    if hasattr(digit, "x_test"):
        digit = digit.x_test[0]
    watcher = WatchItLearn(model, as_digit(digit, "digit"), every)
    from lesson_utils.model import model_backend

    if model_backend(model) == "numpy":
        return NumPyCallback(watcher)
    return keras_callback(watcher)


class WatchItLearn:
    """The picture of a training run, redrawn in place: what both backends' callbacks
    hand their calls to. ``log`` is the ``TrainingLog``, ``figure`` the
    ``TrainingFigure`` (made at the first draw), ``draw_seconds`` each redraw's time."""

    def __init__(self, model, digit: np.ndarray, every: int = 50):
        self.model, self.digit, self.every = model, digit, every
        self.log = TrainingLog()
        self.figure: TrainingFigure | None = None
        self.handle = None
        self.started = False  # whether this training's picture is shown yet
        self.draw_seconds: list[float] = []

    def begin(self) -> None:
        """Training begins: show the picture now (a new display for each training run),
        so that it sits above what training prints and is then redrawn in place."""
        self.handle = None
        self.started = True
        self.draw()

    def batch_end(self, logs: dict, learning_rate: float) -> None:
        """A batch ends: record it, and redraw every ``every`` batches, and at the
        batches before that which are powers of 2 (2, 4, 8, 16, 32 for every=50),
        where the kernels change fastest and where a short run (8 batches) ends."""
        logs = logs or {}
        step = self.log.add_batch(
            logs.get("loss", np.nan), logs.get("accuracy", np.nan), learning_rate
        )
        if not self.started:  # a caller that skipped on_train_begin: show it now
            self.begin()
        elif step % self.every == 0 or (1 < step < self.every and step & (step - 1) == 0):
            self.draw()

    def epoch_end(self, logs: dict) -> None:
        """An epoch ends: record its validation scores and redraw as a still."""
        self.log.add_epoch(logs)
        self.draw(still=True)

    def draw(self, still: bool = False) -> None:
        """Redraw the picture: quick for a live refresh, sharper where it may be the last
        one (an epoch's end)."""
        start = time.perf_counter()
        kernels, maps = first_layer(self.model, self.digit)
        if self.figure is None:
            self.figure = TrainingFigure(kernels.shape[-1])
        self.figure.update(kernels, maps, self.log)
        self._show(self.figure.png(still=still))
        self.draw_seconds.append(time.perf_counter() - start)

    def _show(self, png: bytes) -> None:
        try:
            from IPython.display import display
        except ImportError:  # plain Python: nothing to show in
            return
        text = f"Watching the CNN learn: {training_stage(self.log)}"
        picture = _Picture(png, text, self.figure.width_px())
        if self.handle is None:
            self.handle = display(picture, display_id=True)
        else:
            self.handle.update(picture)


class _Picture:
    """A PNG for IPython's display, with a line of text for where pictures do not show.
    width: the pixels wide a notebook shows it (so a sharper frame is not shown larger)."""

    def __init__(self, png: bytes, text: str, width: int | None = None):
        self.png, self.text, self.width = png, text, width

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}
        if self.width is None:
            return data
        return data, {"image/png": {"width": self.width}}


class NumPyCallback:
    """watch_it_learn for NumPyCNN.fit, which calls on_train_begin, on_train_batch_end
    and on_epoch_end."""

    def __init__(self, watcher: WatchItLearn):
        self.watcher = watcher

    def on_train_begin(self, logs=None):
        self.watcher.begin()

    def on_train_batch_end(self, batch, logs=None):
        self.watcher.batch_end(logs, self.watcher.model.optimizer.learning_rate)

    def on_epoch_end(self, epoch, logs=None):
        self.watcher.epoch_end(logs)


def keras_callback(watcher: WatchItLearn):
    """watch_it_learn for Keras's fit: a ``keras.callbacks.LambdaCallback`` whose
    ``watcher`` is the ``WatchItLearn`` it hands its calls to."""
    from lesson_utils.tensorflow_import import import_keras

    keras = import_keras()

    def batch_end(batch, logs=None):
        rate = keras.ops.convert_to_numpy(callback.model.optimizer.learning_rate)
        watcher.batch_end(logs, float(rate))

    callback = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs=None: watcher.begin(),  # before Keras prints "Epoch 1/5"
        on_train_batch_end=batch_end,
        on_epoch_end=lambda epoch, logs=None: watcher.epoch_end(logs),
    )
    callback.watcher = watcher
    return callback
