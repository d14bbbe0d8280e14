"""The kernel and pooling playground (notebooks 2-3, and 6 with learned kernels).

    lu.kernel_playground(data)                  # move a weight, see the map
    lu.kernel_playground(data, shift=(1, 0))    # ... starting with the digit shifted
    lu.kernel_playground(data, model, preset="learned 30")  # a kernel the CNN learned

From the maths to the widget: ``playground_maps`` runs a 3x3 kernel, a bias, ReLU
and 2x2 max pooling on one digit with ``lesson_utils.numpy_layers`` (the layers the
learner wrote by hand) and compares the maps with the unshifted digit's
(``compare_maps``); ``PlaygroundFigure`` draws them; ``KernelPlayground`` holds the
controls over that figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lesson_utils import measure
from lesson_utils import numpy_layers as L
from lesson_utils.plots import SIGNED_CMAP
from lesson_utils.validation import check_scalar
from lesson_utils.widgets.common import (
    LiveFigure,
    NoFrontEnd,
    as_digit,
    bare,
    import_ipywidgets,
    is_numeric,
    shift_image,
    with_still_picture,
)
from lesson_utils.widgets.slider import FloatSlider, IntSlider

try:
    from ipywidgets import VBox
except ImportError:  # no front end here: the maths and the figure below still work
    VBox = NoFrontEnd

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

NO_SHIFT = "No shift: move dx or dy to compare the maps of the shifted digit."

# The preset menu's entry for weights typed into the boxes, which are no preset.
YOUR_OWN = "your own (typed in the boxes)"


# -------------------------------------------------------------------- the maths


def as_kernel(kernel: object) -> np.ndarray:
    """A 3x3 kernel as float32, from nested lists or an array; a clear error otherwise."""
    if not is_numeric(kernel):
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

    ``blank`` says which of the two compared maps is all zero (as a low bias with ReLU
    makes them): "" for neither, else "both", "shifted" or "unshifted"; a blank map has
    no pattern, so its similarity is no measure of shift tolerance. ``bias`` is the
    bias used and ``similarity_at_bias_0`` the similarity the same kernel gives with
    bias 0 (None when the bias is 0 or there is no shift), for saying what the bias
    did to the number.
    """

    digit: np.ndarray
    feature_map: np.ndarray
    after_relu: np.ndarray | None
    pooled: np.ndarray | None
    similarity: float
    similarity_before_pooling: float
    blank: str = ""
    bias: float = 0.0
    similarity_at_bias_0: float | None = None

    def blank_words(self) -> str:
        """Which compared map is blank, in words ("" for neither)."""
        return {
            "": "",
            "both": "both maps are blank (0 everywhere)",
            "shifted": "the shifted digit's map is blank (0 everywhere), the unshifted's not",
            "unshifted": "the unshifted digit's map is blank (0 everywhere), the shifted's not",
        }[self.blank]

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
    bias = check_scalar(bias, "bias", float)
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
    blank = {(True, True): "both", (True, False): "shifted", (False, True): "unshifted"}
    at_bias_0 = None
    if bias and (dx or dy):
        at_bias_0 = playground_maps(digit, kernel, 0.0, use_relu, use_pool, dx, dy).similarity
    return PlaygroundMaps(
        digit=shifted,
        feature_map=maps[0],
        after_relu=maps[1],
        pooled=maps[2],
        similarity=compare_maps(last, last_still),
        similarity_before_pooling=compare_maps(before, before_still),
        blank=blank.get((not last.any(), not last_still.any()), ""),
        bias=float(bias),
        similarity_at_bias_0=at_bias_0,
    )


def _blank_sentence(maps: PlaygroundMaps) -> str:
    """Why the compared maps are blank, and that a blank map has nothing to compare."""
    which = maps.blank_words()
    text = f"{which}, so there is no pattern to compare"
    if maps.after_relu is not None and maps.feature_map.max() <= 0 < -maps.bias:
        text += (
            f": with bias {maps.bias:.3g} every response is 0 or below "
            f"(the largest is {maps.feature_map.max():.2f}), and ReLU sets it to 0"
        )
    return text + "."


def last_map(maps: PlaygroundMaps) -> str:
    """What the playground's number compares: "pooled map", or "last map" without pooling."""
    return "pooled map" if maps.pooled is not None else "last map"


def shift_sentence(
    maps: PlaygroundMaps, dx: int, dy: int, bold: bool = False, name_the_map: bool = True
) -> str:
    """The playground's one number in words, "" without a shift (nothing to compare):
    "cosine similarity to the unshifted digit's pooled map: 0.83 (before pooling:
    0.67); 1 = unchanged." bold: the number in <b></b>, for the line under the live
    widget. name_the_map=False leaves out "pooled map" where the sentence already
    starts with it (the figure's title: "The pooled map's cosine similarity ...").

    Where a compared map is blank there is no number, but the reason (``_blank_sentence``).
    """
    if dx == 0 and dy == 0:
        return ""
    if maps.blank:
        return _blank_sentence(maps)
    number = f"{maps.similarity:.2f}"
    if bold:
        number = f"<b>{number}</b>"
    which = f" {last_map(maps)}" if name_the_map else ""
    text = f"cosine similarity to the unshifted digit's{which}: {number}"
    if maps.pooled is not None:
        text += f" (before pooling: {maps.similarity_before_pooling:.2f})"
    return text + "; 1 = unchanged."


