"""Every exercise check, with a right, a wrong and a missing answer."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils import checks
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb1, nb2, nb3, nb4, nb5, nb6


def status(exercise, answer=..., *context):
    return exercise.evaluate(answer, *context).status


def message(exercise, answer=..., *context):
    return exercise.evaluate(answer, *context).message


def normalise_right(images):
    return (images.astype(np.float32) / 255.0)[..., None]


def softmax_naive(scores):
    return np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)


# (exercise, right answer, [(wrong answer, words the feedback must contain)])
CASES = [
    (
        nb1.q1,
        (32, 28, 28, 1),
        [
            ((32, 28, 28), "has 4 axes"),
            ((32, 28, 28, 3), "axis 3"),
            ("big", "tuple of whole numbers"),
        ],
    ),
    (
        nb1.q2,
        normalise_right,
        [
            (lambda x: x / 255.0, "expected (3, 2, 2, 1)"),
            (lambda x: (x / 255.0)[..., None], "float32"),
            (lambda x: x.astype(np.float32)[..., None], "0.0 (pixel 0)"),
            (normalise_right(np.zeros((1, 2, 2), np.uint8)), "the function"),
        ],
    ),
    (nb2.q1, (24, 24, 16), [((26, 26, 16), "axis 0"), ((24, 24, 1), "axis 2")]),
    (
        nb2.q2,
        np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
        [
            (np.array([[-1, 0, 1]] * 3), "never gives a positive"),
            (np.ones((3, 3)), "flat grey"),
            (np.array([[-1, -1, 0], [-1, 0, 1], [0, 1, 1]]), "vertical edge"),
            (np.eye(2), "must be 3x3"),
        ],
    ),
    (
        nb2.q3,
        18_496,
        [
            (18_432, "too low"),
            (64 * (9 + 1), "too low"),
            (9 * 32 * 64 + 64 * 9, "too high"),
            ("18496", "as a number"),
        ],
    ),
    (
        nb3.q1,
        [[4, 5], [6, 7]],
        [
            ([[4, 5], [6, 3]], "row 1, column 1"),
            ([1, 2], "shape"),
            ([[1, 5], [6, 7]], "row 0, column 0"),
        ],
    ),
    (nb3.q2, 13, [(26, "too high"), (12, "too low")]),
    (nb4.q1, 1600, [(320, "too low")]),
    (
        nb4.q2,
        lu.numpy_layers.softmax,
        [
            (softmax_naive, "overflows"),
            (lambda s: np.exp(s - s.max(-1, keepdims=True)), "add up to 1"),
        ],
    ),
    (nb5.q1, 36_928, [(36_864, "too low")]),
    (
        nb6.q1,
        "max_pooling2d_1",
        [("conv2d_2", "one layer earlier"), ("dense", "does not output"), (5, "as a string")],
    ),
]


@pytest.mark.parametrize(
    ("exercise", "right", "wrongs"), CASES, ids=[f"nb{e.notebook}.{e.name}" for e, _, _ in CASES]
)
def test_check_right_wrong_missing(exercise, right, wrongs):
    assert status(exercise, right) == CORRECT
    assert status(exercise, ...) == MISSING
    assert status(exercise, None) == MISSING
    for wrong, words in wrongs:
        feedback = exercise.evaluate(wrong)
        assert feedback.status == WRONG, wrong
        assert words in feedback.message
        assert f"check.{exercise.name}.hint()" in feedback.message


def test_every_exercise_is_covered_by_a_case():
    covered = {(e.notebook, e.number) for e, _, _ in CASES} | {(5, 2), (6, 2)}
    assert covered == {(e.notebook, e.number) for e in checks.EXERCISES}
    assert all(checks.exercises_of(n) for n in range(1, 7))


def test_function_still_returning_placeholder_is_not_answered():
    assert status(nb1.q2, lambda images: ...) == MISSING
    assert "still returns ..." in message(nb4.q2, lambda scores: ...)


def test_learner_code_that_raises_gets_a_sentence(capsys):
    def broken(images):
        return images.reshape(5)

    nb1.q2.check(broken)
    out = capsys.readouterr().out
    assert out.startswith("❌ Not quite: running your answer raised ValueError")
    assert "Traceback" not in out


def test_check_hint_solution_print(capsys):
    nb2.q1.check((24, 24, 16))
    nb2.q1.hint()
    nb2.q1.solution()
    out = capsys.readouterr().out
    assert "✅ Correct" in out and "💡 Hint" in out and "answer = (24, 24, 16)" in out


def test_solutions_pass_their_own_checks():
    """Each simple exercise's published solution, executed, satisfies its check."""
    for exercise in checks.EXERCISES:
        if (exercise.notebook, exercise.number) in {(5, 2), (6, 2)}:
            continue  # these train models; covered below
        scope = {"np": np}
        exec(exercise.solution_code, scope)
        answer = scope.get("answer", scope.get("kernel"))
        if answer is None:
            answer = next(
                v for k, v in scope.items() if callable(v) and not k.startswith("_") and k != "np"
            )
        assert status(exercise, answer) == CORRECT, exercise.title


@pytest.fixture
def numpy_backend(monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")


def test_variant_and_fashion_checks(numpy_backend, quick):
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    lesson = lu.compile_cnn_model(lu.build_cnn_model())
    assert "exactly the lesson's 93,322" in message(nb5.q2, lesson, data.x_test, data.y_test, 0.9)
    variant = lu.compile_cnn_model(lu.build_cnn_model(filters=(16, 32), dense_units=32))
    assert "little better than guessing" in message(nb5.q2, variant, data.x_test, data.y_test, 0.9)
    lu.train_cnn_model(variant, data.x_train, data.y_train, epochs=2, verbose=0)
    assert status(nb5.q2, variant, data.x_test, data.y_test, 0.9) == CORRECT
    assert "give the trained model" in message(nb5.q2, "model", data.x_test, data.y_test, 0.9)

    fashion = lu.load_fashion_mnist(source="sample", verbose=False)
    assert status(nb6.q2, variant, ...) == MISSING
    assert "Fashion-MNIST data set itself" in message(nb6.q2, variant, data)
    assert "was it trained on Fashion-MNIST" in message(nb6.q2, lesson, fashion)
    lu.train_cnn_model(lesson, fashion.x_train, fashion.y_train, epochs=2, verbose=0)
    assert status(nb6.q2, lesson, fashion) == CORRECT
