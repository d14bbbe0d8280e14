"""The lesson's interactive pictures: one line in a notebook each.

    lu.kernel_playground(data)                  # notebooks 2-3: move a weight, see the map
    lu.kernel_playground(data, shift=(1, 0))    # ... starting with the digit shifted
    lu.kernel_playground(data, model, preset="learned 30")  # notebook 6: a learned kernel
    callbacks=[lu.watch_it_learn(model, data)]  # notebook 5: kernels forming while it trains
    lu.draw_a_digit(model)                      # notebook 6: draw a digit, see what it thinks

The widgets are thin: the numbers come from ``lesson_utils.interactive`` (plain,
tested functions over ``numpy_layers``) and the pictures from
``lesson_utils.live_figures``. ipywidgets and anywidget are imported only when a
widget is made, so ``import lesson_utils`` stays light. Where no widget can run
(the static site, nbconvert) a widget's output still holds a picture of it with
the line "Run this notebook (in JupyterLab or in the browser) to play with it.",
rendered sharper than a live refresh (``live_figures.STILL_DPI``), in the state the
cell's arguments chose. ``watch_it_learn`` needs no widgets at all: it redraws one
IPython display in place, so its last picture stays in the notebook.
"""

from __future__ import annotations

import base64
import time
from functools import cache
from importlib import resources

import numpy as np

from lesson_utils import interactive
from lesson_utils.live_figures import (
    RUN_ME,
    DigitFigure,
    PlaygroundFigure,
    TrainingFigure,
    message_png,
    training_stage,
)

INSTALL_HINT = (
    "The interactive widgets need ipywidgets and anywidget: `pip install ipywidgets anywidget` "
    "(in the browser: `await piplite.install(['ipywidgets', 'anywidget'])`), then run the "
    "cell again."
)


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err
    return ipywidgets


def _with_still_picture(bundle: dict, png: bytes, name: str) -> dict:
    """Add the static site's fallback (a PNG and a line of text) to a widget's mime bundle."""
    bundle = dict(bundle)
    bundle["image/png"] = base64.b64encode(png).decode("ascii")
    bundle["text/plain"] = f"{name}. {RUN_ME}"
    return bundle


# ------------------------------------------------------------------ playground


def kernel_playground(
    data,
    model=None,
    digit: int | None = None,
    preset: str | None = None,
    shift: tuple[int, int] = (0, 0),
):
    """A 3x3 kernel, a bias, ReLU and 2x2 max pooling on a digit, all live (notebooks 2-3).

    data: the lesson's ``Dataset`` (one test digit of each class to choose from) or
    images (n, 28, 28, 1). model: a trained CNN (either backend) adds its first
    layer's kernels to the presets ("learned 0", "learned 1", ...). digit: the index
    (into data's test images) to start with. preset: the kernel to start with (the
    first preset, "vertical edge", if None). shift: (dx, dy), the pixels the digit
    starts shifted by, right and down. Each change redraws the signed feature map,
    the map after ReLU, the pooled map, and the cosine similarity of the last map to
    the unshifted one. The picture the static site shows is the starting state.
    """
    widgets = _ipywidgets()
    images, choices = _digit_choices(data)
    if digit is not None:
        if isinstance(digit, bool) or not isinstance(digit, int | np.integer):
            raise ValueError(f"digit must be a whole-number index; got {digit!r}.")
        if not 0 <= digit < len(images):
            raise ValueError(f"digit must be an index from 0 to {len(images) - 1}; got {digit}.")
        digit = int(digit)
        choices = {**choices, f"image {digit}": digit}
    presets = {name: (kernel, 0.0) for name, kernel in interactive.PRESET_KERNELS.items()}
    if model is not None:
        presets.update(interactive.learned_kernels(model))
    preset = _check_preset(preset, presets, model)
    dx, dy = _check_shift(shift)
    playground = _playground_class(widgets)(images, choices, presets, digit)
    playground.start(preset, dx, dy)
    return playground


