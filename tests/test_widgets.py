"""The functions behind the interactive widgets, and the widgets without a frontend (#15)."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lesson_utils as lu
from lesson_utils import numpy_layers as L
from lesson_utils.widgets.common import LIVE_DPI, STILL_DPI, shift_image
from lesson_utils.widgets.pad import (
    DigitFigure,
    center_of_mass,
    digit_layer_outputs,
    example_digit,
    preprocess_drawing,
    thicken,
    top_classes,
)
from lesson_utils.widgets.playground import (
    PRESET_KERNELS,
    YOUR_OWN,
    bias_sentence,
    compare_maps,
    learned_kernels,
    playground_maps,
    shift_sentence,
)
from lesson_utils.widgets.watch import training_stage

SAMPLE = np.load(
    __import__("importlib.resources").resources.files("lesson_utils")
    / "samples"
    / "mnist_sample.npz"
)
DIGIT = SAMPLE["x_test"][0].astype(np.float32) / 255.0  # a 9; its ink box is 20 pixels high


@pytest.fixture(scope="module")
def small_model():
    """A NumPy CNN trained a little, so its maps and probabilities are not all alike."""
    np.random.seed(0)
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    x = SAMPLE["x_train"][:512, :, :, None].astype(np.float32) / 255.0
    model.fit(x, SAMPLE["y_train"][:512].astype(np.int64), epochs=1, verbose=0)
    return model


# ------------------------------------------------------------------ drawing


def test_an_empty_drawing_is_none_not_an_error():
    assert preprocess_drawing(np.zeros((280, 280), np.uint8)) is None
    assert preprocess_drawing(np.zeros((28, 28))) is None


def test_an_off_centre_drawing_becomes_the_mnist_digit_it_was_made_from():
    """The MNIST digit, drawn 3x larger in a corner of a big pad, comes back as itself."""
    pad = np.zeros((280, 280), np.uint8)
    pad[5 : 5 + 84, 150 : 150 + 84] = np.round(np.kron(DIGIT, np.ones((3, 3))) * 255)
    digit = preprocess_drawing(pad)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.max() == pytest.approx(1.0) and digit.min() == 0.0
    np.testing.assert_allclose(digit, DIGIT / DIGIT.max(), atol=1 / 255)


def test_preprocessing_fits_20_pixels_and_centres_the_mass():
    pad = np.zeros((200, 300))
    pad[10:30, 20:200] = 0.5  # a wide bar, far from the centre, half-strength ink
    digit = preprocess_drawing(pad)
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    assert cols[-1] - cols[0] + 1 == 20  # the longer side fills the 20x20 box
    assert rows[-1] - rows[0] + 1 <= 3  # and keeps its proportions
    centre = center_of_mass(digit)
    assert abs(centre[0] - 14) <= 0.5 and abs(centre[1] - 14) <= 0.5
    assert digit.max() == 1.0  # scaled to [0, 1]: the strongest ink is 1


def test_preprocessing_reads_0_255_and_0_1_alike():
    pad = np.zeros((100, 100))
    pad[20:80, 45:55] = 1.0
    np.testing.assert_allclose(
        preprocess_drawing(pad), preprocess_drawing((pad * 255).astype(np.uint8))
    )


@pytest.mark.parametrize(
    ("drawing", "message"),
    [
        (np.zeros((10, 10, 3)), "one grey image"),
        (-np.ones((5, 5)), "ink amounts >= 0"),
        (np.full((5, 5), np.nan), "NaN"),
        ("a seven", "array of pixel values"),
    ],
)
def test_preprocessing_rejects_what_is_not_a_drawing(drawing, message):
    with pytest.raises(ValueError, match=message):
        preprocess_drawing(drawing)


def test_thicken_grows_a_dot_into_a_plus():
    dot = np.zeros((5, 5), np.float32)
    dot[2, 2] = 0.8
    thick = thicken(dot)
    assert thick[2, 2] == thick[1, 2] == thick[3, 2] == thick[2, 1] == thick[2, 3] == 0.8
    assert thick.sum() == pytest.approx(5 * 0.8)


def test_top_classes_names_the_three_most_probable():
    p = np.array([0.05, 0.6, 0.0, 0.3, 0.05])
    assert top_classes(p, list("abcde")) == [("b", 0.6), ("d", 0.3), ("a", 0.05)]
    with pytest.raises(ValueError, match="one name per class"):
        top_classes(p, ["a", "b"])


def test_layer_outputs_end_with_the_models_probabilities(small_model):
    outputs = digit_layer_outputs(small_model, DIGIT)
    assert [name for name, _ in outputs] == lu.layer_names(small_model)
    assert outputs[0][1].shape == (26, 26, 32)
    np.testing.assert_allclose(outputs[-1][1], small_model.predict(DIGIT[None, :, :, None])[0])


@pytest.mark.tensorflow
def test_layer_outputs_on_keras_equal_feature_maps(monkeypatch):
    pytest.importorskip("tensorflow")
    model = lu.build_cnn_model(backend="tensorflow")
    outputs = digit_layer_outputs(model, DIGIT)
    for name, values in outputs:
        np.testing.assert_allclose(
            values, lu.feature_maps(model, DIGIT[None, :, :, None], name)[0], atol=1e-5
        )
    assert len(model.layers) == 8  # the cached probe is not tracked as a layer


# --------------------------------------------------------------- playground


def test_shift_moves_right_and_down_and_fills_with_background():
    image = np.arange(16, dtype=np.float32).reshape(4, 4) + 1
    moved = shift_image(image, dx=1, dy=2)
    np.testing.assert_array_equal(moved[2:, 1:], image[:2, :3])
    assert not moved[:2].any() and not moved[:, 0].any()
    np.testing.assert_array_equal(shift_image(image, -1, 0)[:, :3], image[:, 1:])
    assert not shift_image(image, 9, 0).any()
    with pytest.raises(ValueError, match="whole number of pixels"):
        shift_image(image, 0.5, 0)


def test_compare_maps_is_cosine_similarity_and_takes_blank_maps():
    a = np.array([[1.0, 2.0], [0.0, 3.0]])
    assert compare_maps(a, 2 * a) == pytest.approx(1.0)
    b = np.array([[0.5, -1.0], [2.0, 1.0]])
    assert compare_maps(a, b) == lu.cosine_similarity(a, b)  # notebook 3's number
    assert compare_maps(a, -a) == pytest.approx(-1.0)
    assert compare_maps(np.zeros(4), np.zeros(4)) == 1.0
    assert compare_maps(np.zeros(4), np.ones(4)) == 0.0
    with pytest.raises(ValueError, match="same size"):
        compare_maps(np.zeros(4), np.zeros(5))


@pytest.mark.parametrize("use_relu", [True, False])
@pytest.mark.parametrize("use_pool", [True, False])
def test_playground_maps_are_numpy_layers_results(use_relu, use_pool):
    kernel = np.array([[0.5, -1, 0], [2, 0.25, -0.5], [0, 1, -2]], np.float32)
    maps = playground_maps(DIGIT, kernel, -0.3, use_relu, use_pool, dx=2, dy=-1)
    shifted = shift_image(DIGIT, 2, -1)
    by_hand = L.conv2d_loops(shifted, kernel, -0.3)  # the plainest loop of notebook 2
    np.testing.assert_allclose(maps.feature_map, by_hand, atol=1e-5)
    stage = L.relu(by_hand) if use_relu else by_hand
    if use_relu:
        np.testing.assert_allclose(maps.after_relu, stage, atol=1e-5)
    else:
        assert maps.after_relu is None
    if use_pool:
        np.testing.assert_allclose(
            maps.pooled, L.max_pool2d(stage[None, :, :, None], 2)[0, :, :, 0], atol=1e-5
        )
        assert maps.pooled.shape == (13, 13)
    else:
        assert maps.pooled is None
    np.testing.assert_array_equal(maps.digit, shifted)


def test_the_shift_measure_compares_with_the_unshifted_digit():
    vertical = PRESET_KERNELS["vertical edge"]
    still = playground_maps(DIGIT, vertical)
    assert still.similarity == pytest.approx(1.0) == still.similarity_before_pooling
    moved = playground_maps(DIGIT, vertical, dx=1)
    expected = compare_maps(
        moved.pooled,
        L.max_pool2d(L.relu(L.conv2d_loops(DIGIT, vertical))[None, :, :, None])[0, :, :, 0],
    )
    assert moved.similarity == pytest.approx(expected)
    # Pooling's tolerance on this digit: the pooled maps stay more alike than the unpooled.
    assert moved.similarity_before_pooling < moved.similarity < 1.0


def test_blank_maps_are_named_not_scored_as_unchanged():
    """Bias -3 with ReLU blanks every map: no "similarity 1.00", but why (issue 20)."""
    vertical = PRESET_KERNELS["vertical edge"]
    maps = playground_maps(DIGIT, vertical, -3.0, dx=4)
    assert maps.blank == "both" and not maps.after_relu.any()
    text = shift_sentence(maps, 4, 0)
    assert "cosine similarity" not in text and "1.00" not in text
    assert "both maps are blank" in text and "no pattern to compare" in text
    assert "with bias -3 every response is 0 or below (the largest is " in text
    assert f"{maps.feature_map.max():.2f})" in text
    # Only the shifted digit's map blank: its ink leaves the image.
    edge = np.zeros((28, 28), np.float32)
    edge[5:20, 26:] = 1.0
    one_side = playground_maps(edge, vertical, dx=3)
    assert one_side.blank == "shifted" and one_side.similarity == 0.0
    assert "the shifted digit's map is blank" in shift_sentence(one_side, 3, 0)
    assert playground_maps(DIGIT, vertical, dx=4).blank == ""


@pytest.mark.parametrize("bias", [1.69, -1.0])
def test_the_bias_sentence_gives_the_similarity_at_bias_0(bias):
    """A positive bias raises the number by a floor both maps share; the line under the
    playground says so, with the number bias 0 gives (issue 20)."""
    vertical = PRESET_KERNELS["vertical edge"]
    maps = playground_maps(DIGIT, vertical, bias, dx=2)
    at_0 = playground_maps(DIGIT, vertical, 0.0, dx=2).similarity
    assert maps.similarity_at_bias_0 == pytest.approx(at_0)
    text = bias_sentence(maps)
    assert f"With bias 0 the similarity would be {at_0:.2f}." in text
    if bias > 0:
        assert maps.similarity > at_0 + 0.1  # the rise the sentence explains
        assert "adds 1.69 to every value of both maps" in text and "floor" in text
    else:
        passed = np.count_nonzero(maps.after_relu)
        assert f"only the strongest responses through ReLU ({passed} of 676 values)" in text
    assert bias_sentence(playground_maps(DIGIT, vertical, 0.0, dx=2)) == ""
    assert bias_sentence(playground_maps(DIGIT, vertical, bias)) == ""  # no shift


def test_the_playground_says_why_its_maps_are_blank():
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data, shift=(4, 0))
    playground.bias.value = -3.0
    assert "both maps are blank" in playground.summary.value
    assert "cosine similarity" not in playground.summary.value
    second = _playground_title(playground).split("\n")[1]
    assert second == "No similarity: both maps are blank (0 everywhere), nothing to compare"
    playground.bias.value = 1.69
    assert "With bias 0 the similarity would be" in playground.summary.value


def test_vertical_edge_preset_is_positive_where_ink_lies_right_of_centre():
    image = np.zeros((5, 5), np.float32)
    image[:, 3:] = 1.0  # ink on the right
    maps = playground_maps(image, PRESET_KERNELS["vertical edge"], use_pool=False)
    assert maps.feature_map[1, 1] > 0  # the window at columns 1-3 has ink on its right


@pytest.mark.parametrize(
    ("kernel", "message"),
    [(np.ones((2, 2)), "3x3 numbers"), ([[1, 2, 3]] * 2, "3x3"), ("edge", "3x3 numbers")],
)
def test_playground_rejects_a_kernel_that_is_not_3x3(kernel, message):
    with pytest.raises(ValueError, match=message):
        playground_maps(DIGIT, kernel)


def test_learned_kernels_are_the_first_layers_weights(small_model):
    kernel, bias = small_model.get_weights()[:2]
    learned = learned_kernels(small_model)
    assert len(learned) == 32
    np.testing.assert_array_equal(learned["learned 5"][0], kernel[:, :, 0, 5])
    assert learned["learned 5"][1] == pytest.approx(bias[5])


# ---------------------------------------------------------------- the widgets


def test_import_stays_light():
    code = (
        "import sys, lesson_utils as lu; lu.watch_it_learn; "
        "print('ipywidgets' in sys.modules, 'anywidget' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _still_png(widget) -> bytes:
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "to play with it" in bundle["text/plain"]
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG")
    return png


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _small_texts(figure, smallest: float = 11) -> list[str]:
    """The figure's visible texts (titles, labels, tick labels, notes) under `smallest` pt."""
    from matplotlib.text import Text

    return [
        f"{t.get_text()!r} at {t.get_fontsize()} pt"
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < smallest
    ]


