"""Each plot runs headless and returns a Figure with the expected panels."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import lesson_utils as lu
from lesson_utils import plots


@pytest.fixture(scope="module")
def data():
    return lu.load_mnist(source="sample", verbose=False)


def panels(figure: Figure) -> int:
    """Axes that show something (grids hide their spare cells; colour bars are not panels)."""
    return sum(
        1
        for ax in figure.axes
        if ax.get_visible() and (ax.images or ax.lines) and ax.get_label() != "<colorbar>"
    )


def test_plot_digits(data):
    figure = plots.plot_digits(data.x_train, data.y_train, n=12, columns=6)
    assert isinstance(figure, Figure) and panels(figure) == 12
    assert figure.axes[0].get_title() == str(data.y_train[0])


def test_plot_pixel_grid(data):
    figure = plots.plot_pixel_grid(data.x_train[0] * 255)
    assert panels(figure) == 1
    # One number written per non-zero pixel.
    assert len(figure.axes[0].texts) == int(np.count_nonzero(data.x_train[0]))


def test_plot_kernels_keras_layout():
    figure = plots.plot_kernels(np.ones((3, 3, 1, 5)), names=list("abcde"), show_values=True)
    assert panels(figure) == 5 and figure.axes[4].get_title() == "e"


def test_plot_padding_and_stride_draws_what_conv2d_computes():
    """Notebook 2's four table rows on a 6x6 input: one dot per output value, as many as
    conv2d gives, and a hatched zero for each pixel that Keras's padding adds."""
    from lesson_utils.numpy_layers import conv2d

    figure = plots.plot_padding_and_stride(size=6, kernel=3)
    axes = [ax for ax in figure.axes if ax.lines]
    assert len(axes) == 4
    rows = [("valid", 1, 0), ("same", 1, 8 * 8 - 36), ("valid", 2, 0), ("same", 2, 7 * 7 - 36)]
    for ax, (padding, stride, zeros) in zip(axes, rows, strict=True):
        side = conv2d(
            np.zeros((1, 6, 6, 1)), np.zeros((3, 3, 1, 1)), stride=stride, padding=padding
        ).shape[1]
        dots = ax.lines[0].get_xdata()
        assert len(dots) == side * side, (padding, stride)
        assert f'padding="{padding}", stride {stride}' in ax.get_title()
        assert f"output {side}x{side}" in ax.get_title()
        assert sum(1 for t in ax.texts if t.get_text() == "0") == zeros
    # stride 2, same: Keras's zeros go after the input only (0 + 1), not before
    assert "zeros 0 + 1" in axes[3].get_title() and "zeros 1 + 1" in axes[1].get_title()
    with pytest.raises(ValueError, match="kernel must fit"):
        plots.plot_padding_and_stride(size=2, kernel=3)


def test_plot_feature_maps_either_backend(data):
    model = lu.build_cnn_model(backend="numpy")
    maps = lu.feature_maps(model, data.x_test[:1], "conv2d")
    assert panels(plots.plot_feature_maps(maps, n=8)) == 8
    with pytest.raises(ValueError, match="maps must be"):
        plots.plot_feature_maps(np.zeros((2, 5, 5, 1, 1)))


def test_plot_training_curves():
    logs = {
        "loss": [1.0, 0.5],
        "accuracy": [0.6, 0.8],
        "val_loss": [0.9, 0.6],
        "val_accuracy": [0.7, 0.8],
    }
    figure = plots.plot_training_curves(logs)
    assert panels(figure) == 2
    assert all(len(ax.lines) == 2 for ax in figure.axes)


