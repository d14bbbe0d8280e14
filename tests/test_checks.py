"""What every exercise check shares: feedback in words, rich in a notebook, never a traceback."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils import checks
from lesson_utils.checks import CORRECT, MISSING, WRONG, Feedback, nb1, nb2, nb3, nb4, nb8
from lesson_utils.checks.feedback import Message


def status(exercise, answer=..., *context):
    return exercise.evaluate(answer, *context).status


def message(exercise, answer=..., *context):
    return exercise.evaluate(answer, *context).message


def softmax_naive(scores):
    return np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)


# Each notebook's exercises are tested with a right answer and a wrong answer per cause in
# tests/test_checks_nb1.py ... test_checks_nb7.py; this file tests what they share.


def test_every_notebook_has_exercises():
    assert all(checks.exercises_of(n) for n in range(1, 9))
    with pytest.raises(ValueError, match="no exercises for notebook 9"):
        checks.exercises_of(9)


def test_function_still_returning_placeholder_is_not_answered():
    assert status(nb1.q2, lambda images: ...) == MISSING
    assert "still returns ..." in message(nb4.q2, lambda scores: ...)


@pytest.mark.parametrize("exercise", [nb1.q2, nb4.q2], ids=["nb1-q2", "nb4-q2"])
def test_function_returning_none_is_told_it_forgot_return(exercise):
    """A body without a return line returns None: wrong, and said so (not 'not answered')."""

    def no_return(argument):
        argument / 255.0

    feedback = exercise.evaluate(no_return)
    assert feedback.status == WRONG
    assert feedback.message.startswith(
        "your function returns None: did you forget the `return` line?"
    )


def test_learner_code_that_raises_gets_a_sentence(capsys):
    def broken(images):
        return images.reshape(5)

    nb1.q2.check(broken)
    out = capsys.readouterr().out
    assert out.startswith("Not quite: running your answer raised ValueError")
    assert "of broken)" in out
    assert "Traceback" not in out


def test_a_bare_assert_in_the_learners_code_reads_as_a_sentence():
    # Compiled here, as a notebook cell is: pytest would rewrite an assert in this file
    # into one with a message.
    scope = {}
    source = "def asserting(images):\n    assert images.ndim == 4\n    return images\n"
    exec(compile(source, "<cell>", "exec"), scope)
    message = nb1.q2.evaluate(scope["asserting"]).message
    assert "raised AssertionError (line" in message and "an assert in your code failed" in message
    assert ":  " not in message and ": (" not in message  # no empty message after a colon


def test_a_number_too_large_for_a_float_is_told_it_is_too_high():
    message = nb4.q1.evaluate(10**400).message
    assert "too high" in message and "OverflowError" not in message


def test_an_error_inside_numpy_names_the_learners_line_not_numpys():
    """np.reshape raises in NumPy's own code (_wrapfunc); the learner needs their line."""

    def helper(images):
        return np.reshape(images, (5,))

    def broken(images):
        return helper(images) / 255.0

    text = message(nb1.q2, broken)
    line = helper.__code__.co_firstlineno + 1
    assert text.endswith(f"(line {line} of helper).")
    assert "_wrapfunc" not in text and "fromnumeric" not in text


def test_only_the_learners_frames_are_named():
    """The learner's frame is found under NumPy's; a traceback of NumPy's frames alone
    names none (the sentence then names no line rather than one inside a library)."""
    from lesson_utils.checks.exercise import learners_frame as _learners_frame

    try:
        np.reshape(np.zeros(3), (5,))
    except ValueError as err:
        assert _learners_frame(err.__traceback__).name == (
            "test_only_the_learners_frames_are_named"
        )
        assert _learners_frame(err.__traceback__.tb_next) is None  # NumPy's frames only


def test_check_hint_solution_print(capsys):
    nb2.q1.check((24, 24, 16))
    nb2.q1.hint()
    nb2.q1.solution()
    out = capsys.readouterr().out
    assert "Correct: well done." in out
    assert "Hint: With valid padding" in out
    assert "Solution:\nanswer = (24, 24, 16)" in out


@pytest.mark.parametrize(
    ("status", "word"),
    [(CORRECT, "Correct: "), (WRONG, "Not quite: "), (MISSING, "Not answered yet: ")],
)
def test_feedback_says_its_word_first_without_emoji(status, word):
    """Plain text starts with a word, readable where no emoji font is installed."""
    text = str(Feedback(status, "some sentence."))
    assert text == word + "some sentence."
    assert text.isascii()