def _playground_title(playground) -> str:
    return playground.figure.suptitle.get_text()


@pytest.mark.slow
def test_the_stills_are_sharp_small_files_with_text_of_11_pt_or_more(small_model):
    """Each widget's still is rendered at STILL_DPI (twice the live refresh's pixels each
    way), in a palette that keeps the file small, and no text in it is under 11 pt."""
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data, shift=(1, 0))
    live = playground.image.value
    still = _still_png(playground)
    inches = playground.figure.figure.get_size_inches()
    assert _png_size(live) == tuple(int(x * LIVE_DPI) for x in inches)
    assert _png_size(still) == tuple(int(x * STILL_DPI) for x in inches)
    assert STILL_DPI >= 120 and LIVE_DPI == 72
    assert len(still) < 60_000  # 256 colours: ~30 KB where full colour was ~75 KB
    assert _small_texts(playground.figure.figure) == []

    still = _still_png(lu.draw_a_digit(small_model))
    # the figure the still is drawn from, built again to look at (the widget keeps bytes)
    figure = DigitFigure(title="A test digit as the pad shows it")
    outputs = digit_layer_outputs(small_model, DIGIT)
    figure.update(DIGIT, outputs, top_classes(outputs[-1][1]))
    assert still == figure.still_png()
    inches = figure.figure.get_size_inches()
    assert _png_size(still) == tuple(int(x * STILL_DPI) for x in inches)
    assert len(still) < 120_000
    assert _small_texts(figure.figure) == []

    watcher = lu.watch_it_learn(small_model, DIGIT).watcher
    watcher._show = lambda png: None
    watcher.draw()
    assert _small_texts(watcher.figure.figure) == []


