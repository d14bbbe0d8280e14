"""Notebook 4's exercise checks: the right answer, and one wrong answer per cause they name."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.checks import CORRECT, MISSING, WRONG, nb4


def feedback(exercise, answer):
    result = exercise.evaluate(answer)
    return result.status, result.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (25, "each pixel holds 64 channels"),
        (320, "5 x 5 pixels of 64 channels"),
        (74, "multiply"),
        (576, "the lesson's Flatten, after its third convolution (3x3x64)"),
        ([1600], "as a number"),
        (1000, "too low"),
        (3200, "too high"),
        ("1600", "as a number"),
    ],
)
def test_flatten_length_names_each_cause(answer, words):
    status, message = feedback(nb4.q1, answer)
    assert status == WRONG and words in message and "check.q1.hint()" in message


def test_flatten_length_right_and_missing():
    assert feedback(nb4.q1, 1600)[0] == CORRECT
    assert feedback(nb4.q1, 5 * 5 * 64)[0] == CORRECT
    assert feedback(nb4.q1, ...)[0] == MISSING


def softmax(scores):
    """A learner's own softmax, under the same name as the lesson's."""
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def calls_own_softmax(scores):
    return softmax(scores)


def calls_numpy_layers_softmax(scores):
    return lu.numpy_layers.softmax(scores)


def imports_numpy_layers_softmax(scores):
    from lesson_utils.numpy_layers import softmax

    return softmax(scores)


def softmax_naive(scores):
    return np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)


def softmax_global_max(scores):
    exps = np.exp(scores - scores.max())
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_no_keepdims(scores):
    exps = np.exp(scores - scores.max(axis=-1))
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_sum_of_all(scores):
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exps / exps.sum()


def softmax_mean_shift(scores):  # finite and summing to 1, but not softmax
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return (shifted + 1e-3) / (shifted + 1e-3).sum(axis=-1, keepdims=True)


@pytest.mark.parametrize(
    ("function", "words"),
    [
        # exp(1000) = inf -> inf / inf, and exp(-1000) = 0 -> 0 / 0: both named.
        (softmax_naive, "overflows to infinity"),
        (softmax_naive, "underflows to 0 and 0 / 0 is NaN"),
        # only the underflow fails: subtracting the largest score of the whole array
        (softmax_global_max, "0 / 0 is NaN"),
        (softmax_global_max, "each row's own maximum"),
        (softmax_no_keepdims, "keepdims=True"),
        (softmax_sum_of_all, "add up to 1"),
        (softmax_mean_shift, "expected"),
        (lambda scores: scores.sum(axis=-1), "returned (5,)"),
        (np.array([0.1, 0.9]), "the function itself"),
        (calls_numpy_layers_softmax, "calls a ready-made softmax"),
        (imports_numpy_layers_softmax, "calls a ready-made softmax"),
        (lu.numpy_layers.softmax, "write it yourself, with np.exp"),
        (lambda scores: None, "did you forget the `return` line?"),
    ],
    ids=[
        "naive-overflow",
        "naive-underflow",
        "global-max-underflow",
        "global-max-row",
        "no-keepdims",
        "sum-of-all",
        "not-softmax",
        "wrong-shape",
        "not-a-function",
        "calls-numpy-layers-softmax",
        "imports-numpy-layers-softmax",
        "is-numpy-layers-softmax",
        "returns-none",
    ],
)
def test_softmax_names_each_cause(function, words):
    status, message = feedback(nb4.q2, function)
    assert status == WRONG, message
    assert words in message


def test_softmax_only_overflow_is_named_as_overflow():
    """A softmax that survives very negative scores but not huge ones hears only 'overflow'."""

    def overflow_only(scores):
        shifted = scores - scores.min(axis=-1, keepdims=True)
        exps = np.exp(shifted)
        return exps / exps.sum(axis=-1, keepdims=True)

    status, message = feedback(nb4.q2, overflow_only)
    assert status == WRONG and "exp(1000) overflows" in message and "0 / 0" not in message


def test_softmax_right_and_missing():
    assert feedback(nb4.q2, softmax)[0] == CORRECT
    assert feedback(nb4.q2, calls_own_softmax)[0] == CORRECT  # the learner's own softmax
    assert feedback(nb4.q2, ...)[0] == MISSING
    status, message = feedback(nb4.q2, lambda scores: ...)
    assert status == MISSING and "still returns ..." in message


def test_published_solutions_pass():
    scope = {"np": np}
    exec(nb4.q1.solution_code, scope)
    assert feedback(nb4.q1, scope["answer"])[0] == CORRECT
    exec(nb4.q2.solution_code, scope)
    assert feedback(nb4.q2, scope["my_softmax"])[0] == CORRECT


def notebook_function(code: str):
    """my_softmax as a notebook defines it: its globals are the notebook's (__main__)."""
    scope = {"__name__": "__main__", "np": np}
    exec(code, scope)
    return scope["my_softmax"]


