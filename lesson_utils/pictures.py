"""Small pictures the lesson draws itself: a colour picture with three input channels.

MNIST's digits have one channel. Notebook 8 ("Stride, colour and 1x1") needs a picture
with three, red, green and blue, and one whose colours are known exactly, so that what
a filter does to each colour can be read off: ``colour_shapes()`` draws five shapes
of pure colours on a white background.
"""

from __future__ import annotations

import numpy as np

# name -> (red, green, blue), each 0 (none of that light) to 1 (all of it). White is
# (1, 1, 1), all three lights at once; yellow is red and green together.
SHAPE_COLOURS = {
    "red": (1.0, 0.0, 0.0),
    "yellow": (1.0, 1.0, 0.0),
    "green": (0.0, 1.0, 0.0),
    "blue": (0.0, 0.0, 1.0),
    "black": (0.0, 0.0, 0.0),
}
BACKGROUND = (1.0, 1.0, 1.0)  # white
BACKGROUND_PIXEL = (30, 50)  # the centre of the empty square, bottom right
CELL = 20  # each shape sits in a 20x20 square of the picture


def colour_shapes() -> tuple[np.ndarray, dict[str, tuple[int, int]]]:
    """A 40x60 colour picture: five shapes on white, and where each one is.

    Returns ``(picture, centres)``: ``picture`` is float32 of shape (40, 60, 3), the
    last axis red, green, blue, each in [0, 1]; ``centres`` maps each colour name of
    ``SHAPE_COLOURS`` to the (row, column) of its shape's centre. The shapes sit in two
    rows of 20x20 squares, red, yellow and green above, blue and black below (the last
    square is background); discs and squares alternate, so there are straight and
    curved edges.
    """
    picture = np.ones((2 * CELL, 3 * CELL, 3), np.float32) * BACKGROUND
    rows, cols = np.mgrid[0:CELL, 0:CELL]
    middle = (CELL - 1) / 2
    disc = (rows - middle) ** 2 + (cols - middle) ** 2 <= 7.5**2
    square = (np.abs(rows - middle) <= 6) & (np.abs(cols - middle) <= 6)
    centres = {}
    for i, (name, colour) in enumerate(SHAPE_COLOURS.items()):
        top, left = (i // 3) * CELL, (i % 3) * CELL
        cell = picture[top : top + CELL, left : left + CELL]  # a view: writing to it draws
        cell[disc if i % 2 == 0 else square] = colour
        centres[name] = (top + CELL // 2, left + CELL // 2)
    return picture.astype(np.float32), centres
