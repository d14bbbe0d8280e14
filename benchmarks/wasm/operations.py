"""Milliseconds (best of 5) of single NumPy operations at the lesson's shapes, batch 128.

    python benchmarks/wasm/harness.py run benchmarks/wasm/operations.py     # in V8
    python benchmarks/wasm/operations.py                                     # natively

First the products a training step computes, each of fast_layers's ways; then the
element-wise operations that relu, pooling and their gradients could be written with,
on the first convolution's output (128, 26, 26, 32). In WebAssembly NumPy has no SIMD
loops, and some scalar loops are far slower than others (np.maximum, a float times a
bool mask): this is how fast_layers.py's choices were made (benchmarks/wasm/README.md).
"""

from __future__ import annotations

import time

import numpy as np

from lesson_utils import fast_layers as F

PRODUCTS = [  # (layer, rows m, inner k, outputs n): patches (m, k) @ kernel (k, n)
    ("conv2d", 128 * 26 * 26, 9, 32),
    ("conv2d_1", 128 * 10 * 10, 288, 64),  # only the 10x10 its pooling reads
    ("conv2d_2", 128 * 3 * 3, 576, 64),
    ("dense", 128, 576, 64),
]


def best_ms(function, repeats: int = 5) -> float:
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return 1000 * best


def products() -> None:
    rng = np.random.default_rng(0)
    ways = ["numpy", "scipy", "einsum"] if F.GEMM or F.scipy_gemm() else ["numpy", "einsum"]
    for layer, m, k, n in PRODUCTS:
        a, b, g = (rng.standard_normal(s).astype(np.float32) for s in ((m, k), (k, n), (m, n)))
        for way in ways:
            F.PRODUCTS = way
            forward = best_ms(lambda a=a, b=b: F.matmul(a, b))
            kernel = best_ms(lambda a=a, g=g: F.matmul_tn(a, g))
            patches = best_ms(lambda g=g, b=b: F.matmul_nt(g, b))
            print(
                f"{layer:9s} {way:7s} forward {forward:6.1f}  "
                f"kernel grad {kernel:6.1f}  patches grad {patches:6.1f}",
                flush=True,
            )


def element_wise() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 26, 26, 32)).astype(np.float32)
    y, z, mask = np.abs(x), np.empty_like(x), x > 0
    yi, zi = y.view(np.int32), z.view(np.int32)
    pooled = F.max_pool2d(y, 2)
    upstream = rng.standard_normal(pooled.shape).astype(np.float32)
    operations = {
        "np.add(x, y, out=z)": lambda: np.add(x, y, out=z),
        "np.maximum(x, 0, out=z)  (relu)": lambda: np.maximum(x, 0, out=z),
        "np.where(x > 0, x, 0)  (relu)": lambda: np.where(x > 0, x, 0),
        "x > 0": lambda: x > 0,
        "g * mask  (float times bool)": lambda: x * mask,
        "np.where(mask, g, 0)": lambda: np.where(mask, x, 0),
        "np.maximum of 2x2 views, float32": lambda: np.maximum(y[:, ::2, ::2], y[:, 1::2, ::2]),
        "np.maximum of 2x2 views, int32": lambda: np.maximum(yi[:, ::2, ::2], yi[:, 1::2, ::2]),
        "np.maximum(int32, out=)": lambda: np.maximum(yi, yi, out=zi),
        "fast_layers.max_pool2d": lambda: F.max_pool2d(y, 2),
        "fast_layers.max_pool2d, nonnegative": lambda: F.max_pool2d(y, 2, nonnegative=True),
        "fast_layers.max_pool2d_backward": lambda: F.max_pool2d_backward(upstream, y, pooled),
    }
    for what, operation in operations.items():
        print(f"{what:40s} {best_ms(operation):6.1f}", flush=True)


if __name__ == "__main__":
    print(f"NumPy {np.__version__}, products: {F.PRODUCTS}; milliseconds, best of 5")
    products()
    element_wise()
