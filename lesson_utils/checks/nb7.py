"""Notebook 7, Making it generalise: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb7 as check
    check.q1.check(answer, plain_history)
    check.q2.check(prediction, augmented_cnn, data)
"""

from __future__ import annotations

import numpy as np

from lesson_utils import training
from lesson_utils.checks.answers import is_real, is_whole
from lesson_utils.checks.exercise import Exercise, Wrong
from lesson_utils.checks.models import is_history

# Exercise 1 (read a figure): at which epoch is the validation loss lowest, in the
# curves of the network trained on 500 digits without dropout or batch normalisation?
# Read from the learner's own History: each run's curves are their own.


def _logs(history) -> dict:
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs.get("val_loss"):
        raise Wrong(
            "pass the History that training on the 500 digits returned, with its "
            "validation loss: check.q1.check(answer, plain_history)."
        )
    return logs


def _check_lowest_validation_loss(answer, history=None):
    logs = _logs(history)
    val_loss = np.asarray(logs["val_loss"], dtype=float)
    epochs = len(val_loss)
    if not is_whole(answer):
        return f"give the epoch as a whole number between 1 and {epochs}, read off the x axis."
    answer = int(answer)
    right = int(np.argmin(val_loss)) + 1
    if answer == right:
        return None
    if not 1 <= answer <= epochs:
        return f"the run has epochs 1 to {epochs} (the figure's x axis); {answer} is not one."
    if answer == right - 1:
        return (
            f"epoch {answer} is one before: the figure counts epochs from 1, so the lowest "
            f"point is epoch {right} (Python's np.argmin counts from 0: add 1)."
        )
    train_loss = np.asarray(logs.get("loss", []), dtype=float)
    if len(train_loss) and answer == int(np.argmin(train_loss)) + 1:
        return (
            f"epoch {answer} is where the training loss (circles) is lowest; the training "
            "loss goes on falling as the network memorises its 500 digits. Read the "
            "validation loss (squares): it turns up earlier."
        )
    val_accuracy = np.asarray(logs.get("val_accuracy", []), dtype=float)
    if len(val_accuracy) and answer == int(np.argmax(val_accuracy)) + 1:
        return (
            f"epoch {answer} is where the validation accuracy is highest (right panel); "
            "the question asks for the lowest validation loss (left panel, squares)."
        )
    return (
        f"at epoch {answer} the validation loss is {val_loss[answer - 1]:.3f}, and at "
        f"epoch {right} it is {val_loss[right - 1]:.3f}: find the lowest of the squares "
        "in the left panel."
    )


# Exercise 2 (predict, then run): the learner predicts the test accuracy of the CNN
# trained with augment_shift=2 on digits moved by 4 pixels, twice the largest move it
# trained on; the check measures it and says how far the prediction was, and why.
TOLERANCE = 0.10


def moved_accuracy(model, data, pixels: int) -> float:
    """Test accuracy with every digit moved ``pixels`` (mean over up, down, left, right),
    as the notebook's ``accuracy_moved``."""
    return training.accuracy_moved(model, data.x_test, data.y_test, pixels)


def _check_prediction(prediction, model=None, data=None):
    if is_history(model) or not hasattr(model, "predict"):
        raise Wrong(
            "pass the CNN trained with augment_shift=2 as the second argument: "
            "check.q2.check(prediction, augmented_cnn, data)."
        )
    if not hasattr(data, "x_test"):
        raise Wrong("pass the digits as the third argument: check.q2.check(prediction, ..., data).")
    if not is_real(prediction):
        return f"give your prediction as a number, a fraction such as 0.5; got {prediction!r}."
    if 1 < prediction <= 100:
        return (
            f"{prediction} looks like a percentage: give the accuracy as a fraction "
            f"between 0 and 1 ({prediction / 100:g} for {prediction}%)."
        )
    if not 0 <= prediction <= 1:
        return f"an accuracy is between 0 and 1; {prediction} is not."
    measured = moved_accuracy(model, data, 4)
    at_two = moved_accuracy(model, data, 2)
    print(
        f"Measured: moved 2 pixels {at_two:.1%}, moved 4 pixels {measured:.1%}; "
        f"you predicted {prediction:.1%}."
    )
    if abs(prediction - measured) <= TOLERANCE:
        return None
    if prediction > measured:
        return (
            f"you predicted {prediction:.1%}, and it scores {measured:.1%}: augmentation "
            "taught it moves of up to 2 pixels; at 4 pixels parts of the strokes land where "
            "no training digit had them, so accuracy falls again, though from a higher "
            "start than without augmentation."
        )
    return (
        f"you predicted {prediction:.1%}, and it scores {measured:.1%}: more than you "
        "expected. What it learned from moves of up to 2 pixels carries on beyond them: "
        "its kernels find strokes anywhere, and its Dense layers have learned that strokes "
        "come in several places."
    )


exercise = Exercise.of_notebook(7)

q1 = exercise(
    number=1,
    title="Read the curves: when does it start to overfit?",
    checker=_check_lowest_validation_loss,
    hint_text=(
        "In the left panel of the first curves (no dropout, no batch normalisation) the "
        "squares are the validation loss. Find the epoch of the lowest square; the x axis "
        "counts epochs from 1. np.argmin(plain_history.history['val_loss']) + 1 confirms it."
    ),
    solution_code=(
        "answer = int(np.argmin(plain_history.history['val_loss'])) + 1\n"
        "check.q1.check(answer, plain_history)"
    ),
    praise="after that epoch it learns its 500 digits, not digits.",
)

q2 = exercise(
    number=2,
    title="Predict, then run: digits moved by 4 pixels",
    checker=_check_prediction,
    hint_text=(
        "Look at the table of section 1: how much did each network lose from 2 to 3 "
        "pixels, with augmentation and without? Carry the trend on by one more pixel. "
        "Within 10 points of the measurement counts as right."
    ),
    solution_code=(
        "prediction = 0.7  # any number within 10 points of the measured accuracy\n"
        "check.q2.check(prediction, augmented_cnn, data)"
    ),
    praise="you have a feel for how far what it learned carries.",
)

EXERCISES = [q1, q2]