def test_confusion_matrix_counts_and_plot():
    y_true, y_pred = np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 2, 0])
    counts = plots.confusion_matrix(y_true, y_pred, 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    figure = plots.plot_confusion_matrix(y_true, y_pred)
    assert panels(figure) == 1


def test_plot_misclassified(data):
    y_pred = data.y_test.copy()
    y_pred[[3, 7, 9]] = (y_pred[[3, 7, 9]] + 1) % 10
    figure = plots.plot_misclassified(data.x_test, data.y_test, y_pred, n=10)
    assert panels(figure) == 3
    assert figure.axes[0].get_title() == f"{data.y_test[3]} -> {y_pred[3]}"
    assert (
        "No mistakes"
        in plots.plot_misclassified(data.x_test, data.y_test, data.y_test)
        .axes[0]
        .texts[0]
        .get_text()
    )


def test_plot_feature_maps_takes_one_2d_map():
    """plot_feature_maps(convolve(image, kernel)) works: a single (h, w) map is drawn alone."""
    figure = plots.plot_feature_maps(np.arange(16.0).reshape(4, 4) - 8)
    assert panels(figure) == 1
    assert figure.axes[0].images[0].get_clim() == (-8.0, 8.0)  # signed: centred on 0
    with pytest.raises(ValueError, match="one map"):
        plots.plot_feature_maps(np.zeros(5))


def test_digits_and_pixel_grid_keep_one_scale(data):
    """Background 0 is white and full ink black in every panel, not each image's own range."""
    faint = data.x_test[:2] * 0.5
    figure = plots.plot_digits(faint, n=2)
    assert figure.axes[0].images[0].get_clim() == (0.0, 1.0)
    raw = (data.x_train[0, :, :, 0] * 255).astype(np.uint8)
    grid = plots.plot_pixel_grid(raw, crop=True)
    assert grid.axes[0].images[0].get_clim() == (0.0, 255.0)
    assert len(grid.axes[0].texts) == int(np.count_nonzero(raw))
    assert grid.axes[0].texts[0].get_fontsize() >= 9  # readable at the site's width


def test_plot_maps_shares_one_scale():
    signed, positive = np.array([[-2.0, 1.0], [0.0, 3.0]]), np.array([[0.0, 1.0]])
    figure = plots.plot_maps([signed, positive], ["before", "after"])
    assert panels(figure) == 2
    assert {ax.images[0].get_clim() for ax in figure.axes[:2]} == {(-3.0, 3.0)}
    after_only = plots.plot_maps([positive], ["after"])
    assert after_only.axes[0].images[0].get_clim() == (0.0, 1.0)  # maps after ReLU start at 0
    with pytest.raises(ValueError, match="one title per map"):
        plots.plot_maps([signed], ["a", "b"])
    wrapped = plots.plot_maps([signed, signed[None, :, :, None], positive], list("abc"), columns=2)
    assert panels(wrapped) == 3  # a (1, h, w, 1) map from conv2d is drawn as (h, w)


def test_plot_filter_channels_adds_slices_and_bias():
    channels = np.zeros((5, 5, 2), np.float32)
    channels[:, 2, 0], channels[2, :, 1] = 1.0, 1.0
    kernel = np.zeros((3, 3, 2), np.float32)
    kernel[1, 1, :] = 1.0
    figure = plots.plot_filter_channels(channels, kernel, bias=-1.0)
    output = figure.axes[3].images[0].get_array()
    assert output.shape == (3, 3)
    assert output[1, 1] == 1.0 and output[0, 0] == -1.0  # both channels, minus the bias
    with pytest.raises(ValueError, match="one slice per input channel"):
        plots.plot_filter_channels(channels, np.zeros((3, 3, 3)))


def test_plot_receptive_fields(data):
    fields = lu.receptive_fields()
    figure = plots.plot_receptive_fields(data.x_test[0], fields)
    assert panels(figure) == len(fields) == 5
    assert figure.axes[-1].patches[0].get_width() == 18


def test_plot_top_patches_skips_dead_filters(data):
    from lesson_utils import architecture as A
    from lesson_utils import measure

    model = lu.build_model([A.conv2d((28, 28, 1), 3)], backend="numpy")
    kernel = np.zeros((3, 3, 1, 3), np.float32)
    kernel[..., 0], kernel[..., 2] = 1.0, -1.0  # filter 2 sees only ink: dead, as 1 is
    model.set_weights([kernel, np.array([0.0, -1.0, 0.0], np.float32)])
    found = measure.top_patches(model, data.x_test[:10], "conv2d", range(3), k=4)
    figure = plots.plot_top_patches(found)
    assert panels(figure) == 4  # one row: filter 0's four patches
    label = figure.axes[0].get_ylabel()
    assert label.startswith("filter 0\n") and f"{found[0].values.min():.2f}-" in label
    assert "skipped: filter 1, 2" in figure._suptitle.get_text()
    outline = figure.axes[0].patches[0]  # the receptive field, in pixel coordinates
    top, left, bottom, right = found[0].windows[0]
    assert outline.get_xy() == (left - 0.5, top - 0.5) and outline.get_width() == right - left
    cropped = plots.plot_top_patches(found, crop=True)
    assert cropped.axes[0].images[0].get_array().shape == (3, 3)
    with pytest.raises(ValueError, match="all dead"):
        plots.plot_top_patches(found[1:])