def test_softmax_imported_at_the_top_of_a_notebook_is_ready_made():
    my_softmax = notebook_function(
        "from lesson_utils.numpy_layers import softmax\n"
        "def my_softmax(scores):\n    return softmax(scores)\n"
    )
    status, message = feedback(nb4.q2, my_softmax)
    assert status == WRONG and "calls a ready-made softmax" in message


def test_a_notebooks_own_softmax_may_be_called():
    my_softmax = notebook_function(
        "def softmax(scores):\n"
        "    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
        "    return exps / exps.sum(axis=-1, keepdims=True)\n"
        "def my_softmax(scores):\n    return softmax(scores)\n"
    )
    assert feedback(nb4.q2, my_softmax)[0] == CORRECT


def softmax_in_place(scores):
    """Right, but it changes the array it is given."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


def test_a_softmax_working_in_place_is_right():
    """The check keeps its own scores untouched, so the expected values are still right."""
    assert feedback(nb4.q2, softmax_in_place) == (CORRECT, "well done.")
    assert feedback(nb4.q2, softmax)[0] == CORRECT  # and the next check is unaffected


def softmax_sum_without_keepdims(scores):
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1)


def test_keepdims_missing_on_the_sum_is_named_not_the_max():
    status, message = feedback(nb4.q2, softmax_sum_without_keepdims)
    assert status == WRONG
    assert ".sum(axis=-1) has one number per row" in message
    assert "divided by its own sum" in message and "scores.max" not in message
    assert "of softmax_sum_without_keepdims)" in message  # the learner's line


def test_keepdims_missing_on_the_max_is_named():
    status, message = feedback(nb4.q2, softmax_no_keepdims)
    assert status == WRONG and "scores.max(axis=-1) has one number per row" in message
    assert "subtracted from each row" in message


def test_keepdims_missing_where_the_line_cannot_be_read_names_both():
    """Code without a source file (exec) has no line to read: max and sum both named."""
    scope = {"np": np}
    exec(
        "def my_softmax(s):\n    e = np.exp(s - s.max(axis=-1))\n    return e / e.sum(axis=-1)",
        scope,
    )
    status, message = feedback(nb4.q2, scope["my_softmax"])
    assert status == WRONG
    assert "max(axis=-1) or sum(axis=-1)" in message and "to whichever lacks it" in message


def softmax_sum_on_its_own_line(scores):
    exps = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    total = np.sum(exps, axis=-1)
    return exps / total  # raises here, a line after the sum that lacks keepdims


def test_keepdims_missing_on_an_earlier_line_is_named():
    """The line that raises holds neither call: the function's own source names the sum."""
    status, message = feedback(nb4.q2, softmax_sum_on_its_own_line)
    assert status == WRONG
    assert "np.sum(exps, axis=-1) has one number per row" in message  # as the learner wrote it
    assert "scores.max" not in message


def softmax_mean_shift_overflows(scores):  # right for moderate scores, not overflow-safe
    exps = np.exp(scores - scores.mean(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def test_softmax_subtracting_the_mean_overflows_and_is_told_without_warnings(recwarn):
    """[1000, -1000, 0, 0] has mean 0: exp(1000) overflows unless the max is subtracted."""
    status, message = feedback(nb4.q2, softmax_mean_shift_overflows)
    assert status == WRONG
    assert "for the scores [1000, -1000, 0, 0]" in message
    assert "Subtract each row's maximum" in message and "exp() never overflows" in message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_softmax_with_math_exp_overflow_is_named():
    import math

    def with_math_exp(scores):
        exps = np.array([[math.exp(v) for v in row] for row in scores])
        return exps / exps.sum(axis=-1, keepdims=True)

    status, message = feedback(nb4.q2, with_math_exp)
    assert status == WRONG and "OverflowError" in message and "row's maximum" in message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (1600 + 0j, "plain number, without an imaginary part j"),
        (np.complex128(1600), "plain number, without an imaginary part j"),
        (True, "as a number; got True"),
    ],
)
def test_flatten_length_that_is_not_a_plain_number(answer, words):
    status, message = feedback(nb4.q1, answer)
    assert status == WRONG and words in message


def test_a_ready_softmax_under_another_name_is_spotted():
    """Renamed on import, a ready-made softmax is spotted by running, not by its name."""
    my_softmax = notebook_function(
        "from lesson_utils.numpy_layers import softmax as ready\n"
        "def my_softmax(scores):\n    return ready(scores)\n"
    )
    status, message = feedback(nb4.q2, my_softmax)
    assert status == WRONG
    assert "calls a ready-made softmax (lesson_utils.numpy_layers.softmax)" in message


