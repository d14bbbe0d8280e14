"""MkDocs hook: notebook pages a learner can read (mkdocs-jupyter's HTML, tidied).

For each page made from a notebook it

* points links to another lesson notebook (``[2. Convolution](02_convolution.ipynb)``, which
  work in JupyterLab and JupyterLite) at that notebook's page on the site;
* gives every figure the text alternative in its cell's ``alt`` metadata;
* drops the cell-tag toolbar (``nbval-check-output``, ...), test machinery a learner never needs;
* shows Keras's ``model.summary()`` as an HTML table, and drops rich's terminal colours;
* rebuilds the table of contents from the headings on the page, so every entry shows its
  whole heading (code included) and links to an anchor that exists;
* moves the ~590 KB of CSS and the scripts that mkdocs-jupyter inlines into every page into
  one shared file each (``assets/notebook.<hash>.css`` and ``.js``), fetched once and cached;
* moves each figure out of the page into its own PNG file (``assets/figures/<hash>.png``),
  cached by the browser, and links it, so that on a phone a tap opens the figure full size.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.notebook_pages")

DEFAULT_ALT = "No description has been provided for this image"
WIDE_FIGURE_PX = 720  # wider than this, a figure's text is unreadable on a phone
NOTEBOOK_LINK = re.compile(r"^(?:\./)?(\d\d_[\w-]+\.ipynb)(#.*)?$")
# Keras's summary (drawn by rich): ┃ header ┃, │ row │, ├───┤ between rows.
SUMMARY_TOP = "┏"

_shared: dict[str, str | bytes] = {}  # site path -> text or bytes, written after the build
PNG_DATA = "data:image/png;base64,"


def is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_content(html_text: str, page, config, files):
    if not is_notebook(page):
        return html_text
    soup = BeautifulSoup(html_text, "html.parser")
    cells = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))["cells"]
    link_notebooks(soup, page, files)
    set_alt_texts(soup, cells, page.file.src_uri)
    for toolbar in soup.select(".celltoolbar"):
        toolbar.decompose()
    for pre in soup.select(".jp-OutputArea-output pre"):
        if SUMMARY_TOP in pre.get_text():
            pre.replace_with(summary_table(soup, pre.get_text()))
        else:
            drop_terminal_colours(pre)
    scrolling = ".highlight-ipynb, .highlight > pre, .jp-OutputArea-output pre"
    scrolling += ", .jp-RenderedMarkdown table"  # a phone's narrow tables scroll (extra.css)
    for region in soup.select(scrolling):
        region["tabindex"] = "0"  # a region that may scroll is reachable by keyboard
    for notice in soup.select(".zeroclipboard-container .notice"):
        notice.decompose()  # the copy button's hidden "Copied!" would fill the search index
    figures_to_files(soup, page)
    page.meta["notebook_css"], page.meta["notebook_js"] = share_assets(soup, page)
    page.toc = get_toc(toc_tokens(soup))
    return str(soup)


def on_post_build(config):
    for path, content in _shared.items():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def figures_to_files(soup, page) -> None:
    """Each inline PNG output -> a shared file, linked to itself for a full-size view.

    A notebook's figures are most of its page's weight (base64 in the HTML); as files they
    are fetched in parallel and cached, and a figure shown twice is one file. On a phone
    a wide figure is shrunk to the text's width, so the link lets a learner open it full
    size (and zoom).
    """
    for image in soup.select(".jp-OutputArea-output img[src]"):
        if not image["src"].startswith(PNG_DATA):
            continue
        data = base64.b64decode(image["src"][len(PNG_DATA) :])
        path = f"assets/figures/{hashlib.sha256(data).hexdigest()[:16]}.png"
        _shared[path] = data
        url = get_relative_url(path, page.url)
        image["src"] = url
        # A PNG's width and height sit at bytes 16-24 (its IHDR chunk): the page reserves
        # the figure's space before it loads.
        image["width"] = str(int.from_bytes(data[16:20], "big"))
        image["height"] = str(int.from_bytes(data[20:24], "big"))
        # A phone's column is about 360 px: a figure over twice that wide has text too
        # small to read there, and the page says a tap opens it full size (extra.css).
        wide = int(image["width"]) > WIDE_FIGURE_PX
        classes = "lesson-figure lesson-figure--wide" if wide else "lesson-figure"
        link = soup.new_tag("a", attrs={"href": url, "class": classes})
        image.wrap(link)


def link_notebooks(soup, page, files) -> None:
    """``NN_name.ipynb`` -> the relative URL of that notebook's page."""
    folder = page.file.src_uri.rsplit("/", 1)[0]
    for link in soup.select("a[href]"):
        match = NOTEBOOK_LINK.match(link["href"])
        target = match and files.get_file_from_path(f"{folder}/{match.group(1)}")
        if target:
            link["href"] = get_relative_url(target.url, page.url) + (match.group(2) or "")