def _check_preset(preset, presets: dict, model) -> str:
    """The preset's name, or a ValueError naming the presets there are."""
    if preset is None:
        return next(iter(presets))
    if isinstance(preset, str) and preset in presets:
        return preset
    names = [name for name in presets if not name.startswith("learned ")]
    learned = len(presets) - len(names)
    available = ", ".join(repr(name) for name in names)
    if learned:
        available += f", 'learned 0' to 'learned {learned - 1}' (the model's first layer)"
    message = f"preset must be one of {available}; got {preset!r}."
    if learned == 0 and isinstance(preset, str) and preset.startswith("learned"):
        message += " The learned kernels need the trained CNN: kernel_playground(data, model)."
    raise ValueError(message)


def _check_shift(shift) -> tuple[int, int]:
    """(dx, dy) as two whole numbers within +-MAX_SHIFT, or a ValueError saying why not."""
    most = interactive.MAX_SHIFT
    wanted = (
        f"shift must be (dx, dy): two whole numbers of pixels from -{most} to {most}; "
        f"got {shift!r}."
    )
    if isinstance(shift, str | bytes) or not hasattr(shift, "__len__") or len(shift) != 2:
        raise ValueError(wanted)
    for value in shift:
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(wanted)
        if not -most <= value <= most:
            raise ValueError(wanted)
    return int(shift[0]), int(shift[1])


def _digit_choices(data) -> tuple[np.ndarray, dict[str, int]]:
    images = getattr(data, "x_test", data)
    try:
        images = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError) as err:
        raise ValueError(
            "kernel_playground needs the lesson's data (lu.load_mnist()) or images "
            f"shaped (n, 28, 28, 1); got {type(data).__name__}."
        ) from err
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1) or len(images) == 0:
        raise ValueError(
            f"kernel_playground needs images shaped (n, 28, 28, 1); got {images.shape}."
        )
    labels = getattr(data, "y_test", None)
    if labels is None:
        return images, {f"image {i}": i for i in range(min(10, len(images)))}
    names = getattr(data, "class_names", None) or [str(c) for c in range(10)]
    firsts = interactive.one_digit_per_class(images, labels)
    return images, {f"a {names[c]} (test image {i})": i for c, i in firsts.items()}