def test_the_playground_still_without_a_shift_describes_and_does_not_instruct(small_model):
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data)
    zero = playground.digit.label  # "a 0 (test image 13)"
    assert _playground_title(playground) == f"The vertical edge kernel on {zero}"
    assert "Shift" not in _playground_title(playground)
    playground.weights[0].value = 0.5  # no longer the preset: the title says so
    assert _playground_title(playground) == f"Your kernel on {zero}"
    playground.bias.value = -0.25
    assert _playground_title(playground) == f"Your kernel (bias -0.25) on {zero}"


def test_the_playground_still_with_a_shift_states_its_cosine_similarities():
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data, shift=(1, 0))
    maps = playground.maps()
    title = _playground_title(playground)
    first, second = title.split("\n")
    assert first == f"The vertical edge kernel on {playground.digit.label}, shifted by (1, 0)"
    assert f"cosine similarity to the unshifted digit's: {maps.similarity:.2f}" in second
    assert f"(before pooling: {maps.similarity_before_pooling:.2f})" in second
    assert maps.similarity_before_pooling < maps.similarity < 1.0  # different numbers shown
    playground.dx.value = 0  # back to no shift: one descriptive line again
    assert "\n" not in _playground_title(playground)
    assert "cosine" not in _playground_title(playground)


