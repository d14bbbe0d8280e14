"""The lesson's site: a strict build, its pages as a learner reads them, and a real browser.

One build per session (the ``built_site`` fixture in conftest.py): MkDocs pages and the
JupyterLite app in lite/, with site_url on a sub-path as on a project's pages.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from helpers import SITE_URL, screenshot, serve

from lesson_utils.checks import EXERCISES

# A browser or a site build: minutes, so not in the fast subset (-m 'not slow').
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PREFIX = urlsplit(SITE_URL).path.rstrip("/")  # "/cnn-lesson"
PAGES = ["", "setup/", "exercises/", "api/", "benchmarks/", "contributing/"] + [
    f"notebooks/{nb.stem}/" for nb in NOTEBOOKS
]
DEFAULT_ALT = "No description has been provided for this image"
# What a notebook page must not show: test machinery, the browser's install cell,
# network errors, TensorFlow's C++ and absl log lines.
MACHINERY = {
    "an nbval marker": re.compile(r"nbval", re.IGNORECASE),
    "the install cell": re.compile(r"piplite|emscripten"),
    "an OS error": re.compile(r"Errno"),
    "a TensorFlow log line": re.compile(
        r"oneDNN|TF_ENABLE_ONEDNN_OPTS|absl::|cuda|^[IWE]\d{4} \d\d:\d\d", re.MULTILINE
    ),
}
# axe-core findings that come from the theme itself and that no setting or small
# override removes: (rule id, CSS selector of the node) -> why it stays.
AXE_ACCEPTED: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


def text_of(page: Path) -> str:
    """The page's visible text: tags, scripts and styles dropped."""
    source = re.sub(r"<(script|style)\b.*?</\1>", "", page.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", source))


def test_strict_build_has_every_page(site):
    for page in ["index.html", "setup/index.html", "exercises/index.html", "api/index.html"]:
        assert (site / page).is_file(), page
    for notebook in NOTEBOOKS:
        page = site / "notebooks" / notebook.stem / "index.html"
        assert page.is_file(), page
        assert (page.parent / notebook.name).is_file(), "the .ipynb is there to download"
        figures = '"image/png"' in notebook.read_text()
        shown = 'class="lesson-figure' in page.read_text()
        assert figures == shown, f"{notebook.name}'s plots"


def test_site_ships_no_source_maps(site):
    assert not list(site.rglob("*.map"))


def test_setup_page_quotes_the_readme(site):
    text = text_of(site / "setup" / "index.html")
    assert "pip install -r requirements.txt" in text and "LESSON_DATA_DIR" in text


def test_setup_page_shows_each_part_once_keys_and_the_site_build(site):
    """README's snippet markers enclose each part once, ++shift+enter++ renders as keys,
    and "Build this site" names scripts/build_site.py with its requirements (#14)."""
    page = (site / "setup" / "index.html").read_text()
    headings = re.findall(r"<h[23] id=\"[^\"]*\">([^<]*)", page)
    assert "The switches" in headings and len(headings) == len(set(headings)), headings
    assert (
        page.count('<code class="lesson-nobreak">LESSON_BACKEND</code></td>') == 1
    )  # the switches' table, once
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


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_page_shows_no_machinery(site, notebook):
    text = text_of(site / "notebooks" / notebook.stem / "index.html")
    for what, pattern in MACHINERY.items():
        found = pattern.search(text)
        assert not found, f"{notebook.name}'s page shows {what}: {found.group(0)!r}"


def figure_cells_without_alt(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text())["cells"]
    return [
        cell.get("id", f"#{n}")
        for n, cell in enumerate(cells)
        if any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        and "remove-cell" not in cell["metadata"].get("tags", [])
        and not cell["metadata"].get("alt")
    ]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_figure_has_a_text_alternative(site, notebook):
    missing = figure_cells_without_alt(notebook)
    assert not missing, f"{notebook.name}: figure cells without 'alt' metadata: {missing}"
    page = (site / "notebooks" / notebook.stem / "index.html").read_text()
    alts = re.findall(r"<img\b[^>]*?\balt=\"([^\"]*)\"", page)
    assert len(alts) == len(re.findall(r"<img\b", page)), "every image has an alt attribute"
    assert all(a.strip() and a != DEFAULT_ALT for a in alts), alts


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_are_files_a_tap_opens_full_size(site, notebook):
    """Each figure is a PNG file the page links to (on a phone, a tap shows it full size),
    with its size written in, so the page keeps the figure's place while it loads."""
    folder = site / "notebooks" / notebook.stem
    page = (folder / "index.html").read_text()
    assert "data:image/png" not in page
    figures = re.findall(
        r'<a class="lesson-figure( lesson-figure--wide)?" href="([^"]+)"><img ([^>]*)>', page
    )
    stored = sum(
        "image/png" in output.get("data", {})
        for cell in json.loads(notebook.read_text())["cells"]
        if "remove-cell" not in cell["metadata"].get("tags", [])
        for output in cell.get("outputs", [])
    )
    assert len(figures) == len(re.findall(r"<img\b", page)) == stored
    for wide, href, attributes in figures:
        assert f'src="{href}"' in attributes, "the link opens the figure itself"
        png = (folder / href).resolve()
        width = int(re.search(r'width="(\d+)"', attributes).group(1))
        # Over 720 px its text is unreadable in a phone's column: the page says to tap it.
        assert bool(wide) == (width > 720), (href, width)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
        assert int.from_bytes(png.read_bytes()[16:20], "big") == width


def test_search_index_holds_no_copy_button_notice(site):
    """The copy button's hidden 'Copied!' is not page text: searching must not find it."""
    assert "Copied!" not in (site / "search" / "search_index.json").read_text()


def test_notebook_pages_share_one_stylesheet(site):
    """mkdocs-jupyter's ~590 KB of CSS is one cached file, not inlined into every page."""
    linked = set()
    for notebook in NOTEBOOKS:
        page = (site / "notebooks" / notebook.stem / "index.html").read_text()
        assert "<style" not in page.split('<div class="md-content"', 1)[1]
        linked |= set(re.findall(r'href="([^"]*assets/notebook\.[0-9a-f]+\.css)"', page))
        # 690-790 KB before #14, 590 KB of it the same CSS; then 82-471 KB with the figures
        # inline; 64-128 KB with the figures in files.
        assert len(page.encode()) < 200_000, f"{notebook.name}'s page: {len(page.encode())} B"
    assert len(linked) == 1, linked
    assert (site / "notebooks" / "x" / next(iter(linked))).resolve().stat().st_size > 100_000


def test_next_links_lead_to_the_next_notebook_page(site):
    for notebook, following in zip(NOTEBOOKS, NOTEBOOKS[1:], strict=False):
        page = (site / "notebooks" / notebook.stem / "index.html").read_text()
        links = re.findall(r"Next:\s*<a href=\"([^\"]+)\"", page)
        assert links == [f"../{following.stem}/"], f"{notebook.name}: {links}"


def test_toc_shows_whole_headings_with_code(site):
    page = (site / "notebooks" / "02_convolution" / "index.html").read_text()
    toc = page.split('data-md-component="toc"', 1)[1].split("</nav>", 1)[0]
    assert re.search(r"Keras's\s*<code[^>]*>Conv2D</code>\s*computes the same thing", toc), toc
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in page, anchor


def test_keras_summary_is_a_table_without_terminal_colours(site):
    page = (site / "notebooks" / "05_the_whole_cnn" / "index.html").read_text()
    table = page.split('<table class="keras-summary">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<th[^>]*>([^<]+)</th>", table) == [
        "Layer (type)",
        "Output Shape",
        "Param #",
    ]
    assert len(re.findall(r"<tr>", table)) == 1 + 8  # the header and the CNN's 8 layers
    assert "text-decoration-color" not in page  # rich's terminal colours are gone


class Links(HTMLParser):
    """What a page links to (a, link, img, script) and the ids it defines."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        url = attrs.get("href") if tag in ("a", "link") else attrs.get("src")
        if url and not url.startswith(("data:", "mailto:", "javascript:")):
            if not (tag == "link" and attrs.get("rel") in ("canonical", "sitemap")):
                self.refs.append((tag, url))


def crawl(base: str) -> tuple[dict[str, list[str]], list[str]]:
    """Visit every page of the site from base/ (not inside lite/, the JupyterLab app);
    return ({problem: [pages where it is]}, the pages visited)."""
    problems: dict[str, list[str]] = {}
    parsed: dict[str, Links] = {}
    statuses: dict[str, int] = {}

    def fetch(url: str) -> int:
        if url not in statuses:
            try:
                with urlopen(url, timeout=30) as response:
                    statuses[url] = response.status
                    if response.headers.get_content_type() == "text/html":
                        parsed[url] = Links()
                        parsed[url].feed(response.read().decode())
            except HTTPError as error:
                statuses[url] = error.code
        return statuses[url]

    todo, fragments = [base + "/"], []
    seen = set(todo)
    while todo:
        page = todo.pop()
        if fetch(page) != 200 or page not in parsed:
            continue
        for tag, ref in parsed[page].refs:
            url, fragment = urldefrag(urljoin(page, ref))
            url = url.split("?")[0]
            if not url.startswith(base + "/"):
                # Only a link a learner clicks may leave: no resource from another host.
                if tag != "a" or urlsplit(url).netloc == urlsplit(base).netloc:
                    problems.setdefault(f"leaves the site: {url}", []).append(page)
                continue
            if fetch(url) != 200:
                problems.setdefault(f"{statuses[url]}: {url}", []).append(page)
            if fragment:
                fragments.append((page, url, fragment))
            if url in parsed and url not in seen and "/lite/" not in url:
                seen.add(url)
                todo.append(url)
    for page, url, fragment in fragments:
        if url in parsed and fragment not in parsed[url].ids:
            problems.setdefault(f"no anchor #{fragment} on {url}", []).append(page)
    return problems, sorted(seen)


@pytest.mark.parametrize("prefix", ["", PREFIX], ids=["root", "sub-path"])
def test_every_internal_link_and_image_resolves(site, prefix):
    with serve(site, prefix=prefix, not_found=site / "404.html") as base:
        problems, visited = crawl(base)
    assert not problems, json.dumps(problems, indent=1)[:4000]
    visited = {url[len(base) + 1 :] for url in visited}
    assert set(PAGES) <= visited, set(PAGES) - visited


def test_404_page_keeps_its_styling_under_a_sub_path(browser, site):
    with serve(site, prefix=PREFIX, not_found=site / "404.html") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on(
            "response",
            lambda r: (
                r.status >= 400 and r.request.resource_type != "document" and failed.append(r.url)
            ),
        )
        response = page.goto(base + "/no/such/page/", wait_until="load")
        assert response.status == 404
        assert page.locator("h1").first.inner_text().startswith("404")
        assert page.eval_on_selector("header.md-header", "e => getComputedStyle(e).position") in (
            "sticky",
            "fixed",
        ), "the theme's stylesheet loaded"
        screenshot(page, "site-404-sub-path.png")
        page.close()
    assert not failed, failed


@pytest.fixture(scope="module")
def server(site):
    with serve(site, prefix=PREFIX, not_found=site / "404.html") as url:
        yield url


def visit(browser, url: str, width: int = 1280, scheme: str = "light", third_party=None):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    if third_party is not None:
        host = urlsplit(url).netloc
        page.on(
            "request",
            lambda r: (
                urlsplit(r.url).netloc not in (host, "")
                and not r.url.startswith("data:")
                and third_party.append(r.url)
            ),
        )
    page.goto(url, wait_until="load")
    return page


def heading(page) -> str:
    """The page's h1 without the permalink mark that follows it."""
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def test_lesson_page_in_browser(browser, server):
    page = visit(browser, server + "/")
    assert heading(page) == ("Convolutional Neural Networks, one layer at a time")
    loaded = page.eval_on_selector_all(
        "article img", "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length"
    )
    assert loaded == 2
    page.close()


def test_notebook_page_in_browser_shows_plots(browser, server):
    page = visit(browser, server + "/notebooks/05_the_whole_cnn/")
    assert heading(page).startswith("5. The whole CNN")
    loaded = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => i.complete && i.naturalWidth > 100).length"
    )
    assert loaded >= 3  # training curves, confusion matrix, misclassified digits
    button = page.get_by_text("Open in the browser").locator("visible=true")
    assert button.count() == 1
    assert "/lite/lab/index.html?path=05_the_whole_cnn.ipynb" in button.get_attribute("href")
    assert page.get_by_text("Download the .ipynb").count() == 1
    assert page.locator(".lesson-storage-note").inner_text().startswith("In the browser, your")
    # The whole summary table is in view: nothing hidden behind a horizontal scroll.
    table = page.locator("table.keras-summary")
    box, column = table.bounding_box(), page.locator("article").bounding_box()
    assert box["x"] + box["width"] <= column["x"] + column["width"] + 1
    page.close()


