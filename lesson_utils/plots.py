"""The lesson's pictures, drawn with matplotlib; each function returns its Figure.

They work with any matplotlib backend (Agg in tests, inline in JupyterLab,
the browser's in JupyterLite) and never call ``plt.show()`` themselves.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lesson_utils.validation import check_positive_int

# The lesson's colour conventions, shared with the widgets' pictures (lesson_utils.widgets).
# Kernels and maps before ReLU: blue < 0, white at 0, red > 0.
SIGNED_CMAP = "bwr"
# Maps after ReLU (all >= 0): the red half of the same scale, pure white at 0, so a map
# drawn before and after ReLU shows the same colour for the same value.
AFTER_RELU_CMAP = LinearSegmentedColormap.from_list("white_to_red", ["white", "red"])


def _as_2d(image: np.ndarray) -> np.ndarray:
    """(28, 28, 1) or (28, 28) -> (28, 28) for imshow."""
    image = np.asarray(image)
    return image[..., 0] if image.ndim == 3 else image


def _grid(n: int, columns: int, cell: float = 1.3) -> tuple[Figure, np.ndarray]:
    rows = math.ceil(n / columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(columns * cell, rows * cell * 1.1), squeeze=False
    )
    for ax in axes.flat:
        ax.axis("off")
    return figure, axes.flat[:n]


def _full_ink(images) -> float:
    """The pixel value of full ink: 255 for raw bytes, 1.0 for scaled images."""
    return 255.0 if np.asarray(images).max() > 1.0 else 1.0


def plot_digits(
    images: np.ndarray,
    labels=None,
    n: int = 20,
    columns: int = 10,
    class_names=None,
    title: str | None = None,
) -> Figure:
    """A grid of the first n images (n, 28, 28[, 1]) with their labels above them."""
    n = min(check_positive_int(n, "n"), len(images))
    figure, axes = _grid(n, min(columns, n), cell=max(1.3, 2.6 / min(columns, n)))  # one: larger
    ink = _full_ink(images)
    for i, ax in enumerate(axes):
        ax.imshow(_as_2d(images[i]), cmap="gray_r", vmin=0, vmax=ink)
        if labels is not None:
            label = int(labels[i])
            ax.set_title(class_names[label] if class_names else str(label), fontsize=12)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_pixel_grid(
    image: np.ndarray, title: str | None = None, decimals: int = 0, crop: bool = False
) -> Figure:
    """One image as a grid of its pixel values: what the network really sees.

    Background (0) is white and full ink black, each non-zero value written in its
    square; rows and columns are numbered so a printed slice can be found. With
    ``crop``, only the rows and columns that hold ink (and one around them) are drawn,
    so the numbers can be larger. Notebook 1.
    """
    pixels = _as_2d(image)
    ink = _full_ink(pixels)
    rows, cols = np.arange(pixels.shape[0]), np.arange(pixels.shape[1])
    if crop and pixels.any():
        inked_rows, inked_cols = np.nonzero(pixels)
        rows = rows[max(inked_rows.min() - 1, 0) : inked_rows.max() + 2]
        cols = cols[max(inked_cols.min() - 1, 0) : inked_cols.max() + 2]
    shown = pixels[np.ix_(rows, cols)]
    width = 7.5
    figure, ax = plt.subplots(figsize=(width, width * len(rows) / len(cols) + 0.6))
    extent = (cols[0] - 0.5, cols[-1] + 0.5, rows[-1] + 0.5, rows[0] - 0.5)
    ax.imshow(shown, cmap="gray_r", vmin=0, vmax=ink, extent=extent)
    fontsize = min(11.0, 0.55 * 72 * width / len(cols) / (decimals + 2))
    for (r, c), value in np.ndenumerate(shown):
        if value:
            ax.text(
                cols[c],
                rows[r],
                f"{value:.{decimals}f}",
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if value > ink / 2 else "black",
            )
    # Every row and column numbered where they have room (a cropped digit), so the text
    # can name any pixel; every other one on the full 28x28 grid.
    step = 1 if len(cols) <= 20 else 2
    ax.set_xticks([c for c in cols if c % step == 0])
    ax.set_yticks([r for r in rows if r % step == 0])
    ax.tick_params(labelsize=9, length=2)
    ax.set_xlabel("column", fontsize=10)
    ax.set_ylabel("row", fontsize=10)
    ax.set_title(title or f"{pixels.shape[0]}x{pixels.shape[1]} pixels", fontsize=12)
    figure.tight_layout()
    return figure


def plot_kernels(
    kernels: np.ndarray,
    names=None,
    columns: int = 8,
    show_values: bool = False,
    colorbar: bool = True,
) -> Figure:
    """Each 2-D kernel of a (kh, kw, n) or Keras (kh, kw, 1, n) array, blue < 0 < red.

    All kernels share one colour scale centred on 0 (white), shown by a colour bar.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim == 4:
        kernels = kernels[:, :, 0, :]
    if kernels.ndim == 2:
        kernels = kernels[:, :, None]
    n = kernels.shape[-1]
    cell = 1.6 if show_values else 1.1
    if names is not None:  # room for each title (about 0.1 inch per character at 12 pt)
        cell = max(cell, 0.1 * max(len(str(names[i])) for i in range(n)) + 0.2)
    figure, axes = _grid(n, min(columns, n), cell=cell)
    limit = np.abs(kernels).max() or 1.0
    for i, ax in enumerate(axes):
        image = ax.imshow(kernels[:, :, i], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        if show_values:
            for (row, col), value in np.ndenumerate(kernels[:, :, i]):
                ax.text(
                    col,
                    row,
                    f"{value:g}",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if abs(value) > 0.6 * limit else "black",  # readable on red/blue
                )
        if names is not None:
            ax.set_title(str(names[i]), fontsize=12)
    figure.tight_layout()
    if colorbar:
        bar = figure.colorbar(image, ax=list(axes), fraction=0.03, pad=0.02)
        bar.set_label("weight", fontsize=12)
        bar.ax.tick_params(labelsize=11)
    return figure


# The first windows of each picture of padding and stride, in order (not red or blue: those
# are signed values).
_WINDOW_COLOURS = ("tab:orange", "tab:purple", "tab:green")


def plot_padding_and_stride(size: int = 6, kernel: int = 3) -> Figure:
    """Where a kernel x kernel window lands on a size x size input, for padding "valid" and
    "same" and strides 1 and 2: the four rows of notebook 2's table, one panel each.

    Input pixels are white squares; the zeros that padding adds are hatched and marked 0
    (Keras's "same": the odd zero, if any, goes at the bottom and right). The first windows
    along the top are outlined in colours, and a dot marks the centre of every window:
    one dot per output value, so the dots count the output size. Notebook 2.
    """
    from lesson_utils.numpy_layers import conv_output_size, pad_same

    size = check_positive_int(size, "size")
    kernel = check_positive_int(kernel, "kernel")
    if kernel > size:
        raise ValueError(
            f"kernel must fit in the input: kernel={kernel} is larger than size={size}; "
            "give a kernel of at most the input's size."
        )
    figure, axes = plt.subplots(2, 2, figsize=(8.0, 8.6))
    for ax, (padding, stride) in zip(
        axes.flat, [("valid", 1), ("same", 1), ("valid", 2), ("same", 2)], strict=True
    ):
        before = after = 0
        if padding == "same":  # where Keras puts its zeros: the input's ones, found in pad_same's
            padded = pad_same(np.ones((1, size, size, 1)), kernel, kernel, stride)
            inside = padded[0, :, :, 0].max(axis=1)  # 1 in the input's rows, 0 in padding's
            before = int(np.argmax(inside))
            after = len(inside) - before - size
        out = conv_output_size(size, kernel, stride, padding)
        low, high = -before, size + after  # the padded grid, in input pixel coordinates
        for r in range(low, high):
            for c in range(low, high):
                padded = not (0 <= r < size and 0 <= c < size)
                ax.add_patch(
                    plt.Rectangle(
                        (c - 0.5, r - 0.5),
                        1,
                        1,
                        facecolor="white",
                        edgecolor="0.55" if padded else "black",
                        hatch="///" if padded else None,
                        linewidth=0.8,
                    )
                )
                if padded:
                    ax.text(c, r, "0", ha="center", va="center", fontsize=11, color="0.3")
        ax.add_patch(  # the input's outline, over the cells
            plt.Rectangle((-0.5, -0.5), size, size, fill=False, edgecolor="black", linewidth=2)
        )
        starts = [low + stride * i for i in range(out)]
        for number, (start, colour) in enumerate(zip(starts, _WINDOW_COLOURS, strict=False)):
            inset = 0.08 + 0.07 * number  # overlapping outlines stay apart
            ax.add_patch(
                plt.Rectangle(
                    (start - 0.5 + inset, low - 0.5 + inset),
                    kernel - 2 * inset,
                    kernel - 2 * inset,
                    fill=False,
                    edgecolor=colour,
                    linewidth=3,
                )
            )
        centres = [start + kernel // 2 for start in starts]
        xs, ys = np.meshgrid(centres, centres)
        ax.plot(xs.ravel(), ys.ravel(), "o", color="black", markersize=5)
        ax.set_title(
            f'padding="{padding}", stride {stride}\nzeros {before} + {after}: output {out}x{out}',
            fontsize=12,
        )
        ax.set_xlim(-1.7, size + 0.7)
        ax.set_ylim(size + 0.7, -1.7)  # row 0 at the top, as in an image
        ax.set_aspect("equal")
        ax.axis("off")
    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="black", label="input pixel"),
        plt.Rectangle(
            (0, 0), 1, 1, facecolor="white", edgecolor="0.55", hatch="///", label="zero padding"
        ),
        *[
            plt.Line2D([], [], color=colour, linewidth=3, label=f"window {number}")
            for number, colour in enumerate(_WINDOW_COLOURS, 1)
        ],
        plt.Line2D([], [], marker="o", color="black", linestyle="", label="window centre"),
    ]
    figure.legend(handles=handles, loc="lower center", ncol=3, fontsize=11, frameon=False)
    figure.suptitle(
        f"A {kernel}x{kernel} window on a {size}x{size} input: one dot per output value",
        fontsize=13,
    )
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    return figure


