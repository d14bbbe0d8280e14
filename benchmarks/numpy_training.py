"""How fast the NumPy CNN (the browser's backend) trains on the bundled sample.

    python benchmarks/numpy_training.py [--runs 3] [--epochs 5]

Trains the lesson's CNN with ``NumPyCNN`` on the 4,000 bundled training digits
with lesson_utils's default recipe (batch 128, Adam warmed up to 0.007 and decayed
along a cosine: ``train_cnn_model``'s defaults) and prints, for each run, the
seconds per epoch, the total training seconds and the accuracy on the 1,000
bundled test digits, then the medians.
Target (issue 3): at least 93% test accuracy in under 30 s of training on a 2-core
machine, because the browser runs the same code two to three times slower.

Measured results are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

import lesson_utils as lu


def one_run(seed: int, epochs: int) -> tuple[float, float]:
    lu.set_global_seed(seed)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    start = time.perf_counter()
    lu.train_cnn_model(model, data.x_train, data.y_train, epochs=epochs, verbose=0)
    seconds = time.perf_counter() - start
    return seconds, model.evaluate(data.x_test, data.y_test)["accuracy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"NumPy CNN on the bundled MNIST sample: {platform.processor() or platform.machine()}, "
        f"NumPy {np.__version__}, {args.epochs} epochs, batch {lu.training.DEFAULT_BATCH_SIZE}"
    )
    results = []
    for run in range(args.runs):
        seconds, accuracy = one_run(seed=run, epochs=args.epochs)
        results.append((seconds, accuracy))
        print(
            f"run {run + 1}: {seconds:6.1f} s ({seconds / args.epochs:.1f} s/epoch), "
            f"test accuracy {accuracy:.2%}"
        )
    seconds = statistics.median(r[0] for r in results)
    accuracy = statistics.median(r[1] for r in results)
    print(
        f"median: {seconds:.1f} s of training ({seconds / args.epochs:.1f} s/epoch), "
        f"test accuracy {accuracy:.2%}"
    )


if __name__ == "__main__":
    main()