def test_the_playground_starts_at_the_preset_and_shift_asked_for(small_model):
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data, preset="horizontal edge", shift=(-2, 3))
    assert playground.preset.value == "horizontal edge"
    np.testing.assert_array_equal(playground.kernel(), PRESET_KERNELS["horizontal edge"])
    assert (playground.dx.value, playground.dy.value) == (-2, 3)
    expected = playground_maps(
        data.x_test[playground.digit.value], PRESET_KERNELS["horizontal edge"], dx=-2, dy=3
    )
    np.testing.assert_array_equal(playground.figure.digit.get_array(), expected.digit)
    assert f"{expected.similarity:.2f}" in _playground_title(playground)

    learned = lu.kernel_playground(data, model=small_model, preset="learned 30", digit=7)
    kernel, bias = learned_kernels(small_model)["learned 30"]
    np.testing.assert_allclose(learned.kernel(), kernel, atol=5e-4)
    assert learned.bias.value == round(bias, 3)
    assert learned.digit.value == 7
    title = _playground_title(learned)
    assert title.startswith("Learned kernel 30") and title.endswith("(test image 7)")


@pytest.mark.parametrize(
    ("preset", "with_model", "message"),
    [
        ("diagonal", False, r"preset must be one of 'vertical edge', 'horizontal edge', "),
        ("learned 3", False, r"learned kernels need the trained CNN"),
        ("learned 32", True, r"'learned 0' to 'learned 31'.*got 'learned 32'"),
        (3, False, r"preset must be one of .*got 3\."),
    ],
)
def test_the_playground_names_its_presets_for_an_unknown_one(
    preset, with_model, message, small_model
):
    data = lu.load_mnist(source="sample", verbose=False)
    model = small_model if with_model else None
    with pytest.raises(ValueError, match=message):
        lu.kernel_playground(data, model=model, preset=preset)