def plot_feature_maps(
    maps: np.ndarray,
    n: int = 16,
    columns: int = 8,
    title: str | None = None,
    channels=None,
    limit: float | None = None,
) -> Figure:
    """n channels of one image's feature maps, shaped (h, w, channels), on one colour scale.

    A single 2-D map (h, w), such as ``convolve(image, kernel)`` returns, is drawn alone.

    Get them from ``lesson_utils.feature_maps(model, images, layer)[0]``
    (either backend) or from ``conv2d`` by hand. Each map is titled with its
    channel number; ``channels`` picks which (default: the first n). Maps with
    negative values (before ReLU) are drawn blue < 0 (white) < red; maps that
    are all >= 0 (after ReLU) white at 0 to red. All share one scale, up to
    ``limit`` (default: the largest absolute value shown), with a colour bar;
    pass the same ``limit`` to compare maps across figures.
    """
    maps = np.asarray(maps)
    if maps.ndim == 2:  # one map, as convolve(image, kernel) returns it
        maps = maps[:, :, None]
    if maps.ndim == 4:
        maps = maps[0]
    if maps.ndim != 3:
        raise ValueError(
            "maps must be one map (height, width) or one image's maps (height, width, "
            f"channels); got shape {maps.shape}."
        )
    if channels is None:
        channels = range(min(check_positive_int(n, "n"), maps.shape[-1]))
    channels = [int(c) for c in channels]
    n = len(channels)
    shown = maps[:, :, channels]
    limit = limit or float(np.abs(shown).max()) or 1.0
    signed = bool((shown < 0).any())
    style = (
        {"cmap": SIGNED_CMAP, "vmin": -limit, "vmax": limit}
        if signed
        else {"cmap": AFTER_RELU_CMAP, "vmin": 0.0, "vmax": limit}
    )
    columns = min(columns, n)
    figure, axes = _grid(n, columns, cell=max(1.3, 5.0 / columns))  # few maps: draw them larger
    for ax, channel in zip(axes, channels, strict=True):
        image = ax.imshow(maps[:, :, channel], **style)
        ax.set_title(str(channel), fontsize=12)
    figure.suptitle(
        title or f"{n} of {maps.shape[-1]} feature maps, {maps.shape[0]}x{maps.shape[1]} each"
    )
    figure.tight_layout()
    bar = figure.colorbar(image, ax=list(axes), fraction=0.03, pad=0.02)
    bar.ax.tick_params(labelsize=11)
    return figure