def bias_sentence(maps: PlaygroundMaps) -> str:
    """What the bias did to the similarity, "" when the bias is 0 or there is no shift.

    A positive bias adds the same value to every position of both maps, a floor they
    share, and a shared floor raises their cosine similarity though the edges move just
    as far (so does a negative one without ReLU); a negative bias with ReLU keeps only
    the strongest responses.
    """
    if maps.similarity_at_bias_0 is None or maps.blank:
        return ""
    text = f"With bias 0 the similarity would be {maps.similarity_at_bias_0:.2f}. "
    if maps.bias > 0 or maps.after_relu is None:
        return text + (
            f"The bias adds {maps.bias:.3g} to every value of both maps, a floor they share "
            "even where there is no edge; a shared floor raises the similarity, though the "
            "edges move just as far."
        )
    passed = int(np.count_nonzero(maps.after_relu))
    return text + (
        f"The bias {maps.bias:.3g} lets only the strongest responses through ReLU "
        f"({passed} of {maps.after_relu.size} values): the number compares those alone."
    )


def one_digit_per_class(images: np.ndarray, labels: np.ndarray) -> dict[int, int]:
    """{label: index of its first image}, for the playground's choice of digit."""
    labels = np.asarray(labels)
    return {int(c): int(np.flatnonzero(labels == c)[0]) for c in np.unique(labels)}


# ------------------------------------------------------------------- the figure


class PlaygroundFigure(LiveFigure):
    """The digit, its signed feature map, the map after ReLU and after 2x2 max pooling."""

    def __init__(self):
        super().__init__((11, 3.9))
        axes = self.figure.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 1]})
        self.axes = axes
        blank28, blank26, blank13 = np.zeros((28, 28)), np.zeros((26, 26)), np.zeros((13, 13))
        self.digit = axes[0].imshow(blank28, cmap="gray_r", vmin=0, vmax=1)
        self.maps = [
            ax.imshow(blank, cmap=SIGNED_CMAP, vmin=-1, vmax=1)
            for ax, blank in zip(axes[1:], (blank26, blank26, blank13), strict=True)
        ]
        self.off_notes = [
            ax.text(0.5, 0.5, "", ha="center", va="center", transform=ax.transAxes, fontsize=12)
            for ax in axes[1:]
        ]
        for ax in axes:
            bare(ax)
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
        if shifted and maps.blank:
            lines.append(f"No similarity: {maps.blank_words()}, nothing to compare")
        elif shifted:
            sentence = shift_sentence(maps, dx, dy, name_the_map=False)
            lines.append(f"The {last_map(maps)}'s {sentence}")
        self.suptitle.set_text("\n".join(line for line in lines if line))


# ------------------------------------------------------------------- the widget


def kernel_playground(
    data,
    model=None,
    digit: int | None = None,
    preset: str | None = None,
    shift: tuple[int, int] = (0, 0),
) -> KernelPlayground:
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
    import_ipywidgets()  # first: without it, say how to install it
    images, choices = _digit_choices(data)
    if digit is not None:
        digit = check_scalar(digit, "digit", int, expected="a whole-number index")
        if not 0 <= digit < len(images):
            raise ValueError(f"digit must be an index from 0 to {len(images) - 1}; got {digit}.")
        choices = {**choices, f"image {digit}": digit}
    presets = {name: (kernel, 0.0) for name, kernel in PRESET_KERNELS.items()}
    if model is not None:
        presets.update(learned_kernels(model))
    preset = _check_preset(preset, presets, model)
    dx, dy = _check_shift(shift)
    playground = KernelPlayground(images, choices, presets, digit)
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
    most = MAX_SHIFT
    wanted = (
        f"shift must be (dx, dy): two whole numbers of pixels from -{most} to {most}; "
        f"got {shift!r}."
    )
    if isinstance(shift, str | bytes) or not hasattr(shift, "__len__") or len(shift) != 2:
        raise ValueError(wanted)
    try:
        return tuple(
            check_scalar(value, name, int, min_val=-most, max_val=most)
            for value, name in zip(shift, ("dx", "dy"), strict=True)
        )
    except ValueError:
        raise ValueError(wanted) from None


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
    firsts = one_digit_per_class(images, labels)
    return images, {f"a {names[c]} (test image {i})": i for c, i in firsts.items()}