def set_alt_texts(soup, cells: list[dict], name: str) -> None:
    """Each figure's alt text from its cell's ``alt`` metadata (a string, or one per image)."""
    missing = []
    for cell in cells:
        wrapper = soup.find(id=f"cell-id={cell.get('id')}")
        images = wrapper.select(".jp-OutputArea img") if wrapper else []
        if not images:
            continue
        alt = cell["metadata"].get("alt")
        if not alt:
            missing.append(cell.get("id"))
            continue
        texts = alt if isinstance(alt, list) else [alt] * len(images)
        if len(texts) != len(images):
            missing.append(cell.get("id"))
            continue
        for k, (image, text) in enumerate(zip(images, texts, strict=True), start=1):
            numbered = len(images) > 1 and not isinstance(alt, list)
            image["alt"] = f"{text} (image {k} of {len(images)})" if numbered else text
    if missing:
        log.info("%s: figure cells without an 'alt' in their metadata: %s", name, missing)


def drop_terminal_colours(pre) -> None:
    """rich's colours are meant for a dark terminal (cyan on white is unreadable here)."""
    for span in pre.select("span[style]"):
        kept = [s for s in span["style"].split(";") if "color" not in s and s.strip()]
        if kept:
            span["style"] = ";".join(kept)
        else:
            del span["style"]
    if pre.get("style"):
        del pre["style"]


def summary_table(soup, text: str):
    """Keras's box-drawn summary as a real table: whole at any width, read by screen readers."""
    header, rows, current = [], [], None
    for line in text.splitlines():
        if line.startswith("┃"):
            header = [c.strip() for c in line.strip("┃").split("┃")]
        elif line.startswith("│"):
            parts = [c.strip() for c in line.strip("│").split("│")]
            if current is None:
                current = parts
                rows.append(current)
            else:  # a long name wrapped onto a second line of the same row
                current[:] = [f"{a} {b}".strip() for a, b in zip(current, parts, strict=False)]
        elif line.startswith(("├", "└")):
            current = None
    table = soup.new_tag("table", attrs={"class": "keras-summary"})
    head = soup.new_tag("thead")
    row = soup.new_tag("tr")
    for name in header:
        cell = soup.new_tag("th", attrs={"scope": "col"})
        cell.string = name
        row.append(cell)
    head.append(row)
    table.append(head)
    body = soup.new_tag("tbody")
    for values in rows:
        row = soup.new_tag("tr")
        for value in values:
            cell = soup.new_tag("td")
            cell.string = value
            row.append(cell)
        body.append(row)
    table.append(body)
    return table


def share_assets(soup, page) -> tuple[str, str]:
    """Move the page's inline CSS and scripts into shared files; return their site paths."""
    styles, scripts = [], []
    uses_mermaid = soup.select_one(".jp-Mermaid") is not None
    for tag in soup.find_all(["style", "script"]):
        text = tag.string or ""
        if tag.name == "style" and not text.lstrip().startswith("["):  # a list's repr: not CSS
            styles.append(text)
        elif tag.name == "script":
            kind = tag.get("type", "")
            if "mathjax" in kind or tag.get("src") == "":
                pass  # no formula in the lesson, and an empty src fetches the page again
            elif kind == "module":
                if uses_mermaid:
                    continue  # keep it in the page
            else:
                scripts.append(text)
        tag.decompose()
    return _share("css", "\n".join(styles)), _share("js", "\n;\n".join(scripts))


def _share(kind: str, text: str) -> str:
    path = f"assets/notebook.{hashlib.sha256(text.encode()).hexdigest()[:10]}.{kind}"
    _shared[path] = text
    return path


def toc_tokens(soup) -> list[dict]:
    """The page's headings as MkDocs TOC tokens, nested by level."""
    root: list[dict] = []
    stack: list[dict] = []
    for heading in soup.find_all(re.compile(r"^h[1-6]$"), id=True):
        for anchor in heading.select("a.anchor-link"):
            anchor.extract()
        name = "".join(str(c) for c in heading.contents).strip()
        heading.append(anchor_link(soup, heading["id"], heading.get_text().strip()))
        token = {"level": int(heading.name[1]), "id": heading["id"], "name": name, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def anchor_link(soup, anchor: str, title: str):
    link = soup.new_tag("a", attrs={"class": "anchor-link", "href": f"#{anchor}"})
    link["aria-label"] = f"Permanent link to: {title}"
    link.string = "¶"
    return link
