"""The browser build (JupyterLite): its contents, the wheel it ships, and the app in Chromium."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from helpers import screenshot, serve

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def lite(tmp_path_factory) -> Path:
    if importlib.util.find_spec("jupyterlite_core") is None:
        pytest.skip("jupyterlite is in requirements-docs.txt")
    from build_site import build_lite

    out = tmp_path_factory.mktemp("site") / "lite"
    build_lite(out)
    return out


def test_lite_holds_every_notebook_and_the_wheel(lite):
    assert sorted(p.name for p in (lite / "files").glob("*.ipynb")) == NOTEBOOKS
    for name in NOTEBOOKS:  # the learner runs them in the browser: no stale outputs
        cells = json.loads((lite / "files" / name).read_text())["cells"]
        assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code"), name
    wheels = list((lite / "pypi").glob("lesson_utils-*-py3-none-any.whl"))
    assert len(wheels) == 1
    index = json.loads((lite / "pypi" / "all.json").read_text())
    release = next(iter(index["lesson-utils"]["releases"].values()))[0]
    assert release["filename"] == wheels[0].name


def test_lite_keeps_files_in_memory_only(lite):
    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    assert config["enableMemoryStorage"] is True
    assert config["contentsStorageDrivers"] == ["memoryStorageDriver"]
    assert config["settingsStorageDrivers"] == ["memoryStorageDriver"]
    assert any("pypi/all.json" in url for url in _piplite_urls(config))


def _piplite_urls(config: dict) -> list[str]:
    settings = config.get("litePluginSettings", {})
    kernel = settings.get("@jupyterlite/pyodide-kernel-extension:kernel", {})
    return kernel.get("pipliteUrls", [])


def test_wheel_installs_and_imports_without_tensorflow(lite, tmp_path):
    """The browser's package in a clean environment: NumPy backend, bundled real digits."""
    (wheel,) = (lite / "pypi").glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Nothing of this checkout may leak in: no PYTHONPATH, run from an empty folder.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LESSON_BACKEND")}
    subprocess.run(
        [python, "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        timeout=600,
        cwd=tmp_path,
        env=env,
    )
    code = (
        "import sys, lesson_utils as lu; data = lu.load_mnist(verbose=False); "
        "print(lu.get_backend(), data.source, data.x_train.shape, "
        "'tensorflow' in sys.modules)"
    )
    result = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["numpy", "sample"]
    assert result.stdout.strip().endswith("(4000, 28, 28, 1) False")


@pytest.fixture(scope="module")
def server(lite):
    with serve(lite) as url:
        yield url


def test_lite_app_in_browser_lists_and_opens_the_notebooks(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/lab/index.html?path={NOTEBOOKS[0]}")
    listing = page.locator(".jp-DirListing-itemName")
    listing.first.wait_for(timeout=60_000)
    names = listing.all_inner_texts()
    assert all(name in names for name in NOTEBOOKS), names
    heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first
    heading.wait_for(timeout=60_000)
    assert heading.inner_text().startswith("1. Images as arrays")
    # JupyterLab renders only the cells in view; the first code cell is one of them.
    first_code = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea").first
    assert 'sys.platform == "emscripten"' in first_code.inner_text()
    screenshot(page, "lite-notebook-1.png")
