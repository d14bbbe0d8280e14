"""Building, training and evaluating on either backend; bad inputs get clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu

BACKENDS = ["numpy", pytest.param("tensorflow", marks=pytest.mark.tensorflow)]


@pytest.fixture(params=BACKENDS)
def backend(request, monkeypatch):
    if request.param == "tensorflow":
        pytest.importorskip("tensorflow")
    monkeypatch.setenv("LESSON_BACKEND", request.param)
    return request.param


@pytest.fixture
def synthetic():
    return lu.load_mnist(source="synthetic", verbose=False)


def test_architecture_and_parameter_count(backend):
    model = lu.build_cnn_model()
    assert lu.model_backend(model) == backend
    assert model.count_params() == 93_322
    assert lu.layer_names(model) == [
        "conv2d",
        "max_pooling2d",
        "conv2d_1",
        "max_pooling2d_1",
        "conv2d_2",
        "flatten",
        "dense",
        "dense_1",
    ]


def test_architecture_arguments(backend):
    model = lu.build_cnn_model(
        input_shape=(28, 28, 1), filters=(8, 16), dense_units=32, num_classes=5
    )
    # 28 -conv-> 26 -pool-> 13 -conv-> 11 (no pool after the last conv), so Flatten gives
    # 11*11*16 = 1936: conv 3*3*1*8+8, conv 3*3*8*16+16, dense 1936*32+32, dense 32*5+5
    assert model.count_params() == 80 + 1168 + 61984 + 165


def test_smoke_one_epoch_on_synthetic(backend, synthetic):
    model = lu.compile_cnn_model(lu.build_cnn_model())
    history = lu.train_cnn_model(
        model, synthetic.x_train, synthetic.y_train, epochs=1, validation_split=0.25, verbose=0
    )
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 1
    scores = lu.evaluate_cnn_model(model, synthetic.x_test, synthetic.y_test)
    assert set(scores) == {"loss", "accuracy"}
    assert 0.0 <= scores["accuracy"] <= 1.0 and np.isfinite(scores["loss"])
    assert lu.predict_classes(model, synthetic.x_test).shape == (64,)


def test_seeded_runs_repeat_exactly(backend, synthetic):
    results = []
    for _ in range(2):
        lu.set_global_seed(7)
        model = lu.compile_cnn_model(lu.build_cnn_model())
        lu.train_cnn_model(model, synthetic.x_train, synthetic.y_train, epochs=1, verbose=0)
        results.append(lu.evaluate_cnn_model(model, synthetic.x_test, synthetic.y_test)["loss"])
    assert results[0] == results[1]


def test_quick_mode_trains_one_epoch(backend, synthetic, quick, capsys):
    model = lu.compile_cnn_model(lu.build_cnn_model())
    history = lu.train_cnn_model(model, synthetic.x_train, synthetic.y_train, verbose=2)
    assert len(history.history["loss"]) == 1
    assert "Quick mode (LESSON_QUICK=1)" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.tensorflow
def test_tensorflow_cnn_learns_real_digits(monkeypatch):
    """The default recipe, 5 epochs, seed 0, on this 2-core machine: 97.3% test accuracy,
    ~10 s of training (96.8% with the tutorial's recipe, batch 64 at 0.001)."""
    pytest.importorskip("tensorflow")
    monkeypatch.setenv("LESSON_BACKEND", "tensorflow")
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model())
    lu.train_cnn_model(model, data.x_train, data.y_train, epochs=5, verbose=0)
    assert lu.evaluate_cnn_model(model, data.x_test, data.y_test)["accuracy"] >= 0.95


# ------------------------------------------------------------------ bad input

