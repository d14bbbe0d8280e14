"""Draw a digit (notebook 6): the CNN's top three classes and every layer's maps for it.

    lu.draw_a_digit(model)

From the maths to the widget: ``preprocess_drawing`` makes a drawing into a 28x28
digit the way MNIST's digits were made, ``thicken`` and ``shift_image`` change it,
``layer_outputs`` and ``top_classes`` read what the CNN makes of it; ``DigitFigure``
draws that; ``DrawingPad`` is the canvas (an anywidget, its JavaScript in ``pad.js``)
and ``DrawADigit`` the pad, its buttons and the answer together.
"""

from __future__ import annotations

import pathlib
from functools import cache

import numpy as np

from lesson_utils.data import load_mnist
from lesson_utils.plots import AFTER_RELU_CMAP
from lesson_utils.widgets.common import (
    LiveFigure,
    NoFrontEnd,
    as_digit,
    bare,
    import_ipywidgets,
    message_png,
    shift_image,
    with_still_picture,
)

try:
    from anywidget import AnyWidget
    from ipywidgets import VBox
    from traitlets import Bytes, Int
except ImportError:  # no front end here: the maths and the figure below still work
    AnyWidget = VBox = NoFrontEnd
    Bytes = Int = NoFrontEnd.trait

PAD_SIZE = 280  # pixels of the drawing pad: ten per MNIST pixel
PAD_STROKE = 22  # pen width, so that a digit drawn to fill the pad gets MNIST's strokes
MNIST_BOX = 20  # MNIST fitted each digit into a 20x20 box...
MNIST_SIZE = 28  # ...inside a 28x28 image, centred on its centre of mass.

EMPTY = (
    "The pad is empty: draw a digit on it with the mouse (or a finger), or by keyboard: "
    "Tab to the pad, move the pen with the arrow keys, Space puts it down and lifts it."
)
EMPTY_PICTURE = "The pad is empty: draw a digit on it."  # the picture's shorter line


# -------------------------------------------------------------------- the maths


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


