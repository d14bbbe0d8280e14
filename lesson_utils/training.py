"""Training and evaluating the CNN, and the whole workflow as one function.

Works on either backend: the same calls train a Keras model or a NumPyCNN.
Introduced in notebook 5, "The whole CNN".
"""

from __future__ import annotations

import random
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

from lesson_utils import settings
from lesson_utils.augment import random_shifts
from lesson_utils.data import load_dataset
from lesson_utils.measure import shift
from lesson_utils.model import (
    build_cnn_model,
    compile_cnn_model,
    model_backend,
    save_model,
)

# The default recipe (lesson_utils.recipe), also importable from here.
from lesson_utils.recipe import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SCHEDULE,
    VALIDATION_SPLIT,
)
from lesson_utils.schedules import check_schedule, keras_schedule_callback
from lesson_utils.tensorflow_import import import_keras, import_tensorflow
from lesson_utils.validation import check_images, check_labels, check_positive_int, check_scalar


def set_global_seed(seed: int = 42) -> None:
    """Seed Python, NumPy and (where it is in use) TensorFlow, so a run can be repeated.

    On the CPU, two runs with the same seed give the same numbers.
    """
    seed = check_scalar(seed, "seed", int, min_val=0, expected="a whole number >= 0")
    random.seed(seed)
    np.random.seed(seed)
    if "tensorflow" in sys.modules or settings.get_backend() == "tensorflow":
        import_keras().utils.set_random_seed(seed)


def _check_data(model, images, labels, name: str) -> tuple[np.ndarray, np.ndarray]:
    images = check_images(images, f"x_{name}")
    expected = tuple(model.input_shape[1:])  # Keras's shapes on both backends
    if images.shape[1:] != expected:
        raise ValueError(
            f"x_{name} must have shape (n, {', '.join(map(str, expected))}) for "
            f"this model; got {images.shape}."
        )
    num_classes = model.output_shape[-1]
    labels = check_labels(labels, len(images), num_classes, f"y_{name}")
    return images, labels


