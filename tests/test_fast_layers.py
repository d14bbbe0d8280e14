"""fast_layers computes what numpy_layers (and Keras) compute, each of its three ways.

Every test runs with ``PRODUCTS`` set to each way: "numpy" (the products through `@`,
what a NumPy with BLAS runs), "scipy" (SciPy's BLAS gemm, what the browser runs where
NumPy has no BLAS but SciPy is loaded) and "einsum" (neither), so all formulations
are checked on whichever NumPy runs the tests. SciPy is in requirements-dev.txt.
"""

from __future__ import annotations

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils import fast_layers as F
from lesson_utils import numpy_layers as L
from lesson_utils.numpy_model import NumPyCNN

rng = np.random.default_rng(1)


def random(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


@pytest.fixture(params=["numpy", "scipy", "einsum"], ids=["matmul", "scipy", "einsum"])
def use_einsum(request, monkeypatch):
    """Each way of computing the products (the name is kept from when there were two)."""
    if request.param == "scipy":
        pytest.importorskip("scipy.linalg.blas", reason="SciPy is in requirements-dev.txt")
    monkeypatch.setattr(F, "PRODUCTS", request.param)
    return request.param


@pytest.fixture(params=[True, False], ids=["scalar-loops", "simd-loops"])
def loops(request, monkeypatch):
    """Each way of writing relu and pooling: for NumPy's scalar loops (WebAssembly) or
    for its SIMD loops (natively)."""
    monkeypatch.setattr(F, "SCALAR_LOOPS", request.param)
    return request.param


def close(got, expected, dtype=np.float32):
    """Equal up to float rounding: sums in another order differ in the last bits."""
    assert got.dtype == dtype and got.shape == expected.shape
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(got, expected, rtol=tolerance, atol=tolerance * scale)


@pytest.mark.parametrize("rows", [1, 7, 3000])
@pytest.mark.parametrize("inner", [9, 288])  # short rows and long rows: two einsums each
def test_products_equal_matmul(use_einsum, rows, inner):
    a, b = random(rows, inner), random(inner, 5)
    grad = random(rows, 5)
    close(F.matmul(a, b), a @ b)
    close(F.matmul_tn(a, grad), a.T @ grad)
    close(F.matmul_nt(grad, b), grad @ b.T)


CONV_CASES = [  # (n, size, kernel, channels, filters, stride, padding)
    (3, 28, 3, 1, 4, 1, "valid"),  # the lesson's first convolution, smaller
    (2, 13, 3, 3, 5, 1, "valid"),
    (2, 9, 5, 2, 3, 2, "valid"),
    (2, 8, 2, 4, 6, 2, "same"),
    (2, 7, 3, 2, 3, 1, "same"),
    (1, 6, 3, 2, 3, 2, "same"),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("n", "size", "kernel", "channels", "filters", "stride", "padding"), CONV_CASES
)
def test_conv2d_forward_and_backward_equal_plain(
    use_einsum, dtype, n, size, kernel, channels, filters, stride, padding
):
    x = random(n, size, size, channels, dtype=dtype)
    w, b = random(kernel, kernel, channels, filters, dtype=dtype), random(filters, dtype=dtype)
    out, patches = F.conv2d(x, w, b, stride, padding)
    close(out, L.conv2d(x, w, b, stride, padding), dtype)
    upstream = random(*out.shape, dtype=dtype)
    got = F.conv2d_backward(upstream, patches, x.shape, w, stride, padding)
    expected = L.conv2d_backward(upstream, x, w, stride, padding)
    for g, e in zip(got, expected, strict=True):
        close(g, e, dtype)
    close(F.conv2d_infer(x, w, b, stride, padding), out, dtype)
    got_no_input = F.conv2d_backward(upstream, patches, x.shape, w, stride, padding, False)
    assert got_no_input[0] is None
    close(got_no_input[1], expected[1], dtype)


@pytest.mark.parametrize(("pool_size", "stride"), [(2, None), (3, None), (2, 1), (3, 2)])
def test_max_pool2d_forward_and_backward_equal_plain(use_einsum, loops, pool_size, stride):
    x = random(2, 11, 11, 3)
    x[0, :4, :4, 0] = 0.5  # ties: the gradient goes to the first maximum
    pooled = F.max_pool2d(x, pool_size, stride)
    np.testing.assert_array_equal(pooled, L.max_pool2d(x, pool_size, stride))
    channels_first = np.ascontiguousarray(x.transpose(3, 0, 1, 2)).transpose(1, 2, 3, 0)
    np.testing.assert_array_equal(F.max_pool2d(channels_first, pool_size, stride), pooled)
    upstream = random(*pooled.shape)
    np.testing.assert_array_equal(
        F.max_pool2d_backward(upstream, x, pooled, pool_size, stride),
        L.max_pool2d_backward(upstream, x, pool_size, stride),
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("pool_size", "stride"), [(2, None), (3, 2)])
def test_max_pool2d_of_relu_outputs_compares_them_as_integers(loops, dtype, pool_size, stride):
    x = L.relu(random(2, 11, 11, 3, dtype=dtype))
    x[0, :4, :4, 0] = 0.5  # ties
    pooled = F.max_pool2d(F.relu(x), pool_size, stride, nonnegative=True)
    assert pooled.dtype == dtype
    np.testing.assert_array_equal(pooled, L.max_pool2d(x, pool_size, stride))
    channels_first = np.ascontiguousarray(x.transpose(3, 0, 1, 2)).transpose(1, 2, 3, 0)
    np.testing.assert_array_equal(
        F.max_pool2d(channels_first, 2, nonnegative=True), L.max_pool2d(x)
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_and_its_gradient_equal_plain(loops, dtype):
    x, upstream = random(3, 5, 5, 4, dtype=dtype), random(3, 5, 5, 4, dtype=dtype)
    x[0, 0, 0] = -0.0
    out = F.relu(x)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, L.relu(x))
    assert not np.signbit(out).any()  # no -0.0: pooling may compare the bits as integers
    channels_first = x.transpose(3, 0, 1, 2).copy().transpose(1, 2, 3, 0)
    assert F.relu(channels_first).strides == channels_first.strides  # keeps the layout
    got = F.relu_backward(upstream, out)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, L.relu_backward(upstream, x))


