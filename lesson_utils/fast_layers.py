"""The CNN's layers once more, written for speed: what ``NumPyCNN`` runs.

``numpy_layers`` holds the definitions a learner reads. This module computes the
same numbers faster, because the browser trains with them and its NumPy (Pyodide)
has no BLAS, the library that makes matrix products fast:

* Without BLAS, ``a @ b`` falls back to a plain loop, 10-40x slower than with BLAS,
  while ``np.einsum`` (plain subscripts, ``optimize=False``) has its own loops,
  several times faster than that fallback; with BLAS it is the other way round
  (benchmarks/README.md). In WebAssembly even einsum runs scalar code (NumPy has no
  WebAssembly SIMD loops), while Pyodide's SciPy carries an OpenBLAS built with SIMD:
  there ``scipy.linalg.blas.sgemm`` is 3-7x faster than einsum (measured in V8,
  benchmarks/wasm/). So each patch-by-kernel product goes through ``matmul``,
  ``matmul_tn`` or ``matmul_nt`` below, which take one of three ways, ``PRODUCTS``:
  ``"numpy"`` (``@``, where NumPy has BLAS), ``"scipy"`` (where NumPy has none but
  SciPy can be imported) or ``"einsum"`` (neither). It is decided once, at import,
  from NumPy's build information; the tests switch it to check all three on any NumPy.
* Less copying, in both builds: a convolution's patches are built once in the
  forward pass and kept for the backward pass; max pooling compares the window's
  strided views in place instead of stacking copies of them.

tests/test_fast_layers.py holds every function here equal to its plain version in
``numpy_layers`` (and so to Keras), each of the three ways.
"""

from __future__ import annotations

import sys

import numpy as np

from lesson_utils import numpy_layers as L


def numpy_has_blas() -> bool:
    """Whether this NumPy was built with a BLAS library, read from its build information.

    Pyodide's NumPy reports ``blas: none``. Where the information is missing (a NumPy
    before 1.26), NumPy is taken to have BLAS except in Pyodide (``emscripten``).
    """
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:  # an older NumPy (before 1.26) or a build without this information
        return sys.platform != "emscripten"
    return bool(blas.get("found", True)) and blas.get("name", "none") not in ("none", "")


def scipy_gemm() -> dict:
    """SciPy's BLAS matrix products by dtype ({} where SciPy cannot be imported).

    Pyodide's SciPy carries a WebAssembly OpenBLAS built with SIMD; NumPy there has none.
    """
    try:
        from scipy.linalg import blas
    except Exception:  # no SciPy (or a broken one): the einsum path
        return {}
    return {np.dtype(np.float32): blas.sgemm, np.dtype(np.float64): blas.dgemm}


def choose_products() -> str:
    """How the big products run: "numpy" (``@``, NumPy has BLAS), "scipy" or "einsum"."""
    if numpy_has_blas():
        return "numpy"
    return "scipy" if GEMM else "einsum"


GEMM = {} if numpy_has_blas() else scipy_gemm()  # SciPy is imported only where it pays
PRODUCTS = choose_products()  # the tests switch it to check all three ways on any NumPy

# Which einsum: its inner loop runs along the last axis of its operands, and it is
# fastest when that loop is long. So a product over many numbers per row (a patch of
# conv2d_1: 3 * 3 * 32 = 288) runs as one dot product per output; a product over few
# (a patch of the first conv2d: 9 pixels) adds a scaled row to each output row.
# Measured at the lesson's shapes (benchmarks/README.md).
LONG_ROWS = 32


def _gemm(a: np.ndarray, b: np.ndarray):
    """SciPy's gemm for these operands, or None (another dtype, or no SciPy)."""
    if PRODUCTS != "scipy" or a.dtype != b.dtype:
        return None
    if not GEMM:
        GEMM.update(scipy_gemm())
    return GEMM.get(a.dtype)


# SciPy's gemm reads Fortran-ordered (column-major) matrices. A C-ordered (m, k) array
# is the Fortran-ordered (k, m) array a.T, so each product below is asked for
# transposed, (a @ b).T = b.T @ a.T: no operand is copied, and the Fortran-ordered
# answer's .T is the C-ordered product.


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, k) @ b (k, n) -> (m, n)."""
    if PRODUCTS == "numpy":
        return a @ b
    if gemm := _gemm(a, b):
        return gemm(1.0, np.ascontiguousarray(b).T, np.ascontiguousarray(a).T).T
    if a.shape[1] >= LONG_ROWS:
        return np.einsum("mk,nk->mn", a, np.ascontiguousarray(b.T), optimize=False)
    return np.einsum("mk,kn->mn", a, b, optimize=False)


def matmul_tn(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, k) transposed @ b (m, n) -> (k, n): the gradient of a kernel."""
    if PRODUCTS == "numpy":
        return a.T @ b
    if gemm := _gemm(a, b):
        a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
        return gemm(1.0, b.T, a.T, trans_b=1).T
    if a.shape[1] >= LONG_ROWS:
        return np.einsum("mk,nm->kn", a, np.ascontiguousarray(b.T), optimize=False)
    return np.einsum("mk,mn->kn", a, b, optimize=False)


