"""Figures drawn once and refreshed in place: what the interactive widgets show.

Each class builds its matplotlib Figure once (without pyplot, so a notebook never
shows it by itself) and ``update`` changes only the pictures' data, which keeps a
refresh fast enough to follow a slider. ``png()`` renders the figure as PNG bytes
for an ``ipywidgets.Image`` or an IPython display, at ``LIVE_DPI``; ``still_png()``
renders the picture the static site shows, at ``STILL_DPI`` in 256 colours. Colours
follow the lesson: digits ink = 1 dark on white (``gray_r``); signed maps and kernels
on a diverging scale centred on 0 with a colorbar; maps after ReLU from 0 up.

Used by ``lesson_utils.widgets`` (notebooks 2-3, 5 and 6).
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lesson_utils.interactive import PlaygroundMaps, TrainingLog
from lesson_utils.plots import AFTER_RELU_CMAP as AFTER_RELU
from lesson_utils.plots import SIGNED_CMAP as SIGNED

RUN_ME = "Run this notebook (in JupyterLab or in the browser) to play with it."


LIVE_DPI = 72  # a refresh that follows a slider: its speed is in benchmarks/README.md
# The still picture the static site shows (and each epoch's end in watch_it_learn): twice
# the pixels each way, so that it stays sharp when the page scales it to the column or a
# reader opens it full size. Its text is 11 pt or more.
STILL_DPI = 144


def _png(figure: Figure, dpi: int, palette: bool = False) -> bytes:
    """The figure as PNG bytes. palette: 256 colours (a still's file is then about 2.5x
    smaller, and looks the same: the figures hold a few colour scales, text and white)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    if not palette:
        return buffer.getvalue()
    from PIL import Image  # Pillow: matplotlib writes its PNGs with it

    buffer.seek(0)
    with Image.open(buffer) as image:
        small = image.convert("RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    small.save(out, format="png", optimize=True)
    return out.getvalue()


def _bare(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


class LiveFigure:
    """A Figure with an Agg canvas, rendered to PNG on demand: ``png()`` quickly for a
    live refresh, ``still_png()`` sharper for the static site."""

    dpi = LIVE_DPI
    still_dpi = STILL_DPI

    def __init__(self, figsize: tuple[float, float]):
        self.figure = Figure(figsize=figsize)
        FigureCanvasAgg(self.figure)

    def png(self, still: bool = False) -> bytes:
        """The figure as it is now: at ``dpi`` for a live refresh, or at ``still_dpi`` (and
        in 256 colours) where the picture stays, e.g. the last of a training run."""
        if still:
            return _png(self.figure, self.still_dpi, palette=True)
        return _png(self.figure, self.dpi)

    def width_px(self) -> int:
        """The live picture's width in pixels: the size a notebook shows every frame at."""
        return int(self.figure.get_figwidth() * self.dpi)

    def still_png(self, note: str = RUN_ME) -> bytes:
        """The figure with one line under it, at ``still_dpi``: the picture the static site
        shows."""
        text = self.figure.text(0.5, 0.01, note, ha="center", va="bottom", fontsize=12)
        try:
            return self.png(still=True)
        finally:
            text.remove()


class PlaygroundFigure(LiveFigure):
    """The digit, its signed feature map, the map after ReLU and after 2x2 max pooling."""

    def __init__(self):
        super().__init__((11, 3.9))
        axes = self.figure.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 1]})
        self.axes = axes
        blank28, blank26, blank13 = np.zeros((28, 28)), np.zeros((26, 26)), np.zeros((13, 13))
        self.digit = axes[0].imshow(blank28, cmap="gray_r", vmin=0, vmax=1)
        self.maps = [
            ax.imshow(blank, cmap=SIGNED, vmin=-1, vmax=1)
            for ax, blank in zip(axes[1:], (blank26, blank26, blank13), strict=True)
        ]
        self.off_notes = [
            ax.text(0.5, 0.5, "", ha="center", va="center", transform=ax.transAxes, fontsize=12)
            for ax in axes[1:]
        ]
        for ax in axes:
            _bare(ax)
        self.figure.subplots_adjust(left=0.01, right=0.9, top=0.74, bottom=0.08, wspace=0.08)
        colorbar_ax = self.figure.add_axes((0.915, 0.12, 0.012, 0.58))
        self.colorbar = self.figure.colorbar(self.maps[0], cax=colorbar_ax)
        self.colorbar.set_label("one scale, all maps", fontsize=11)
        self.colorbar.ax.tick_params(labelsize=11)
        # Just above the panels' titles: one line, or two with a shift.
        self.suptitle = self.figure.suptitle("", fontsize=13, y=0.845, va="bottom")

    def update(self, maps: PlaygroundMaps, dx: int = 0, dy: int = 0, title: str = "") -> None:
        """maps from ``playground_maps``; title says what is shown (e.g. "The vertical edge
        kernel on a 0"). With a shift the figure's title also gives the cosine similarities."""
        self.digit.set_data(maps.digit)
        shifted = f"shifted by ({dx}, {dy})" if dx or dy else ""
        self.axes[0].set_title(f"digit {shifted or '28x28'}", fontsize=12)
        shown = [maps.feature_map, maps.after_relu, maps.pooled]
        limit = float(np.abs(maps.feature_map).max()) or 1.0
        names = ["feature map 26x26 (signed)", "after ReLU 26x26", "after 2x2 max pool 13x13"]
        for image, ax, note, values, name in zip(
            self.maps, self.axes[1:], self.off_notes, shown, names, strict=True
        ):
            image.set_clim(-limit, limit)
            image.set_visible(values is not None)
            if values is not None:
                image.set_data(values)
            note.set_text("" if values is not None else "switched off")
            ax.set_title(name, fontsize=12)
        lines = [f"{title}, {shifted}" if title and shifted else title]
        lines.append(shift_sentence(maps, dx, dy))
        self.suptitle.set_text("\n".join(line for line in lines if line))


