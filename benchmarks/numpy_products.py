"""The NumPy CNN's matrix products at the lesson's shapes: `@` against each einsum.

    python benchmarks/numpy_products.py                       # this NumPy
    .cache/numpy-noblas/bin/python benchmarks/numpy_products.py   # the browser's kind

Times, in milliseconds of CPU (the best of 7, so that other work on a shared
machine counts less), each product a training step of batch 128 computes: the
forward pass (patches @ kernel), the kernel's gradient (patches.T @ grad) and the
patches' gradient (grad @ kernel.T), each written with `@` and as the einsums
fast_layers can use. This is how fast_layers.py's choices were made: without BLAS
`@` is several times slower than the einsums; with BLAS it is the other way round;
and einsum is fastest when its inner loop runs along long rows.
"""

from __future__ import annotations

import time

import numpy as np

SHAPES = [  # (what, rows m, inner k, outputs n): patches (m, k) @ kernel (k, n)
    ("conv2d, 28x28x1 -> 26x26x32", 128 * 26 * 26, 9, 32),
    ("conv2d_1, 13x13x32 -> 11x11x64", 128 * 11 * 11, 288, 64),
    ("conv2d_2, 5x5x64 -> 3x3x64", 128 * 3 * 3, 576, 64),
    ("dense, 576 -> 64", 128, 576, 64),
]


def best_ms(function, repeats: int = 7) -> float:
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return 1000 * best


def einsum(subscripts, *operands):
    return np.einsum(subscripts, *operands, optimize=False)


def products(a: np.ndarray, b: np.ndarray, g: np.ndarray) -> dict:
    """{product: {formulation: function}} for patches a (m, k), kernel b (k, n), grad g (m, n)."""
    a_t, b_t, g_t = (np.ascontiguousarray(x.T) for x in (a, b, g))
    return {
        "forward": {
            "a @ b": lambda: a @ b,
            "mk,kn->mn": lambda: einsum("mk,kn->mn", a, b),
            "mk,nk->mn (b.T)": lambda: einsum("mk,nk->mn", a, b_t),
            "kn,km->nm (a.T, channels first)": lambda: einsum("kn,km->nm", b, a_t),
        },
        "kernel gradient": {
            "a.T @ g": lambda: a.T @ g,
            "mk,mn->kn": lambda: einsum("mk,mn->kn", a, g),
            "mk,nm->kn (g.T)": lambda: einsum("mk,nm->kn", a, g_t),
            "km,nm->kn (a.T, g.T)": lambda: einsum("km,nm->kn", a_t, g_t),
        },
        "patches gradient": {
            "g @ b.T": lambda: g @ b.T,
            "mn,kn->mk": lambda: einsum("mn,kn->mk", g, b),
            "mn,nk->mk (b.T)": lambda: einsum("mn,nk->mk", g, b_t),
        },
    }


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"NumPy {np.__version__}; ms of CPU, best of 7")
    for what, m, k, n in SHAPES:
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        g = rng.standard_normal((m, n)).astype(np.float32)
        rows = products(a, b, g)
        print(f"\n{what}: ({m}, {k}) @ ({k}, {n})")
        for product, ways in rows.items():
            times = "  ".join(f"{name} {best_ms(f):.1f}" for name, f in ways.items())
            print(f"  {product:16s} {times}", flush=True)


if __name__ == "__main__":
    main()