@cache
def _playground_class(widgets):
    class KernelPlayground(widgets.VBox):
        """The playground's controls over a PlaygroundFigure; ``refresh()`` redraws."""

        def __init__(self, images, choices, presets, digit):
            self.images, self.presets = images, presets
            self.figure = PlaygroundFigure()
            self.update_seconds: list[float] = []
            self._holding = False
            number = widgets.Layout(width="70px")
            # set_kernel keeps three decimals, in the boxes and on the bias slider (its
            # readout too): a learned first-layer bias is a few hundredths, which two
            # decimals would blur or zero. The boxes' arrows still step by 0.1.
            self.weights = [widgets.FloatText(value=0.0, step=0.1, layout=number) for _ in range(9)]
            grid = widgets.GridBox(
                self.weights,
                layout=widgets.Layout(grid_template_columns="repeat(3, 74px)"),
            )
            self.preset = widgets.Dropdown(options=list(presets), description="preset")
            self.bias = widgets.FloatSlider(
                value=0.0, min=-3, max=3, step=0.01, readout_format=".3f", description="bias"
            )
            self.use_relu = widgets.Checkbox(value=True, description="ReLU")
            self.use_pool = widgets.Checkbox(value=True, description="2x2 max pool")
            start = digit if digit is not None else next(iter(choices.values()))
            self.digit = widgets.Dropdown(options=choices, value=start, description="digit")
            most = interactive.MAX_SHIFT
            self.dx = widgets.IntSlider(0, -most, most, description="shift dx")
            self.dy = widgets.IntSlider(0, -most, most, description="shift dy")
            self.image = widgets.Image(format="png")
            self.image.add_class("lesson-playground-maps")
            self.summary = widgets.HTML()
            self.summary.add_class("lesson-playground-summary")
            controls = widgets.HBox(
                [
                    widgets.VBox([widgets.HTML("<b>3x3 kernel</b>"), grid]),
                    widgets.VBox([self.preset, self.bias, self.use_relu, self.use_pool]),
                    widgets.VBox([self.digit, self.dx, self.dy]),
                ]
            )
            super().__init__([controls, self.image, self.summary])
            self.add_class("lesson-playground")
            self.preset.observe(self._on_preset, "value")
            for control in [*self.weights, self.bias, self.use_relu, self.use_pool]:
                control.observe(self.refresh, "value")
            for control in (self.digit, self.dx, self.dy):
                control.observe(self.refresh, "value")
            self._on_preset()

        def start(self, preset: str, dx: int, dy: int) -> None:
            """Set the preset and the shift sliders at once: the state the still shows."""
            self._holding = True
            try:
                self.dx.value, self.dy.value = dx, dy
            finally:
                self._holding = False
            if self.preset.value != preset:
                self.preset.value = preset  # sets the kernel and redraws
            else:
                self.refresh()

        def kernel(self) -> np.ndarray:
            return np.array([w.value for w in self.weights], dtype=np.float32).reshape(3, 3)

        def set_kernel(self, kernel, bias: float | None = None) -> None:
            """Put a 3x3 kernel (and a bias) into the controls; redraws once."""
            kernel = interactive.as_kernel(kernel)
            self._holding = True
            try:
                for box, value in zip(self.weights, kernel.ravel(), strict=True):
                    box.value = round(float(value), 3)
                if bias is not None:
                    self.bias.value = round(float(bias), 3)
            finally:
                self._holding = False
            self.refresh()

        def _on_preset(self, change=None) -> None:
            kernel, bias = self.presets[self.preset.value]
            self.set_kernel(kernel, bias)

        def title(self) -> str:
            """What is shown, in words: "The vertical edge kernel on a 0 (test image 3)"."""
            kernel, bias = self.presets[self.preset.value]
            same = np.allclose(self.kernel(), np.round(kernel, 3), atol=5e-4)
            name = self.preset.value
            if not same:
                text = "Your kernel"
            elif name.startswith("learned "):
                text = f"Learned kernel {name.split()[1]}"
            else:
                text = f"The {name} kernel"
            if self.bias.value:
                text += f" (bias {self.bias.value:.3g})"
            return f"{text} on {self.digit.label}"

        def maps(self) -> interactive.PlaygroundMaps:
            return interactive.playground_maps(
                self.images[self.digit.value],
                self.kernel(),
                self.bias.value,
                self.use_relu.value,
                self.use_pool.value,
                self.dx.value,
                self.dy.value,
            )

        def refresh(self, change=None) -> None:
            if self._holding:
                return
            start = time.perf_counter()
            maps = self.maps()
            self.figure.update(maps, self.dx.value, self.dy.value, self.title())
            self.image.value = self.figure.png()
            self.summary.value = (
                f"{_shift_html(maps, self.dx.value, self.dy.value)} "
                f"Largest response {maps.feature_map.max():.2f}, smallest "
                f"{maps.feature_map.min():.2f}."
            )
            self.update_seconds.append(time.perf_counter() - start)

        def _repr_mimebundle_(self, **kwargs):
            return _with_still_picture(
                super()._repr_mimebundle_(**kwargs),
                self.figure.still_png(),
                "Kernel and pooling playground",
            )

    return KernelPlayground


def _shift_html(maps: interactive.PlaygroundMaps, dx: int, dy: int) -> str:
    if dx == 0 and dy == 0:
        return "No shift: move dx or dy to compare the maps of the shifted digit."
    text = f"Shift ({dx}, {dy}): cosine similarity <b>{maps.similarity:.2f}</b> to the unshifted"
    text += " pooled map" if maps.pooled is not None else " map"
    if maps.pooled is not None:
        text += f" (before pooling {maps.similarity_before_pooling:.2f})"
    return text + "; 1 = unchanged."


# -------------------------------------------------------------- watch it learn


def watch_it_learn(model, digit, every: int = 50):
    """A training callback that redraws, every ``every`` batches, the first layer's
    kernels, their feature maps of one digit, the loss and accuracy so far and the
    learning rate (notebook 5). Pass it to training on either backend:

        lu.train_cnn_model(model, x, y, callbacks=[lu.watch_it_learn(model, data)])

    digit: an image (28, 28[, 1]) or the lesson's ``Dataset`` (its first test digit).
    It redraws one IPython display in place (no widgets needed). The picture appears
    when training begins, with the random kernels, above the training log, on both
    backends (a fit without ``on_train_begin`` shows it at the first batch). At the end
    of each epoch it is redrawn sharper (as a still), so the last picture that stays in
    the notebook is readable on the static site.
    """
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a whole number of batches >= 1; got {every!r}.")
    if hasattr(digit, "x_test"):
        digit = digit.x_test[0]
    watcher = _Watcher(model, interactive.as_digit(digit, "digit"), every)
    from lesson_utils.model import model_backend

    if model_backend(model) == "numpy":
        return _NumPyWatchCallback(watcher)
    return _keras_watch_callback(watcher)