def digit_layer_outputs(model, digit: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """[(layer name, its output for this digit), ...] for every layer, either backend.

    digit (28, 28) or (28, 28, 1); each output without the batch axis, e.g.
    ("conv2d", (26, 26, 32)) ... ("dense_1", (10,)), the class probabilities last.
    One digit through ``lesson_utils.model.layer_outputs``, the one probe for a batch.
    """
    from lesson_utils.model import layer_outputs as batch_layer_outputs

    digit = as_digit(digit, "digit")[None, :, :, None]
    return [(name, output[0]) for name, output in batch_layer_outputs(model, digit)]


@cache
def example_digit() -> np.ndarray:
    """The bundled sample's first test digit (28, 28): what the pad's still shows."""
    digit = load_mnist(source="sample", verbose=False).x_test[0, :, :, 0].copy()
    digit.setflags(write=False)  # one copy for every still: nothing may change it
    return digit


# ------------------------------------------------------------------- the figure


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
        bare(ax)
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
                images.append(ax.imshow(maps[:, :, i], cmap=AFTER_RELU_CMAP, vmin=0, vmax=1))
                ax.set_title(str(i), fontsize=11, pad=2)
                bare(ax)
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
            self.units.append(ax.imshow(values[None, :], cmap=AFTER_RELU_CMAP, vmin=0, vmax=1))
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


# ------------------------------------------------------------------- the widget


def draw_a_digit(model, class_names=None) -> DrawADigit:
    """Draw a digit with the mouse (or a finger); the CNN shows its top three classes and
    every layer's feature maps for it (notebook 6). Buttons clear the pad, shift the
    28x28 digit by a pixel, or thicken its strokes, to see whether the answer holds.
    """
    if not hasattr(model, "predict") or not hasattr(model, "layers"):
        raise ValueError(
            f"draw_a_digit needs the trained CNN (a Keras model or NumPyCNN); got {model!r}."
        )
    import_ipywidgets()  # without it, say how to install it
    return DrawADigit(model, class_names, DrawingPad())


class DrawingPad(AnyWidget):
    """A canvas to draw on (its JavaScript is ``pad.js``); ``drawing`` holds its ink
    (alpha) as size x size bytes, sent when a stroke ends."""

    _esm = pathlib.Path(__file__).parent / "pad.js"
    size = Int(PAD_SIZE).tag(sync=True)
    stroke = Int(PAD_STROKE).tag(sync=True)
    drawing = Bytes(b"").tag(sync=True, from_json=lambda value, widget: bytes(value or b""))

    def clear(self) -> None:
        """Wipe the canvas and the drawing."""
        self.send({"type": "clear"})
        self.drawing = b""

    def ink(self) -> np.ndarray:
        """The drawing as (size, size) ink amounts 0-255; all 0 when empty."""
        if len(self.drawing) != self.size * self.size:
            return np.zeros((self.size, self.size), dtype=np.uint8)
        return np.frombuffer(self.drawing, dtype=np.uint8).reshape(self.size, self.size)


class DrawADigit(VBox):
    """The pad, the buttons and what the CNN makes of the drawing.

    Made by ``draw_a_digit``. ``digit()`` is the 28x28 image the CNN is shown;
    ``answer`` says its top three classes and ``image`` shows the ``DigitFigure``.
    """

    def __init__(self, model, class_names=None, pad: DrawingPad | None = None):
        widgets = import_ipywidgets()
        pad = pad if pad is not None else DrawingPad()
        self.model, self.class_names, self.pad = model, class_names, pad
        self.figure = DigitFigure()
        self.base: np.ndarray | None = None
        self.dx = self.dy = self.thickened = 0
        buttons = []
        # Words, not arrows: a screen reader reads a button's description as its name.
        for label, tooltip, action in (
            ("clear", "wipe the pad", self.clear),
            ("left", "shift the digit one pixel left", lambda: self._shift(-1, 0)),
            ("right", "shift the digit one pixel right", lambda: self._shift(1, 0)),
            ("up", "shift the digit one pixel up", lambda: self._shift(0, -1)),
            ("down", "shift the digit one pixel down", lambda: self._shift(0, 1)),
            ("thicken", "thicken the strokes by one pixel", self._thicken),
        ):
            button = widgets.Button(
                description=label, tooltip=tooltip, layout=widgets.Layout(width="auto")
            )
            button.on_click(lambda _, act=action: act())
            buttons.append(button)
        self.answer = widgets.HTML(EMPTY)
        self.answer.add_class("lesson-digit-answer")
        self.image = widgets.Image(format="png", value=message_png(EMPTY_PICTURE, (8, 1)))
        self.image.add_class("lesson-digit-maps")
        shift = widgets.HTML("shift:", layout=widgets.Layout(margin="0 0 0 0.5em"))
        row = widgets.HBox([buttons[0], shift, *buttons[1:5], buttons[5]])
        left = widgets.VBox([pad, row, self.answer])
        super().__init__([left, self.image])
        self.add_class("lesson-draw-a-digit")
        pad.observe(self._on_drawing, "drawing")

    def clear(self) -> None:
        """Wipe the pad (the answer then says it is empty)."""
        self.pad.clear()

    def _on_drawing(self, change=None) -> None:
        self.base = preprocess_drawing(self.pad.ink())
        self.dx = self.dy = self.thickened = 0
        self.show()

    def _shift(self, dx: int, dy: int) -> None:
        self.dx, self.dy = self.dx + dx, self.dy + dy
        self.show()

    def _thicken(self) -> None:
        self.thickened += 1
        self.show()

    def digit(self) -> np.ndarray | None:
        """The 28x28 image the CNN is shown: the drawing, thickened, then shifted."""
        if self.base is None:
            return None
        digit = self.base
        for _ in range(self.thickened):
            digit = thicken(digit)
        return shift_image(digit, self.dx, self.dy)

    def show(self) -> None:
        """Ask the CNN about the digit now; redraw the figure and the answer."""
        digit = self.digit()
        if digit is None:
            self.answer.value = EMPTY
            self.image.value = message_png(EMPTY_PICTURE, (8, 1))
            return
        outputs = digit_layer_outputs(self.model, digit)
        top = top_classes(outputs[-1][1], self.class_names)
        self.figure.update(digit, outputs, top, self.class_names)
        self.image.value = self.figure.png()
        changes = []
        if self.dx or self.dy:
            changes.append(f"shifted by ({self.dx}, {self.dy})")
        if self.thickened:
            changes.append(f"thickened {self.thickened}x")
        self.answer.value = (
            "The CNN says: "
            + ", ".join(f"<b>{name}</b> {p:.1%}" for name, p in top)
            + (f" ({', '.join(changes)})" if changes else "")
        )

    def _repr_mimebundle_(self, **kwargs):
        return with_still_picture(
            super()._repr_mimebundle_(**kwargs), self._still(), "Draw a digit"
        )

    def _still(self) -> bytes:
        """A test digit from the bundled sample, as the widget would show it."""
        example = example_digit()
        outputs = digit_layer_outputs(self.model, example)
        figure = DigitFigure(title="A test digit as the pad shows it")
        top = top_classes(outputs[-1][1], self.class_names)
        figure.update(example, outputs, top, self.class_names)
        return figure.still_png()
