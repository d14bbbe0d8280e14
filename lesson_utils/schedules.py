"""The learning-rate schedule lesson_utils trains with: a short warm-up, then a cosine decay.

Over one call to ``train_cnn_model`` the learning rate first rises from almost 0 to
its peak, the optimiser's learning rate (0.007 by default), over the first 10% of the
steps, then falls along half a cosine to almost 0 at the last step. Why the warm-up:
Adam divides each weight's step by a running average of its gradient's size, and in
the first steps those averages rest on only a few batches taken while the weights
are random; small steps until they have seen more batches keep them from throwing
the weights far. Why the cosine: small last steps settle the weights. What it buys:
with batches of 128, two epochs of full Fashion-MNIST reach 90.0% (median of 3),
the accuracy that five epochs at a constant 0.001 and batches of 64 reach (89.7%,
benchmarks/README.md); at a constant 0.007 the same two epochs reach 88.6%.
``plots.plot_learning_rate_schedule`` draws it.

Introduced in notebook 5, "The whole CNN".
"""

from __future__ import annotations

import math
from types import ModuleType

WARMUP_FRACTION = 0.1
SCHEDULES = ("warmup_cosine", "constant")


def check_schedule(schedule: str) -> str:
    """``schedule`` if it is one lesson_utils knows; a ValueError naming them otherwise."""
    if schedule not in SCHEDULES:
        raise ValueError(
            f"learning_rate_schedule must be one of {', '.join(map(repr, SCHEDULES))}; "
            f"got {schedule!r}."
        )
    return schedule


def warmup_cosine(step: int, total_steps: int, warmup_fraction: float = WARMUP_FRACTION) -> float:
    """The fraction of the peak learning rate, in (0, 1], for ``step`` (0, 1, ...) of
    ``total_steps``: a straight rise over the first ``warmup_fraction`` of the steps,
    then half a cosine down towards 0 at the last step.
    """
    warmup_steps = max(1, round(warmup_fraction * total_steps))
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = (step - warmup_steps + 1) / (total_steps - warmup_steps + 1)
    return 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))


def learning_rate_factor(schedule: str, step: int, total_steps: int) -> float:
    """The fraction of the peak learning rate that ``schedule`` uses at ``step``."""
    if schedule == "constant":
        return 1.0
    return warmup_cosine(step, total_steps)


def keras_schedule_callback(schedule: str, keras: ModuleType):
    """A Keras callback that follows ``schedule`` over one ``model.fit`` call.

    The peak is the optimiser's learning rate when training starts (the one
    ``compile_cnn_model`` set); it is put back when training ends, so a second
    ``fit`` starts a new warm-up and cosine from the same peak.
    """

    class LearningRateSchedule(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.peak = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
            self.total_steps = self.params["steps"] * self.params["epochs"]
            self.step = 0

        def on_train_batch_begin(self, batch, logs=None):
            factor = learning_rate_factor(schedule, self.step, self.total_steps)
            self.model.optimizer.learning_rate.assign(self.peak * factor)
            self.step += 1

        def on_train_end(self, logs=None):
            self.model.optimizer.learning_rate.assign(self.peak)

    return LearningRateSchedule()
