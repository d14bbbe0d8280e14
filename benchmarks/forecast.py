"""How close the forecast before training ("Training will take about N s here") comes.

    python benchmarks/forecast.py [--runs 3] [--watch]
    python benchmarks/wasm/harness.py run benchmarks/forecast.py [--runs 3] [--watch]

Trains the NumPy CNN as notebook 5 does (bundled sample, 5 epochs, batches of 128,
10% held out for validation, with ``--watch`` its watch-it-learn picture), with the
forecast printed however short the training (``FORECAST_ABOVE_SECONDS = 0``), and
prints the forecast, the seconds ``fit`` took, and their ratio. The issue's bound
(22): within 30% of the actual time, in V8 and natively.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import statistics
import time

import lesson_utils as lu
from lesson_utils import progress


def one_run(seed: int, watch: bool) -> tuple[float, float]:
    lu.set_global_seed(seed)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    callbacks = [lu.watch_it_learn(model, data)] if watch else []
    output = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(output):
        lu.train_cnn_model(
            model,
            data.x_train,
            data.y_train,
            epochs=5,
            batch_size=128,
            validation_split=0.1,
            verbose=2,
            callbacks=callbacks,
        )
    seconds = time.perf_counter() - start
    said = re.search(r"Training will take about ([\d.]+) (s|min) here", output.getvalue())
    forecast = float(said.group(1)) * (60 if said.group(2) == "min" else 1)
    return forecast, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--watch", action="store_true", help="with notebook 5's picture")
    args = parser.parse_args()
    progress.FORECAST_ABOVE_SECONDS = 0.0
    ratios = []
    for seed in range(args.runs):
        forecast, seconds = one_run(seed, args.watch)
        ratios.append(forecast / seconds)
        print(
            f"seed {seed}: forecast {forecast:.0f} s, fit took {seconds:.1f} s, "
            f"ratio {forecast / seconds:.2f}",
            flush=True,
        )
    print(f"median ratio {statistics.median(ratios):.2f} (bound: 0.70-1.30)")


if __name__ == "__main__":
    main()
