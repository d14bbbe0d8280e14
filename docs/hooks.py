"""MkDocs hook: generate the Exercises page from the one source of each exercise.

The task of each exercise is the notebook's own "### Exercise N: ..." markdown cell;
its hint and solution are the ones ``lesson_utils.checks`` gives learners on request.
Nothing is copied by hand, so the page and the notebooks cannot drift.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.structure.files import File

from lesson_utils.checks import EXERCISES

ROOT = Path(__file__).resolve().parents[1]
HEADING = re.compile(r"^### Exercise (\d+): (.+)$")


def notebook_tasks(notebook: Path) -> dict[int, tuple[str, str]]:
    """{exercise number: (title, task text)} from a notebook's exercise cells."""
    tasks = {}
    for cell in json.loads(notebook.read_text())["cells"]:
        source = "".join(cell["source"]).strip()
        match = HEADING.match(source.splitlines()[0]) if cell["cell_type"] == "markdown" else None
        if match:
            body = "\n".join(source.splitlines()[1:]).strip()
            tasks[int(match.group(1))] = (match.group(2), body)
    return tasks


def indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.splitlines())


def exercises_markdown() -> str:
    lines = [
        "# Exercises",
        "",
        "Every notebook ends with exercises. In the notebook, each has a cell for your answer "
        "and a check that tells you whether it is right: `check.q1.check(answer)`. Here they "
        "are all together, each with a hint and a solution (click to open them).",
        "",
    ]
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for number, notebook in enumerate(notebooks, start=1):
        tasks = notebook_tasks(notebook)
        title = json.loads(notebook.read_text())["cells"][0]["source"][0].lstrip("# ").strip()
        lines += [f"## {title}", "", f"[Open the notebook](notebooks/{notebook.name})", ""]
        for exercise in (e for e in EXERCISES if e.notebook == number):
            if exercise.number not in tasks:
                raise ValueError(
                    f"{notebook.name} has no '### Exercise {exercise.number}:' "
                    f"cell for {exercise.title!r}"
                )
            heading, task = tasks[exercise.number]
            lines += [
                f'!!! question "Exercise {number}.{exercise.number}: {heading}"',
                "",
                indent(task),
                "",
                '??? tip "Hint"',
                "",
                indent(exercise.hint_text),
                "",
                '??? success "Solution"',
                "",
                indent(f"```python\n{exercise.solution_code}\n```"),
                "",
            ]
    return "\n".join(lines)


def on_config(config):
    """No LESSON_SITE_URL: the site is published on GitHub Pages of extra.github_repo, if set."""
    repo = config.extra.get("github_repo")
    if not config.site_url and repo and "/" in repo:
        owner, name = repo.split("/", 1)
        config.site_url = f"https://{owner.lower()}.github.io/{name}/"
    return config


# Inline code up to this long stays on one line (extra.css: .lesson-nobreak): a browser
# may break `--data-dir` or `fashion_mnist` after a hyphen, which reads as two words.
# Longer code may still wrap, or a phone's column (~45 characters of code) would overflow.
SHORT_CODE = 24


def on_page_content(html_text: str, page, config, files):
    """Short inline code (not code blocks) gets the class that keeps it whole."""
    soup = BeautifulSoup(html_text, "html.parser")
    for code in soup.find_all("code"):
        if code.find_parent("pre") is None and len(code.get_text()) <= SHORT_CODE:
            code["class"] = [*code.get("class", []), "lesson-nobreak"]
    return str(soup)


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output, page, config):
    """The theme's search dialog gets the accessible name a dialog needs (axe: aria-dialog-name)."""
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)


def on_post_template(output, template_name, config):
    """The same for 404.html, which MkDocs renders as a template, not as a page."""
    return on_post_page(output, None, config)


def on_files(files, config):
    files.append(File.generated(config, "exercises.md", content=exercises_markdown()))
    return files
