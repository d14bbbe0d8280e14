"""Where the NumPy CNN's training time goes: cProfile, sorted by own time.

    python benchmarks/wasm/harness.py run benchmarks/wasm/profile_training.py [--epochs 2]
    python benchmarks/wasm/profile_training.py [--epochs 2]      # natively, to compare

Trains as benchmarks/numpy_training.py does (bundled sample, default recipe), for
fewer epochs, and prints the 25 functions with the most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats

import lesson_utils as lu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    lu.set_global_seed(0)
    data = lu.load_mnist(source="sample", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    profile = cProfile.Profile()
    profile.enable()
    lu.train_cnn_model(model, data.x_train, data.y_train, epochs=args.epochs, verbose=0)
    model.predict(data.x_test)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
