"""How fast the interactive widgets answer (#15): median milliseconds over repeated updates.

    python benchmarks/widgets.py [--repeats 30]

- playground: one change of a control, as ``kernel_playground`` handles it (numpy_layers
  maps, the figure's data refreshed, PNG rendered), with and without a shift;
- draw a digit: a drawing (280x280 pad) preprocessed, every layer's output, the figure
  with the top three classes rendered, for a NumPyCNN and (if TensorFlow is there) Keras;
- watch it learn: one redraw of the training picture (32 kernels, 32 maps, curves).
No widget frontend is needed: the numbers are the Python side of each update.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import lesson_utils as lu
from lesson_utils.widgets.pad import digit_layer_outputs


def median_ms(action, repeats: int) -> float:
    action()  # the first call builds figures and caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def bench_playground(data, repeats: int) -> None:
    playground = lu.kernel_playground(data)
    weights = iter(np.tile(np.linspace(-2, 2, 7), 1000))

    def change_weight():
        playground.weights[4].value = float(next(weights))

    for dx in (0, 1):
        playground.dx.value = dx
        took = median_ms(change_weight, repeats)
        print(f"playground, one weight changed, shift dx={dx}: {took:.0f} ms")
    took = median_ms(playground.maps, repeats)
    print(f"  of which the maps (numpy_layers):        {took:.2f} ms")


def bench_draw_a_digit(backend: str, repeats: int) -> None:
    try:
        model = lu.compile_cnn_model(lu.build_cnn_model(backend=backend))
    except ImportError:
        print(f"draw a digit ({backend}): skipped, no TensorFlow")
        return
    widget = lu.draw_a_digit(model)
    pad = np.zeros((280, 280), np.uint8)
    pad[40:240, 120:160] = 255
    flip = iter(range(10**6))

    def draw():
        pad[0, 0] = 255 * (next(flip) % 2)  # a new drawing each time, as each stroke sends
        widget.pad.drawing = pad.tobytes()

    took = median_ms(draw, repeats)
    print(f"draw a digit ({backend}), stroke to picture: {took:.0f} ms")
    took = median_ms(lambda: digit_layer_outputs(model, widget.digit()), repeats)
    print(f"  of which every layer's output:           {took:.1f} ms")


def bench_watch_it_learn(data, repeats: int) -> None:
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    callback = lu.watch_it_learn(model, data, every=1)
    callback.watcher._show = lambda png: None  # no notebook to show it in here
    for _ in range(50):
        callback.watcher.log.add_batch(1.0, 0.5, 0.007)
    print(f"watch it learn, one redraw: {median_ms(callback.watcher.draw, repeats):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    data = lu.load_mnist(source="sample", verbose=False)
    bench_playground(data, args.repeats)
    for backend in ("numpy", "tensorflow"):
        bench_draw_a_digit(backend, args.repeats)
    bench_watch_it_learn(data, max(5, args.repeats // 3))


if __name__ == "__main__":
    main()