def test_another_librarys_softmax_renamed_is_spotted(tmp_path, monkeypatch):
    """`from scipy.special import softmax as sps` (issue 20), with a stand-in library
    installed in a site-packages folder, as scipy would be."""
    package = tmp_path / "site-packages" / "standin_scipy"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "_logsumexp.py").write_text(
        "import numpy as np\n"
        "def softmax(x, axis=None):\n"
        "    e = np.exp(x - np.max(x, axis=axis, keepdims=True))\n"
        "    return e / e.sum(axis=axis, keepdims=True)\n"
    )
    (package / "special.py").write_text("from standin_scipy._logsumexp import softmax\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))
    my_softmax = notebook_function(
        "from standin_scipy.special import softmax as sps\n"
        "def my_softmax(scores):\n    return sps(scores, axis=-1)\n"
    )
    status, message = feedback(nb4.q2, my_softmax)
    assert status == WRONG
    assert "calls a ready-made softmax (standin_scipy.softmax)" in message


def test_scipys_softmax_renamed_is_spotted():
    pytest.importorskip("scipy")
    my_softmax = notebook_function(
        "from scipy.special import softmax as sps\n"
        "def my_softmax(scores):\n    return sps(scores, axis=1)\n"
    )
    status, message = feedback(nb4.q2, my_softmax)
    assert status == WRONG and "calls a ready-made softmax (scipy." in message


def softmax_axis_1_sum_of_all(scores):
    exps = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exps / exps.sum()


def softmax_axis_1_no_keepdims(scores):
    exps = np.exp(scores - scores.max(axis=1))
    return exps / exps.sum(axis=1, keepdims=True)


def softmax_axis_1_global_max(scores):
    exps = np.exp(scores - scores.max())
    return exps / exps.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("function", "words"),
    [
        (softmax_axis_1_sum_of_all, "Divide by each row's own sum (axis=1, keepdims=True)"),
        (softmax_axis_1_no_keepdims, "scores.max(axis=1) has one number per row"),
        (softmax_axis_1_global_max, "each row's own maximum (axis=1, keepdims=True)"),
    ],
)
def test_feedback_quotes_the_axis_the_learner_wrote(function, words):
    """A learner who wrote axis=1 is not quoted as having written axis=-1 (issue 20)."""
    status, message = feedback(nb4.q2, function)
    assert status == WRONG and words in message
    assert "axis=-1" not in message


# Exercise 3 (predict, then run): add 5 to every score.


def test_shift_prediction_right_then_shows_softmax(capsys):
    assert feedback(nb4.q3, "same")[0] == CORRECT
    assert capsys.readouterr().out == ""  # the check itself prints nothing
    nb4.q3.check("same")  # check() then shows both rows (Exercise.reveal)
    out = capsys.readouterr().out
    assert "softmax(scores):" in out and "softmax(scores + 5):" in out
    rows = [
        line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("softmax(")
    ]
    assert rows[0] == rows[1]  # the two rows the learner sees are the same
    assert "What happens: every probability stays as it was ('same')." in out
    for written in (" Same ", '"same"', "SAME", "Same."):
        assert feedback(nb4.q3, written)[0] == CORRECT, written
    assert feedback(nb4.q3, ...)[0] == MISSING
    assert feedback(nb4.q3, None)[0] == MISSING


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("all grow", "they cannot all grow"),
        ("all_grow", "they cannot all grow"),
        ("sharper", "the largest score, 4 + 5 = 9, is still 2 ahead of the next, 7"),
        ("sharper", "Multiplying the scores by 2"),
        ("evener", "softmax reads differences, not ratios"),
        (
            "sme",
            "not one of the choices, 'same', 'all grow', 'sharper', 'evener'. Did you mean 'same'?",
        ),
        ("bigger", "not one of the choices"),
        (5, "as text in quotes, one of"),
        (["same"], "as text in quotes, one of"),
        (True, "as text in quotes, one of"),
    ],
)
def test_shift_prediction_names_each_cause(answer, words):
    status, message = feedback(nb4.q3, answer)
    assert status == WRONG, message
    assert words in message, message
    assert "check.q3.hint()" in message and "Error" not in message


def test_a_misspelt_choice_runs_nothing(capsys):
    nb4.q3.check("bigger")
    out = capsys.readouterr().out
    assert out.startswith("Not quite:") and "softmax(scores)" not in out


def test_what_happens_is_computed_not_typed_in():
    """The classifier the check uses tells each change apart on the notebook's scores."""
    softmax = nb4._reference_softmax
    before = softmax(nb4.SCORES)
    assert nb4._what_happens(before, softmax(nb4.SCORES + 5)) == "same"
    assert nb4._what_happens(before, softmax(nb4.SCORES * 2)) == "sharper"
    assert nb4._what_happens(before, softmax(nb4.SCORES / 2)) == "evener"
    assert nb4._what_happens(np.array([0.2, 0.8]), np.array([0.3, 0.9])) == "all grow"


def test_shift_prediction_uses_the_notebooks_scores():
    """The exercise says "the ten scores of the softmax section": the check's are those."""
    from pathlib import Path

    twin = Path(__file__).resolve().parents[1] / "notebooks/py/04_flatten_and_dense.py"
    line = next(x for x in twin.read_text().splitlines() if x.startswith("scores = np.array("))
    written = eval(line.split("np.array(", 1)[1].rsplit(", dtype", 1)[0])  # noqa: S307
    assert np.array_equal(np.array(written[0]), nb4.SCORES)


def test_shift_prediction_solution_passes():
    scope = {}
    exec(nb4.q3.solution_code.splitlines()[0], scope)
    assert feedback(nb4.q3, scope["answer"])[0] == CORRECT