def test_short_inline_code_stays_whole_on_a_phone(browser, server):
    """`--data-dir` or `--dataset fashion_mnist` is not broken after a hyphen at 390 px,
    and keeping it whole pushes no page wider than the phone."""
    for path in ("/setup/", "/notebooks/02_convolution/", "/api/"):
        page = visit(browser, server + path, width=390)
        broken = page.eval_on_selector_all(
            "code.lesson-nobreak",
            "codes => codes.filter(c => c.getClientRects().length > 1).map(c => c.textContent)",
        )
        assert page.locator("code.lesson-nobreak").count() > 5, path
        assert broken == [], (path, broken)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.close()


def test_phone_opens_the_notebook_app_not_jupyterlab(browser, server, site):
    """On a phone JupyterLab's file browser leaves the notebook a sliver: the button opens
    the one-notebook app there."""
    page = visit(browser, server + "/notebooks/02_convolution/", width=390)
    button = page.get_by_text("Open in the browser").locator("visible=true")
    assert button.count() == 1
    href = button.get_attribute("href")
    assert href.endswith("/lite/notebooks/index.html?path=02_convolution.ipynb"), href
    assert (site / "lite" / "notebooks" / "index.html").is_file()
    page.close()


def test_exercises_and_api_pages_in_browser(browser, server):
    page = visit(browser, server + "/exercises/")
    assert heading(page) == "Exercises"
    solution = page.locator("details.success").first
    assert solution.get_attribute("open") is None  # collapsed until clicked
    solution.locator("summary").click()
    assert solution.get_attribute("open") is not None
    page = visit(browser, server + "/api/")
    assert heading(page) == "API reference"
    assert page.locator("h2#lesson_utils\\.data").count() == 1
    assert page.locator("[id='lesson_utils.data.load_mnist']").count() == 1
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_code_is_never_covered_and_screenshots(browser, server, width):
    """Home and notebook pages at a laptop's and a phone's width: the copy button sits
    beside the code, not on it; no page scrolls sideways, nor code on a laptop; Keras's
    summary is whole; full-page screenshots for a person to look at."""
    for path in ["", *PAGES[5:]]:
        page = visit(browser, f"{server}/{path}", width)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"/{path} scrolls sideways by {overflow}px at {width}px"
        covered = page.evaluate(
            """() => [...document.querySelectorAll('.zeroclipboard-container')].filter(b => {
                 const code = b.parentElement.querySelector('.highlight-ipynb');
                 const r = b.getBoundingClientRect(), c = code.getBoundingClientRect();
                 return r.left < c.right - 1 && r.width > 0;
               }).length"""
        )
        assert covered == 0, f"/{path}: {covered} copy buttons cover code at {width}px"
        scrolled = page.evaluate(
            """() => [...document.querySelectorAll('.highlight-ipynb')]
                 .filter(h => h.scrollWidth > h.clientWidth + 1).length"""
        )
        if width >= 1280:  # lines of up to 100 characters (ruff's limit) fit on a laptop
            assert scrolled == 0, f"/{path}: {scrolled} code cells scroll sideways at {width}px"
        cut = page.evaluate(
            """() => [...document.querySelectorAll('table.keras-summary')].filter(t =>
                 t.getBoundingClientRect().right >
                 document.querySelector('article').getBoundingClientRect().right + 1).length"""
        )
        assert cut == 0, f"/{path}: Keras's summary is cut at {width}px"
        breaking = page.evaluate(
            """() => [...document.querySelectorAll('.jp-OutputArea-output pre')]
                 .filter(p => getComputedStyle(p).wordBreak === 'break-all').length"""
        )
        assert breaking == 0, f"/{path}: {breaking} outputs may break inside a number"
        name = path.strip("/").split("/")[-1] or "home"
        screenshot(page, f"site-{name}-{width}.png", full_page=True)
        page.close()


