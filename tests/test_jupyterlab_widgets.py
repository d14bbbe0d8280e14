"""The interactive widgets in a real JupyterLab, driven in Chromium (#15).

The test writes a notebook with the lesson's one-line cells, starts ``jupyter lab`` on
localhost with a token, runs the notebook in the browser, then moves a kernel weight
and draws a stroke with the mouse, as a learner would. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from helpers import screenshot

# A browser or a site build: minutes, so not in the fast subset (-m 'not slow').
pytestmark = pytest.mark.slow

CELLS = [
    "import lesson_utils as lu\ndata = lu.load_mnist(source='sample', verbose=False)",
    "lu.kernel_playground(data, shift=(1, 0))",
    "model = lu.compile_cnn_model(lu.build_cnn_model(backend='numpy'))\n"
    "lu.train_cnn_model(model, data.x_train[:2000], data.y_train[:2000], epochs=1, verbose=0);",
    "lu.draw_a_digit(model)",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    pytest.importorskip("anywidget")
    pytest.importorskip("jupyterlab")
    root = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code) for code in CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "widgets.ipynb")
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, "LESSON_BACKEND": "numpy", "JUPYTER_CONFIG_DIR": str(root / ".config")}
    env["JUPYTER_RUNTIME_DIR"] = str(root / ".runtime")
    log = open(root / "lab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={root / '.settings'}",
            f"--LabApp.workspaces_dir={root / '.workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",  # CI runs as root
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("jupyter lab did not start:\n" + (root / "lab.log").read_text())
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def notebook_page(browser, lab):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # JupyterLab keeps connections open, so the page's "load" never comes: wait for the DOM.
    page.goto(f"{url}/lab/tree/widgets.ipynb?token={token}", wait_until="domcontentloaded")
    page.wait_for_function(
        "window.jupyterapp && document.querySelector('.jp-Notebook .jp-CodeCell')",
        timeout=90_000,
    )
    try:  # a kernel chooser, where one shows, gets the notebook's own kernel
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=3_000)
    except Exception:  # noqa: BLE001 - no dialog: nothing to do
        pass
    # Run all cells once the kernel is there (the command waits for it).
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    yield page
    page.close()


def test_playground_redraws_the_map_when_a_weight_changes(notebook_page):
    page = notebook_page
    maps = page.locator(".lesson-playground-maps").first
    maps.wait_for(timeout=120_000)
    page.wait_for_function(
        "document.querySelector('.lesson-playground-maps').src.startsWith('blob:')"
    )
    before = maps.get_attribute("src")
    weight = page.locator(".lesson-playground .widget-text input").nth(4)  # the centre weight
    took = []
    for value in ("4", "3", "2", "1", "4"):  # each a new map; the time is what a learner waits
        weight.fill(value)
        start = time.perf_counter()
        weight.press("Enter")
        page.wait_for_function(
            "src => document.querySelector('.lesson-playground-maps').src !== src",
            arg=before,
            polling=10,
        )
        took.append(time.perf_counter() - start)
        before = maps.get_attribute("src")
    print(f"weight changed -> new map in the page: median {1000 * sorted(took)[2]:.0f} ms")
    summary = page.locator(".lesson-playground-summary").inner_text()
    assert "Largest response" in summary
    assert "Shift (1, 0): cosine similarity" in summary  # the shift the cell asked for
    page.locator(".lesson-playground").first.scroll_into_view_if_needed()
    screenshot(page, "jupyterlab-playground.png")


def test_drawing_a_stroke_gets_a_prediction_with_probabilities(notebook_page):
    page = notebook_page
    pad = page.locator("canvas.lesson-pad").first
    pad.wait_for(timeout=180_000)
    pad.scroll_into_view_if_needed()
    answer = page.locator(".lesson-digit-answer").first
    assert "empty" in answer.inner_text()
    box = pad.bounding_box()
    x, top = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15
    page.mouse.move(x, top)
    page.mouse.down()
    page.mouse.move(x + 4, box["y"] + box["height"] * 0.85, steps=15)  # a "1"
    page.mouse.up()
    page.wait_for_function(
        "document.querySelector('.lesson-digit-answer').innerText.includes('The CNN says')",
        timeout=60_000,
    )
    text = answer.inner_text()
    assert text.count("%") == 3, text
    page.locator(".lesson-draw-a-digit").first.scroll_into_view_if_needed()
    screenshot(page, "jupyterlab-draw-a-digit.png")


def test_the_controls_have_names_and_move_by_keyboard(notebook_page):
    """Every control is found by its role and accessible name, as a screen reader finds
    it, and the keyboard moves it: the bias by 0.1 an arrow key (issue 20)."""
    page = notebook_page
    page.locator(".lesson-playground-maps").first.wait_for(timeout=120_000)
    for row in (1, 2, 3):
        for column in (1, 2, 3):
            name = f"kernel weight, row {row}, column {column}"
            assert page.get_by_role("spinbutton", name=name, exact=True).count() == 1
    for name in ("shift dx", "shift dy"):
        assert page.get_by_role("slider", name=name, exact=True).count() == 1
    for name in ("preset", "digit"):
        assert page.get_by_role("combobox", name=name, exact=True).count() == 1
    bias = page.get_by_role("slider", name="bias", exact=True)
    bias.focus()
    bias.press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('.lesson-playground-summary').innerText"
        ".includes('With bias 0 the similarity would be')",
        timeout=30_000,
    )
    assert bias.get_attribute("aria-valuetext") == "0.100"
    for name in ("clear", "left", "right", "up", "down", "thicken"):
        assert page.get_by_role("button", name=name, exact=True).count() == 1


def test_a_digit_can_be_drawn_by_keyboard(notebook_page):
    page = notebook_page
    pad = page.get_by_role("application", name="Drawing pad for a digit", exact=False)
    pad.wait_for(timeout=180_000)
    page.get_by_role("button", name="clear", exact=True).click()
    answer = page.locator(".lesson-digit-answer").first
    page.wait_for_function(
        "document.querySelector('.lesson-digit-answer').innerText.includes('empty')"
    )
    pad.focus()
    for _ in range(5):
        pad.press("ArrowUp")
    pad.press("Space")  # the pen down
    for _ in range(10):
        pad.press("ArrowDown")  # a "1"
    pad.press("Space")  # lifted: the stroke is sent
    page.wait_for_function(
        "document.querySelector('.lesson-digit-answer').innerText.includes('The CNN says')",
        timeout=60_000,
    )
    assert answer.inner_text().count("%") == 3
    page.locator(".lesson-draw-a-digit").first.scroll_into_view_if_needed()
    screenshot(page, "jupyterlab-draw-by-keyboard.png")