class KernelPlayground(VBox):
    """The playground's controls over a ``PlaygroundFigure``; ``refresh()`` redraws.

    Made by ``kernel_playground``. images (n, 28, 28, 1); choices: {label: index} of the
    digits offered; presets: {name: (3x3 kernel, bias)}; digit: the index to start with
    (the first choice if None). Controls: ``weights`` (nine boxes), ``preset``, ``bias``,
    ``use_relu``, ``use_pool``, ``digit``, ``dx`` and ``dy``; ``image`` shows the figure
    and ``summary`` its numbers in a line.
    """

    def __init__(self, images, choices, presets, digit=None):
        widgets = import_ipywidgets()
        self.images, self.presets = images, presets
        self.figure = PlaygroundFigure()
        self._holding = False
        number = widgets.Layout(width="70px")
        # set_kernel keeps three decimals, in the boxes and on the bias slider (its
        # readout too): a learned first-layer bias is a few hundredths, which two
        # decimals would blur or zero. The boxes' arrows and the slider's arrow keys
        # still step by 0.1. Each box's tooltip is its name for a screen reader.
        self.weights = [
            widgets.FloatText(
                value=0.0,
                step=0.1,
                layout=number,
                tooltip=f"kernel weight, row {i // 3 + 1}, column {i % 3 + 1}",
            )
            for i in range(9)
        ]
        grid = widgets.GridBox(
            self.weights,
            layout=widgets.Layout(grid_template_columns="repeat(3, 74px)"),
        )
        self.preset = widgets.Dropdown(options=[*presets, YOUR_OWN], description="preset")
        self.bias = FloatSlider(
            value=0.0,
            min=-3,
            max=3,
            step=0.1,
            readout_format=".3f",
            description="bias",
            tooltip="the filter's bias, added to every value of its map",
        )
        self.use_relu = widgets.Checkbox(value=True, description="ReLU")
        self.use_pool = widgets.Checkbox(value=True, description="2x2 max pool")
        start = digit if digit is not None else next(iter(choices.values()))
        self.digit = widgets.Dropdown(options=choices, value=start, description="digit")
        most = MAX_SHIFT
        self.dx = IntSlider(
            0, -most, most, description="shift dx", tooltip="pixels right (negative: left)"
        )
        self.dy = IntSlider(
            0, -most, most, description="shift dy", tooltip="pixels down (negative: up)"
        )
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
        for box in self.weights:
            box.observe(self._on_weight, "value")
        for control in [self.bias, self.use_relu, self.use_pool]:
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
        """The 3x3 kernel in the boxes now."""
        return np.array([w.value for w in self.weights], dtype=np.float32).reshape(3, 3)

    def set_kernel(self, kernel, bias: float | None = None) -> None:
        """Put a 3x3 kernel (and a bias) into the controls; redraws once."""
        kernel = as_kernel(kernel)
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
        if self.preset.value == YOUR_OWN:  # the weights in the boxes stay
            self.refresh()
            return
        kernel, bias = self.presets[self.preset.value]
        self.set_kernel(kernel, bias)

    def _is_preset(self) -> bool:
        """Whether the boxes hold the kernel of the preset the menu names."""
        if self.preset.value == YOUR_OWN:
            return False
        kernel, _ = self.presets[self.preset.value]
        return bool(np.allclose(self.kernel(), np.round(kernel, 3), atol=5e-4))

    def _on_weight(self, change=None) -> None:
        """A weight typed in: the menu stops naming a preset the boxes no longer hold."""
        if self._holding:
            return
        if not self._is_preset():
            self._holding = True
            try:
                self.preset.value = YOUR_OWN
            finally:
                self._holding = False
        self.refresh()

    def title(self) -> str:
        """What is shown, in words: "The vertical edge kernel on a 0 (test image 3)"."""
        name = self.preset.value
        if not self._is_preset():
            text = "Your kernel"
        elif name.startswith("learned "):
            text = f"Learned kernel {name.split()[1]}"
        else:
            text = f"The {name} kernel"
        if self.bias.value:
            text += f" (bias {self.bias.value:.3g})"
        return f"{text} on {self.digit.label}"

    def maps(self) -> PlaygroundMaps:
        """The maps of the controls' setting now."""
        return playground_maps(
            self.images[self.digit.value],
            self.kernel(),
            self.bias.value,
            self.use_relu.value,
            self.use_pool.value,
            self.dx.value,
            self.dy.value,
        )

    def refresh(self, change=None) -> None:
        """Redraw the figure and the line under it from the controls."""
        if self._holding:
            return
        maps = self.maps()
        dx, dy = self.dx.value, self.dy.value
        self.figure.update(maps, dx, dy, self.title())
        self.image.value = self.figure.png()
        shift = f"Shift ({dx}, {dy}): {shift_sentence(maps, dx, dy, bold=True)}"
        if dx or dy:
            shift = " ".join(part for part in (shift, bias_sentence(maps)) if part)
        self.summary.value = (
            f"{shift if dx or dy else NO_SHIFT} Largest response "
            f"{maps.feature_map.max():.2f}, smallest {maps.feature_map.min():.2f}."
        )

    def _repr_mimebundle_(self, **kwargs):
        return with_still_picture(
            super()._repr_mimebundle_(**kwargs),
            self.figure.still_png(),
            "Kernel and pooling playground",
        )