@pytest.mark.parametrize(
    "shift", [(5, 0), (0, -5), (0.5, 0), (1,), (1, 2, 3), "10", 1, (True, 0), None]
)
def test_the_playground_rejects_a_shift_that_is_not_two_small_whole_numbers(shift):
    data = lu.load_mnist(source="sample", verbose=False)
    with pytest.raises(
        ValueError,
        match=r"shift must be \(dx, dy\): two whole numbers of pixels "
        r"from -4 to 4",
    ):
        lu.kernel_playground(data, shift=shift)
    lu.kernel_playground(data, shift=(np.int64(4), -4))  # the limits themselves are fine


def test_playground_redraws_when_a_weight_changes(small_model):
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data, model=small_model)
    assert len(playground.digit.options) == 10  # one test digit of each class
    assert "learned 31" in playground.preset.options
    _still_png(playground)
    before = playground.image.value
    playground.weights[4].value = 3.0
    assert playground.image.value != before
    np.testing.assert_array_equal(playground.kernel()[1, 1], 3.0)
    playground.dx.value = 1
    assert "cosine similarity" in playground.summary.value
    playground.preset.value = "learned 3"
    np.testing.assert_allclose(
        playground.kernel(), small_model.get_weights()[0][:, :, 0, 3], atol=5e-4
    )


def test_playground_keeps_a_small_learned_bias(small_model):
    """A first-layer bias of a few thousandths survives set_kernel and shows on the slider."""
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data, model=small_model)
    kernel = np.array([[0.004, -0.012, 0.0], [0.0, 0.5, 0.0], [0.0, 0.0, -0.0456]])
    playground.set_kernel(kernel, bias=0.004)
    assert playground.bias.value == 0.004  # round(0.004, 2) was 0.0
    assert f"{playground.bias.value:{playground.bias.readout_format}}" == "0.004"
    np.testing.assert_array_equal(
        playground.kernel().ravel()[[0, 1, 8]], np.float32([0.004, -0.012, -0.046])
    )
    # One arrow key moves the bias by 0.1 (issue 20: 0.01 took 600 presses across the
    # range), while a value set by a preset keeps its three decimals.
    assert playground.bias.step == 0.1 and playground.bias.value == 0.004