def test_conv2d_backward_of_a_top_left_crop(use_einsum):
    """Training computes conv2d_1 only on the 10x10 corner its 2x2 pooling reads."""
    x, w = random(2, 13, 13, 3), random(3, 3, 3, 4)
    upstream = np.zeros((2, 11, 11, 4), np.float32)
    upstream[:, :10, :10] = random(2, 10, 10, 4)  # what the pooling sends back: 0 outside
    out, patches = F.conv2d(x[:, :12, :12], w)
    np.testing.assert_allclose(out, L.conv2d(x, w)[:, :10, :10], rtol=1e-5, atol=1e-5)
    got = F.conv2d_backward(upstream[:, :10, :10], patches, x.shape, w)
    for g, e in zip(got, L.conv2d_backward(upstream, x, w), strict=True):
        close(g, e)


def test_layers_forward_gives_whole_maps():
    """Training and predicting skip what pooling does not read; a layer's output stays whole."""
    model = NumPyCNN(seed=5)
    assert model.layers[2].read_size == (10, 10) and model.layers[0].read_size == (26, 26)
    x = lu.load_mnist(source="sample", verbose=False).x_test[:2]
    for layer in model.layers:
        x = layer.forward(x)
        assert x.shape[1:] == layer.output_shape


def test_numpy_cnn_predicts_as_its_forward_pass(use_einsum):
    data = lu.load_mnist(source="sample", verbose=False)
    model = NumPyCNN(seed=4)
    images = data.x_test[:300]  # two batches of predict's 256
    np.testing.assert_allclose(model.predict(images), model.forward(images), rtol=1e-5, atol=1e-7)


def test_blas_is_read_from_numpys_build(monkeypatch):
    def config(blas):
        return lambda mode="dicts": {"Build Dependencies": {"blas": blas}}

    monkeypatch.setattr(np, "show_config", config({"name": "none", "found": False}))
    assert F.numpy_has_blas() is False
    monkeypatch.setattr(np, "show_config", config({"name": "scipy-openblas", "found": True}))
    assert F.numpy_has_blas() is True
    monkeypatch.setattr(F.sys, "platform", "emscripten")  # Pyodide: its build is read too
    assert F.numpy_has_blas() is True
    monkeypatch.setattr(np, "show_config", config({"name": "none", "found": False}))
    assert F.numpy_has_blas() is False

    def no_information(mode="dicts"):
        raise KeyError("Build Dependencies")

    monkeypatch.setattr(np, "show_config", no_information)  # NumPy before 1.26
    assert F.numpy_has_blas() is False  # in Pyodide
    monkeypatch.setattr(F.sys, "platform", "linux")
    assert F.numpy_has_blas() is True


def test_products_way_follows_numpy_then_scipy(monkeypatch):
    monkeypatch.setattr(F, "numpy_has_blas", lambda: True)
    assert F.choose_products() == "numpy"
    monkeypatch.setattr(F, "numpy_has_blas", lambda: False)
    monkeypatch.setattr(F, "GEMM", {np.dtype(np.float32): object()})
    assert F.choose_products() == "scipy"
    monkeypatch.setattr(F, "GEMM", {})
    assert F.choose_products() == "einsum"  # no SciPy: einsum still works


