import time
import numpy as np
def best(f, r=5):
    f(); b = 1e9
    for _ in range(r):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return 1000 * b
rng = np.random.default_rng(0)
x = rng.standard_normal((128, 26, 26, 32)).astype(np.float32)
y = np.abs(x); z = np.empty_like(x); m = x > 0; mf = m.astype(np.float32)
xi = y.view(np.int32); zi = z.view(np.int32)
tests = {
 "abs out": lambda: np.abs(x, out=z),
 "add out": lambda: np.add(x, y, out=z),
 "multiply ff out": lambda: np.multiply(x, mf, out=z),
 "multiply scalar out": lambda: np.multiply(x, 0.5, out=z),
 "maximum scalar out": lambda: np.maximum(x, 0, out=z),
 "maximum f32 scalar out": lambda: np.maximum(x, np.float32(0), out=z),
 "maximum array out": lambda: np.maximum(x, y, out=z),
 "fmax array": lambda: np.fmax(x, y, out=z),
 "int32 maximum": lambda: np.maximum(xi, xi, out=zi),
 "sign": lambda: np.sign(x, out=z),
 "greater": lambda: np.greater(x, 0),
 "greater f32 0": lambda: np.greater(x, np.float32(0)),
 "equal": lambda: np.equal(x, y),
 "bool astype f32": lambda: m.astype(np.float32),
 "bool view u8 astype": lambda: m.view(np.uint8).astype(np.float32),
 "where": lambda: np.where(m, x, 0),
 "where f32 0": lambda: np.where(m, x, np.float32(0)),
 "copyto where": lambda: np.copyto(z, x, where=m),
 "multiply fb out": lambda: np.multiply(x, m, out=z),
 "logical_and": lambda: np.logical_and(m, m),
 "bitand": lambda: m & m,
 "clip": lambda: np.clip(x, 0, None, out=z),
 "x+abs*0.5 (3 passes)": lambda: (np.abs(x, out=z), np.add(z, x, out=z), np.multiply(z, 0.5, out=z)),
 "heaviside": lambda: np.heaviside(y, 0),
 "ceil min": lambda: np.ceil(x, out=z),
 "sum axis0 (n,32)": lambda: x.reshape(-1, 32).sum(axis=0),
 "sum all": lambda: x.sum(),
 "min all": lambda: x.min(),
 "copy strided 2x2 view": lambda: x[:, ::2, ::2].copy(),
 "maximum strided views": lambda: np.maximum(x[:, ::2, ::2], x[:, 1::2, ::2]),
 "int maximum strided": lambda: np.maximum(xi[:, ::2, ::2], xi[:, 1::2, ::2]),
}
for k, f in tests.items():
    print(f"{k:28s} {best(f):6.1f}", flush=True)