def test_playground_controls_have_names_a_screen_reader_reads(small_model):
    """Each weight box is named by its tooltip (ipywidgets makes it the input's title),
    the sliders are native range inputs labelled by their description (issue 20)."""
    from lesson_utils.widgets import slider

    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data)
    names = [box.tooltip for box in playground.weights]
    assert names[0] == "kernel weight, row 1, column 1"
    assert names[5] == "kernel weight, row 2, column 3"
    assert len(set(names)) == 9 and all(not box.description for box in playground.weights)
    for control, name in ((playground.bias, "bias"), (playground.dx, "shift dx")):
        assert isinstance(control, slider._Slider) and control.description == name
    assert isinstance(playground.dx.value, int) and playground.dx.step == 1
    script = (Path(slider.__file__).parent / "slider.js").read_text()
    assert 'input.type = "range"' in script and 'setAttribute("aria-label"' in script
    playground.bias.value = 7.0  # beyond the slider's end: kept within it, as ipywidgets does
    assert playground.bias.value == 3.0


def test_the_preset_menu_stops_naming_a_preset_after_a_weight_is_typed():
    data = lu.load_mnist(source="sample", verbose=False)
    playground = lu.kernel_playground(data)
    assert playground.preset.value == "vertical edge"
    playground.weights[4].value = 2.0
    assert playground.preset.value == YOUR_OWN
    np.testing.assert_array_equal(playground.kernel()[1], [-1, 2, 1])  # the typed weight stays
    assert _playground_title(playground).startswith("Your kernel")
    playground.preset.value = "horizontal edge"  # a preset again: its weights
    np.testing.assert_array_equal(playground.kernel(), PRESET_KERNELS["horizontal edge"])
    playground.weights[0].value = -1.0  # typing the value the box holds changes nothing
    assert playground.preset.value == "horizontal edge"
    playground.preset.value = YOUR_OWN  # chosen by hand: the boxes keep their weights
    np.testing.assert_array_equal(playground.kernel(), PRESET_KERNELS["horizontal edge"])


def test_the_pads_buttons_are_named_in_words(small_model):
    """A screen reader reads a button's description: "left", not a bare arrow."""
    widget = lu.draw_a_digit(small_model)
    buttons = [w for w in _descendants(widget) if type(w).__name__ == "Button"]
    names = [b.description for b in buttons]
    assert names == ["clear", "left", "right", "up", "down", "thicken"]
    assert all(b.tooltip for b in buttons)
    right = buttons[2]
    widget.base = example_digit()
    right.click()
    assert (widget.dx, widget.dy) == (1, 0)


def test_the_pad_can_be_drawn_on_by_keyboard():
    """The canvas is reached by Tab and named; arrow keys and Space draw (pad.js).
    tests/test_jupyterlab_widgets.py draws a stroke with them in a real browser."""
    from lesson_utils.widgets import pad

    script = (Path(pad.__file__).parent / "pad.js").read_text()
    for needed in ("canvas.tabIndex = 0", '"aria-label"', '"keydown"', "ArrowLeft", '" "'):
        assert needed in script


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_playground_explains_bad_data():
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 1\)"):
        lu.kernel_playground(np.zeros((3, 5, 5, 1)))
    with pytest.raises(ValueError, match="digit must be an index"):
        lu.kernel_playground(np.zeros((3, 28, 28, 1)), digit=7)
    with pytest.raises(ValueError, match="digit must be a whole-number index"):
        lu.kernel_playground(np.zeros((3, 28, 28, 1)), digit="1")


def test_draw_a_digit_answers_a_drawing_and_a_blank_pad(small_model):
    widget = lu.draw_a_digit(small_model)
    _still_png(widget)
    assert "empty" in widget.answer.value
    ink = np.zeros((280, 280), np.uint8)
    ink[40:240, 130:150] = 255  # a "1"
    widget.pad.drawing = ink.tobytes()
    assert widget.answer.value.startswith("The CNN says:")
    assert widget.answer.value.count("%") == 3
    widget._shift(1, 0)
    widget._thicken()
    assert "shifted by (1, 0)" in widget.answer.value and "thickened 1x" in widget.answer.value
    assert widget.digit().sum() > shift_image(widget.base, 1, 0).sum()
    widget.clear()
    assert "empty" in widget.answer.value
    with pytest.raises(ValueError, match="trained CNN"):
        lu.draw_a_digit("model")


