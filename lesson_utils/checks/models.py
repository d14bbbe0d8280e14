"""Recognising what a learner passes as a model: a model or a training History, trained
or not, and trained with the lesson's validation split or without.

Notebooks 5 and 6 ask for a trained model. A model's backend is asked of
``lesson_utils.model.model_backend``; the validation split and the batch size are
``lesson_utils.training``'s own.
"""

from __future__ import annotations

from lesson_utils.model import model_backend
from lesson_utils.training import DEFAULT_BATCH_SIZE, VALIDATION_SPLIT, split_validation


def training_steps(model) -> int | None:
    """How many optimiser steps a model has taken since it was compiled; None if unknown.

    Keras counts them in ``model.optimizer.iterations``, the NumPy backend in
    ``model.optimizer.step``. Compiling again starts the count again at 0.
    """
    counter = "step" if model_backend(model) == "numpy" else "iterations"
    count = getattr(getattr(model, "optimizer", None), counter, None)
    if count is None:
        return None
    try:
        return int(count)
    except (TypeError, ValueError):
        return None


def not_compiled(model) -> str | None:
    """Why a Keras model cannot be scored yet (it has no optimiser); None if it can."""
    if model_backend(model) == "tensorflow" and getattr(model, "optimizer", None) is None:
        return "compile and train your model first (compile_cnn_model, train_cnn_model)."
    return None


def is_history(answer) -> bool:
    """Whether an answer is what training returns, a History (Keras's or the NumPy
    backend's), rather than a model: it has a ``history`` dict and cannot predict."""
    return isinstance(getattr(answer, "history", None), dict) and not hasattr(answer, "predict")


def history_not_model(call: str) -> str:
    """Why a training History is not the model, and which call to make instead."""
    return (
        "this is a training history, not a model: lu.train_cnn_model returns the training "
        "history (the accuracy and loss of each epoch); the model is the one you passed "
        f"to it (built with lu.build_cnn_model), trained in place. Give that model: {call}."
    )


def trained_without_validation(
    model, data, fraction: float = VALIDATION_SPLIT, batch_size: int = DEFAULT_BATCH_SIZE
) -> bool:
    """Whether the model's (last) training used every training image of ``data``, the
    ones ``validation_split=fraction`` holds out included; False where that cannot be told.

    Keras keeps the last training's History on the model: it lacks val_accuracy and
    val_loss without validation. A NumPy model keeps no History, but its step count
    tells where an epoch on all the images takes more steps than an epoch on the
    images the split keeps: a count that is whole epochs of the one and not of the other.
    """
    logs = getattr(getattr(model, "history", None), "history", None)
    if isinstance(logs, dict) and logs:
        return "val_accuracy" not in logs and "val_loss" not in logs
    steps = training_steps(model)
    (held_in, _), _ = split_validation(data.x_train, data.y_train, fraction)
    per_epoch = -(-len(data.x_train) // batch_size)
    per_epoch_split = -(-len(held_in) // batch_size)
    if not steps or per_epoch == per_epoch_split:
        return False
    return steps % per_epoch == 0 and steps % per_epoch_split != 0