def shift_sentence(maps: PlaygroundMaps, dx: int, dy: int) -> str:
    """The playground's one number, in words; "" without a shift (nothing to compare)."""
    if dx == 0 and dy == 0:
        return ""
    last = "pooled map" if maps.pooled is not None else "last map"
    text = f"The {last}'s cosine similarity to the unshifted digit's: {maps.similarity:.2f}"
    if maps.pooled is not None:
        text += f" (before pooling: {maps.similarity_before_pooling:.2f})"
    return text + "; 1 = unchanged."


class TrainingFigure(LiveFigure):
    """The first layer's kernels and one digit's maps, the curves so far, the learning rate."""

    def __init__(self, n_kernels: int = 32):
        super().__init__((12, 7.2))
        top, bottom = self.figure.subfigures(2, 1, height_ratios=[1.25, 1])
        left, right = top.subfigures(1, 2)
        columns = 8
        rows = -(-n_kernels // columns)
        self.kernels, self.maps = [], []
        for sub, store, title in (
            (left, self.kernels, "first layer's kernels (one signed scale)"),
            (right, self.maps, "their maps of one digit, after ReLU (one scale)"),
        ):
            axes = sub.subplots(rows, columns)
            sub.subplots_adjust(left=0.03, right=0.86, bottom=0.03, top=0.76, hspace=0.35)
            for i, ax in enumerate(axes.flat):
                _bare(ax)
                if i < n_kernels:
                    blank = np.zeros((3, 3) if store is self.kernels else (26, 26))
                    cmap = SIGNED if store is self.kernels else AFTER_RELU
                    store.append(ax.imshow(blank, cmap=cmap, vmin=-1, vmax=1))
                    ax.set_title(str(i), fontsize=11, pad=2)
                else:
                    ax.axis("off")
            sub.suptitle(title, fontsize=12, y=0.89)
            bar = sub.colorbar(store[0], cax=sub.add_axes((0.89, 0.06, 0.025, 0.7)))
            bar.ax.tick_params(labelsize=11)
        self.loss_ax, self.acc_ax, self.lr_ax = bottom.subplots(1, 3)
        bottom.subplots_adjust(left=0.07, right=0.97, bottom=0.17, top=0.86, wspace=0.3)
        self.title = self.figure.suptitle("Watching the CNN learn", fontsize=13, y=0.995)

    def update(self, kernels: np.ndarray, maps: np.ndarray, log: TrainingLog) -> None:
        """kernels (3, 3, n), maps (26, 26, n) after ReLU, and the training log so far."""
        k_limit = float(np.abs(kernels).max()) or 1.0
        m_limit = float(maps.max()) or 1.0
        for i, (k_image, m_image) in enumerate(zip(self.kernels, self.maps, strict=True)):
            k_image.set_data(kernels[:, :, i])
            k_image.set_clim(-k_limit, k_limit)
            m_image.set_data(maps[:, :, i])
            m_image.set_clim(0, m_limit)
        # Each legend sits where its curve is not: loss falls from the top left, accuracy
        # rises from the bottom left.
        for ax, values, val, name, corner in (
            (self.loss_ax, log.loss, log.val_loss, "loss", "upper right"),
            (self.acc_ax, log.accuracy, log.val_accuracy, "accuracy", "lower right"),
        ):
            ax.clear()
            ax.plot(log.steps, values, label="training (epoch's mean so far)")
            if val:
                ax.plot(log.epoch_steps, val, "s--", label="validation (each epoch's end)")
            ax.set_xlabel("batch", fontsize=11)
            ax.set_ylabel(name, fontsize=11)
            ax.tick_params(labelsize=11)
            ax.grid(alpha=0.3)
            if log.steps:
                ax.legend(fontsize=10, loc=corner)
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


def training_stage(log: TrainingLog) -> str:
    """Where training is, in words: before training (random kernels), after 50 batches."""
    if not log.steps:
        return "before training (random kernels)"
    step = log.steps[-1]
    return f"after {step} batch" + ("" if step == 1 else "es")


class DigitFigure(LiveFigure):
    """What the CNN makes of a drawing: the 28x28 input, the top classes, each layer's maps."""

    n_maps = 8  # channels shown per layer
    scale_note = "Maps and units after ReLU: white at 0, red at the row's largest value."

    def __init__(self, title: str = ""):
        """title: a line over the figure (a still's); the figure then leaves room for it
        and for the line under a still."""
        super().__init__((8.6, 7.4))
        self.title = title
        self.layout: tuple | None = None  # the layers' shapes the axes were built for

    def _build(self, outputs, class_names) -> None:
        figure = self.figure
        figure.clear()
        map_layers = [(name, out) for name, out in outputs if np.ndim(out) == 3]
        units = _hidden_units(outputs)
        rows = 2 + len(map_layers) + len(units)  # row 1 is room for the classes' names
        height = figure.get_figheight()
        # inches: a still's title over the figure; under it the units' numbers, the
        # scale's line and (in a still) the line that says to run the notebook
        top = 1 - (0.7 if self.title else 0.35) / height
        bottom = (0.85 if self.title else 0.6) / height
        grid = figure.add_gridspec(
            rows,
            self.n_maps + 3,
            left=0.01,
            right=0.985,
            top=top,
            bottom=bottom,
            hspace=0.45,
            wspace=0.15,
            height_ratios=[2, 0.2] + [1] * (rows - 2),
        )
        if self.title:
            figure.suptitle(self.title, fontsize=13, y=1 - 0.08 / height, va="top")
        figure.text(0.01, bottom - 0.33 / height, self.scale_note, fontsize=11, va="top")
        ax = figure.add_subplot(grid[0, :3])
        self.digit = ax.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title("what the CNN sees (28x28)", fontsize=11)
        _bare(ax)
        n_classes = len(outputs[-1][1])
        names = list(class_names) if class_names else [str(i) for i in range(n_classes)]
        self.bars_ax = figure.add_subplot(grid[0, 4:])
        self.bars = self.bars_ax.bar(range(n_classes), np.zeros(n_classes), color="tab:gray")
        self.bars_ax.set_xticks(range(n_classes), names, fontsize=11)
        self.bars_ax.tick_params(axis="y", labelsize=11)
        self.bars_ax.set_ylim(0, 1)
        self.bars_ax.set_ylabel("probability", fontsize=11)
        self.maps = []
        for row, (name, maps) in enumerate(map_layers, start=2):
            images = []
            for i in range(min(self.n_maps, maps.shape[-1])):
                ax = figure.add_subplot(grid[row, 3 + i])
                images.append(ax.imshow(maps[:, :, i], cmap=AFTER_RELU, vmin=0, vmax=1))
                ax.set_title(str(i), fontsize=11, pad=2)
                _bare(ax)
            self.maps.append(images)
            label = figure.add_subplot(grid[row, :3])
            label.axis("off")
            label.text(
                1.0,
                0.5,
                f"{name}\n{maps.shape[0]}x{maps.shape[1]}, {len(images)} of {maps.shape[-1]} maps",
                ha="right",
                va="center",
                fontsize=11,
            )
        self.units = []
        for row, (name, values) in enumerate(units, start=2 + len(map_layers)):
            ax = figure.add_subplot(grid[row, 3:])
            self.units.append(ax.imshow(values[None, :], cmap=AFTER_RELU, vmin=0, vmax=1))
            ax.set_aspect("auto")
            ax.set_yticks([])
            ax.tick_params(labelsize=11)
            label = figure.add_subplot(grid[row, :3])
            label.axis("off")
            label.text(
                1.0,
                0.5,
                f"{name}\n{len(values)} units",
                ha="right",
                va="center",
                fontsize=11,
            )

    def update(self, digit, outputs, top, class_names=None) -> None:
        """digit (28, 28); outputs from ``layer_outputs``; top from ``top_classes``."""
        layout = (tuple(np.shape(out) for _, out in outputs), tuple(class_names or ()))
        if layout != self.layout:
            self._build(outputs, class_names)
            self.layout = layout
        self.digit.set_data(digit)
        probabilities = np.asarray(outputs[-1][1], dtype=float)
        best = int(np.argmax(probabilities))
        for i, (bar, p) in enumerate(zip(self.bars, probabilities, strict=True)):
            bar.set_height(p)
            bar.set_color("tab:red" if i == best else "tab:gray")
        self.bars_ax.set_title(
            "top three: " + ", ".join(f"{n} {p:.1%}" for n, p in top), fontsize=12
        )
        map_layers = [out for _, out in outputs if np.ndim(out) == 3]
        for images, maps in zip(self.maps, map_layers, strict=True):
            limit = float(maps[..., : len(images)].max()) or 1.0
            for i, image in enumerate(images):
                image.set_data(maps[:, :, i])
                image.set_clim(0, limit)
        for image, (_, values) in zip(self.units, _hidden_units(outputs), strict=True):
            image.set_data(values[None, :])
            image.set_clim(0, float(values.max()) or 1.0)


def _hidden_units(outputs) -> list:
    """The Dense layers before the last one: (name, values (units,)); Flatten is left out
    (it is the last maps, reshaped)."""
    return [
        (name, np.asarray(out))
        for name, out in outputs[:-1]
        if np.ndim(out) == 1 and not name.startswith("flatten")
    ]


def message_png(text: str, figsize=(6, 1.2)) -> bytes:
    """A small picture holding one sentence (e.g. 'Draw a digit first')."""
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=12)
    return _png(figure, 72)
