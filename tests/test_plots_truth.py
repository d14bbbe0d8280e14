"""The figures of notebooks 4-6 tell the truth: shared, centred colour scales with a colour
bar, ReLU maps from 0, numbered maps, misclassified digits with their top two classes,
and the learning-rate schedule drawn as training follows it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import plots
from lesson_utils.schedules import warmup_cosine


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def images_of(figure):
    return [image for ax in figure.axes for image in ax.images]


def colorbars(figure):
    return [ax for ax in figure.axes if ax.get_label() == "<colorbar>"]


def test_kernels_share_one_scale_centred_on_zero_with_a_colour_bar():
    kernels = np.zeros((3, 3, 1, 4))
    kernels[0, 0, 0, 0], kernels[1, 1, 0, 3] = -2.0, 0.5
    figure = plots.plot_kernels(kernels, names=range(4))
    limits = {image.get_clim() for image in images_of(figure)}
    assert limits == {(-2.0, 2.0)}
    assert len(colorbars(figure)) == 1
    assert [ax.get_title() for ax in figure.axes[:4]] == ["0", "1", "2", "3"]


def test_relu_maps_start_at_zero_on_one_scale_numbered_by_channel():
    maps = np.zeros((5, 5, 6))
    maps[..., 2] = 3.0
    maps[0, 0, 4] = 1.0
    figure = plots.plot_feature_maps(maps, channels=[2, 4, 5])
    assert {image.get_clim() for image in images_of(figure)} == {(0.0, 3.0)}
    assert [ax.get_title() for ax in figure.axes[:3]] == ["2", "4", "5"]
    assert len(colorbars(figure)) == 1


def test_signed_maps_are_centred_and_a_shared_limit_can_be_given():
    maps = np.zeros((4, 4, 2))
    maps[0, 0, 0], maps[1, 1, 1] = -1.0, 0.25
    figure = plots.plot_feature_maps(maps)
    assert {image.get_clim() for image in images_of(figure)} == {(-1.0, 1.0)}
    figure = plots.plot_feature_maps(np.abs(maps), limit=4.0)
    assert {image.get_clim() for image in images_of(figure)} == {(0.0, 4.0)}


def test_misclassified_titles_name_the_top_two_classes():
    images = np.zeros((3, 28, 28, 1))
    y_true = np.array([4, 1, 7])
    probabilities = np.full((3, 10), 0.01)
    probabilities[0, [9, 4]] = [0.6, 0.32]  # wrong: 9 over the true 4
    probabilities[1, 1] = 0.91  # right
    probabilities[2, [1, 2]] = [0.5, 0.42]  # wrong: 1, then 2; the true 7 not in the top two
    predicted = probabilities.argmax(axis=1)
    figure = plots.plot_misclassified(images, y_true, predicted, probabilities=probabilities)
    titles = [ax.get_title() for ax in figure.axes if ax.images]
    assert titles == ["true 4\n9: 60%, 4: 32%", "true 7\n1: 50%, 2: 42%"]
    assert all(ax.title.get_fontsize() >= 10 for ax in figure.axes if ax.images)
    assert "2 of 2 misclassified" in figure._suptitle.get_text()


def test_misclassified_without_probabilities_keeps_true_arrow_predicted():
    figure = plots.plot_misclassified(np.zeros((2, 28, 28)), [3, 5], [3, 6])
    assert [ax.get_title() for ax in figure.axes if ax.images] == ["5 -> 6"]


@pytest.mark.parametrize(("total", "per_epoch"), [(145, 29), (8, None)])
def test_schedule_plot_draws_the_factor_times_the_peak(total, per_epoch):
    figure = plots.plot_learning_rate_schedule(total, peak=0.007, steps_per_epoch=per_epoch)
    ax = figure.axes[0]
    steps, rates = ax.lines[0].get_data()
    assert list(steps) == list(range(1, total + 1))
    assert np.allclose(rates, [0.007 * warmup_cosine(s, total) for s in range(total)])
    assert max(rates) == pytest.approx(0.007)
    epoch_lines = len(ax.lines) - 1
    assert epoch_lines == (0 if per_epoch is None else total // per_epoch - 1)
    assert ax.get_ylabel() == "learning rate"


def test_schedule_plot_refuses_a_bad_step_count():
    with pytest.raises(ValueError, match="total_steps"):
        plots.plot_learning_rate_schedule(0, peak=0.007)