def matmul_nt(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, n) @ b (k, n) transposed -> (m, k): the gradient of the patches."""
    if PRODUCTS == "numpy":
        return a @ b.T
    if gemm := _gemm(a, b):
        a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
        return gemm(1.0, b.T, a.T, trans_a=1).T
    return np.einsum("mn,nk->mk", a, np.ascontiguousarray(b.T), optimize=False)


# ---------------------------------------------------------------- convolution


def conv2d(
    images: np.ndarray,
    kernel: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int = 1,
    padding: str = "valid",
) -> tuple[np.ndarray, np.ndarray]:
    """``numpy_layers.conv2d``, also returning the patches for ``conv2d_backward``.

    Returns (feature maps (n, out_h, out_w, filters), patches (n * out_h * out_w, kh * kw * c)).
    """
    kernel_h, kernel_w, in_channels, filters = kernel.shape
    if padding == "same":
        images = L.pad_same(images, kernel_h, kernel_w, stride)
    patches = L.image_patches(images, kernel_h, kernel_w, stride)
    out_shape = (*patches.shape[:3], filters)
    rows = patches.reshape(-1, patches.shape[-1])
    out = matmul(rows, kernel.reshape(-1, filters))
    if bias is not None:
        out += bias
    return out.reshape(out_shape), rows


def conv2d_backward(
    grad_out: np.ndarray,
    patches: np.ndarray,
    input_shape: tuple[int, ...],
    kernel: np.ndarray,
    stride: int = 1,
    padding: str = "valid",
    need_input_grad: bool = True,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``numpy_layers.conv2d_backward`` from the patches ``conv2d`` returned.

    ``input_shape`` is the shape of the images given to ``conv2d``, or of larger
    images whose top-left corner they were (valid padding): the gradient of the
    pixels outside that corner is 0.
    """
    kernel_h, kernel_w, in_channels, filters = kernel.shape
    flat_grad = grad_out.reshape(-1, filters)
    grad_kernel = matmul_tn(patches, flat_grad).reshape(kernel.shape)
    grad_bias = flat_grad.sum(axis=0)
    if not need_input_grad:
        return None, grad_kernel, grad_bias
    grad_patches = matmul_nt(flat_grad, kernel.reshape(-1, filters))
    grad_patches = grad_patches.reshape(*grad_out.shape[:3], -1)
    n, height, width, channels = input_shape
    out_h, out_w = grad_out.shape[1:3]
    if padding == "same":
        height_p = max((out_h - 1) * stride + kernel_h, height)
        width_p = max((out_w - 1) * stride + kernel_w, width)
    else:
        height_p, width_p = height, width
    grad_padded = np.zeros((n, height_p, width_p, channels), grad_patches.dtype)
    for k in range(kernel_h * kernel_w):  # add each patch position back onto its pixels
        i, j = divmod(k, kernel_w)
        rows = slice(i, i + stride * (out_h - 1) + 1, stride)
        cols = slice(j, j + stride * (out_w - 1) + 1, stride)
        grad_padded[:, rows, cols] += grad_patches[..., k * in_channels : (k + 1) * in_channels]
    if padding == "same":
        top, left = (height_p - height) // 2, (width_p - width) // 2
        return grad_padded[:, top : top + height, left : left + width], grad_kernel, grad_bias
    return grad_padded, grad_kernel, grad_bias


def conv2d_infer(
    images: np.ndarray,
    kernel: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int = 1,
    padding: str = "valid",
) -> np.ndarray:
    """``numpy_layers.conv2d`` for predicting only: the same numbers, stored channels first.

    Returns maps shaped (n, out_h, out_w, filters) like conv2d's, but stored in memory
    as (filters, n, out_h, out_w) (a transposed view). Each filter's output over the
    whole batch is then one long row, the loop einsum runs fastest; relu and
    ``max_pool2d`` keep that layout, the next ``conv2d_infer`` reads it, and
    flattening puts the numbers back in Keras's order. Nothing is kept for a backward pass.
    """
    kernel_h, kernel_w, in_channels, filters = kernel.shape
    if padding == "same":
        images = L.pad_same(images, kernel_h, kernel_w, stride)
    views = L.shifted_views(images, kernel_h, kernel_w, stride)
    n, out_h, out_w, _ = views[0].shape
    patches_t = np.empty((len(views) * in_channels, n * out_h * out_w), images.dtype)
    for k, view in enumerate(views):  # row k * in_channels + c: pixel k of every patch, channel c
        rows = patches_t[k * in_channels : (k + 1) * in_channels]
        rows.reshape(in_channels, n, out_h, out_w)[...] = view.transpose(3, 0, 1, 2)
    weights = kernel.reshape(-1, filters)
    if PRODUCTS == "numpy" or _gemm(weights, patches_t):
        out = matmul_tn(weights, patches_t)  # weights.T @ patches_t
    else:
        out = np.einsum("kf,km->fm", weights, patches_t, optimize=False)
    if bias is not None:
        out += bias[:, None]
    return out.reshape(filters, n, out_h, out_w).transpose(1, 2, 3, 0)


