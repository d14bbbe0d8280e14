"""Notebook 3, ReLU and max pooling: its exercises, checked in a sentence.

In the notebook::

    from lesson_utils.checks import nb3 as check
    check.q1.check(answer)
    check.q3.check(prediction, images)
"""

from __future__ import annotations

import math

import numpy as np

from lesson_utils.checks.answers import as_array, as_choice, expect_number, is_real, is_whole
from lesson_utils.checks.exercise import Exercise, NotAnswered, Wrong
from lesson_utils.checks.feedback import Message, show, show_figure

POOL_INPUT = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [6, 2, 3, 3]])
POOL_EXPECTED = np.array([[4, 5], [6, 7]])


def _check_pooling(answer):
    array, problem = as_array(answer, "your answer")
    if problem:
        return problem
    if array.shape == (3, 3):
        return (
            "a 3x3 result means windows that overlap (stride 1); with stride 2 the 2x2 windows "
            "do not overlap, so 4x4 becomes 2x2."
        )
    if array.shape != (2, 2):
        return (
            f"2x2 pooling with stride 2 turns a 4x4 grid into 2x2; your answer has shape "
            f"{array.shape}."
        )
    if array.shape == (2, 2) and not np.array_equal(array, POOL_EXPECTED):
        if np.array_equal(array, POOL_EXPECTED.T):
            return (
                "you read the blocks down the columns: the first row of the result holds the "
                "top two blocks, left then right; the second row the bottom two."
            )
        blocks = POOL_INPUT.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
        if np.array_equal(array, blocks.min(axis=-1)):
            return "you kept each block's smallest number; max pooling keeps the largest."
        if np.allclose(array, blocks.mean(axis=-1)):
            return "you averaged each block (average pooling); max pooling keeps the largest."
        if np.array_equal(array, POOL_INPUT[::2, ::2]):
            return "you kept each block's top-left number; max pooling keeps the largest of four."
    wrong = [(r, c) for r in range(2) for c in range(2) if array[r, c] != POOL_EXPECTED[r, c]]
    if wrong:
        r, c = wrong[0]
        return (
            f"the window at row {r}, column {c} covers rows {2 * r}-{2 * r + 1} and columns "
            f"{2 * c}-{2 * c + 1} of the grid; its largest value is not {array[r, c]:g}."
        )
    return None


exercise = Exercise.of_notebook(3)

q1 = exercise(
    number=1,
    title="Max pooling by hand",
    checker=_check_pooling,
    hint_text=(
        "Split the 4x4 grid into four 2x2 blocks, top-left, top-right, bottom-left and "
        "bottom-right, and keep the largest number of each."
    ),
    solution_code="answer = [[4, 5],\n          [6, 7]]",
)


def shrink(size: int, steps, *, conv=True, plus_one=True, pool=True, round_down=True) -> int:
    """The height after ``steps`` ("conv" 3x3 valid, "pool" 2x2), optionally with a slip.

    With every keyword True this is the right rule; each False is a learner's usual slip
    (forgetting the convolutions, the + 1, the pooling, or rounding 6.5 up).
    """
    for step in steps:
        if step == "conv" and conv:
            size = size - 3 + (1 if plus_one else 0)
        elif step == "pool" and pool:
            size = size // 2 if round_down else -(-size // 2)
    return size


def shrink_causes(size: int, steps) -> dict[int, str]:
    """{wrong answer: its cause} for the usual slips, leaving out any that give the right answer."""
    right = shrink(size, steps)
    slips = [
        (
            shrink(size, steps, conv=False),
            "that forgets the convolutions: each 3x3 convolution "
            "(valid padding) takes 2 pixels off, size - 3 + 1.",
        ),
        (
            shrink(size, steps, plus_one=False),
            "that forgets the + 1: a 3x3 kernel fits at size - 3 + 1 positions.",
        ),
        (
            shrink(size, steps, pool=False),
            "that forgets the pooling: 2x2 max pooling halves the size.",
        ),
        (
            shrink(size, steps, round_down=False),
            "that rounds up: 2x2 pooling with stride 2 "
            "rounds down (an odd last row has no full window).",
        ),
    ]
    for n in range(1, len(steps)):
        done = ", ".join(steps[:n])
        slips.append(
            (
                shrink(size, steps[:n]),
                f"that is the size after {done}; go on through all {len(steps)} steps.",
            )
        )
    causes = {}
    for answer, cause in slips:
        if answer != right:
            causes.setdefault(answer, cause)
    return causes


