"""One description of the network, read by both builders (lesson_utils.architecture)."""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils.architecture import cnn_architecture, dense_architecture
from lesson_utils.numpy_model import NumPyCNN

VARIANTS = [("max", "flatten"), ("average", "flatten"), ("max", "global_average")]


def rows(architecture):
    return [(spec.name, spec.keras_class, spec.output_shape, spec.params) for spec in architecture]


def test_the_lessons_cnn_as_notebook_5_draws_it():
    assert rows(cnn_architecture()) == [
        ("conv2d", "Conv2D", (26, 26, 32), 320),
        ("max_pooling2d", "MaxPooling2D", (13, 13, 32), 0),
        ("conv2d_1", "Conv2D", (11, 11, 64), 18_496),
        ("max_pooling2d_1", "MaxPooling2D", (5, 5, 64), 0),
        ("conv2d_2", "Conv2D", (3, 3, 64), 36_928),
        ("flatten", "Flatten", (576,), 0),
        ("dense", "Dense", (64,), 36_928),
        ("dense_1", "Dense", (10,), 650),
    ]
    assert sum(spec.params for spec in cnn_architecture()) == 93_322


def test_average_pooling_and_a_global_average_head():
    average = cnn_architecture(pooling="average")
    assert [s.keras_class for s in average][1::2][:2] == ["AveragePooling2D", "AveragePooling2D"]
    assert rows(average)[3][1:] == ("AveragePooling2D", (5, 5, 64), 0)
    gap = rows(cnn_architecture(head="global_average"))
    # One mean per map of conv2d_2: 64 numbers instead of 576, so the first Dense
    # layer has 64 * 64 + 64 = 4,160 weights instead of 36,928.
    assert gap[5] == ("global_average_pooling2d", "GlobalAveragePooling2D", (64,), 0)
    assert gap[6] == ("dense", "Dense", (64,), 4_160)
    assert sum(row[3] for row in gap) == 93_322 - 36_928 + 4_160


def test_the_dense_network():
    assert [row[2:] for row in rows(dense_architecture())] == [
        ((784,), 0),
        ((128,), 100_480),
        ((10,), 1_290),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"pooling": "min"}, "pooling must be 'max' or 'average'; got 'min'"),
        ({"head": "dense"}, "head must be 'flatten' or 'global_average'; got 'dense'"),
        ({"filters": 32}, "filters must name at least one Conv2D layer"),
        ({"filters": (32, 0)}, "each entry of filters must be a whole number of at least 1"),
        ({"input_shape": 28}, r"input_shape must be \(height, width, channels\)"),
        ({"kernel_size": 2.5}, "kernel_size must be a whole number"),
        ({"filters": (8,) * 4, "pooling": "average"}, "shrink to nothing|average pooling"),
    ],
)
def test_a_network_that_cannot_be_built_is_named(arguments, message):
    with pytest.raises(ValueError, match=message):
        cnn_architecture(**arguments)


def test_numpy_integers_are_numbers():
    assert rows(cnn_architecture(filters=(np.int64(8),), dense_units=np.int32(4)))[0][3] == 80


@pytest.mark.parametrize(("pooling", "head"), VARIANTS)
def test_numpy_model_follows_the_architecture(pooling, head):
    model = lu.build_cnn_model(pooling=pooling, head=head, backend="numpy")
    architecture = cnn_architecture(pooling=pooling, head=head)
    assert lu.layer_names(model) == [spec.name for spec in architecture]
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 10)
    outputs = lu.model.layer_outputs(model, np.zeros((2, 28, 28, 1), np.float32))
    assert [o.shape[1:] for _, o in outputs] == [spec.output_shape for spec in architecture]
    assert model.count_params() == sum(spec.params for spec in architecture)


@pytest.mark.slow
@pytest.mark.tensorflow
@pytest.mark.parametrize(("pooling", "head"), VARIANTS)
def test_both_backends_build_the_same_network(pooling, head):
    pytest.importorskip("tensorflow")
    keras_model = lu.build_cnn_model(pooling=pooling, head=head, backend="tensorflow")
    numpy_model = lu.build_cnn_model(pooling=pooling, head=head, backend="numpy")
    assert lu.layer_names(keras_model) == lu.layer_names(numpy_model)
    assert keras_model.input_shape == numpy_model.input_shape
    assert keras_model.output_shape == numpy_model.output_shape
    for keras_layer, numpy_layer in zip(keras_model.layers, numpy_model.layers, strict=True):
        assert tuple(keras_layer.output.shape[1:]) == numpy_layer.output_shape
        assert keras_layer.count_params() == numpy_layer.count_params()
    numpy_model.set_weights(keras_model.get_weights())
    images = lu.load_mnist(source="sample", verbose=False).x_test[:16]
    np.testing.assert_allclose(
        numpy_model.predict(images), keras_model.predict(images, verbose=0), rtol=1e-4, atol=1e-6
    )


@pytest.mark.parametrize(
    "backend", ["numpy", pytest.param("tensorflow", marks=pytest.mark.tensorflow)]
)
@pytest.mark.slow
@pytest.mark.parametrize(("pooling", "head"), VARIANTS[1:])
def test_the_new_pooling_layers_train_on_both_backends(backend, pooling, head):
    """3 epochs on the 4,000 bundled training digits, seed 0: measured 94.9-95.3% with
    average pooling and 91.0-91.4% with the global-average head on the two backends
    (2026-12-06); 85% leaves room for another machine's rounding, and is far above
    chance (10%)."""
    if backend == "tensorflow":
        pytest.importorskip("tensorflow")
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(pooling=pooling, head=head, backend=backend))
    history = lu.train_cnn_model(model, data.x_train, data.y_train, epochs=3, verbose=0)
    assert history.history["loss"][2] < history.history["loss"][1] < history.history["loss"][0]
    assert lu.evaluate_cnn_model(model, data.x_test, data.y_test)["accuracy"] >= 0.85


def test_numpy_cnn_reads_any_architecture():
    model = NumPyCNN(dense_architecture(hidden_units=16), name="small")
    assert lu.layer_names(model) == ["flatten", "dense", "dense_1"]
    assert model.count_params() == 784 * 16 + 16 + 16 * 10 + 10
