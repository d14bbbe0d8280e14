"""Reproducible installs: every requirement is pinned in constraints.txt, and used.

The requirements files say what the lesson needs (``>=``); constraints.txt says which
exact versions a fresh clone installs (scripts/refresh_constraints.py writes it).
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT_FILES = ["requirements.txt", "requirements-docs.txt", "requirements-dev.txt"]


def requirements(text: str) -> list[Requirement]:
    """The requirements a requirements file names itself (not its -r, -c or -e lines)."""
    lines = (line.split(" #")[0].strip() for line in text.splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith(("#", "-"))]


def pins() -> dict[str, str]:
    """{canonical name: pinned version} from constraints.txt."""
    found = {}
    for requirement in requirements((ROOT / "constraints.txt").read_text()):
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{requirement} is not an exact pin"
        found[canonicalize_name(requirement.name)] = specifier.version
    return found


def named_requirements() -> list[Requirement]:
    """What the requirements files and pyproject.toml ask for, on this platform."""
    named = [r for f in REQUIREMENT_FILES for r in requirements((ROOT / f).read_text())]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named += [Requirement(r) for r in project["dependencies"]]
    return [r for r in named if r.marker is None or r.marker.evaluate()]


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_each_requirements_file_installs_the_pinned_versions(name):
    lines = [line.strip() for line in (ROOT / name).read_text().splitlines()]
    assert "-c constraints.txt" in lines, f"{name} does not use constraints.txt"


def test_every_requirement_has_a_pin_that_satisfies_it():
    pinned = pins()
    for requirement in named_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, (
            f"{requirement.name} is required but not pinned in constraints.txt: "
            "run python scripts/refresh_constraints.py"
        )
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pinned[name]}, "
            f"which does not satisfy {requirement}"
        )


def test_the_pin_check_fails_on_an_unpinned_or_unsatisfied_requirement():
    """The checks above can fail: a requirement outside the pins is found."""
    pinned = pins()
    assert canonicalize_name("numpy") in pinned
    too_new = Requirement(f"numpy>{pinned['numpy']}")
    assert not too_new.specifier.contains(pinned["numpy"])
    assert canonicalize_name("a-package-nobody-pinned") not in pinned


def test_this_environment_was_installed_from_the_pins():
    """The README's commands install the pinned versions; a mismatch says how to fix it."""
    pinned = pins()
    wrong = []
    for requirement in named_requirements():
        name = canonicalize_name(requirement.name)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            continue  # an optional tool (e.g. the browser tests' Playwright) not installed
        if installed != pinned[name]:
            wrong.append(f"{requirement.name} {installed} (pinned {pinned[name]})")
    assert not wrong, (
        "installed versions differ from constraints.txt: "
        + ", ".join(wrong)
        + ". Reinstall with `pip install -r requirements-dev.txt`, or refresh the pins "
        "on purpose with `python scripts/refresh_constraints.py`."
    )
