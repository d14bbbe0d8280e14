"""How fast the NumPy CNN (the browser's backend) trains on the bundled sample.

    python benchmarks/numpy_training.py [--runs 3] [--epochs 5] [--first-seed 0] [--json]

Trains the lesson's CNN with ``NumPyCNN`` on the 4,000 bundled training digits
with lesson_utils's default recipe (batch 128, Adam warmed up to 0.007 and decayed
along a cosine: ``train_cnn_model``'s defaults) and prints, for each run, the
seconds per epoch, the total training seconds, the accuracy on the 1,000 bundled
test digits and the seconds to predict them, then the medians. ``--json`` prints
each run as one JSON line instead (benchmarks/compare_numpy.py reads them).

Run it with the browser's kind of NumPy (no BLAS) from the proxy environment that
benchmarks/build_noblas_numpy.sh builds:

    .cache/numpy-noblas/bin/python benchmarks/numpy_training.py

and with the ordinary NumPy single-threaded (OpenBLAS's threads make timings on a
shared machine unstable): ``OPENBLAS_NUM_THREADS=1 python benchmarks/numpy_training.py``.
Targets (issue 13): without BLAS at most 30 s of training at 96% or more, and at
most 0.5 s to predict the 1,000 digits. Measured results are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np

import lesson_utils as lu


def numpy_build() -> str:
    """NumPy's version and the BLAS it was built with, e.g. "2.4.6, BLAS none"."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"].get("name", "?")
    except Exception:
        blas = "?"
    return f"{np.__version__}, BLAS {blas}"


def one_run(seed: int, epochs: int) -> dict:
    lu.set_global_seed(seed)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    start, cpu = time.perf_counter(), time.process_time()
    lu.train_cnn_model(model, data.x_train, data.y_train, epochs=epochs, verbose=0)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    model.predict(data.x_test)
    predict_seconds, predict_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {  # _cpu: the process's CPU seconds, which other work on the machine inflates less
        "seed": seed,
        "train_s": seconds,
        "train_cpu_s": cpu_seconds,
        "accuracy": model.evaluate(data.x_test, data.y_test)["accuracy"],
        "predict_s": predict_seconds,
        "predict_cpu_s": predict_cpu,
        "numpy": numpy_build(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="one JSON line per run")
    args = parser.parse_args()
    if not args.json:
        print(
            f"NumPy CNN on the bundled MNIST sample: {platform.processor() or platform.machine()}, "
            f"NumPy {numpy_build()}, {args.epochs} epochs, batch {lu.training.DEFAULT_BATCH_SIZE}"
        )
    results = []
    for run in range(args.runs):
        result = one_run(seed=args.first_seed + run, epochs=args.epochs)
        results.append(result)
        if args.json:
            print(json.dumps(result), flush=True)
            continue
        print(
            f"run {run + 1} (seed {result['seed']}): {result['train_s']:6.1f} s "
            f"({result['train_s'] / args.epochs:.1f} s/epoch), "
            f"test accuracy {result['accuracy']:.2%}, predict 1,000: {result['predict_s']:.2f} s "
            f"(CPU: training {result['train_cpu_s']:.1f} s, "
            f"predicting {result['predict_cpu_s']:.2f} s)",
            flush=True,
        )
    if not args.json:
        seconds = statistics.median(r["train_s"] for r in results)
        print(
            f"median: {seconds:.1f} s of training ({seconds / args.epochs:.1f} s/epoch), "
            f"test accuracy {statistics.median(r['accuracy'] for r in results):.2%}, "
            f"predict 1,000: {statistics.median(r['predict_s'] for r in results):.2f} s"
        )


if __name__ == "__main__":
    main()
