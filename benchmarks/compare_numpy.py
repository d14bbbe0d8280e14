"""The NumPy CNN before and after a change, side by side, with and without BLAS.

    python benchmarks/compare_numpy.py --before REV [--runs 3] [--python PY ...]

For each run (seed 0, 1, 2, ...) and each Python given (by default the ordinary
NumPy of this environment and, if it has been built, the no-BLAS proxy in
.cache/numpy-noblas, see build_noblas_numpy.sh), runs benchmarks/numpy_training.py
once with lesson_utils as it was at git revision REV and once as it is now, each
in a fresh process, alternating, so that both see the same load on a shared
machine. OpenBLAS runs single-threaded (OPENBLAS_NUM_THREADS=1). Prints every run,
the machine's load average before each, and the medians with the after/before
ratio. Results go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOBLAS_PYTHON = ROOT / ".cache" / "numpy-noblas" / "bin" / "python"


def export_revision(revision: str, folder: Path) -> None:
    """lesson_utils as it was at ``revision``, into folder/lesson_utils."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "lesson_utils"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)


def one_run(python: str, code_folder: Path, seed: int, epochs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code_folder), "OPENBLAS_NUM_THREADS": "1"}
    env.pop("LESSON_QUICK", None)
    output = subprocess.run(
        [python, str(ROOT / "benchmarks" / "numpy_training.py"), "--runs", "1"]
        + ["--first-seed", str(seed), "--epochs", str(epochs), "--json"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision of the 'before' code")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--python", action="append", help="interpreters to compare in")
    args = parser.parse_args()
    pythons = args.python or [sys.executable] + ([str(NOBLAS_PYTHON)] * NOBLAS_PYTHON.exists())
    results: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as before_folder:
        export_revision(args.before, Path(before_folder))
        code = {"before": Path(before_folder), "after": ROOT}
        for seed in range(args.runs):
            for python in pythons:
                # Alternate which goes first, so neither always meets the same neighbour.
                order = ["before", "after"] if seed % 2 == 0 else ["after", "before"]
                for variant in order:
                    load = os.getloadavg()[0]
                    result = one_run(python, code[variant], seed, args.epochs)
                    result["load"] = load
                    results.setdefault((python, variant), []).append(result)
                    print(
                        f"{variant:6s} seed {seed} {result['numpy']:24s} load {load:4.1f}: "
                        f"train {result['train_s']:6.1f} s, accuracy {result['accuracy']:.2%}, "
                        f"predict 1,000 {result['predict_s']:.2f} s "
                        f"(CPU {result.get('train_cpu_s', 0):.1f} s, "
                        f"{result.get('predict_cpu_s', 0):.2f} s)",
                        flush=True,
                    )
    print("\nmedians:")
    for python in pythons:
        medians = {}
        for variant in ("before", "after"):
            runs = results[(python, variant)]
            medians[variant] = {
                key: statistics.median(r.get(key, 0) for r in runs)
                for key in ("train_s", "accuracy", "predict_s", "train_cpu_s", "predict_cpu_s")
            }
            print(
                f"{variant:6s} {runs[0]['numpy']:24s}: train {medians[variant]['train_s']:.1f} s, "
                f"accuracy {medians[variant]['accuracy']:.2%}, "
                f"predict 1,000 {medians[variant]['predict_s']:.2f} s "
                f"(CPU: {medians[variant]['train_cpu_s']:.1f} s, "
                f"{medians[variant]['predict_cpu_s']:.2f} s)"
            )
        ratio = medians["after"]["train_s"] / medians["before"]["train_s"]
        cpu = medians["after"]["train_cpu_s"] / max(medians["before"]["train_cpu_s"], 1e-9)
        print(f"after/before training time: {ratio:.2f} (CPU time: {cpu:.2f})")


if __name__ == "__main__":
    main()
