"""The NumPy layers equal Keras's, and their backward passes equal finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from lesson_utils import numpy_layers as L

rng = np.random.default_rng(0)


@pytest.fixture(scope="module")
def keras():
    pytest.importorskip("tensorflow")
    from lesson_utils.tensorflow_import import import_keras

    return import_keras()


def random(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


# ------------------------------------------------------------ equal to Keras


@pytest.mark.tensorflow
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize(
    ("size", "kernel_size", "channels", "filters"),
    [(28, 3, 1, 4), (13, 3, 3, 5), (9, 5, 2, 3), (8, 2, 4, 6)],
)
def test_conv2d_equals_keras(keras, padding, stride, size, kernel_size, channels, filters):
    images = random(3, size, size, channels)
    layer = keras.layers.Conv2D(filters, kernel_size, strides=stride, padding=padding)
    expected = np.asarray(layer(images))
    kernel, bias = layer.get_weights()
    bias = random(filters)
    layer.set_weights([kernel, bias])
    expected = np.asarray(layer(images))
    got = L.conv2d(images, kernel, bias, stride=stride, padding=padding)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.tensorflow
@pytest.mark.parametrize(("pool_size", "stride"), [(2, None), (3, None), (2, 1), (3, 2)])
def test_max_pool2d_equals_keras(keras, pool_size, stride):
    images = random(2, 11, 11, 3)
    expected = np.asarray(keras.layers.MaxPooling2D(pool_size, strides=stride)(images))
    np.testing.assert_array_equal(L.max_pool2d(images, pool_size, stride), expected)


@pytest.mark.tensorflow
@pytest.mark.parametrize(("pool_size", "stride"), [(2, None), (3, None), (2, 1), (3, 2)])
def test_average_pool2d_equals_keras(keras, pool_size, stride):
    images = random(2, 11, 11, 3)
    expected = np.asarray(keras.layers.AveragePooling2D(pool_size, strides=stride)(images))
    got = L.average_pool2d(images, pool_size, stride)
    assert got.shape == expected.shape and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.tensorflow
def test_global_average_pool2d_equals_keras(keras):
    maps = random(4, 3, 5, 7)
    expected = np.asarray(keras.layers.GlobalAveragePooling2D()(maps))
    got = L.global_average_pool2d(maps)
    assert got.shape == (4, 7)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.tensorflow
def test_flatten_dense_softmax_equal_keras(keras):
    maps = random(4, 3, 3, 64)
    flat = np.asarray(keras.layers.Flatten()(maps))
    np.testing.assert_array_equal(L.flatten(maps), flat)
    dense = keras.layers.Dense(10)
    expected = np.asarray(dense(flat))
    np.testing.assert_allclose(L.dense(flat, *dense.get_weights()), expected, rtol=1e-5, atol=1e-5)
    scores = random(4, 10) * 10
    np.testing.assert_allclose(
        L.softmax(scores), np.asarray(keras.activations.softmax(scores)), rtol=1e-5, atol=1e-7
    )


@pytest.mark.tensorflow
def test_crossentropy_equals_keras(keras):
    probabilities = L.softmax(random(6, 10))
    labels = rng.integers(0, 10, 6)
    expected = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
    assert L.sparse_categorical_crossentropy(probabilities, labels) == pytest.approx(
        float(expected), rel=1e-5
    )


def test_loop_conv_equals_fast_conv():
    image, kernel = random(12, 10), random(3, 3)
    fast = L.conv2d(image[None, :, :, None], kernel[:, :, None, None], np.array([0.5]))
    np.testing.assert_allclose(
        L.conv2d_loops(image, kernel, 0.5), fast[0, :, :, 0], rtol=1e-5, atol=1e-5
    )


def test_edge_kernel_by_hand():
    # A vertical edge: dark left half, bright right half. A left-to-right edge kernel
    # responds only where the window straddles the edge.
    image = np.zeros((5, 6), np.float32)
    image[:, 3:] = 1.0
    kernel = np.array([[-1, 0, 1]] * 3, np.float32)
    out = L.conv2d_loops(image, kernel)
    np.testing.assert_array_equal(out, [[0, 3, 3, 0]] * 3)


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "expected"),
    [
        (28, 3, 1, "valid", 26),
        (28, 3, 1, "same", 28),
        (28, 3, 2, "valid", 13),
        (28, 3, 2, "same", 14),
        (13, 2, 2, "valid", 6),
        (5, 5, 1, "valid", 1),
    ],
)
def test_conv_output_size(size, kernel, stride, padding, expected):
    assert L.conv_output_size(size, kernel, stride, padding) == expected
    got = L.conv2d(
        np.zeros((1, size, size, 1), np.float32),
        np.zeros((kernel, kernel, 1, 1), np.float32),
        stride=stride,
        padding=padding,
    )
    assert got.shape[1] == expected


# --------------------------------------------------- finite-difference checks


def numerical_gradient(f, x, eps=1e-6):
    """d f(x) / d x by central differences, one entry at a time (float64)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        up = f()
        x[index] = old - eps
        down = f()
        x[index] = old
        grad[index] = (up - down) / (2 * eps)
    return grad