@pytest.mark.slow
def test_watch_it_learn_on_numpy_records_every_batch_and_redraws(small_model, capsys):
    x = SAMPLE["x_train"][:300, :, :, None].astype(np.float32) / 255.0
    y = SAMPLE["y_train"][:300].astype(np.int64)
    callback = lu.watch_it_learn(small_model, DIGIT, every=2)
    shown = []

    def show(png):
        shown.append(png)
        print(f"PICTURE {training_stage(callback.watcher.log)}")

    callback.watcher._show = show
    history = lu.train_cnn_model(
        small_model,
        x,
        y,
        epochs=2,
        batch_size=50,
        callbacks=[callback],
        verbose=2,
        validation_split=0.2,
    )
    log = callback.watcher.log
    assert log.steps == list(range(1, 11))  # 5 batches of 50 in each of 2 epochs
    # The last batch's running means are the epoch's means that History keeps.
    assert log.loss[-1] == pytest.approx(history.history["loss"][-1])
    assert log.accuracy[4] == pytest.approx(history.history["accuracy"][0])
    assert log.val_loss == pytest.approx(history.history["val_loss"])
    peak = small_model.optimizer.learning_rate  # the schedule, batch by batch
    expected = [peak * lu.schedules.warmup_cosine(step, 10) for step in range(10)]
    assert log.learning_rate == pytest.approx(expected)
    # As with Keras, on_train_begin shows the random kernels; then every 2nd batch and
    # each epoch's end redraw the picture.
    assert len(callback.watcher.draw_seconds) == len(shown) == 1 + 5 + 2
    # The picture comes first, above "Epoch 1/2", as on the Keras backend.
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["PICTURE before training (random kernels)", "Epoch 1/2"]
    # Each epoch's end is drawn as a still (sharper); the batches' refreshes stay quick.
    inches = callback.watcher.figure.figure.get_size_inches()
    live_size = tuple(int(v * LIVE_DPI) for v in inches)
    still_size = tuple(int(v * STILL_DPI) for v in inches)
    sizes = [_png_size(png) for png in shown]
    assert sizes == [live_size] * 3 + [still_size] + [live_size] * 3 + [still_size]
    with pytest.raises(ValueError, match="every must be"):
        lu.watch_it_learn(small_model, DIGIT, every=0)


def test_watch_it_learn_shows_every_frame_at_the_live_pictures_width(small_model, monkeypatch):
    """A notebook shows the sharper epoch's-end frame as wide as the others (no jump)."""
    ipython_display = pytest.importorskip("IPython.display")
    bundles = []

    class Handle:
        def update(self, picture):
            bundles.append(picture._repr_mimebundle_())

    def display(picture, display_id=False):
        bundles.append(picture._repr_mimebundle_())
        return Handle()

    monkeypatch.setattr(ipython_display, "display", display)
    watcher = lu.watch_it_learn(small_model, DIGIT).watcher
    watcher.begin()
    watcher.epoch_end({})
    (first, first_meta), (last, last_meta) = bundles
    assert first["text/plain"] == "Watching the CNN learn: before training (random kernels)"
    width = int(watcher.figure.figure.get_figwidth() * 72)
    assert first_meta == last_meta == {"image/png": {"width": width}}
    assert _png_size(base64.b64decode(last["image/png"]))[0] == 2 * width


def test_watch_it_learn_keeps_one_kernel_scale_for_the_run(small_model):
    """Trained kernels are not drawn paler than random ones (issue 20): the scale is set
    once, at twice the first kernels' largest weight, and only grows to fit."""
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="numpy"))
    watcher = lu.watch_it_learn(model, DIGIT).watcher
    watcher._show = lambda png: None
    weights = model.get_weights()
    start = float(np.abs(weights[0]).max())
    watcher.begin()
    limits = lambda: watcher.figure.kernels[0].get_clim()  # noqa: E731
    assert limits() == pytest.approx((-2 * start, 2 * start))
    for factor, expected in ((1.5, 2.0), (3.0, 3.0), (0.5, 3.0)):  # grows, never shrinks
        model.set_weights([weights[0] * factor, *weights[1:]])
        watcher.draw()
        assert limits() == pytest.approx((-expected * start, expected * start)), factor
        assert all(k.get_clim() == limits() for k in watcher.figure.kernels)


