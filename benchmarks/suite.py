"""How long the lesson's own checks take: import, notebooks in quick mode, the test suite.

    python benchmarks/suite.py [--runs 3] [--skip-tests]

Prints the median over --runs of:
* ``import lesson_utils`` in a fresh interpreter (target: under 0.3 s; TensorFlow is
  not imported);
* every notebook under nbval with LESSON_QUICK=1, once per backend;
* the whole test suite (``python -m pytest``), once unless --runs says otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def median_of(runs: int, command: list[str], **env: str) -> float:
    return statistics.median(timed(command, **env) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-tests", action="store_true", help="skip the whole test suite")
    args = parser.parse_args()
    python = sys.executable
    baseline = median_of(5, [python, "-c", "pass"])
    imported = median_of(5, [python, "-c", "import lesson_utils"])
    print(
        f"import lesson_utils: {imported - baseline:.2f} s "
        f"(fresh interpreter {imported:.2f} s, of which Python's start {baseline:.2f} s)"
    )
    nbval = [
        python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval-lax",
        "--nbval-current-env",
        "notebooks/",
    ]
    for backend in ("numpy", "tensorflow"):
        seconds = median_of(args.runs, nbval, LESSON_QUICK="1", LESSON_BACKEND=backend)
        print(f"notebooks, quick mode, {backend} backend: {seconds:.0f} s")
    if not args.skip_tests:
        seconds = median_of(1, [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
        print(f"whole test suite (python -m pytest): {seconds:.0f} s")


if __name__ == "__main__":
    main()
