"""A slider a screen reader can name and a keyboard can move: the bias and shift of the
playground (notebooks 2-3).

ipywidgets' own sliders draw a handle that has no accessible name; this one is the
browser's ``<input type="range">`` (its JavaScript in ``slider.js``, run by anywidget),
labelled by its ``description``: arrow keys move it by one ``step``, Home and End to its
ends. ``value`` is a float (``FloatSlider``) or a whole number (``IntSlider``), kept
within ``min`` and ``max`` as ipywidgets' sliders keep it.
"""

from __future__ import annotations

import pathlib

from lesson_utils.widgets.common import NoFrontEnd

try:
    from anywidget import AnyWidget
    from traitlets import Float, Int, Unicode, validate
except ImportError:  # no front end here
    AnyWidget = NoFrontEnd
    Float = Int = Unicode = NoFrontEnd.trait

    def validate(*names):
        return lambda method: method


class _Slider(AnyWidget):
    _esm = pathlib.Path(__file__).parent / "slider.js"
    description = Unicode("").tag(sync=True)
    tooltip = Unicode("").tag(sync=True)
    readout_format = Unicode(".2f").tag(sync=True)

    @validate("value")
    def _within_limits(self, proposal):
        return min(max(proposal["value"], self.min), self.max)


class FloatSlider(_Slider):
    """A slider of floats: ``FloatSlider(value, min, max, step, description=...)``."""

    value = Float(0.0).tag(sync=True)
    min = Float(0.0).tag(sync=True)
    max = Float(1.0).tag(sync=True)
    step = Float(0.1).tag(sync=True)

    def __init__(self, value=0.0, min=0.0, max=1.0, step=0.1, **kwargs):  # noqa: A002
        super().__init__(min=min, max=max, step=step, **kwargs)
        self.value = value


class IntSlider(_Slider):
    """A slider of whole numbers: ``IntSlider(value, min, max, description=...)``."""

    value = Int(0).tag(sync=True)
    min = Int(0).tag(sync=True)
    max = Int(10).tag(sync=True)
    step = Int(1).tag(sync=True)
    readout_format = Unicode("d").tag(sync=True)

    def __init__(self, value=0, min=0, max=10, step=1, **kwargs):  # noqa: A002
        super().__init__(min=min, max=max, step=step, **kwargs)
        self.value = value
