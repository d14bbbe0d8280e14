#!/usr/bin/env bash
# Build a proxy of the browser's NumPy: NumPy 2.4.x compiled without BLAS or LAPACK
# (Pyodide's NumPy has no BLAS either), in its own virtual environment, with
# matplotlib and lesson_utils, so that benchmarks/numpy_training.py can run in it:
#
#     nice -n 10 benchmarks/build_noblas_numpy.sh          # 10-20 minutes on 2 cores, once
#     .cache/numpy-noblas/bin/python benchmarks/numpy_training.py
#
# The environment is cached in .cache/numpy-noblas (git ignores .cache/): a second
# run that finds a working no-BLAS NumPy there stops at once. Never part of the
# tests or CI. Set NOBLAS_VENV to put it elsewhere, PYTHON to build with another
# interpreter (default: python3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${NOBLAS_VENV:-$root/.cache/numpy-noblas}"
python="${PYTHON:-python3}"

check='
import numpy, sys
blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
sys.exit(0 if blas == "none" else f"NumPy {numpy.__version__} was built with BLAS {blas!r}")
'

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$check" 2>/dev/null \
    && "$venv/bin/python" -c "import matplotlib, lesson_utils" 2>/dev/null; then
    echo "The no-BLAS NumPy is already built in $venv (delete the folder to rebuild)."
    exit 0
fi

echo "Building NumPy without BLAS into $venv (10-20 minutes on 2 cores)..."
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --no-binary numpy "numpy==2.4.*" \
    -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none -Csetup-args=-Dallow-noblas=true
# matplotlib's wheel needs NumPy, which is now installed: pip keeps the no-BLAS one.
"$venv/bin/python" -m pip install --quiet matplotlib
"$venv/bin/python" -m pip install --quiet --no-deps -e "$root"
"$venv/bin/python" -c "$check"
"$venv/bin/python" -c 'import numpy; print("Built NumPy", numpy.__version__, "without BLAS.")'
