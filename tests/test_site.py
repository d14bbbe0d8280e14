"""The lesson's site: a strict MkDocs build, and its pages in a real (headless) browser."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import screenshot, serve

from lesson_utils.checks import EXERCISES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("mkdocs", reason="the site's tools are in requirements-docs.txt")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_strict_build_has_every_page(site):
    for page in ["index.html", "setup/index.html", "exercises/index.html", "api/index.html"]:
        assert (site / page).is_file(), page
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        page = site / "notebooks" / notebook.stem / "index.html"
        assert page.is_file(), page
        assert (page.parent / notebook.name).is_file(), "the .ipynb is there to download"
        assert "data:image/png;base64" in page.read_text(), f"{notebook.name} shows its plots"


def test_setup_page_quotes_the_readme(site):
    text = re.sub(r"<[^>]+>", "", (site / "setup" / "index.html").read_text())  # drop highlighting
    assert "pip install -r requirements.txt" in text and "LESSON_DATA_DIR" in text


def test_setup_page_shows_each_part_once_keys_and_the_site_build(site):
    """README's snippet markers enclose each part once, ++shift+enter++ renders as keys,
    and "Build this site" names scripts/build_site.py with its requirements (#14)."""
    page = (site / "setup" / "index.html").read_text()
    headings = re.findall(r"<h[23] id=\"[^\"]*\">([^<]*)", page)
    assert "The switches" in headings and len(headings) == len(set(headings)), headings
    assert page.count("<code>LESSON_BACKEND</code></td>") == 1  # the switches' table, once
    assert "++shift" not in page.lower() and '<kbd class="key-shift">Shift</kbd>' in page
    text = re.sub(r"<[^>]+>", "", page).replace("&amp;", "&")  # drop highlighting
    assert "pip install -r requirements-docs.txt && python scripts/build_site.py" in text


def test_exercises_page_comes_from_the_checks(site):
    text = (site / "exercises" / "index.html").read_text()
    assert len(re.findall(r'<details class="success"', text)) == len(EXERCISES)
    for exercise in EXERCISES:
        assert f"Exercise {exercise.notebook}.{exercise.number}:" in text
        first_line = exercise.solution_code.splitlines()[0]
        words = re.findall(r"[A-Za-z_]{4,}", first_line)
        assert all(word in text for word in words), exercise.title


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as url:
        yield url


def visit(browser, url: str, shot: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url, wait_until="load")
    screenshot(page, shot)
    return page


def heading(page) -> str:
    """The page's h1 without the permalink mark that follows it."""
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def test_lesson_page_in_browser(browser, server):
    page = visit(browser, server + "/", "site-lesson.png")
    assert heading(page) == ("Convolutional Neural Networks, one layer at a time")
    loaded = page.eval_on_selector_all(
        "article img", "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length"
    )
    assert loaded == 2


def test_notebook_page_in_browser_shows_plots(browser, server):
    page = visit(browser, server + "/notebooks/05_the_whole_cnn/", "site-notebook-5.png")
    assert heading(page).startswith("5. The whole CNN")
    loaded = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => i.complete && i.naturalWidth > 100).length"
    )
    assert loaded >= 3  # training curves, confusion matrix, misclassified digits
    assert page.get_by_text("Open in the browser").count() == 1
    assert page.get_by_text("Download the .ipynb").count() == 1


def test_exercises_and_api_pages_in_browser(browser, server):
    page = visit(browser, server + "/exercises/", "site-exercises.png")
    assert heading(page) == "Exercises"
    solution = page.locator("details.success").first
    assert solution.get_attribute("open") is None  # collapsed until clicked
    solution.locator("summary").click()
    assert solution.get_attribute("open") is not None
    page = visit(browser, server + "/api/", "site-api.png")
    assert heading(page) == "API reference"
    assert page.locator("h2#lesson_utils\\.data").count() == 1
    assert page.locator("[id='lesson_utils.data.load_mnist']").count() == 1