class _Watcher:
    """What both backends' callbacks share: the log, the figure, the display handle."""

    def __init__(self, model, digit: np.ndarray, every: int):
        self.model, self.digit, self.every = model, digit, every
        self.log = interactive.TrainingLog()
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
        logs = logs or {}
        step = self.log.add_batch(
            logs.get("loss", np.nan), logs.get("accuracy", np.nan), learning_rate
        )
        if not self.started:  # no begin (NumPyCNN.fit): the first batch shows the picture
            self.begin()
        elif step % self.every == 0:
            self.draw()

    def epoch_end(self, logs: dict) -> None:
        self.log.add_epoch(logs)
        self.draw(still=True)

    def draw(self, still: bool = False) -> None:
        """Redraw the picture: quick for a live refresh, sharper where it may be the last
        one (an epoch's end)."""
        start = time.perf_counter()
        kernels, maps = interactive.first_layer(self.model, self.digit)
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


class _NumPyWatchCallback:
    """For NumPyCNN.fit, which calls on_train_begin, on_train_batch_end and on_epoch_end."""

    def __init__(self, watcher: _Watcher):
        self.watcher = watcher

    def on_train_begin(self, logs=None):
        self.watcher.begin()

    def on_train_batch_end(self, batch, logs=None):
        self.watcher.batch_end(logs, self.watcher.model.optimizer.learning_rate)

    def on_epoch_end(self, epoch, logs=None):
        self.watcher.epoch_end(logs)


def _keras_watch_callback(watcher: _Watcher):
    from lesson_utils.tensorflow_import import import_keras

    keras = import_keras()

    class WatchItLearn(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            watcher.begin()  # before Keras prints "Epoch 1/5"

        def on_train_batch_end(self, batch, logs=None):
            rate = keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)
            watcher.batch_end(logs, float(rate))

        def on_epoch_end(self, epoch, logs=None):
            watcher.epoch_end(logs)

    callback = WatchItLearn()
    callback.watcher = watcher
    return callback


# ----------------------------------------------------------------- draw a digit

PAD_SIZE = 280  # pixels of the drawing pad: ten per MNIST pixel
PAD_STROKE = 22  # pen width, so that a digit drawn to fill the pad gets MNIST's strokes


# The pad's browser side: an ES module for anywidget. Ink is the canvas's alpha
# (0 = background), sent to Python as size x size bytes when a stroke ends.
PAD_ESM = """
function render({ model, el }) {
  const size = model.get("size");
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.className = "lesson-pad";
  canvas.style.cssText =
    "border:1px solid #888;background:#fff;touch-action:none;cursor:crosshair";
  const ctx = canvas.getContext("2d");
  let last = null;
  const at = (e) => {
    const box = canvas.getBoundingClientRect();
    return [((e.clientX - box.left) * size) / box.width,
            ((e.clientY - box.top) * size) / box.height];
  };
  const line = (from, to) => {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = model.get("stroke");
    ctx.strokeStyle = "#000";
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  };
  const send = () => {
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const ink = new Uint8Array(size * size);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3];
    model.set("drawing", new DataView(ink.buffer));
    model.save_changes();
  };
  canvas.addEventListener("pointerdown", (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    line(last, last);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (last === null) return;
    const here = at(e);
    line(last, here);
    last = here;
  });
  const end = () => {
    if (last === null) return;
    last = null;
    send();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  model.on("msg:custom", (msg) => {
    if (msg.type === "clear") ctx.clearRect(0, 0, size, size);
  });
  el.appendChild(canvas);
}
export default { render };
"""


