"""The browser build holds what the interactive widgets need (#15): the widget packages'
wheels in piplite's offline index and their JupyterLab extensions in the app.

Pyodide itself comes from a CDN these machines cannot reach, so no kernel runs here:
the test checks the build's contents and that the app loads the extensions and
renders a notebook in Chromium.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from helpers import screenshot, serve

# A browser or a site build: minutes, so not in the fast subset (-m 'not slow').
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / "jupyterlite" / "wheels"
PACKAGES = {"ipywidgets": "ipywidgets", "anywidget": "anywidget", "psygnal": "psygnal"}
PACKAGES["jupyterlab_widgets"] = "jupyterlab-widgets"
EXTENSIONS = ["anywidget", "@jupyter-widgets/jupyterlab-manager"]


def test_the_shipped_wheels_are_the_installed_versions():
    """The browser gets the same widget versions as a learner's JupyterLab (requirements.txt)."""
    pytest.importorskip("anywidget")
    shipped = {p.name.split("-")[0]: p.name.split("-")[1] for p in WHEELS.glob("*.whl")}
    assert shipped == {name: version(name) for name in PACKAGES}
    pins = (ROOT / "requirements.txt").read_text()
    for name in ("ipywidgets", "anywidget"):
        assert f"{name}=={shipped[name]}" in pins


@pytest.fixture(scope="module")
def lite(built_site) -> Path:
    return built_site / "lite"


def test_lite_serves_the_widget_wheels_offline(lite):
    index = json.loads((lite / "pypi" / "all.json").read_text())
    for module, project in PACKAGES.items():
        releases = index[project]["releases"]
        assert list(releases) == [version(module)], project
        (release,) = releases[version(module)]
        assert (lite / "pypi" / release["filename"]).is_file()


def test_lite_holds_the_widget_extensions(lite):
    config = json.loads((lite / "jupyter-lite.json").read_text())["jupyter-config-data"]
    names = [ext["name"] for ext in config["federated_extensions"]]
    for name in EXTENSIONS:
        assert name in names
        (entry,) = [e for e in config["federated_extensions"] if e["name"] == name]
        assert (lite / "extensions" / name / entry["load"]).is_file()


def test_lite_app_loads_the_widget_extensions_and_renders_a_notebook(browser, lite):
    loaded: list[str] = []
    with serve(lite) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on(
            "response",
            lambda r: loaded.append(r.url) if r.ok and "remoteEntry" in r.url else None,
        )
        page.goto(f"{url}/lab/index.html?path=02_convolution.ipynb")
        heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first
        heading.wait_for(timeout=60_000)
        assert heading.inner_text().startswith("2.")
        screenshot(page, "lite-widgets-notebook-2.png")
        page.close()
    for name in EXTENSIONS:
        assert any(f"/extensions/{name}/static/remoteEntry" in u for u in loaded), name