def assert_gradient(analytic, f, x):
    np.testing.assert_allclose(analytic, numerical_gradient(f, x), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    ("stride", "padding"), [(1, "valid"), (2, "valid"), (1, "same"), (2, "same")]
)
def test_conv2d_backward(stride, padding):
    x, w, b = (
        random(2, 6, 7, 2, dtype=np.float64),
        random(3, 3, 2, 3, dtype=np.float64),
        random(3, dtype=np.float64),
    )
    upstream = random(*L.conv2d(x, w, b, stride, padding).shape, dtype=np.float64)

    def loss():
        return float(np.sum(L.conv2d(x, w, b, stride, padding) * upstream))

    grad_x, grad_w, grad_b = L.conv2d_backward(upstream, x, w, stride, padding)
    assert_gradient(grad_x, loss, x)
    assert_gradient(grad_w, loss, w)
    assert_gradient(grad_b, loss, b)
    assert L.conv2d_backward(upstream, x, w, stride, padding, need_input_grad=False)[0] is None


@pytest.mark.parametrize(("pool_size", "stride"), [(2, None), (3, 1), (2, 1)])
def test_max_pool2d_backward(pool_size, stride):
    x = random(2, 7, 7, 3, dtype=np.float64)
    upstream = random(*L.max_pool2d(x, pool_size, stride).shape, dtype=np.float64)
    grad = L.max_pool2d_backward(upstream, x, pool_size, stride)
    assert_gradient(grad, lambda: float(np.sum(L.max_pool2d(x, pool_size, stride) * upstream)), x)


@pytest.mark.parametrize(("pool_size", "stride"), [(2, None), (3, 1), (2, 1), (3, 2)])
def test_average_pool2d_backward(pool_size, stride):
    x = random(2, 7, 7, 3, dtype=np.float64)
    upstream = random(*L.average_pool2d(x, pool_size, stride).shape, dtype=np.float64)
    grad = L.average_pool2d_backward(upstream, x.shape, pool_size, stride)
    assert_gradient(
        grad, lambda: float(np.sum(L.average_pool2d(x, pool_size, stride) * upstream)), x
    )


def test_average_pool2d_backward_leaves_unpooled_pixels_at_zero():
    """A 2x2 pooling of a 5x5 map never reads its last row and column."""
    grad = L.average_pool2d_backward(np.ones((1, 2, 2, 1)), (1, 5, 5, 1))
    assert grad[0, :4, :4, 0].tolist() == [[0.25] * 4] * 4
    assert not grad[0, 4].any() and not grad[0, :, 4].any()


def test_global_average_pool2d_backward():
    x = random(2, 4, 3, 5, dtype=np.float64)
    upstream = random(2, 5, dtype=np.float64)
    grad = L.global_average_pool2d_backward(upstream, x.shape)
    assert_gradient(grad, lambda: float(np.sum(L.global_average_pool2d(x) * upstream)), x)


def test_max_pool2d_backward_tie_goes_to_first():
    x = np.zeros((1, 2, 2, 1))
    grad = L.max_pool2d_backward(np.ones((1, 1, 1, 1)), x)
    assert grad[0, :, :, 0].tolist() == [[1, 0], [0, 0]]


def test_relu_backward():
    x = random(4, 5, dtype=np.float64)
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink at 0
    upstream = random(4, 5, dtype=np.float64)
    assert_gradient(L.relu_backward(upstream, x), lambda: float(np.sum(L.relu(x) * upstream)), x)


def test_dense_and_flatten_backward():
    x, w, b = (
        random(3, 2, 2, 2, dtype=np.float64),
        random(8, 4, dtype=np.float64),
        random(4, dtype=np.float64),
    )
    upstream = random(3, 4, dtype=np.float64)

    def loss():
        return float(np.sum(L.dense(L.flatten(x), w, b) * upstream))

    grad_flat, grad_w, grad_b = L.dense_backward(upstream, L.flatten(x), w)
    assert_gradient(L.flatten_backward(grad_flat, x.shape), loss, x)
    assert_gradient(grad_w, loss, w)
    assert_gradient(grad_b, loss, b)


def test_softmax_crossentropy_backward():
    scores, labels = random(5, 10, dtype=np.float64), rng.integers(0, 10, 5)
    grad = L.softmax_crossentropy_backward(L.softmax(scores), labels)
    assert_gradient(
        grad, lambda: L.sparse_categorical_crossentropy(L.softmax(scores), labels), scores
    )


