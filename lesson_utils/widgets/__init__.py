"""The lesson's interactive pictures: one line in a notebook each.

    lu.kernel_playground(data)                  # notebooks 2-3: move a weight, see the map
    lu.kernel_playground(data, shift=(1, 0))    # ... starting with the digit shifted
    lu.kernel_playground(data, model, preset="learned 30")  # notebook 6: a learned kernel
    callbacks=[lu.watch_it_learn(model, data)]  # notebook 5: kernels forming while it trains
    lu.draw_a_digit(model)                      # notebook 6: draw a digit, see what it thinks

One module per widget, each holding the widget's NumPy maths (plain, tested
functions over ``numpy_layers``), its figure and its widget class:

| module         | what it holds                                                         |
|----------------|-----------------------------------------------------------------------|
| ``playground`` | kernel_playground, KernelPlayground, playground_maps, ...             |
| ``watch``      | watch_it_learn, WatchItLearn, TrainingLog, TrainingFigure, ...        |
| ``pad``        | draw_a_digit, DrawADigit, DrawingPad (``pad.js``), preprocess_drawing |
| ``slider``     | FloatSlider, IntSlider: named, keyboard-moved (``slider.js``)          |
| ``common``     | what they share: as_digit, shift_image, LiveFigure, the still         |

Each module is loaded on first use, and only ``playground`` and ``pad`` import
ipywidgets (and anywidget), so ``import lesson_utils`` stays light; without them the
maths and figures still work and making a widget says how to install them. Where no
widget can run (the static site, nbconvert) a widget's output still holds a picture
of it with the line "Run this notebook (in JupyterLab or in the browser) to play with
it.", rendered sharper than a live refresh (``common.STILL_DPI``), in the state the
cell's arguments chose. ``watch_it_learn`` needs no widgets at all: it redraws one
IPython display in place, so its last picture stays in the notebook.
"""

from __future__ import annotations

import importlib

# name -> module that defines it; loaded lazily so the import stays light.
_EXPORTS = {
    "playground": ["kernel_playground", "KernelPlayground"],
    "watch": ["watch_it_learn", "WatchItLearn"],
    "pad": ["draw_a_digit", "DrawADigit", "DrawingPad"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBMODULES = {"common", "playground", "watch", "pad", "slider"}

__all__ = sorted(_WHERE) + sorted(_SUBMODULES)


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"lesson_utils.widgets.{name}")
    if name in _WHERE:
        module = importlib.import_module(f"lesson_utils.widgets.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(
        f"lesson_utils.widgets has no {name!r}; see help(lesson_utils.widgets) for what it has."
    )


def __dir__() -> list[str]:
    return __all__