def test_feedback_in_a_notebook_is_a_coloured_box_with_its_word():
    html = Feedback(WRONG, "x < 3 & y")._repr_html_()
    assert "<strong" in html and "Not quite:" in html
    assert "background:#fbe9e7" in html and "border-left" in html
    assert "x &lt; 3 &amp; y" in html  # the learner's text is escaped, not run as HTML
    assert "Hint:" in Message("hint", "h")._repr_html_()
    assert "<pre" in Message("solution", "answer = 1")._repr_html_()


def test_check_displays_rich_output_in_a_notebook(monkeypatch):
    """Under IPython, check() hands the Feedback to display() (HTML plus its plain text)."""
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", shown.append)
    nb2.q1.check((24, 24, 16))
    nb2.q1.hint()
    assert [type(m).__name__ for m in shown] == ["Feedback", "Message"]
    assert shown[0].correct and str(shown[1]).startswith("Hint: ")


def test_solutions_pass_their_own_checks():
    """Each simple exercise's published solution, executed, satisfies its check."""
    for exercise in checks.EXERCISES:
        asks_more = {(1, 3), (3, 3), (5, 2), (5, 3), (6, 1), (6, 2), (7, 1), (7, 2)}
        if (exercise.notebook, exercise.number) in asks_more:
            continue  # these ask a digit, a model or a History: tests/test_checks_nb1.py ...
        scope = {"np": np}
        exec(exercise.solution_code, scope)
        answer = next((scope[k] for k in ("answer", "kernel", "prediction") if k in scope), None)
        if answer is None:
            answer = next(
                v for k, v in scope.items() if callable(v) and not k.startswith("_") and k != "np"
            )
        assert status(exercise, answer) == CORRECT, exercise.title


def test_an_error_raised_by_the_check_itself_is_not_blamed_on_the_learners_code():
    """Where no frame of the learner's is in the traceback, the check raised while using
    the answer (e.g. evaluating a model): "checking", and one full stop, not two."""
    import functools

    from lesson_utils.checks.exercise import Exercise
    from lesson_utils.validation import check_images

    checker = functools.partial(check_images, name="x_test")  # lesson_utils's code only
    exercise = Exercise(
        notebook=9, number=1, title="t", checker=checker, hint_text="", solution_code=""
    )
    text = exercise.evaluate(np.zeros((2, 28, 28))).message
    assert text.startswith("checking your answer raised ValueError: x_test has shape")
    assert text.endswith("add one with x_test[..., None].")


def test_an_error_message_with_its_own_full_stop_gets_no_second_one():
    def broken(images):
        raise ValueError("this went wrong.")

    text = message(nb1.q2, broken)
    assert text.startswith("running your answer raised ValueError: this went wrong (line ")
    assert text.endswith("of broken).") and ".." not in text


@pytest.mark.parametrize(
    ("exercise", "prediction", "context", "figures"),
    [
        (nb2.q4, "left edge", (), 1),
        (nb3.q3, "unchanged", ("digit",), 1),
        (nb8.q1, ["red"], (), 1),
        (nb4.q3, "sharper", (), 0),
    ],
)
def test_a_prediction_is_followed_by_what_happens(
    monkeypatch, exercise, prediction, context, figures
):
    """Predict, then run: once there is a prediction it can read, the check shows the
    figure and what to see in it; the stored notebook (unanswered) gives nothing away,
    and neither does a misspelt prediction."""
    import IPython
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close(plt.figure())  # pyplot set up before IPython is faked below
    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", shown.append)
    if context == ("digit",):
        context = (lu.load_mnist(source="sample", verbose=False).x_test[:1],)

    def kinds():
        return [getattr(m, "kind", type(m).__name__) for m in shown]

    exercise.check(prediction, *context)
    assert kinds() == [WRONG] + ["Figure"] * figures + ["result"], kinds()
    assert shown[-1].word == "What happens"
    shown.clear()
    exercise.check(..., *context)
    assert kinds() == [MISSING]
    for junk in ["purple", "", "  ", {}, {"red": 1}, 5, None]:
        shown.clear()
        exercise.check(junk, *context)
        assert kinds() in ([WRONG], [MISSING]), (junk, kinds())