def test_a_short_run_is_redrawn_while_it_trains(small_model):
    """With the default every=50, a quick run of 8 batches still redraws at batches 2, 4
    and 8, not only at its start and end (issue 20)."""
    watcher = lu.watch_it_learn(small_model, DIGIT).watcher
    drawn = []
    watcher.draw = lambda still=False: drawn.append(len(watcher.log.steps))  # when, not how
    watcher.begin()
    for _ in range(8):
        watcher.batch_end({"loss": 1.0, "accuracy": 0.5}, 0.007)
    assert drawn == [0, 2, 4, 8]
    for _ in range(92):
        watcher.batch_end({"loss": 1.0, "accuracy": 0.5}, 0.007)
    assert drawn == [0, 2, 4, 8, 16, 32, 50, 100]


def test_the_watch_picture_is_readable_on_the_sites_column(small_model):
    """The site's column is about 830 pixels: the still, 144 dots per inch, is scaled to
    it, and its smallest text (11 pt) must stay 12 pixels or more (it was about 9)."""
    watcher = lu.watch_it_learn(small_model, DIGIT).watcher
    watcher._show = lambda png: None
    watcher.draw(still=True)
    figure = watcher.figure.figure
    scale = min(1.0, 830 / (figure.get_figwidth() * STILL_DPI))
    smallest = min(t.get_fontsize() for t in figure.findobj(_text_type()) if t.get_text())
    assert smallest >= 11 and smallest * STILL_DPI / 72 * scale >= 12


def _text_type():
    from matplotlib.text import Text

    return Text


@pytest.mark.slow
@pytest.mark.tensorflow
def test_watch_it_learn_on_keras_shows_the_picture_before_training_prints(capsys):
    """The display is made in on_train_begin, with the random kernels: above "Epoch 1/2"."""
    pytest.importorskip("tensorflow")
    model = lu.compile_cnn_model(lu.build_cnn_model(backend="tensorflow"))
    before = model.get_weights()[0]
    callback = lu.watch_it_learn(model, DIGIT, every=100)
    shown = []

    def show(png):
        shown.append(len(callback.watcher.log.steps))
        print(f"PICTURE {training_stage(callback.watcher.log)}")

    callback.watcher._show = show
    x = SAMPLE["x_train"][:64, :, :, None].astype(np.float32) / 255.0
    y = SAMPLE["y_train"][:64].astype(np.int64)
    lu.train_cnn_model(model, x, y, epochs=2, batch_size=32, callbacks=[callback], verbose=2)
    out = capsys.readouterr().out
    assert out.index("PICTURE before training (random kernels)") < out.index("Epoch 1/2")
    # Before any batch; at batches 2 and 4 (the powers of 2 before the 100th, so that a
    # short run moves); and at each epoch's end (after batches 2 and 4).
    assert shown == [0, 2, 2, 4, 4]
    assert not np.array_equal(model.get_weights()[0], before)  # it did train


def test_the_static_site_shows_the_widgets_still_picture(small_model, tmp_path):
    """Rendered as the site renders stored outputs (no widget state saved), a widget's
    output is its PNG, not a widget view that needs a renderer."""
    nbformat = pytest.importorskip("nbformat")
    convert = pytest.importorskip("mkdocs_jupyter.convert")
    bundle = lu.draw_a_digit(small_model)._repr_mimebundle_()
    cell = nbformat.v4.new_code_cell("lu.draw_a_digit(model)")
    cell.outputs = [nbformat.v4.new_output("execute_result", data=bundle, execution_count=1)]
    nb = nbformat.v4.new_notebook(cells=[cell])
    path = tmp_path / "widget.ipynb"
    nbformat.write(nb, path)
    html = convert.nb2html(str(path))
    assert f"data:image/png;base64,{bundle['image/png'][:40]}" in html
    assert 'type="application/vnd.jupyter.widget-view+json"' not in html