# ------------------------------------------------------------------- relu

# In WebAssembly every NumPy loop is scalar, and some are far slower than others:
# np.maximum (which checks for NaN) and a float times a bool mask (a cast) took 15 ms
# on a (128, 26, 26, 32) array in V8, np.where 2-3 ms, a comparison 1.7 ms, and
# np.maximum on int32 2 ms (benchmarks/wasm/README.md). Natively it is the other way
# round: NumPy's SIMD loops make np.maximum 1.0 ms and np.where 10.5 ms on the same
# array (2-core AMD EPYC, AVX-512). So where NumPy's loops are scalar (SCALAR_LOOPS),
# relu and its gradient are written with np.where and pooling after relu compares
# integers; elsewhere they are written as numpy_layers writes them.


def numpy_has_simd() -> bool:
    """Whether NumPy's loops were built with SIMD instructions: its baseline or
    dispatched CPU extensions (both empty in WebAssembly builds, Pyodide's included)."""
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # NumPy 1.x
        from numpy.core import _multiarray_umath as umath
    baseline = getattr(umath, "__cpu_baseline__", None)
    if baseline is None:  # a NumPy that does not say: assume SIMD but in the browser
        return sys.platform != "emscripten"
    return bool(baseline) or bool(getattr(umath, "__cpu_dispatch__", ()))


SCALAR_LOOPS = not numpy_has_simd()  # the tests switch it to check both ways


def relu(x: np.ndarray) -> np.ndarray:
    """``numpy_layers.relu``: x where x > 0, else 0 (never -0.0)."""
    if SCALAR_LOOPS:
        return np.where(x > 0, x, 0).astype(x.dtype, copy=False)
    return np.maximum(x, 0)  # -0.0 comes out as 0.0


def relu_backward(grad_out: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """``numpy_layers.relu_backward`` from relu's outputs: grad_out where outputs > 0, else 0."""
    if SCALAR_LOOPS:
        return np.where(outputs > 0, grad_out, 0).astype(grad_out.dtype, copy=False)
    return L.relu_backward(grad_out, outputs)


# ------------------------------------------------------------------- pooling

_SAME_ORDER_INTS = {np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


def max_pool2d(
    images: np.ndarray,
    pool_size: int = 2,
    stride: int | None = None,
    nonnegative: bool = False,
) -> np.ndarray:
    """``numpy_layers.max_pool2d``: the running maximum of the window's strided views.

    ``nonnegative=True`` promises images >= 0 with no -0.0 (relu's outputs): such
    floats are ordered as their bits read as integers, and integers compare faster.
    """
    stride = stride or pool_size
    if nonnegative and SCALAR_LOOPS and images.dtype in _SAME_ORDER_INTS:
        ints = images.view(_SAME_ORDER_INTS[images.dtype])
        return max_pool2d(ints, pool_size, stride).view(images.dtype)
    windows = L.shifted_views(images, pool_size, pool_size, stride)
    pooled = windows[0].copy(order="K")  # keeps the layout: conv2d_infer's too
    for window in windows[1:]:
        np.maximum(pooled, window, out=pooled)
    return pooled


def max_pool2d_backward(
    grad_out: np.ndarray,
    images: np.ndarray,
    pooled: np.ndarray,
    pool_size: int = 2,
    stride: int | None = None,
) -> np.ndarray:
    """``numpy_layers.max_pool2d_backward`` given the pooled maps ``max_pool2d`` returned.

    The gradient goes to the first maximum of each window, as in Keras.
    """
    stride = stride or pool_size
    windows = L.shifted_views(images, pool_size, pool_size, stride)
    grad_images = np.zeros_like(images, dtype=grad_out.dtype)
    grad_views = L.shifted_views(grad_images, pool_size, pool_size, stride)
    not_taken = np.ones(pooled.shape, dtype=bool)
    is_winner = np.empty(pooled.shape, dtype=bool)
    for window, view in zip(windows, grad_views, strict=True):
        np.equal(window, pooled, out=is_winner)
        is_winner &= not_taken  # on a tie, the first maximum only
        not_taken ^= is_winner
        winners_grad = np.where(is_winner, grad_out, 0) if SCALAR_LOOPS else grad_out * is_winner
        if stride >= pool_size:  # windows do not overlap: each pixel gets one value
            view[...] = winners_grad
        else:
            view += winners_grad
    return grad_images
