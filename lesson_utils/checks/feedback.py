"""How a check speaks: a word first (Correct, Not quite, Hint...), then one sentence.

In a notebook each message shows as a coloured box; anywhere else as plain text.
Used by every exercise of notebooks 1-8 (``check.q1.check()``, ``.hint()``,
``.solution()``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

CORRECT, WRONG, MISSING = "correct", "wrong", "not answered"


# How each kind of message looks: the word first (readable without any emoji
# font), then a colour for notebooks. Colours keep 4.5:1 contrast on their background.
_LOOK = {
    CORRECT: ("Correct", "#0f5323", "#e3f4e7"),
    WRONG: ("Not quite", "#8c1d18", "#fbe9e7"),
    MISSING: ("Not answered yet", "#5c4300", "#fff3cd"),
    "hint": ("Hint", "#0b4a7a", "#e3f0fb"),
    "solution": ("Solution", "#3b3b3b", "#f2f2f2"),
    "result": ("What happens", "#3b3b3b", "#f2f2f2"),
}


def show(message) -> None:
    """Display rich (coloured HTML) in a notebook, print plain text anywhere else."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython
        print(message)
        return
    if get_ipython() is None:
        print(message)
    else:
        display(message)


@dataclass
class Message:
    """A line the learner reads: its kind (correct, wrong, not answered, hint or
    solution) and its text.

    ``str()`` gives plain text with the word first ("Correct: ...", "Hint: ..."); in a
    notebook it shows as a coloured box with the same word.
    """

    kind: str
    text: str

    @property
    def word(self) -> str:
        return _LOOK[self.kind][0]

    def __str__(self) -> str:
        separator = ":\n" if self.kind == "solution" else ": "
        return f"{self.word}{separator}{self.text}"

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's plain-text display
        printer.text(str(self))

    def _repr_html_(self) -> str:
        word, colour, background = _LOOK[self.kind]
        body = html.escape(self.text)
        if self.kind == "solution":
            body = f'<pre style="margin:0.3em 0 0;color:#1f1f1f">{body}</pre>'
        return (
            f'<div style="border-left:0.3em solid {colour};background:{background};'
            f'color:#1f1f1f;padding:0.4em 0.8em;margin:0.2em 0">'
            f'<strong style="color:{colour}">{word}:</strong> {body}</div>'
        )


class Feedback(Message):
    """The outcome of one check: a status (correct, wrong, not answered) and its sentence."""

    def __init__(self, status: str, message: str):
        super().__init__(status, message)

    @property
    def status(self) -> str:
        return self.kind

    @property
    def message(self) -> str:
        return self.text

    @property
    def correct(self) -> bool:
        return self.status == CORRECT


def show_figure(figure) -> None:
    """Display a matplotlib figure in a notebook, then close it (so it is not drawn twice);
    outside a notebook, close it unseen."""
    import matplotlib.pyplot as plt

    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(figure)
    plt.close(figure)
