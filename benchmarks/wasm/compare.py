"""The NumPy CNN's training in V8 (WebAssembly) and natively, side by side in one run.

    python benchmarks/wasm/compare.py [--runs 3] [--epochs 5]

Runs benchmarks/numpy_training.py (bundled sample, default recipe) once per seed,
alternating: in the WebAssembly CPython under V8 (harness.py, NumPy reporting no BLAS as
in Pyodide, so the products go through SciPy's BLAS), with ``--einsum`` also there with
the products through einsum (as where SciPy is missing), and natively with this
Python's NumPy single-threaded (``OPENBLAS_NUM_THREADS=1``). Prints each run and the medians,
with the load average before each run. Its figures are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import harness

SCRIPT = harness.ROOT / "benchmarks" / "numpy_training.py"


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def one_run(where: str, seed: int, epochs: int, tools: harness.Tools) -> dict:
    args = ["--json", "--runs", "1", "--first-seed", str(seed), "--epochs", str(epochs)]
    if where.startswith("V8"):
        env = {"LESSON_WASM_PRODUCTS": "einsum"} if "einsum" in where else {}
        done = harness.run(tools, ["run", "/src/benchmarks/numpy_training.py", *args], env=env)
        out, code, err = done.stdout, done.returncode, done.stderr
    else:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(harness.ROOT)}
        done = subprocess.run(
            [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True
        )
        out, code, err = done.stdout, done.returncode, done.stderr
    if code != 0:
        raise SystemExit(f"{where} run failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--einsum", action="store_true", help="also V8 with einsum products")
    args = parser.parse_args()
    tools = harness.setup()
    results: dict[str, list[dict]] = {"V8": [], "native": []}
    if args.einsum:
        results["V8 einsum"] = []
    for seed in range(args.runs):
        for where in results:
            before = load()
            result = one_run(where, seed, args.epochs, tools)
            results[where].append(result)
            print(
                f"{where:9s} seed {seed}: training {result['train_s']:5.1f} s, "
                f"accuracy {result['accuracy']:.2%}, predict 1,000 {result['predict_s']:.2f} s "
                f"(NumPy {result['numpy']}; load before: {before})",
                flush=True,
            )
    medians = {
        where: {key: statistics.median(r[key] for r in runs) for key in ("train_s", "predict_s")}
        for where, runs in results.items()
    }
    for where, runs in results.items():
        each = " / ".join(f"{r['train_s']:.1f}" for r in runs)
        print(
            f"{where:9s} median: training {medians[where]['train_s']:.1f} s "
            f"({each}), "
            f"accuracy {statistics.median(r['accuracy'] for r in runs):.2%}, "
            f"predict 1,000 {medians[where]['predict_s']:.2f} s"
        )
    ratio = medians["V8"]["train_s"] / medians["native"]["train_s"]
    print(f"V8 / native, training: {ratio:.1f}x; load now: {load()}")


if __name__ == "__main__":
    main()
