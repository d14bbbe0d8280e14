"""Milliseconds (best of 5) of the training step's pieces at the lesson's shapes, batch 128."""
import time
import numpy as np
from lesson_utils import fast_layers as F

def best(f, r=5):
    f(); b = 1e9
    for _ in range(r):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return 1000 * b

rng = np.random.default_rng(0)
R = lambda *s: rng.standard_normal(s).astype(np.float32)
for what, m, k, n in [("conv", 128*26*26, 9, 32), ("conv1", 128*11*11, 288, 64), ("conv2", 128*9, 576, 64), ("dense", 128, 576, 64)]:
    a, b, g = R(m, k), R(k, n), R(m, n)
    for way in ("scipy", "einsum"):
        F.PRODUCTS = way
        print(what, way, "fwd %.1f  tn %.1f  nt %.1f" % (best(lambda: F.matmul(a, b)), best(lambda: F.matmul_tn(a, g)), best(lambda: F.matmul_nt(g, b))), flush=True)
x = R(128, 26, 26, 32); y = np.maximum(x, 0)
print("maximum out= %.1f" % best(lambda: np.maximum(x, 0, out=y)))
print("relu_backward g*(x>0) %.1f" % best(lambda: x * (y > 0)))
print("multiply where %.1f" % best(lambda: np.multiply(x, y > 0)))
z = np.empty_like(x)
print("copyto where %.1f" % best(lambda: (z.fill(0), np.copyto(z, x, where=y > 0))))
print("greater %.1f" % best(lambda: y > 0))
print("copy %.1f" % best(lambda: x.copy()))
print("add %.1f" % best(lambda: np.add(x, y, out=z)))
p = F.max_pool2d(x, 2)
print("max_pool2d %.1f" % best(lambda: F.max_pool2d(x, 2)))
gp = R(*p.shape)
print("max_pool2d_backward %.1f" % best(lambda: F.max_pool2d_backward(gp, x, p, 2)))
im = R(128, 13, 13, 32)
from lesson_utils import numpy_layers as L
print("image_patches conv1 %.1f" % best(lambda: L.image_patches(im, 3, 3)))