def test_softmax_is_stable_and_sums_to_one():
    probabilities = L.softmax(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.all(np.isfinite(probabilities))
    assert probabilities.sum() == pytest.approx(1.0)


# ------------------------------------------ dropout & batch normalisation


@pytest.mark.tensorflow
@pytest.mark.parametrize("rate", [0.25, 0.5])
def test_dropout_equals_keras(keras, rate):
    """Keras draws its own random numbers, so its mask is read off its output: where it
    kept a number, ours scales it the same (by 1 / (1 - rate)); predicting passes x."""
    x = np.abs(random(64, 50)) + 0.1  # no zeros, so a 0 in the output means dropped
    layer = keras.layers.Dropout(rate)
    expected = np.asarray(layer(x, training=True))
    mask = (expected != 0) / (1 - rate)
    np.testing.assert_allclose(L.dropout(x, mask), expected, rtol=1e-6)
    assert abs(np.mean(expected == 0) - rate) < 0.05  # Keras drops about `rate` of them
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)


@pytest.mark.parametrize("rate", [0.0, 0.2, 0.5, 0.9])
def test_dropout_mask_drops_about_rate_and_keeps_the_mean(rate):
    mask = L.dropout_mask((200, 500), rate, np.random.default_rng(0))
    assert mask.dtype == np.float32
    assert set(np.unique(mask)) <= {0.0, np.float32(1 / (1 - rate))}
    assert np.mean(mask == 0) == pytest.approx(rate, abs=0.01)
    assert mask.mean() == pytest.approx(1.0, abs=0.03)  # the expected output is the input


def test_dropout_mask_follows_numpys_global_seed():
    np.random.seed(3)
    first = L.dropout_mask((4, 6), 0.5)
    np.random.seed(3)
    np.testing.assert_array_equal(L.dropout_mask((4, 6), 0.5), first)
    assert not np.array_equal(L.dropout_mask((4, 6), 0.5), first)


def test_dropout_backward():
    x = random(3, 7, dtype=np.float64)
    mask = L.dropout_mask(x.shape, 0.4, np.random.default_rng(1)).astype(np.float64)
    upstream = random(3, 7, dtype=np.float64)
    grad = L.dropout_backward(upstream, mask)
    assert_gradient(grad, lambda: float(np.sum(L.dropout(x, mask) * upstream)), x)
    assert np.all(grad[mask == 0] == 0)


@pytest.mark.tensorflow
@pytest.mark.parametrize("shape", [(8, 5), (4, 6, 5, 3)])
def test_batch_norm_equals_keras_training_and_predicting(keras, shape):
    """One training step of Keras's layer: the output from the batch's statistics, and
    moving averages 0.99 * (0, 1) + 0.01 * (mean, variance); then predicting with them."""
    x = random(*shape) * 3 + 1
    channels = shape[-1]
    layer = keras.layers.BatchNormalization()
    layer.build(x.shape)
    gamma, beta = random(channels) + 1, random(channels)
    start_mean, start_variance = random(channels), np.abs(random(channels)) + 0.5
    layer.set_weights([gamma, beta, start_mean, start_variance])
    expected = np.asarray(layer(x, training=True))
    mean, variance = L.batch_statistics(x)
    np.testing.assert_allclose(
        L.batch_norm(x, gamma, beta, mean, variance), expected, rtol=1e-4, atol=1e-5
    )
    _, _, moving_mean, moving_variance = layer.get_weights()
    np.testing.assert_allclose(L.moving_average(start_mean, mean), moving_mean, rtol=1e-5)
    np.testing.assert_allclose(
        L.moving_average(start_variance, variance), moving_variance, rtol=1e-5
    )
    predicted = np.asarray(layer(x, training=False))
    np.testing.assert_allclose(
        L.batch_norm(x, gamma, beta, moving_mean, moving_variance),
        predicted,
        rtol=1e-4,
        atol=1e-5,
    )


def test_batch_norm_standardises_each_channel():
    x = random(50, 4, 4, 3) * np.array([1.0, 10.0, 0.1], np.float32) + 5
    channels = x.shape[-1]
    out = L.batch_norm(x, np.ones(channels), np.zeros(channels), *L.batch_statistics(x), 0.0)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, rtol=1e-4)
    # gamma and beta then set each channel's spread and centre
    out = L.batch_norm(x, np.full(channels, 2.0), np.full(channels, -1.0), *L.batch_statistics(x))
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), -1, atol=1e-4)


@pytest.mark.parametrize("shape", [(6, 4), (3, 4, 5, 2)])
def test_batch_norm_backward(shape):
    x = random(*shape, dtype=np.float64)
    gamma, beta = random(shape[-1], dtype=np.float64), random(shape[-1], dtype=np.float64)
    upstream = random(*shape, dtype=np.float64)

    def loss():  # training: the statistics are the batch's own, so they move with x
        return float(np.sum(L.batch_norm(x, gamma, beta, *L.batch_statistics(x)) * upstream))

    grad_x, grad_gamma, grad_beta = L.batch_norm_backward(upstream, x, gamma)
    assert_gradient(grad_x, loss, x)
    assert_gradient(grad_gamma, loss, gamma)
    assert_gradient(grad_beta, loss, beta)
