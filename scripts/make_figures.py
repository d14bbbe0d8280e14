"""Draw the site's two pictures into docs/images/ from the lesson's own code and data.

    python scripts/make_figures.py

* architecture.png: the shape of one digit's data through the lesson's CNN
  (architecture_narrow.png: the same in two rows, for a phone).
* feature_map.png: a real digit, a vertical-edge kernel, and the feature map it gives.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import lesson_utils as lu  # noqa: E402
from lesson_utils import numpy_layers  # noqa: E402
from lesson_utils.plots import SIGNED_CMAP  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "images"

STAGES = [  # (label, height, channels)
    ("input\n28x28x1", 28, 1),
    ("Conv2D 32\n26x26x32", 26, 32),
    ("MaxPool\n13x13x32", 13, 32),
    ("Conv2D 64\n11x11x64", 11, 64),
    ("MaxPool\n5x5x64", 5, 64),
    ("Conv2D 64\n3x3x64", 3, 64),
    ("Flatten\n576", None, 576),
    ("Dense\n64", None, 64),
    ("Dense\n10", None, 10),
]


def architecture(
    stages=STAGES, name: str = "architecture.png", per_row: int = 9, fontsize: float = 14
) -> None:
    """The stages in rows of per_row: one row for a laptop's column; for a phone's, two
    rows with text large enough to read when the picture is shrunk to ~360 px."""
    rows = [stages[i : i + per_row] for i in range(0, len(stages), per_row)]
    figure, axes = plt.subplots(len(rows), 1, squeeze=False, gridspec_kw={"hspace": 0.1})
    figure.subplots_adjust(left=0, right=1, bottom=0, top=1)
    ends = []
    for ax, row in zip(axes[:, 0], rows, strict=True):
        x = 0.0
        for label, height, channels in row:
            x += draw_stage(ax, x, label, height, channels, fontsize)
        ends.append(x)
    for ax in axes[:, 0]:  # one scale for every row: the same size means the same size
        ax.set_xlim(-0.2, max(ends))
        ax.set_ylim(-1.9 - 0.09 * fontsize, 1.8)  # two lines of label under the shapes
        ax.set_aspect("equal")
        ax.axis("off")
    figure.set_size_inches(max(ends) / 1.6, 3.0 * len(rows))  # 1 unit = 0.625 in = 45 pt
    figure.savefig(OUT / name, dpi=110, bbox_inches="tight")


def draw_stage(
    ax, x: float, label: str, height: int | None, channels: int, fontsize: float
) -> float:
    """One stage in the slot starting at x: a stack of squares (maps: side ~ height,
    thickness ~ channels) or a bar (a vector: length ~ log of its size), centred over its
    label. Returns the slot's width: the shape's or the label's, whichever is wider."""
    label_width = 1.5 * fontsize / 11  # "Conv2D 64" is about 1.4 units wide at 11 pt
    if height is not None:
        size = 0.6 + 2.4 * height / 28
        depth = 0.15 + 0.5 * np.log2(channels) / 6
        width = size + depth
    else:
        length = 0.6 + 2.4 * np.log2(channels) / np.log2(576)
        width = 0.35
    slot = max(width, label_width)
    left = x + (slot - width) / 2
    if height is not None:
        for k in range(3 if channels > 1 else 1):
            offset = k * depth / 3
            ax.add_patch(
                plt.Rectangle(
                    (left + offset, -size / 2 + offset),
                    size,
                    size,
                    facecolor="#c5cae9",
                    edgecolor="#3949ab",
                )
            )
    else:
        ax.add_patch(
            plt.Rectangle(
                (left, -length / 2), width, length, facecolor="#ffe0b2", edgecolor="#ef6c00"
            )
        )
    ax.text(x + slot / 2, -1.9, label, ha="center", va="top", fontsize=fontsize)
    return slot + 0.4


def feature_map() -> None:
    """A digit, a vertical-edge kernel drawn as a square grid of its numbers, and the map.

    Kernel and map are signed: one diverging colormap centred on 0, with a colorbar."""
    data = lu.load_mnist(source="sample", verbose=False)
    image = data.x_test[0][:, :, 0]
    kernel = np.array([[-1, 0, 1]] * 3, dtype=np.float32)
    maps = numpy_layers.conv2d(image[None, :, :, None], kernel[:, :, None, None])[0, :, :, 0]
    # Three panels of one size, so their titles line up; the colour bar sits beside the
    # map (an inset) at the map's height instead of shrinking it.
    figure, axes = plt.subplots(1, 3, figsize=(10.5, 3.6), gridspec_kw={"right": 0.92})
    axes[0].imshow(image, cmap="gray_r", vmin=0, vmax=1)
    axes[0].set_title(f"a digit, {data.y_test[0]} (28x28)")
    axes[1].imshow(kernel, cmap=SIGNED_CMAP, vmin=-1.5, vmax=1.5)
    for (r, c), v in np.ndenumerate(kernel):
        axes[1].text(c, r, f"{v:+g}" if v else "0", ha="center", va="center", fontsize=22)
    for edge in np.arange(-0.5, 3):  # the grid: one square per weight
        axes[1].axhline(edge, color="black", linewidth=1.5)
        axes[1].axvline(edge, color="black", linewidth=1.5)
    axes[1].set_title("a 3x3 kernel")
    limit = float(np.abs(maps).max())
    shown = axes[2].imshow(maps, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    figure.colorbar(shown, cax=axes[2].inset_axes([1.05, 0.0, 0.06, 1.0]))
    axes[2].set_title("its feature map (26x26)")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    figure.savefig(OUT / "feature_map.png", dpi=100, bbox_inches="tight")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    architecture()
    # For a phone's column (docs/index.md picks it by width): two rows, larger text.
    architecture(name="architecture_narrow.png", per_row=5, fontsize=22)
    feature_map()
    print("wrote", *sorted(p.name for p in OUT.glob("*.png")))
