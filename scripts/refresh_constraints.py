"""Refresh constraints.txt: the exact versions a fresh clone installs.

The requirements files name what the lesson needs with lower bounds (``>=``), and each
starts with ``-c constraints.txt``, so ``pip install -r requirements*.txt`` takes the
versions pinned there: a clone made months from now installs what CI last tested, not
whatever was released since. Refreshing is a deliberate step:

    python scripts/refresh_constraints.py      # about 2 minutes with pip's cache
    python -m pytest                            # in an environment installed from the new pins

It installs ``requirements-dev.txt`` (which includes the other two) into a new,
temporary virtual environment with the ``-c constraints.txt`` lines left out, so pip
resolves the latest releases that satisfy the requirements, and writes what got
installed to constraints.txt. Commit the new file only once the tests pass with it.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import venv
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ("requirements.txt", "requirements-docs.txt", "requirements-dev.txt")
CONSTRAINT_LINE = "-c constraints.txt"
# pip itself is the installer, not something the lesson runs on.
NOT_PINNED = {"pip"}


def unconstrained_copies(folder: Path) -> Path:
    """The requirements files without their ``-c constraints.txt`` line, in ``folder``."""
    for name in REQUIREMENTS:
        lines = (ROOT / name).read_text().splitlines()
        kept = [line for line in lines if line.strip() != CONSTRAINT_LINE]
        # "-e ." means the repository, wherever the copy is read from.
        kept = [f"-e {ROOT}" if line.strip() == "-e ." else line for line in kept]
        (folder / name).write_text("\n".join(kept) + "\n")
    return folder / "requirements-dev.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "constraints.txt", help="where to write the pins"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        venv.create(folder / "venv", with_pip=True)
        python = folder / "venv" / "bin" / "python"
        requirements = unconstrained_copies(folder)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-q", "-r", str(requirements)], check=True)
        frozen = subprocess.run(
            [*pip, "freeze", "--all", "--exclude-editable"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    pins = [line for line in frozen if "==" in line and line.split("==")[0] not in NOT_PINNED]
    # requirements.txt takes tensorflow-cpu on x86-64 Linux and Windows and tensorflow
    # elsewhere (macOS, ARM): one release in two builds, so both get the tested version.
    for line in list(pins):
        name, pinned = line.split("==")
        if name.lower().replace("_", "-") == "tensorflow-cpu":
            pins.append(f"tensorflow=={pinned}")
    pins.sort(key=str.lower)
    header = [
        "# The exact versions a fresh clone installs: every requirements file starts with",
        "# `-c constraints.txt`. Written by scripts/refresh_constraints.py (which says how and",
        "# when to refresh it); do not edit by hand.",
        f"# Resolved on {date.today().isoformat()} with Python "
        f"{platform.python_version()} on {sys.platform} ({platform.machine()}).",
    ]
    args.out.write_text("\n".join(header + pins) + "\n")
    print(f"Wrote {len(pins)} pins to {args.out}. Now run the tests in an environment installed")
    print("from them (python -m pytest) before committing the new file.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