def axe_findings(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for rule in Axe().run(page).response["violations"]:
        if rule["impact"] not in ("serious", "critical"):
            continue
        for node in rule["nodes"]:
            target = " ".join(map(str, node["target"]))
            if (rule["id"], target) not in AXE_ACCEPTED:
                found.append(
                    f"{rule['id']} ({rule['impact']}) at {target}: {node['failureSummary']}"
                )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_and_no_third_party_request(browser, server, scheme):
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python: requirements-dev")
    problems, third_party = {}, []
    for path in [*PAGES, "no/such/page/"]:
        page = visit(browser, f"{server}/{path}", scheme=scheme, third_party=third_party)
        found = axe_findings(page)
        if found:
            problems[f"/{path}"] = found[:5]
        page.close()
    assert not problems, json.dumps(problems, indent=1)[:6000]
    assert not third_party, sorted(set(third_party))


def test_home_pages_architecture_picture_sizes_match_their_files():
    """The width and height written in the page hold each picture's place while it loads:
    they must be the files' own, the phone's two-row picture included."""
    page = (ROOT / "docs" / "index.md").read_text()
    sizes = re.findall(
        r'(?:srcset|src)="(images/architecture[^"]*\.png)" width="(\d+)" height="(\d+)"', page
    )
    assert len(sizes) == 2, sizes
    for path, width, height in sizes:
        header = (ROOT / "docs" / path).read_bytes()[16:24]
        assert (int(width), int(height)) == (
            int.from_bytes(header[:4], "big"),
            int.from_bytes(header[4:], "big"),
        ), path
