"""lesson_utils: the helpers of the CNN lesson.

Import it the same way in every notebook:

    import lesson_utils as lu
    data = lu.load_mnist()
    model = lu.build_cnn_model()

``import lesson_utils`` is fast and never imports TensorFlow (the browser
has none): each name below is loaded from its module on first use.

| module              | what it holds                                             | notebook |
|---------------------|-----------------------------------------------------------|----------|
| ``settings``        | LESSON_QUICK, LESSON_BACKEND, LESSON_DATA_DIR             | 1        |
| ``data``            | load_mnist, load_fashion_mnist, preprocess_images         | 1        |
| ``idx``             | reading MNIST's own file format                           | 1        |
| ``numpy_layers``    | conv2d, relu, max_pool2d, flatten, dense, softmax, ...    | 2-4      |
| ``fast_layers``     | the same layers written for speed (and for no BLAS)       | 5        |
| ``keras_standins``  | NumPy stand-ins for keras.layers where Keras is missing   | 2-3      |
| ``measure``         | receptive_fields, shift, ..., top_patches (what excites   | 3, 6     |
|                     | a filter most)                                            |          |
| ``augment``         | random_shifts: data augmentation by moving the images     | 7        |
| ``pictures``        | colour_shapes: a colour picture with three channels       | 8        |
| ``architecture``    | the network described once, read by both backends         | 5        |
| ``recipe``          | the default training recipe (batch size, schedule, ...)   | 5        |
| ``model``           | build_cnn_model, compile_cnn_model, feature_maps          | 5-6      |
| ``numpy_model``     | NumPyCNN, the CNN trained with NumPy alone                | 5-6      |
| ``training``        | train_cnn_model, evaluate_cnn_model, run_full_workflow    | 5, 7-8   |
| ``schedules``       | the learning-rate schedule train_cnn_model follows        | 5        |
| ``progress``        | the NumPy backend's training log and time estimate        | 5        |
| ``plots``           | plot_digits, plot_feature_maps, plot_training_curves, ... | 1-8      |
| ``checks``          | the exercises' checks: ``check.q1.check()``               | 1-8      |
| ``validation``      | argument checks that speak to the learner                 | 1-8      |
| ``widgets``         | kernel_playground, watch_it_learn, draw_a_digit: one      | 2-3, 5-6 |
|                     | module each (its maths, figure and widget class)          |          |
| ``tensorflow_import`` | TensorFlow imported without its start-up log lines      | 5-6      |
| ``cli``             | ``python -m lesson_utils``: the whole workflow            | -        |
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it; loaded lazily so the import stays light.
_EXPORTS = {
    "settings": ["quick_mode", "get_backend", "describe", "in_browser"],
    "data": [
        "load_mnist",
        "load_fashion_mnist",
        "load_dataset",
        "preprocess_images",
        "take",
        "Dataset",
        "DataSourceError",
    ],
    "model": [
        "build_cnn_model",
        "build_model",
        "layer_outputs",
        "build_dense_model",
        "compile_cnn_model",
        "feature_maps",
        "layer_names",
        "model_backend",
        "save_model",
        "keras_layers",
    ],
    "training": [
        "train_cnn_model",
        "evaluate_cnn_model",
        "predict_classes",
        "accuracy_moved",
        "run_full_workflow",
        "set_global_seed",
    ],
    "plots": [
        "plot_digits",
        "plot_pixel_grid",
        "plot_kernels",
        "plot_padding_and_stride",
        "plot_feature_maps",
        "plot_top_patches",
        "plot_maps",
        "plot_filter_channels",
        "plot_colour_channels",
        "plot_receptive_fields",
        "plot_training_curves",
        "plot_confusion_matrix",
        "plot_misclassified",
        "plot_learning_rate_schedule",
        "confusion_matrix",
    ],
    "numpy_model": ["NumPyCNN"],
    "measure": ["receptive_fields", "cosine_similarity", "top_patches"],
    "augment": ["random_shifts"],
    "pictures": ["colour_shapes"],
    "widgets": ["kernel_playground", "watch_it_learn", "draw_a_digit"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBMODULES = {
    "architecture",
    "recipe",
    "cli",
    "settings",
    "data",
    "idx",
    "model",
    "training",
    "schedules",
    "plots",
    "numpy_layers",
    "numpy_model",
    "checks",
    "measure",
    "augment",
    "pictures",
    "validation",
    "keras_standins",
    "widgets",
    "tensorflow_import",
    "fast_layers",
    "progress",
}

__all__ = sorted(_WHERE) + sorted(_SUBMODULES)


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"lesson_utils.{name}")
    if name in _WHERE:
        return getattr(importlib.import_module(f"lesson_utils.{_WHERE[name]}"), name)
    raise AttributeError(f"lesson_utils has no {name!r}; see help(lesson_utils) for what it has.")


def __dir__() -> list[str]:
    return __all__