def plot_top_patches(found, rows: int = 8, crop: bool = False) -> Figure:
    """What excites each filter of a layer: one row per filter, its strongest patches.

    found: ``TopPatches``, one per filter, as ``lesson_utils.top_patches`` returns them
    (each with its k patches, strongest first). Dead filters (0 on every image searched)
    are skipped and named in the title; the first ``rows`` live ones are drawn. Each
    patch is drawn in its whole digit, ink dark on white, with the receptive field
    outlined in orange and the ink outside it faded; ``crop=True`` draws the field alone.
    Each row is labelled with the filter's number and the range of its k values.
    Notebook 6.
    """
    rows = check_positive_int(rows, "rows")
    live = [each for each in found if not each.dead][:rows]
    dead = [each.filter for each in found if each.dead]
    if not live:
        raise ValueError(f"none of the {len(found)} filters responds to these images: all dead.")
    k = max(len(each.values) for each in live)
    figure, axes = plt.subplots(
        len(live), k, figsize=(1.2 * k + 1.3, 1.25 * len(live) + 0.7), squeeze=False
    )
    font = 11
    for row, each in zip(axes, live, strict=False):
        ink = _full_ink(each.digits)
        for ax, digit, patch, (top, left, bottom, right) in zip(
            row, each.digits, each.patches, each.windows, strict=False
        ):
            if crop:
                ax.imshow(patch, cmap="gray_r", vmin=0, vmax=ink)
            else:
                faded = digit * 0.3
                faded[top:bottom, left:right] = digit[top:bottom, left:right]
                ax.imshow(faded, cmap="gray_r", vmin=0, vmax=ink)
                ax.add_patch(
                    plt.Rectangle(
                        (left - 0.5, top - 0.5),
                        right - left,
                        bottom - top,
                        fill=False,
                        edgecolor="tab:orange",
                        linewidth=1.5,
                    )
                )
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])
        for ax in row[len(each.values) :]:
            ax.axis("off")
        low, high = float(each.values.min()), float(each.values.max())
        row[0].set_ylabel(
            f"filter {each.filter}\n{low:.2f}-{high:.2f}",
            fontsize=font,
            rotation=0,
            ha="right",
            va="center",
        )
    first = live[0]
    field = f"{first.field}x{first.field}"
    title = f"{first.layer}: the patches ({field} pixels) that excite each filter most"
    if dead:
        title += f"\ndead (0 for every image), skipped: filter {', '.join(map(str, dead))}"
    figure.suptitle(title, fontsize=font + 1)
    figure.tight_layout()
    return figure