def test_scipy_way_falls_back_to_einsum_without_scipy(monkeypatch):
    monkeypatch.setattr(F, "PRODUCTS", "scipy")
    monkeypatch.setattr(F, "GEMM", {})
    monkeypatch.setattr(F, "scipy_gemm", lambda: {})  # as if `import scipy` failed
    assert F._gemm(random(3, 3), random(3, 3)) is None
    a, b, grad = random(50, 288), random(288, 7), random(50, 7)
    close(F.matmul(a, b), a @ b)
    close(F.matmul_tn(a, grad), a.T @ grad)
    close(F.matmul_nt(grad, b), grad @ b.T)


def test_scipy_products_are_c_ordered(monkeypatch):
    pytest.importorskip("scipy.linalg.blas", reason="SciPy is in requirements-dev.txt")
    monkeypatch.setattr(F, "PRODUCTS", "scipy")
    a, b, grad = random(300, 288), random(288, 64), random(300, 64)
    for product in (F.matmul(a, b), F.matmul_tn(a, grad), F.matmul_nt(grad, b)):
        assert product.flags.c_contiguous  # reshaped later without a copy


def plain_gradients(model: NumPyCNN, images, labels) -> list[np.ndarray]:
    """The whole network's gradients through numpy_layers alone, the definitions."""
    kernels = model.get_weights()
    x, saved = images, []
    for layer in model.layers:
        saved.append(x)
        if isinstance(layer, lu.numpy_model.Conv2DLayer):
            x = L.relu(L.conv2d(x, *layer.weights))
        elif isinstance(layer, lu.numpy_model.MaxPool2DLayer):
            x = L.max_pool2d(x)
        elif isinstance(layer, lu.numpy_model.FlattenLayer):
            x = L.flatten(x)
        else:
            x = L.dense(x, *layer.weights)
            x = L.relu(x) if layer.activation == "relu" else L.softmax(x)
    grad, grads = L.softmax_crossentropy_backward(x, labels), []
    for layer, inputs in zip(reversed(model.layers), reversed(saved), strict=True):
        if isinstance(layer, lu.numpy_model.Conv2DLayer):
            pre = L.conv2d(inputs, *layer.weights)
            grad, gw, gb = L.conv2d_backward(L.relu_backward(grad, pre), inputs, layer.weights[0])
            grads = [gw, gb, *grads]
        elif isinstance(layer, lu.numpy_model.MaxPool2DLayer):
            grad = L.max_pool2d_backward(grad, inputs)
        elif isinstance(layer, lu.numpy_model.FlattenLayer):
            grad = L.flatten_backward(grad, inputs.shape)
        else:
            if layer.activation == "relu":
                grad = L.relu_backward(grad, L.dense(inputs, *layer.weights))
            grad, gw, gb = L.dense_backward(grad, inputs, layer.weights[0])
            grads = [gw, gb, *grads]
    assert len(grads) == len(kernels)
    return grads


def test_numpy_cnn_gradients_equal_the_plain_layers(use_einsum, loops):
    """One training step's gradients of every weight, through fast_layers and numpy_layers."""
    data = lu.load_mnist(source="sample", verbose=False)
    model = NumPyCNN(seed=3)
    images, labels = data.x_train[:40], data.y_train[:40]
    expected = plain_gradients(model, images, labels)
    got = []
    model.optimizer.apply = lambda weights, grads: got.extend(grads)  # keep, do not step
    model.train_step(images, labels)
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-6)


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    ("n", "size", "kernel", "channels", "filters", "stride", "padding"), CONV_CASES
)
def test_conv2d_and_pooling_equal_keras(
    use_einsum, n, size, kernel, channels, filters, stride, padding
):
    pytest.importorskip("tensorflow")
    keras = lu.tensorflow_import.import_keras()
    x = random(n, size, size, channels)
    layer = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding)
    layer.build(x.shape)
    layer.set_weights([random(kernel, kernel, channels, filters), random(filters)])
    out, _ = F.conv2d(x, *layer.get_weights(), stride, padding)
    np.testing.assert_allclose(out, np.asarray(layer(x)), rtol=1e-5, atol=1e-5)
    predicted = F.conv2d_infer(x, *layer.get_weights(), stride, padding)
    np.testing.assert_allclose(predicted, np.asarray(layer(x)), rtol=1e-5, atol=1e-5)
    pooled = F.max_pool2d(out, 2)
    np.testing.assert_array_equal(pooled, np.asarray(keras.layers.MaxPooling2D(2)(out)))