GOOD_X = np.zeros((4, 28, 28, 1), np.float32)
GOOD_Y = np.array([0, 1, 2, 3])


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (
            np.zeros((4, 28, 28), np.float32),
            GOOD_Y,
            r"without a channel axis.*x_train\[\.\.\., None\]",
        ),
        (np.zeros((4, 784), np.float32), GOOD_Y, "must have 4 axes"),
        (np.zeros((4, 32, 32, 1), np.float32), GOOD_Y, r"shape \(n, 28, 28, 1\) for this model"),
        (GOOD_X, np.array([0, 1, 2, 10]), "must lie in 0-9; found values from 0 to 10"),
        (GOOD_X, np.array([0, 1, -1, 3]), "must lie in 0-9"),
        (GOOD_X, np.array([0, 1, 2]), "has 3 labels but there are 4 images"),
        (GOOD_X, np.eye(10)[:4], "look one-hot encoded"),
        (GOOD_X, np.array([0.5, 1, 2, 3]), "whole numbers"),
        (np.full((4, 28, 28, 1), np.nan, np.float32), GOOD_Y, "holds 3136 NaN"),
        (np.zeros((0, 28, 28, 1), np.float32), np.array([], int), "is empty"),
    ],
)
def test_bad_training_data(backend, x, y, message):
    model = lu.compile_cnn_model(lu.build_cnn_model())
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=message):
        lu.train_cnn_model(model, x, y, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs must be a whole number of at least 1; got 0"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"batch_size": 0}, "batch_size must be a whole number of at least 1"),
        ({"validation_split": 1.5}, r"validation_split must be a fraction in \[0, 1\)"),
    ],
)
def test_bad_training_settings(kwargs, message):
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    with pytest.raises(ValueError, match=message):
        lu.train_cnn_model(model, GOOD_X, GOOD_Y, **{"epochs": 1, "verbose": 0, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"filters": ()}, "at least one Conv2D"),
        ({"filters": (8, 8, 8, 8)}, "shrink to nothing|shrinks the feature maps to nothing"),
        ({"input_shape": (28, 28)}, r"input_shape must be \(height, width, channels\)"),
        ({"num_classes": 1}, "num_classes must be at least 2"),
        ({"dense_units": 0}, "dense_units must be a whole number"),
        ({"backend": "torch"}, "backend must be 'tensorflow' or 'numpy'"),
    ],
)
def test_bad_architecture(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lu.build_cnn_model(**{"backend": "numpy", **kwargs})


def test_bad_learning_rate_and_seed():
    with pytest.raises(ValueError, match="learning_rate must be a number between 0 and 1"):
        lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"), learning_rate=5)
    with pytest.raises(ValueError, match="seed must be a whole number >= 0"):
        lu.set_global_seed(-1)


def test_feature_maps_bad_layer(backend):
    model = lu.build_cnn_model()
    with pytest.raises(ValueError, match="layer 'conv9' is not in this model; its layers are"):
        lu.feature_maps(model, GOOD_X, "conv9")
    with pytest.raises(ValueError, match="out of range"):
        lu.feature_maps(model, GOOD_X, 12)
    assert lu.feature_maps(model, GOOD_X[:1], "conv2d").shape == (1, 26, 26, 32)
    assert lu.feature_maps(model, GOOD_X[:1], -1).shape == (1, 10)


def test_full_workflow_saves_model_and_curves(backend, tmp_path, quick):
    result = lu.run_full_workflow(source="synthetic", out_dir=tmp_path, verbose=0)
    assert result["backend"] == backend and result["source"] == "synthetic"
    assert (tmp_path / "training_curves.png").stat().st_size > 1000
    saved = tmp_path / ("cnn.keras" if backend == "tensorflow" else "cnn_weights.npz")
    assert saved.exists()


def test_quick_is_a_value_train_cnn_model_takes(monkeypatch, capsys):
    """quick=True trains 1 epoch whatever LESSON_QUICK says; quick=False the full count."""
    monkeypatch.setenv("LESSON_BACKEND", "numpy")
    monkeypatch.setenv("LESSON_QUICK", "1")
    data = lu.load_mnist(source="synthetic", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(filters=(4,), dense_units=4))
    history = lu.train_cnn_model(model, data.x_train, data.y_train, verbose=0, quick=False)
    assert len(history.history["loss"]) == 5  # 256 images: the small-set default
    monkeypatch.delenv("LESSON_QUICK")
    history = lu.train_cnn_model(model, data.x_train, data.y_train, quick=True)
    assert len(history.history["loss"]) == 1
    assert "Quick mode: 1 epoch(s) on 256 images." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, x, y: lu.training.split_validation(x, y, 1.5), "fraction must be a fraction"),
        (lambda m, x, y: lu.predict_classes(m, x, batch_size=0), "batch_size must be a whole"),
        (lambda m, x, y: m.predict(x, batch_size=0), "batch_size must be a whole"),
        (lambda m, x, y: lu.feature_maps(m, x[:1], 1.5), "layer must be a layer's name or index"),
        (lambda m, x, y: lu.feature_maps(m, x[:1], True), "layer must be a layer's name or index"),
    ],
)
def test_bad_arguments_are_named(call, message, monkeypatch):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")
    data = lu.load_mnist(source="synthetic", verbose=False)
    model = lu.build_cnn_model(filters=(4,), dense_units=4)
    with pytest.raises(ValueError, match=message):
        call(model, data.x_train[:8], data.y_train[:8])