SHRINK_INPUT, SHRINK_STEPS = 32, ("conv", "pool", "conv", "pool")

_check_shrunk = expect_number(
    shrink(SHRINK_INPUT, SHRINK_STEPS),
    "the height",
    causes=shrink_causes(SHRINK_INPUT, SHRINK_STEPS),
)


def _check_height(answer):
    """A fraction such as 6.5 comes from dividing with / where pooling rounds down."""
    if is_real(answer) and math.isfinite(answer) and not is_whole(answer):
        return (
            f"{answer:g} is not a whole number of pixels: 2x2 pooling with stride 2 drops "
            "an odd last row and column (it has no full window), so halving rounds down, "
            "13 // 2 = 6. Divide with //, not /."
        )
    return _check_shrunk(answer)


q2 = exercise(
    number=2,
    title="How a bigger image shrinks",
    checker=_check_height,
    hint_text=(
        "Go step by step: a 3x3 convolution with valid padding gives size - 3 + 1; 2x2 pooling "
        "then halves, rounding down. Do it twice."
    ),
    solution_code="answer = ((32 - 3 + 1) // 2 - 3 + 1) // 2  # 32 -> 30 -> 15 -> 13 -> 6",
)

# Exercise 3 (predict, then run): the digit moves 2 pixels right; what happens to its
# pooled vertical-edge map? The check measures it on the learner's digit.
MOVE = 2
VERTICAL_EDGE = np.array([[-1.0, 0.0, 1.0]] * 3)

MOVE_CHOICES = {
    "unchanged": "unchanged",
    "the same": "unchanged",
    "same": "unchanged",
    "moved by one cell": "moved by one cell",
    "moved one cell": "moved by one cell",
    "moved by 1 cell": "moved by one cell",
    "one cell": "moved by one cell",
    "moved by two cells": "moved by two cells",
    "moved two cells": "moved by two cells",
    "moved by 2 cells": "moved by two cells",
    "two cells": "moved by two cells",
    "scrambled": "scrambled",
    "changed": "scrambled",
    "different": "scrambled",
}


def pooled_edge_map(image: np.ndarray) -> np.ndarray:
    """A (1, 28, 28, 1) digit's vertical-edge map after ReLU and 2x2 max pooling, as the
    notebook's ``relu_map`` then ``max_pool2d``: (1, 13, 13, 1)."""
    from lesson_utils import numpy_layers

    edges = numpy_layers.conv2d(image.astype(np.float32), VERTICAL_EDGE[:, :, None, None])
    return numpy_layers.max_pool2d(numpy_layers.relu(edges))


def _one_digit(images) -> np.ndarray:
    """The notebook's ``images`` (one digit) as (1, 28, 28, 1); Wrong for anything else."""
    how = "pass the digit as the second argument: check.q3.check(prediction, images)."
    if images is None:  # the prediction may be right: the check cannot measure it yet
        raise NotAnswered(how[0].upper() + how[1:])
    try:
        image = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError):
        raise Wrong(how) from None
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim == 3:
        image = image[None]
    if image.ndim != 4 or image.shape[0] != 1 or image.shape[-1] != 1 or min(image.shape[1:3]) < 8:
        raise Wrong(f"{how} It is one digit, shaped (1, 28, 28, 1); got shape {image.shape}.")
    if not pooled_edge_map(image).any():
        raise Wrong(
            f"{how} The array you passed has no left edges of strokes to move: its "
            "vertical-edge map is 0 everywhere after ReLU."
        )
    return image