def train_cnn_model(
    model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    epochs: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    validation_split: float = 0.0,
    verbose: int = 2,
    learning_rate_schedule: str = DEFAULT_SCHEDULE,
    callbacks: list | None = None,
    augment_shift: int = 0,
    quick: bool | None = None,
):
    """Train a compiled model; returns its History (``history.history["accuracy"]`` etc.).

    x_train (n, 28, 28, 1) float32 in [0, 1], y_train (n,) integers 0-9.
    ``epochs=None`` means 2 for 20,000 training images or more, 5 for fewer, 1 in
    quick mode. ``validation_split`` holds out that fraction of the training
    images (the last ones), as Keras does. ``learning_rate_schedule``:
    ``"warmup_cosine"`` (rise to the compiled learning rate over the first 10% of
    the steps, then fall towards 0) or ``"constant"``. ``callbacks``: Keras
    callbacks (the NumPy backend calls their ``on_train_begin``, ``on_train_batch_end``
    and ``on_epoch_end``, where they have them). ``augment_shift=2``
    trains on randomly moved copies of the training images, each moved by up to 2
    pixels each way, new moves for every batch of every epoch
    (``augment.random_shifts``, the same on both backends); 0, the default, trains on
    the images as they are. ``quick``: whether this is a quick run (for ``epochs=None``
    and the line that says so); None reads ``LESSON_QUICK``.
    """
    x_train, y_train = _check_data(model, x_train, y_train, "train")
    batch_size = check_positive_int(batch_size, "batch_size")
    check_schedule(learning_rate_schedule)
    validation_split = check_scalar(
        validation_split,
        "validation_split",
        float,
        min_val=0,
        max_val=1,
        include_max=False,
        expected="a fraction in [0, 1)",
    )
    augment_shift = check_scalar(
        augment_shift,
        "augment_shift",
        int,
        min_val=0,
        max_val=min(x_train.shape[1:3]) - 1,
        example="2",
    )
    augment = partial(random_shifts, max_shift=augment_shift) if augment_shift else None
    if validation_split and validation_data is not None:
        raise ValueError("give validation_data or validation_split, not both.")
    if validation_split:
        (x_train, y_train), validation_data = split_validation(x_train, y_train, validation_split)
    if validation_data is not None:
        validation_data = _check_data(model, *validation_data, "val")
    switch = "" if quick is not None else " (LESSON_QUICK=1)"
    quick = settings.quick_mode() if quick is None else bool(quick)
    if epochs is None:
        epochs = settings.default_epochs(len(x_train), quick=quick)
    else:
        epochs = check_positive_int(epochs, "epochs")
    if quick and verbose:
        print(f"Quick mode{switch}: {epochs} epoch(s) on {len(x_train):,} images.")
    if model_backend(model) == "numpy":
        return model.fit(
            x_train,
            y_train,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=validation_data,
            verbose=verbose,
            learning_rate_schedule=learning_rate_schedule,
            callbacks=callbacks,
            augment=augment,
        )
    keras = import_keras()
    return model.fit(
        _tf_dataset(x_train, y_train, batch_size, shuffle=True, augment=augment),
        epochs=epochs,
        steps_per_epoch=-(-len(x_train) // batch_size),
        shuffle=False,  # the dataset shuffles itself, once per epoch
        validation_data=None
        if validation_data is None
        else _tf_dataset(*validation_data, batch_size, shuffle=False),
        verbose=verbose,
        callbacks=[keras_schedule_callback(learning_rate_schedule, keras), *(callbacks or [])],
    )


def split_validation(images, labels, fraction: float = VALIDATION_SPLIT) -> tuple:
    """``((x_train, y_train), (x_val, y_val))``: the last ``fraction`` of the images and
    labels held out to validate on, as ``train_cnn_model(..., validation_split=fraction)``
    and Keras do (notebook 5)."""
    fraction = check_scalar(
        fraction,
        "fraction",
        float,
        min_val=0,
        max_val=1,
        include_max=False,
        expected="a fraction in [0, 1)",
    )
    cut = len(images) - int(len(images) * fraction)
    return (images[:cut], labels[:cut]), (images[cut:], labels[cut:])


def _tf_dataset(
    images: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool, augment=None
):
    """Batches of (images, labels) for Keras, without tf.data's autotuning; ``augment``
    (a NumPy function of a batch of images) is applied to every batch, afresh each epoch.

    Why not hand Keras the arrays: Keras then builds a tf.data pipeline with
    autotuning on, and on our 2-core machine tearing down that pipeline's iterator
    (at every epoch's end, and after evaluating) waited 15-35 s for one of
    tf.data's background threads in about half of the runs, longer than an
    epoch's computing (benchmarks/README.md). The training pipeline repeats, so
    one iterator serves every epoch.
    """
    tf = import_tensorflow()
    x, y = tf.constant(images), tf.constant(labels)
    order = tf.data.Dataset.range(len(images))
    if shuffle:  # a new order each epoch, seeded by set_global_seed
        order = order.shuffle(len(images), reshuffle_each_iteration=True)
    batches = order.batch(batch_size).map(lambda i: (tf.gather(x, i), tf.gather(y, i)))
    if augment is not None:  # the NumPy function itself, so both backends move alike

        def augmented(batch, batch_labels):
            moved = tf.numpy_function(augment, [batch], batch.dtype, stateful=True)
            return tf.ensure_shape(moved, batch.shape), batch_labels

        batches = batches.map(augmented)
    if shuffle:
        batches = batches.repeat()
    options = tf.data.Options()
    options.autotune.enabled = False
    return batches.prefetch(1).with_options(options)


def evaluate_cnn_model(model, x_test: np.ndarray, y_test: np.ndarray) -> dict[str, float]:
    """{"loss": mean cross-entropy, "accuracy": fraction of test images right}."""
    x_test, y_test = _check_data(model, x_test, y_test, "test")
    if model_backend(model) == "numpy":
        return model.evaluate(x_test, y_test)
    scores = model.evaluate(
        _tf_dataset(x_test, y_test, 256, shuffle=False), verbose=0, return_dict=True
    )
    return {"loss": float(scores["loss"]), "accuracy": float(scores["accuracy"])}


def accuracy_moved(model, x_test: np.ndarray, y_test: np.ndarray, pixels: int) -> float:
    """Test accuracy with every image moved ``pixels`` up, down, left and right: the mean
    of the four accuracies (a fraction, 0 to 1). ``pixels=0``: the images as they are.

    What moves in at an edge is background (``measure.shift``). Notebooks 7 and 8.
    """
    pixels = check_scalar(pixels, "pixels", int, min_val=0, expected="a whole number of pixels")
    if pixels == 0:
        return evaluate_cnn_model(model, x_test, y_test)["accuracy"]
    moved = [
        shift(x_test, right=pixels),
        shift(x_test, right=-pixels),
        shift(x_test, down=pixels),
        shift(x_test, down=-pixels),
    ]
    return float(np.mean([evaluate_cnn_model(model, x, y_test)["accuracy"] for x in moved]))


def predict_classes(model, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """The predicted class (n,) of each image (n, 28, 28, 1): the most probable one."""
    images = check_images(images)
    batch_size = check_positive_int(batch_size, "batch_size")
    return np.asarray(model.predict(images, batch_size=batch_size, verbose=0)).argmax(axis=1)


def run_full_workflow(
    dataset: str = "mnist",
    source: str = "auto",
    data_dir: str | None = None,
    epochs: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    learning_rate: float = DEFAULT_LEARNING_RATE,
    seed: int = 42,
    out_dir: str | Path | None = None,
    verbose: int = 2,
    quick: bool | None = None,
) -> dict:
    """Load -> build -> compile -> train -> evaluate, printing as it goes.

    Returns {"loss", "accuracy", "train_seconds", "backend", "source",
    "model", "history"}; with ``out_dir`` it also saves the model and a PNG
    of the training curves there. ``quick=True`` is a quick run (1 epoch on a small
    subset, as ``LESSON_QUICK=1``); None reads ``LESSON_QUICK`` once, here.
    """
    quick = settings.quick_mode() if quick is None else bool(quick)
    if epochs is not None:
        epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    backend = settings.get_backend()
    data = load_dataset(dataset, source, data_dir, quick=quick)  # errors before TensorFlow's
    if epochs is None:
        epochs = settings.default_epochs(len(data.x_train), quick=quick)
    set_global_seed(seed)
    print(f"Backend: {backend}" + (" (quick mode)" if quick else ""))
    model = compile_cnn_model(build_cnn_model(input_shape=data.x_train.shape[1:]), learning_rate)
    start = time.perf_counter()
    history = train_cnn_model(
        model,
        data.x_train,
        data.y_train,
        epochs,
        batch_size,
        validation_split=VALIDATION_SPLIT,
        verbose=verbose,
        quick=quick,
    )
    train_seconds = time.perf_counter() - start
    scores = evaluate_cnn_model(model, data.x_test, data.y_test)
    result = {
        **scores,
        "train_seconds": train_seconds,
        "backend": backend,
        "source": data.source,
        "model": model,
        "history": history,
    }
    if out_dir is not None:
        from lesson_utils.plots import plot_training_curves

        saved = save_model(model, out_dir)
        figure = plot_training_curves(history)
        curves = Path(out_dir) / "training_curves.png"
        figure.savefig(curves, dpi=100)
        print(f"Saved the model to {saved} and the training curves to {curves}")
    return result
