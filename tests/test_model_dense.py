"""The dense network notebook 5 compares with the CNN: its size, on both backends, and it trains."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.model import build_dense_model


def test_dense_model_numpy_is_784_128_10():
    model = build_dense_model(backend="numpy")
    assert [layer.name for layer in model.layers] == ["flatten", "dense", "dense_1"]
    assert [layer.output_shape for layer in model.layers] == [(784,), (128,), (10,)]
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10 == 101_770


def test_numpy_summaries_carry_keras_model_names(capsys):
    """Each backend's summary heads with the same model name (Keras: lesson_cnn and
    dense_network), so the dense network's summary is not called a CNN."""
    build_dense_model(backend="numpy").summary()
    assert capsys.readouterr().out.splitlines()[0] == 'Model: "dense_network"'
    lu.build_cnn_model(backend="numpy").summary()
    assert capsys.readouterr().out.splitlines()[0] == 'Model: "lesson_cnn"'


@pytest.mark.tensorflow
def test_dense_model_keras_matches_numpy():
    pytest.importorskip("tensorflow")
    keras_model = build_dense_model(backend="tensorflow")
    assert keras_model.count_params() == 101_770
    numpy_model = build_dense_model(backend="numpy")
    numpy_model.set_weights(keras_model.get_weights())
    images = np.random.default_rng(0).random((3, 28, 28, 1), dtype=np.float32)
    assert np.allclose(
        numpy_model.predict(images), keras_model.predict(images, verbose=0), atol=1e-5
    )


def test_dense_model_trains_on_the_numpy_backend(monkeypatch, quick):
    monkeypatch.setenv("LESSON_BACKEND", "numpy")
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(build_dense_model())
    before = lu.evaluate_cnn_model(model, data.x_test, data.y_test)["accuracy"]
    lu.train_cnn_model(model, data.x_train, data.y_train, epochs=2, verbose=0)
    after = lu.evaluate_cnn_model(model, data.x_test, data.y_test)["accuracy"]
    assert after > max(0.6, before + 0.3)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"input_shape": (28, 28)}, "input_shape must be"),
        ({"hidden_units": 0}, "hidden_units"),
        ({"num_classes": 1}, "at least 2"),
        ({"backend": "torch"}, "backend must be"),
    ],
)
def test_dense_model_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        build_dense_model(**kwargs)