def measure_move(image: np.ndarray, pixels: int = MOVE) -> dict:
    """What moving the digit ``pixels`` right does to its pooled map: the outcome (one of
    MOVE_CHOICES' choices), the cosine similarity position by position, and that of a
    1-pixel move for comparison, and the two pooled maps (1, 13, 13, 1)."""
    from lesson_utils.measure import cosine_similarity, shift

    def cosine(a, b):  # a map moved out of view is all 0: it shares nothing
        return cosine_similarity(a, b) if a.any() and b.any() else 0.0

    pooled = pooled_edge_map(image)
    moved = pooled_edge_map(shift(image, right=pixels))
    if np.array_equal(moved, pooled):
        outcome = "unchanged"
    elif np.array_equal(moved, shift(pooled, right=1)):
        outcome = "moved by one cell"
    elif np.array_equal(moved, shift(pooled, right=2)):
        outcome = "moved by two cells"
    else:
        outcome = "scrambled"
    return {
        "outcome": outcome,
        "cosine": cosine(pooled, moved),
        "cosine_one_pixel": cosine(pooled, pooled_edge_map(shift(image, right=1))),
        "values": pooled.size,
        "pooled": pooled,
        "moved": moved,
    }


def _check_move(answer, images=None):
    choice, problem = as_choice(answer, MOVE_CHOICES, "your prediction")
    if problem:
        return problem
    measured = measure_move(_one_digit(images))
    outcome, cosine = measured["outcome"], measured["cosine"]
    if choice == outcome:
        return None
    if outcome != "moved by one cell":  # ink at the border: say what was measured
        return f"on this digit the pooled map came out {outcome} (cosine similarity {cosine:.2f})."
    if choice == "unchanged":
        return (
            "position by position the two pooled maps are far from the same: cosine "
            f"similarity {cosine:.2f}, against {measured['cosine_one_pixel']:.2f} for the "
            "1-pixel move above. "
            "Pooling only tolerates moves inside its 2x2 window, and not fully even those; "
            "2 pixels is a whole window, so every value lands in the next pooled cell."
        )
    if choice == "moved by two cells":
        return (
            "the digit moves 2 pixels, but each pooled cell covers 2 pixels of the 26x26 "
            "map: 2 / 2 = 1 cell of the 13x13 pooled map."
        )
    return (
        f"position by position it looks that way (cosine similarity {cosine:.2f}), but "
        "nothing is lost: after a 2-pixel move each 2x2 window sees exactly the values its "
        "left-hand neighbour saw before, so the moved digit's pooled map is the old one "
        f"moved one cell right, all {measured['values']} values equal. A 1-pixel move is "
        "what changes values: it carries some strokes into the next window and leaves "
        "others in theirs."
    )


def _show_move(prediction, images=None) -> None:
    """After a prediction: the three pooled maps side by side, and what they show."""
    if as_choice(prediction, MOVE_CHOICES, "your prediction")[1]:
        return  # not a prediction it can read: the feedback has said so
    from lesson_utils import plots
    from lesson_utils.measure import shift

    measured = measure_move(_one_digit(images))
    pooled, moved = measured["pooled"], measured["moved"]
    one_cell = shift(pooled, right=1)
    same = bool(np.array_equal(moved, one_cell))
    print(f"cosine similarity, position by position: {measured['cosine']:.2f}")
    print(f"moved {MOVE} pixels, pooled == pooled, moved 1 cell: {same}")
    titles = ["digit, pooled", f"moved {MOVE} pixels, pooled", "digit, pooled, moved 1 cell"]
    show_figure(plots.plot_maps([pooled, moved, one_cell], titles))
    if same:
        what = (
            "the moved digit's pooled map (middle) is the unmoved one's moved one cell right "
            f"(the right-hand panel), all {measured['values']} values equal."
        )
    else:
        what = f"on this digit the moved digit's pooled map came out {measured['outcome']}."
    show(
        Message(
            "result",
            f"{what} Compared position by position with the unmoved map (left), its cosine "
            f"similarity is {measured['cosine']:.2f}, against {measured['cosine_one_pixel']:.2f} "
            "for the 1-pixel move: a number that compares places cannot see a map that has "
            "only moved.",
        )
    )


q3 = exercise(
    number=3,
    title="Predict, then run: what a 2-pixel move does after pooling",
    checker=_check_move,
    hint_text=(
        "Each pooled cell is one 2x2 window of the 26x26 map, and the windows do not "
        "overlap. Move the map 2 pixels right: what does each window now hold, compared "
        "with its left-hand neighbour before?"
    ),
    solution_code=(
        'prediction = "moved by one cell"  # 2 pixels = one 2x2 window\n'
        "check.q3.check(prediction, images)"
    ),
    praise="2 pixels is one whole pooling window: the same map, one cell further right.",
    reveal=_show_move,
)

EXERCISES = [q1, q2, q3]
