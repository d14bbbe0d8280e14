"""Draw the site's two pictures into docs/images/ from the lesson's own code and data.

    python scripts/make_figures.py

* architecture.png: the shape of one digit's data through the lesson's CNN.
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


def architecture() -> None:
    figure, ax = plt.subplots(figsize=(12, 3.2))
    x = 0.0
    for label, height, channels in STAGES:
        if height is not None:
            size = 0.6 + 2.4 * height / 28  # square side: the maps' height and width
            depth = 0.15 + 0.5 * np.log2(channels) / 6  # thickness: the number of channels
            for k in range(3 if channels > 1 else 1):
                offset = k * depth / 3
                ax.add_patch(
                    plt.Rectangle(
                        (x + offset, -size / 2 + offset),
                        size,
                        size,
                        facecolor="#c5cae9",
                        edgecolor="#3949ab",
                    )
                )
            width = size + depth
        else:
            length = 0.6 + 2.4 * np.log2(channels) / np.log2(576)
            width = 0.35
            ax.add_patch(
                plt.Rectangle(
                    (x, -length / 2), width, length, facecolor="#ffe0b2", edgecolor="#ef6c00"
                )
            )
        ax.text(x + width / 2, -1.9, label, ha="center", va="top", fontsize=9)
        x += max(width, 0.9) + 0.55  # room for the label under a thin bar
    ax.set_xlim(-0.2, x)
    ax.set_ylim(-2.7, 1.8)
    ax.set_aspect("equal")
    ax.axis("off")
    figure.savefig(OUT / "architecture.png", dpi=110, bbox_inches="tight")


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
    feature_map()
    print("wrote", *sorted(p.name for p in OUT.glob("*.png")))