def _readable(points: float, width: float) -> float:
    """A font size that stays readable when the site shrinks a figure ``width`` inches wide
    to its text column (about 7 inches): larger in proportion beyond that."""
    return points * max(1.0, width / 7.0)


def _map_style(maps, limit: float | None = None) -> dict:
    """One colour scale for maps that are compared: signed maps blue < 0 (white) < red,
    maps that are all >= 0 (after ReLU) white at 0 to red, up to ``limit``."""
    values = np.concatenate([np.ravel(m) for m in maps])
    limit = limit or float(np.abs(values).max()) or 1.0
    if (values < 0).any():
        return {"cmap": SIGNED_CMAP, "vmin": -limit, "vmax": limit}
    return {"cmap": AFTER_RELU_CMAP, "vmin": 0.0, "vmax": limit}


def plot_maps(
    maps,
    titles,
    title: str | None = None,
    limit: float | None = None,
    label: str = "value",
    columns: int | None = None,
) -> Figure:
    """2-D maps side by side on one shared colour scale, with one colour bar.

    maps: a list of (h, w) arrays (or (1, h, w, 1) as conv2d returns one map), possibly
    of different sizes (a map and its pooled version). Use it to compare maps: a colour
    means the same value in every panel. ``columns`` (default: all in one row) wraps
    them into rows.
    Signed maps are blue < 0 (white) < red; maps that are all >= 0 run from white at 0.
    Notebooks 2 and 3.
    """
    maps = [np.asarray(m) for m in maps]
    maps = [m[0, :, :, 0] if m.ndim == 4 else _as_2d(m) for m in maps]  # (1, h, w, 1) -> (h, w)
    if any(m.ndim != 2 for m in maps):
        shapes = [m.shape for m in maps]
        raise ValueError(f"each map must be 2-D (one channel of one image); got shapes {shapes}.")
    if len(titles) != len(maps):
        raise ValueError(f"give one title per map: {len(maps)} maps, {len(titles)} titles.")
    style = _map_style(maps, limit)
    columns = min(check_positive_int(columns or len(maps), "columns"), len(maps))
    rows = math.ceil(len(maps) / columns)
    width = 3.2 * columns + 0.8
    font = _readable(11, width)
    figure, axes = plt.subplots(rows, columns, figsize=(width, 3.3 * rows + 0.3), squeeze=False)
    for ax in axes.flat[len(maps) :]:
        ax.axis("off")
    for ax, picture, name in zip(axes.flat, maps, titles, strict=False):
        image = ax.imshow(picture, **style)
        ax.set_title(name, fontsize=font)
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        figure.suptitle(title, fontsize=font + 1)
    figure.tight_layout()
    bar = figure.colorbar(image, ax=list(axes.flat), fraction=0.025, pad=0.02)
    bar.set_label(label, fontsize=font)
    bar.ax.tick_params(labelsize=font - 1)
    return figure


