"""The browser build (JupyterLite): its contents, the wheel it ships, and the app in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from helpers import screenshot, serve

# A browser or a site build: minutes, so not in the fast subset (-m 'not slow').
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def lite(built_site) -> Path:
    return built_site / "lite"


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


def test_lite_notebooks_name_the_browsers_kernel(lite):
    """A notebook naming JupyterLab's python3 kernel is switched to Pyodide's as it opens,
    which marks it edited before the learner has done anything."""
    from build_site import PYODIDE_KERNELSPEC, PYODIDE_LANGUAGE_INFO

    for name in NOTEBOOKS:
        metadata = json.loads((lite / "files" / name).read_text())["metadata"]
        assert metadata["kernelspec"] == PYODIDE_KERNELSPEC, name
        assert metadata["language_info"] == PYODIDE_LANGUAGE_INFO, name
        assert "jupytext" not in metadata, name


def test_language_info_is_what_the_pyodide_kernel_reports():
    """The kernel's kernel_info reply, read from the installed extension's JavaScript: if
    a new version reports another language_info, a notebook would open as edited again."""
    pytest.importorskip("jupyterlite_pyodide_kernel", reason="the site's tools are not installed")
    from build_site import PYODIDE_LANGUAGE_INFO

    folder = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite"
    scripts = (folder / "pyodide-kernel-extension" / "static").glob("*.js")
    literal = re.compile(r"language_info:(\{codemirror_mode:\{[^}]*\}[^}]*\})")
    reports = [m for js in scripts for m in literal.findall(js.read_text())]
    assert len(set(reports)) == 1, reports  # the extension's one kernel_info reply
    as_json = re.sub(r"(\w+):", r'"\1":', reports[0])  # a JavaScript object literal -> JSON
    assert json.loads(as_json) == PYODIDE_LANGUAGE_INFO


def test_wheel_holds_exactly_the_packages_files(lite):
    """No stale module from an earlier build (pip's build/ folder) reaches the browser."""
    import zipfile

    (wheel,) = (lite / "pypi").glob("lesson_utils-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("lesson_utils/")}
    package = ROOT / "lesson_utils"
    expected = {
        p.relative_to(ROOT).as_posix()
        for p in package.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix in (".py", ".npz", ".md", ".js")
    }
    assert shipped == expected


def test_lite_keeps_work_in_storage_named_after_this_version(lite):
    from build_site import storage_name

    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    assert "enableMemoryStorage" not in config and "contentsStorageDrivers" not in config
    name = storage_name(lite / "files" / nb for nb in NOTEBOOKS)
    assert re.fullmatch(r"CNN lesson \d+\.\d+\.\d+ \([0-9a-f]{10}\)", name), name
    assert config["contentsStorageName"] == config["workspacesStorageName"] == name
    assert any("pypi/all.json" in url for url in _piplite_urls(config))


def test_storage_name_changes_with_any_notebook(tmp_path):
    from build_site import storage_name

    first, second = tmp_path / "01_a.ipynb", tmp_path / "02_b.ipynb"
    first.write_text("{}")
    second.write_text("{}")
    name = storage_name([first, second])
    assert storage_name([second, first]) == name  # the order it is given in does not matter
    second.write_text('{"cells": []}')
    assert storage_name([first, second]) != name


def test_lite_ships_no_source_maps(lite):
    assert not list(lite.rglob("*.map"))
    assert sum(p.stat().st_size for p in lite.rglob("*") if p.is_file()) < 40e6


def _piplite_urls(config: dict) -> list[str]:
    settings = config.get("litePluginSettings", {})
    kernel = settings.get("@jupyterlite/pyodide-kernel-extension:kernel", {})
    return kernel.get("pipliteUrls", [])


def test_wheel_installs_and_imports_without_tensorflow(lite, tmp_path):
    """The browser's package in a clean environment: NumPy backend, bundled real digits."""
    (wheel,) = (lite / "pypi").glob("lesson_utils-*.whl")
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
    # The kernel is chosen in the first seconds: a notebook naming another kernel would be
    # switched and marked edited by now. (The kernel itself cannot start without Pyodide's
    # CDN, so its language_info report is checked from the extension's code instead.)
    page.wait_for_timeout(3_000)
    assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0  # nothing edited yet
    # "Next: [2. Convolution](02_convolution.ipynb)" at the end opens the next notebook.
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")  # command mode: the arrow keys move from cell to cell
    following = page.locator(".jp-Notebook .jp-MarkdownOutput a", has_text="2. Convolution")
    for _ in range(200):  # JupyterLab renders only the cells near the one selected
        if following.count():
            break
        page.keyboard.press("ArrowDown")
    following.first.click()
    opened = page.locator(".jp-Notebook:visible .jp-MarkdownOutput h1", has_text="2. Convolution")
    opened.first.wait_for(timeout=60_000)
    assert NOTEBOOKS[1] in page.locator(".lm-TabBar-tabLabel").all_inner_texts()
    page.close()


def open_notebook(page, url: str) -> str:
    """Open the first notebook in JupyterLite; return the text of its first cells, once its
    title and its second code cell are on the page (JupyterLab renders markdown after code)."""
    page.goto(f"{url}/lab/index.html?path={NOTEBOOKS[0]}")
    page.locator(".jp-Notebook .jp-CodeCell .cm-content").nth(1).wait_for(timeout=60_000)
    page.locator(".jp-Notebook .jp-MarkdownOutput h1").first.wait_for(timeout=60_000)
    return page.locator(".jp-Notebook").inner_text()


def test_learners_edits_survive_a_reload_but_never_hide_a_new_version(browser, lite, tmp_path):
    """Edit, save, reload: the edit is there. Publish a new version of the lesson at the
    same address, reload: its new notebook is there (the edit stays with the old one)."""
    from build_site import build_lite

    changed = tmp_path / "notebooks"
    changed.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, changed / name)
    notebook = json.loads((changed / NOTEBOOKS[0]).read_text())
    notebook["cells"].insert(
        1,
        {
            "cell_type": "markdown",
            "id": "new-in-v2",
            "metadata": {},
            "source": ["A sentence new in the next release."],
        },
    )
    (changed / NOTEBOOKS[0]).write_text(json.dumps(notebook))
    build_lite(tmp_path / "v2", notebooks=sorted(changed.glob("*.ipynb")))

    published = tmp_path / "www" / "lite"  # the address the learner visits
    published.parent.mkdir()
    published.symlink_to(lite)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    with serve(published.parent) as url:
        open_notebook(page, url + "/lite")
        page.locator(".jp-Notebook .jp-CodeCell .cm-content").nth(1).click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\n# my own note")
        page.keyboard.press("Control+s")
        page.locator(".jp-mod-dirty").first.wait_for(state="detached", timeout=30_000)
        page.reload()
        assert "# my own note" in open_notebook(page, url + "/lite")
        screenshot(page, "lite-edit-kept.png")

        published.unlink()
        published.symlink_to(tmp_path / "v2")
        text = open_notebook(page, url + "/lite")
        new = page.locator(".jp-Notebook .jp-MarkdownOutput", has_text="new in the next release")
        new.first.wait_for(timeout=30_000)  # fails here if the old release's notebook came back
        assert "# my own note" not in text
        screenshot(page, "lite-new-version.png")

        published.unlink()  # the old release's work is still in its own storage
        published.symlink_to(lite)
        assert "# my own note" in open_notebook(page, url + "/lite")
    context.close()
