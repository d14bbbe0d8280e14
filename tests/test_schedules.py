"""The learning-rate schedule: its shape, and that both backends follow it step by step."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.schedules import learning_rate_factor, warmup_cosine


def test_warmup_then_cosine_shape():
    factors = [warmup_cosine(step, 100) for step in range(100)]
    assert factors[0] == pytest.approx(0.1)  # 10 warm-up steps: 0.1, 0.2, ... 1.0
    assert factors[9] == pytest.approx(1.0)
    assert np.all(np.diff(factors[:10]) > 0)
    assert np.all(np.diff(factors[9:]) < 0)
    assert factors[54] == pytest.approx(0.5, abs=0.02)  # halfway down the cosine
    assert 0 < factors[-1] < 0.001
    assert all(0 < f <= 1 for f in factors)


def test_schedule_with_very_few_steps():
    assert warmup_cosine(0, 1) == 1.0
    assert [round(warmup_cosine(s, 3), 3) for s in range(3)] == [1.0, 0.75, 0.25]
    assert learning_rate_factor("constant", 5, 10) == 1.0


class RecordingAdam(lu.numpy_model.Adam):
    """Adam that notes the learning rate of every step it takes."""

    def __init__(self, learning_rate):
        super().__init__(learning_rate)
        self.seen: list[float] = []

    def apply(self, weights, grads):
        self.seen.append(self.learning_rate)
        super().apply(weights, grads)


def train_numpy_recording(monkeypatch, peak, images, epochs, batch_size, **kwargs):
    """Train a NumPy CNN on synthetic digits with a RecordingAdam; returns the model."""
    monkeypatch.setenv("LESSON_BACKEND", "numpy")
    data = lu.load_mnist(source="synthetic", verbose=False)
    model = lu.build_cnn_model()
    model.compile(optimizer=RecordingAdam(peak))
    lu.train_cnn_model(
        model,
        data.x_train[:images],
        data.y_train[:images],
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        **kwargs,
    )
    return model


def test_numpy_backend_follows_the_schedule_and_restores_the_rate(monkeypatch):
    model = train_numpy_recording(monkeypatch, 0.005, images=160, epochs=2, batch_size=32)
    expected = [0.005 * warmup_cosine(step, 10) for step in range(10)]
    np.testing.assert_allclose(model.optimizer.seen, expected)
    assert model.optimizer.learning_rate == 0.005


def test_constant_schedule_keeps_the_rate(monkeypatch):
    model = train_numpy_recording(
        monkeypatch, 0.002, images=128, epochs=1, batch_size=64, learning_rate_schedule="constant"
    )
    assert model.optimizer.seen == [0.002, 0.002]


@pytest.mark.tensorflow
def test_tensorflow_backend_follows_the_schedule_and_restores_the_rate(monkeypatch):
    pytest.importorskip("tensorflow")
    monkeypatch.setenv("LESSON_BACKEND", "tensorflow")
    keras = lu.tensorflow_import.import_keras()
    data = lu.load_mnist(source="synthetic", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(), learning_rate=0.005)
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))

    original_fit = model.fit
    monkeypatch.setattr(
        model,
        "fit",
        lambda *a, callbacks, **k: original_fit(*a, callbacks=[*callbacks, Record()], **k),
    )
    lu.train_cnn_model(
        model, data.x_train[:160], data.y_train[:160], epochs=2, batch_size=32, verbose=0
    )
    np.testing.assert_allclose(seen, [0.005 * warmup_cosine(s, 10) for s in range(10)], rtol=1e-6)
    assert float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) == pytest.approx(0.005)


@pytest.mark.parametrize(
    "backend", ["numpy", pytest.param("tensorflow", marks=pytest.mark.tensorflow)]
)
def test_unknown_schedule_is_refused_before_training(backend, monkeypatch):
    if backend == "tensorflow":
        pytest.importorskip("tensorflow")
    monkeypatch.setenv("LESSON_BACKEND", backend)
    data = lu.load_mnist(source="synthetic", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model())
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(
        ValueError,
        match="learning_rate_schedule must be one of 'warmup_cosine', 'constant'; got 'linear'",
    ):
        lu.train_cnn_model(
            model,
            data.x_train[:64],
            data.y_train[:64],
            epochs=1,
            verbose=0,
            learning_rate_schedule="linear",
        )
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
