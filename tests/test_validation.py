"""One argument checker (validation.check_scalar): one message shape, NumPy numbers count."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.validation import check_positive_int, check_scalar


@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(3), np.uint8(3)])
def test_numpy_integers_are_whole_numbers(value):
    assert check_positive_int(value, "epochs") == 3
    assert type(check_positive_int(value, "epochs")) is int


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), np.float64(0.5), 1, np.int64(1)])
def test_numpy_floats_and_integers_are_numbers(value):
    assert check_scalar(value, "x", float, min_val=0, max_val=1) == pytest.approx(float(value))


@pytest.mark.parametrize(
    ("value", "kind", "bounds", "message"),
    [
        (0, int, {"min_val": 1}, "epochs must be a whole number of at least 1; got 0."),
        (2.0, int, {"min_val": 1}, "epochs must be a whole number of at least 1; got 2.0."),
        ("3", int, {"min_val": 1}, "epochs must be a whole number of at least 1; got '3'."),
        (True, int, {}, "epochs must be a whole number; got True (a yes/no value)."),
        (np.bool_(False), float, {}, "epochs must be a number; got "),
        (float("nan"), float, {}, "epochs must be a number; got nan."),
        (np.float32("inf"), float, {}, "epochs must be a number; got "),
        (1 + 2j, float, {}, "epochs must be a number; got (1+2j)."),
        (0, float, {"min_val": 0, "include_min": False}, "a number greater than 0; got 0."),
        (1, float, {"min_val": 0, "max_val": 1, "include_max": False}, "at least 0 and less"),
        (5, float, {"min_val": 0, "max_val": 1}, "a number from 0 to 1; got 5."),
        (
            1,
            float,
            {"min_val": 0, "max_val": 1, "include_min": False, "include_max": False},
            "a number between 0 and 1; got 1.",
        ),
        (9, int, {"max_val": 8}, "a whole number of at most 8; got 9."),
    ],
)
def test_bad_values_are_named_with_what_was_expected_and_given(value, kind, bounds, message):
    with pytest.raises(ValueError) as caught:
        check_scalar(value, "epochs", kind, **bounds)
    assert message in str(caught.value)


def test_an_example_and_other_words_for_what_is_expected():
    with pytest.raises(ValueError, match=r"a number greater than 0, such as 0\.007; got -1\."):
        check_scalar(-1, "lr", float, min_val=0, include_min=False, example="0.007")
    with pytest.raises(ValueError, match=r"must be a fraction in \[0, 1\); got 1\."):
        check_scalar(
            1,
            "split",
            float,
            min_val=0,
            max_val=1,
            include_max=False,
            expected="a fraction in [0, 1)",
        )


def test_library_call_sites_take_numpy_numbers():
    """Where a learner's value comes from NumPy (a shape, a sum), it is a number too."""
    lu.set_global_seed(np.int64(0))
    model = lu.build_cnn_model(filters=(np.int64(8),), dense_units=np.int64(4), backend="numpy")
    lu.compile_cnn_model(model, learning_rate=np.float32(0.01))
    assert model.count_params() == 3 * 3 * 8 + 8 + 26 * 26 * 8 * 4 + 4 + 4 * 10 + 10
