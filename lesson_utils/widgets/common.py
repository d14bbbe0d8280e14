"""What the three widgets share: a digit's checks and shift, the live figure, the still.

Each figure is a ``LiveFigure``: a matplotlib Figure built once (without pyplot, so a
notebook never shows it by itself) whose ``update`` changes only the pictures' data,
which keeps a refresh fast enough to follow a slider. ``png()`` renders it for an
``ipywidgets.Image`` or an IPython display at ``LIVE_DPI``; ``still_png()`` renders the
picture the static site shows, at ``STILL_DPI`` in 256 colours. Colours follow the
lesson: digits ink = 1 dark on white (``gray_r``); signed maps and kernels on a
diverging scale centred on 0 with a colorbar; maps after ReLU from 0 up.

Nothing here imports ipywidgets: ``import_ipywidgets`` does, when a widget is made.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lesson_utils import measure
from lesson_utils.validation import check_scalar

INSTALL_HINT = (
    "The interactive widgets need ipywidgets and anywidget: `pip install ipywidgets anywidget` "
    "(in the browser: `await piplite.install(['ipywidgets', 'anywidget'])`), then run the "
    "cell again."
)
RUN_ME = "Run this notebook (in JupyterLab or in the browser) to play with it."

LIVE_DPI = 72  # a refresh that follows a slider: its speed is in benchmarks/README.md
# The still picture the static site shows (and each epoch's end in watch_it_learn): twice
# the pixels each way, so that it stays sharp when the page scales it to the column or a
# reader opens it full size. Its text is 11 pt or more.
STILL_DPI = 144


# ------------------------------------------------------------------ the front end


def import_ipywidgets():
    """ipywidgets, or an ImportError that says how to install it (``INSTALL_HINT``)."""
    try:
        import ipywidgets
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err
    return ipywidgets


class NoFrontEnd:
    """Stands in for a widget's base class (``ipywidgets.VBox``, ``anywidget.AnyWidget``)
    where that library is not installed: the widget's module still imports (its maths and
    its figure work without a front end), and making the widget says how to install it."""

    def __init__(self, *args, **kwargs):
        raise ImportError(INSTALL_HINT)

    @staticmethod
    def trait(*args, **kwargs) -> NoFrontEnd._Trait:
        """Stands in for a traitlets trait (``Int(280).tag(sync=True)``)."""
        return NoFrontEnd._Trait()

    class _Trait:
        def tag(self, **metadata) -> NoFrontEnd._Trait:
            return self


def with_still_picture(bundle: dict, png: bytes, name: str) -> dict:
    """Add the static site's fallback (a PNG and a line of text) to a widget's mime bundle."""
    bundle = dict(bundle)
    bundle["image/png"] = base64.b64encode(png).decode("ascii")
    bundle["text/plain"] = f"{name}. {RUN_ME}"
    return bundle


# ---------------------------------------------------------------------- a digit


def is_numeric(value: object) -> bool:
    """Whether value is a number or an array of numbers."""
    try:
        return np.issubdtype(np.asarray(value).dtype, np.number)
    except (TypeError, ValueError):
        return False


def as_digit(image: object, name: str = "image") -> np.ndarray:
    """One grey image as float32 (height, width); accepts (h, w), (h, w, 1) or (1, h, w, 1)."""
    array = np.asarray(image, dtype=np.float32) if is_numeric(image) else None
    if array is None:
        raise ValueError(f"{name} must be an array of pixel values; got {type(image).__name__}.")
    while array.ndim > 2 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be one grey image shaped (height, width) or (height, width, 1); "
            f"got shape {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or infinite pixels; every pixel must be a number.")
    return array


def shift_image(image: np.ndarray, dx: int = 0, dy: int = 0) -> np.ndarray:
    """The image moved dx pixels right and dy pixels down (negative: left, up), with
    ``lesson_utils.measure.shift`` (notebook 3): what moves in is background (0)."""
    image = as_digit(image)
    right, down = (
        check_scalar(value, name, int, expected="a whole number of pixels")
        for value, name in ((dx, "dx"), (dy, "dy"))
    )
    return measure.shift(image, right=right, down=down)


# ------------------------------------------------------------------ the figures


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


def bare(ax) -> None:
    """No ticks: the axes of a picture (a digit, a map, a kernel)."""
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


def message_png(text: str, figsize=(6, 1.2)) -> bytes:
    """A small picture holding one sentence (e.g. 'The pad is empty: draw a digit')."""
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, text, ha="center", va="center", fontsize=12)
    return _png(figure, 72)