@cache
def _pad_class():
    try:
        import anywidget
        import traitlets
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err

    class DrawingPad(anywidget.AnyWidget):
        """A canvas to draw on; ``drawing`` holds its ink (alpha) as size x size bytes."""

        _esm = PAD_ESM
        size = traitlets.Int(PAD_SIZE).tag(sync=True)
        stroke = traitlets.Int(PAD_STROKE).tag(sync=True)
        drawing = traitlets.Bytes(b"").tag(
            sync=True, from_json=lambda value, widget: bytes(value or b"")
        )

        def clear(self) -> None:
            self.send({"type": "clear"})
            self.drawing = b""

        def ink(self) -> np.ndarray:
            """The drawing as (size, size) ink amounts 0-255; all 0 when empty."""
            if len(self.drawing) != self.size * self.size:
                return np.zeros((self.size, self.size), dtype=np.uint8)
            return np.frombuffer(self.drawing, dtype=np.uint8).reshape(self.size, self.size)

    return DrawingPad


def draw_a_digit(model, class_names=None):
    """Draw a digit with the mouse (or a finger); the CNN shows its top three classes and
    every layer's feature maps for it (notebook 6). Buttons clear the pad, shift the
    28x28 digit by a pixel, or thicken its strokes, to see whether the answer holds.
    """
    if not hasattr(model, "predict") or not hasattr(model, "layers"):
        raise ValueError(
            f"draw_a_digit needs the trained CNN (a Keras model or NumPyCNN); got {model!r}."
        )
    widgets = _ipywidgets()
    return _digit_class(widgets)(model, class_names, _pad_class()())


EMPTY = "The pad is empty: draw a digit on it with the mouse (or a finger)."


@cache
def _digit_class(widgets):
    class DrawADigit(widgets.VBox):
        """The pad, the buttons and what the CNN makes of the drawing."""

        def __init__(self, model, class_names, pad):
            self.model, self.class_names, self.pad = model, class_names, pad
            self.figure = DigitFigure()
            self.predict_seconds: list[float] = []
            self.base: np.ndarray | None = None
            self.dx = self.dy = self.thickened = 0
            buttons = []
            for label, action in (
                ("clear", self.clear),
                ("\u2190", lambda: self._shift(-1, 0)),
                ("\u2192", lambda: self._shift(1, 0)),
                ("\u2191", lambda: self._shift(0, -1)),
                ("\u2193", lambda: self._shift(0, 1)),
                ("thicken", self._thicken),
            ):
                button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
                button.on_click(lambda _, act=action: act())
                buttons.append(button)
            self.answer = widgets.HTML(EMPTY)
            self.answer.add_class("lesson-digit-answer")
            self.image = widgets.Image(format="png", value=message_png(EMPTY, (8, 1)))
            self.image.add_class("lesson-digit-maps")
            left = widgets.VBox([pad, widgets.HBox(buttons), self.answer])
            super().__init__([left, self.image])
            self.add_class("lesson-draw-a-digit")
            pad.observe(self._on_drawing, "drawing")

        def clear(self) -> None:
            self.pad.clear()

        def _on_drawing(self, change=None) -> None:
            self.base = interactive.preprocess_drawing(self.pad.ink())
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
                digit = interactive.thicken(digit)
            return interactive.shift_image(digit, self.dx, self.dy)

        def show(self) -> None:
            digit = self.digit()
            if digit is None:
                self.answer.value = EMPTY
                self.image.value = message_png(EMPTY, (8, 1))
                return
            start = time.perf_counter()
            outputs = interactive.layer_outputs(self.model, digit)
            top = interactive.top_classes(outputs[-1][1], self.class_names)
            self.figure.update(digit, outputs, top, self.class_names)
            self.image.value = self.figure.png()
            self.predict_seconds.append(time.perf_counter() - start)
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
            return _with_still_picture(
                super()._repr_mimebundle_(**kwargs), self._still(), "Draw a digit"
            )

        def _still(self) -> bytes:
            """A test digit from the bundled sample, as the widget would show it."""
            with np.load(resources.files("lesson_utils") / "data" / "mnist_sample.npz") as f:
                example = f["x_test"][0].astype(np.float32) / 255.0
            outputs = interactive.layer_outputs(self.model, example)
            figure = DigitFigure(title="A test digit as the pad shows it")
            top = interactive.top_classes(outputs[-1][1], self.class_names)
            figure.update(example, outputs, top)
            return figure.still_png()

    return DrawADigit