def plot_filter_channels(channels: np.ndarray, kernel: np.ndarray, bias: float = 0.0) -> Figure:
    """How one filter sees several input channels: one kernel slice per channel, the
    slices' results added, then one bias.

    channels (h, w, c) for one image, kernel (kh, kw, c) (one filter of a Keras
    (kh, kw, c, filters) kernel). One row per channel: the channel, its kernel slice, the
    slice's result; the last column is their sum plus the bias, one output map.
    Maps share one colour scale. Notebook 2.
    """
    from lesson_utils.numpy_layers import conv2d

    channels, kernel = np.asarray(channels, np.float32), np.asarray(kernel, np.float32)
    count = channels.shape[-1]
    if kernel.ndim != 3 or kernel.shape[-1] != count:
        raise ValueError(
            f"kernel must be (kh, kw, {count}): one slice per input channel; got {kernel.shape}."
        )
    results = [
        conv2d(channels[None, :, :, c : c + 1], kernel[:, :, c, None, None])[0, :, :, 0]
        for c in range(count)
    ]
    output = sum(results) + bias
    map_style = _map_style([channels, *results, output])
    limit = float(np.abs(kernel).max()) or 1.0
    figure, axes = plt.subplots(count, 4, figsize=(10, 2.9 * count), squeeze=False)
    font = _readable(11, 10)
    for c in range(count):
        row = axes[c]
        shown = row[0].imshow(channels[:, :, c], **map_style)
        weights = row[1].imshow(kernel[:, :, c], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        row[2].imshow(results[c], **map_style)
        row[0].set_title(f"input channel {c}", fontsize=font)
        row[1].set_title(f"kernel slice {c}", fontsize=font)
        row[2].set_title(f"result of slice {c}", fontsize=font)
        for (r, k), value in np.ndenumerate(kernel[:, :, c]):
            colour = "white" if abs(value) > 0.6 * limit else "black"
            row[1].text(k, r, f"{value:.2g}", ha="center", va="center", fontsize=font, color=colour)
    axes[0, 3].imshow(output, **map_style)
    axes[0, 3].set_title(f"results added\n+ bias ({bias:g}): output", fontsize=font)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[1:, 3]:
        ax.axis("off")
    figure.tight_layout()
    bar = figure.colorbar(shown, ax=list(axes.flat), fraction=0.02, pad=0.02)
    bar.set_label("map value", fontsize=font)
    bar.ax.tick_params(labelsize=font - 1)
    # The kernel slices have their own scale (weights, not map values): a bar under them.
    below = axes[-1, 1].inset_axes([0.0, -0.2, 1.0, 0.07])
    weight_bar = figure.colorbar(weights, cax=below, orientation="horizontal")
    weight_bar.set_label("weight", fontsize=font - 1)
    weight_bar.ax.tick_params(labelsize=font - 2)
    return figure


def plot_colour_channels(picture: np.ndarray) -> Figure:
    """A colour picture and its three channels, in a 2x2 grid.

    picture: (h, w, 3) in [0, 1], the last axis red, green, blue (as
    ``pictures.colour_shapes`` makes). Each channel is drawn on its own colour's scale,
    white where the channel is 0 (none of that light) to full colour where it is 1,
    with one colour bar per channel. Notebook 8.
    """
    picture = np.asarray(picture, np.float32)
    if picture.ndim != 3 or picture.shape[-1] != 3:
        raise ValueError(
            f"picture must be (height, width, 3), red, green and blue; got {picture.shape}."
        )
    width = 8.0
    font = _readable(11, width)
    figure, axes = plt.subplots(2, 2, figsize=(width, 5.4))
    axes = axes.ravel()
    axes[0].imshow(np.clip(picture, 0, 1))
    axes[0].set_title(f"the picture {picture.shape}", fontsize=font)
    for c, (name, cmap) in enumerate([("red", "Reds"), ("green", "Greens"), ("blue", "Blues")]):
        shown = axes[c + 1].imshow(picture[:, :, c], cmap=cmap, vmin=0, vmax=1)
        axes[c + 1].set_title(f"channel {c}: {name}", fontsize=font)
        bar = figure.colorbar(shown, ax=axes[c + 1], fraction=0.04, pad=0.03)
        bar.ax.tick_params(labelsize=font - 2)
    # An invisible bar beside the picture, so that all four panels have one size.
    figure.colorbar(shown, ax=axes[0], fraction=0.04, pad=0.03).ax.set_visible(False)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()
    return figure


def plot_receptive_fields(image: np.ndarray, fields) -> Figure:
    """The digit once per layer, with the square of input pixels one unit of that layer sees.

    fields: [(layer, field, jump), ...] as ``lesson_utils.measure.receptive_fields``
    returns them. In each panel the unit whose square is most central is drawn.
    Notebook 3.
    """
    pixels = _as_2d(image)
    height = pixels.shape[0]
    width = 2.1 * len(fields)
    figure, axes = plt.subplots(1, len(fields), figsize=(width, 2.9), squeeze=False)
    for number, (ax, (layer, field, jump)) in enumerate(zip(axes[0], fields, strict=True), 1):
        ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=_full_ink(pixels))
        start = max(round((height - field) / 2 / jump), 0) * jump - 0.5
        ax.add_patch(
            plt.Rectangle(
                (start, start),
                field,
                field,
                facecolor=(1.0, 0.5, 0.0, 0.15),
                edgecolor="tab:orange",
                linewidth=2.5,
            )
        )
        ax.set_title(f"{number}. {layer}\nsees {field}x{field}", fontsize=_readable(11, width))
        ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()
    return figure


