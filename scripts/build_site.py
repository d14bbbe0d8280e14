"""Build the lesson's site with the browser build inside it, offline, in one command.

    python scripts/build_site.py [--output-dir site] [--no-lite]

1. ``mkdocs build --strict`` writes the site to ``site/``;
2. a ``py3-none-any`` wheel of ``lesson_utils`` is built (with its bundled data);
3. ``jupyter lite build`` writes JupyterLite to ``site/lite/`` with the notebooks
   and that wheel (plus any in ``EXTRA_WHEELS``), so each notebook page's "Open in the
   browser" button works;
4. the lite build keeps a learner's edits in browser storage named after this version of
   the lesson (``storage_name``), and ships without its JavaScript source maps.

Nothing is downloaded: the JupyterLite app and its Pyodide kernel extension come from
the installed Python packages (requirements-docs.txt).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# More wheels for the browser's piplite index (e.g. widget libraries), beside lesson_utils's.
# The interactive widgets' pure-Python wheels (jupyterlite/wheels/README.md, #15).
EXTRA_WHEELS: list[Path] = sorted((ROOT / "jupyterlite" / "wheels").glob("*.whl"))


# What this script needs beyond the lesson itself, from requirements-docs.txt:
# import name -> package name.
SITE_TOOLS = {
    "mkdocs": "mkdocs",
    "material": "mkdocs-material",
    "mkdocs_jupyter": "mkdocs-jupyter",
    "mkdocstrings": "mkdocstrings",
    "jupyterlite_core": "jupyterlite-core",
    "jupyterlite_pyodide_kernel": "jupyterlite-pyodide-kernel",
}


def require_site_tools() -> None:
    """Stop with one line saying what to install, instead of a traceback halfway."""
    missing = [name for module, name in SITE_TOOLS.items() if not importlib.util.find_spec(module)]
    if not can_build_wheels():
        missing.append("setuptools>=77")
    if missing:
        sys.exit(
            f"scripts/build_site.py needs the site's tools ({', '.join(missing)} missing here): "
            "pip install -r requirements-docs.txt"
        )


def can_build_wheels() -> bool:
    """Whether pip can build this wheel without build isolation: setuptools 77+ (the
    first to read pyproject.toml's SPDX licence string)."""
    try:
        version = re.match(r"(\d+)\.(\d+)", importlib.metadata.version("setuptools"))
    except importlib.metadata.PackageNotFoundError:
        return False
    return bool(version) and tuple(map(int, version.groups())) >= (77, 0)


def build_wheel(folder: Path) -> Path:
    """Build lesson_utils's wheel into folder and return its path.

    It is built from a fresh copy of the package's files: pip leaves a ``build/`` folder
    behind, and a second build from the checkout would ship whatever stale modules
    that folder still holds."""
    source = folder / "source"
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "lesson_utils",
        source / "lesson_utils",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    run_quietly(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(folder),
            str(source),
        ],
        cwd=folder,
    )
    (wheel,) = folder.glob("lesson_utils-*-py3-none-any.whl")
    return wheel


# The browser's kernel (jupyterlite-pyodide-kernel). A notebook naming another kernel
# (python3, from JupyterLab) is switched to this one as it opens, which marks it edited.
PYODIDE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
# What that kernel reports as it starts (its kernelInfoRequest, jupyterlite-pyodide-kernel
# 0.8.6): JupyterLab writes it into the notebook, which marks the notebook edited unless it
# is there already. tests/test_lite.py reads it from the installed extension.
PYODIDE_LANGUAGE_INFO = {
    "codemirror_mode": {"name": "python", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.8",
}


def copy_without_outputs(notebook: Path, folder: Path) -> Path:
    """The notebook with its stored outputs cleared: they come from the TensorFlow run on
    a laptop, and in the browser the learner runs each cell on the NumPy backend. It names
    the browser's kernel and its language as that kernel reports them, and drops
    Jupytext's pairing (there is no .py twin there)."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata["kernelspec"] = dict(PYODIDE_KERNELSPEC)
    nb.metadata["language_info"] = copy.deepcopy(PYODIDE_LANGUAGE_INFO)
    nb.metadata.pop("jupytext", None)
    path = folder / notebook.name
    nbformat.write(nb, path)
    return path


def storage_name(notebooks: Iterable[Path]) -> str:
    """The browser storage of this version of the lesson: the package's version and a hash
    of the notebooks the learner gets. A new release (any changed notebook) starts from its
    own notebooks, while the learner's edits to this one stay where they were."""
    # The one place the version is written (pyproject.toml reads it from there too).
    version = re.search(
        r'^__version__ = "([^"]+)"', (ROOT / "lesson_utils" / "__init__.py").read_text(), re.M
    ).group(1)
    digest = hashlib.sha256()
    for notebook in sorted(notebooks, key=lambda p: p.name):
        digest.update(notebook.name.encode() + b"\0" + notebook.read_bytes())
    return f"CNN lesson {version} ({digest.hexdigest()[:10]})"


def keep_work_in_browser(output_dir: Path, name: str) -> None:
    """Contents and workspaces in the browser's storage under this version's name;
    settings (theme, ...) under one name for every version."""
    path = output_dir / "jupyter-lite.json"
    config = json.loads(path.read_text())
    config["jupyter-config-data"].update(
        contentsStorageName=name,
        workspacesStorageName=name,
        settingsStorageName="CNN lesson settings",
    )
    path.write_text(json.dumps(config, indent=2) + "\n")


def drop_source_maps(output_dir: Path) -> int:
    """Source maps only help whoever debugs JupyterLab itself: about two thirds of the build."""
    maps = list(output_dir.rglob("*.map"))
    for path in maps:
        path.unlink()
    return len(maps)


def build_lite(
    output_dir: Path,
    notebooks: Iterable[Path] = NOTEBOOKS,
    extra_wheels: Iterable[Path] = EXTRA_WHEELS,
) -> None:
    """The JupyterLite app with the lesson notebooks, the lesson_utils wheel and extra_wheels."""
    with tempfile.TemporaryDirectory() as tmp:
        wheels = [build_wheel(Path(tmp)), *extra_wheels]
        copies = [copy_without_outputs(nb, Path(tmp)) for nb in notebooks]
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lite",
            "build",
            "--lite-dir",
            str(ROOT / "jupyterlite"),
            "--output-dir",
            str(output_dir),
        ]
        for wheel in wheels:
            command += ["--piplite-wheels", str(wheel)]
        for notebook in copies:
            command += ["--contents", str(notebook)]
        run_quietly(command, cwd=tmp)
        keep_work_in_browser(output_dir, storage_name(copies))
    drop_source_maps(output_dir)


def run_quietly(command: list[str], cwd: Path | str) -> None:
    """Run a build step; show its log only if it fails (a working build prints one line)."""
    # Material's banner about its future would otherwise open every build.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, encoding="utf-8", errors="replace"
    )
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        step = " ".join(command[2:5])  # after "python -m": "mkdocs build --strict", ...
        sys.exit(f"scripts/build_site.py: {step} failed (its log is above)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir", default=str(ROOT / "site"), help="where to write the site (default site/)"
    )
    parser.add_argument("--no-lite", action="store_true", help="skip the JupyterLite build")
    args = parser.parse_args()
    require_site_tools()
    out = Path(args.output_dir).resolve()
    run_quietly([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT)
    drop_source_maps(out)  # the theme's own, 1.3 MB
    if not args.no_lite:
        build_lite(out / "lite")
    print(f"Built the site in {out}; preview it with: python -m http.server -d {out}")


if __name__ == "__main__":
    main()