def plot_training_curves(history) -> Figure:
    """Loss and accuracy per epoch, training and validation, from a History or its dict."""
    logs = getattr(history, "history", history)
    figure, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(8.5, 3.3))
    for ax, metric in ((loss_ax, "loss"), (acc_ax, "accuracy")):
        for prefix, style in (("", "o-"), ("val_", "s--")):
            values = logs.get(prefix + metric)
            if values:
                epochs = range(1, len(values) + 1)
                ax.plot(epochs, values, style, label="validation" if prefix else "training")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    figure.tight_layout()
    return figure


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int = 10) -> np.ndarray:
    """counts[true, predicted]: how often each true class was predicted as each class."""
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


def plot_confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, class_names=None) -> Figure:
    """A heat map of the confusion matrix with each count written in its cell."""
    num_classes = len(class_names) if class_names else 10
    counts = confusion_matrix(y_true, y_pred, num_classes)
    names = class_names or [str(i) for i in range(num_classes)]
    figure, ax = plt.subplots(figsize=(6.5, 5.5))
    image = ax.imshow(counts, cmap="Blues")
    for (row, col), value in np.ndenumerate(counts):
        if value:
            ax.text(
                col,
                row,
                str(value),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if value > counts.max() / 2 else "black",
            )
    ax.set_xticks(
        range(num_classes),
        names,
        rotation=45 if class_names else 0,
        ha="right" if class_names else "center",
    )
    ax.set_yticks(range(num_classes), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    figure.colorbar(image, ax=ax)
    figure.tight_layout()
    return figure


def plot_misclassified(
    images: np.ndarray,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    n: int = 20,
    columns: int = 10,
    class_names=None,
    probabilities: np.ndarray | None = None,
) -> Figure:
    """The first n test images the model got wrong, titled "true -> predicted".

    With ``probabilities`` (n_images, classes), the model's output, each mistake
    is titled with its true class and the model's two most probable classes with
    their probabilities, to show how sure the model was.
    """
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))
    if len(wrong) == 0:
        figure, ax = plt.subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "No mistakes!", ha="center", va="center")
        return figure
    n = min(check_positive_int(n, "n"), len(wrong))
    figure, axes = _grid(n, min(columns, n), cell=1.3 if probabilities is None else 1.9)
    names = class_names or [str(c) for c in range(int(max(np.max(y_true), np.max(y_pred))) + 1)]
    for ax, i in zip(axes, wrong[:n], strict=True):
        ax.imshow(_as_2d(images[i]), cmap="gray_r")
        true, pred = names[int(y_true[i])], names[int(y_pred[i])]
        if probabilities is None:
            ax.set_title(f"{true} -> {pred}", fontsize=8, color="crimson")
            continue
        first, second = np.argsort(probabilities[i])[::-1][:2]
        ax.set_title(
            f"true {true}\n{names[first]}: {probabilities[i][first]:.0%}, "
            f"{names[second]}: {probabilities[i][second]:.0%}",
            fontsize=11,
            color="crimson",
        )
    if probabilities is None:
        figure.suptitle(f"{n} of {len(wrong)} misclassified images (true -> predicted)")
    else:
        figure.suptitle(
            f"{n} of {len(wrong)} misclassified images: the true class, then the "
            "model's two most probable classes",
            fontsize=12,
        )
    figure.tight_layout()
    return figure


def plot_learning_rate_schedule(
    total_steps: int, peak: float, steps_per_epoch: int | None = None
) -> Figure:
    """The learning rate at each of ``total_steps`` training steps under the
    warm-up + cosine schedule (``lesson_utils.schedules``), rising to ``peak``.

    Introduced in notebook 5, "The whole CNN".
    """
    from lesson_utils.schedules import warmup_cosine

    total_steps = check_positive_int(total_steps, "total_steps")
    steps = np.arange(total_steps)
    rates = [peak * warmup_cosine(int(step), total_steps) for step in steps]
    figure, ax = plt.subplots(figsize=(7, 3))
    ax.plot(steps + 1, rates, "-", color="tab:blue")
    if steps_per_epoch:
        for boundary in range(steps_per_epoch, total_steps, steps_per_epoch):
            ax.axvline(boundary + 0.5, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel(
        "training step (one batch each"
        + ("; dotted lines: epoch ends)" if steps_per_epoch else ")")
    )
    ax.set_ylabel("learning rate")
    ax.set_xlim(0, total_steps + 1)
    ax.set_ylim(0, peak * 1.08)
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure
