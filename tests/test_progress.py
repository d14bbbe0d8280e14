"""The NumPy backend's training log: Keras's verbose=2 lines, live progress, the forecast."""

from __future__ import annotations

import io
import re
import sys
import types

import pytest

import lesson_utils as lu
from lesson_utils import progress as P


class FakeClock:
    """Seconds that move only when a batch is done: each batch takes ``per_batch``."""

    def __init__(self, per_batch: float):
        self.now, self.per_batch = 100.0, per_batch

    def __call__(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += self.per_batch


def train(progress: P.TrainingProgress, clock: FakeClock, epochs: int, steps: int) -> None:
    for epoch in range(epochs):
        progress.start_epoch(epoch)
        for done in range(1, steps + 1):
            clock.tick()
            progress.batch_done(done)
        progress.end_epoch({"accuracy": 0.91234, "loss": 0.0004})


def test_epoch_line_is_kerass():
    logs = {"accuracy": 0.6333, "loss": 1.1578, "val_accuracy": 0.8875, "val_loss": 0.0002}
    assert P.keras_epoch_line(29, 4.2, 0.146, logs) == (
        "29/29 - 4s - 146ms/step - accuracy: 0.6333 - loss: 1.1578"
        " - val_accuracy: 0.8875 - val_loss: 2.0000e-04"
    )
    assert P.keras_epoch_line(3, 7.0, 2.3, {}) == "3/3 - 7s - 2s/step"


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (3.2, "about 3 s"),
        (0.2, "about 1 s"),
        (41, "about 40 s"),
        (150, "about 2.5 min"),
        (120, "about 2 min"),
        (900, "about 15 min"),
    ],
)
def test_about(seconds, said):
    assert P.about(seconds) == said


def test_plain_output_is_one_line_per_epoch_and_a_forecast(capsys):
    clock = FakeClock(per_batch=1.5)  # 10 batches x 2 epochs x 1.5 s = 30 s
    train(P.TrainingProgress(2, 10, verbose=2, kind="plain", clock=clock), clock, 2, 10)
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 1/2",
        "Training will take about 30 s here (measured on the first 3 batches).",
        "10/10 - 15s - 2s/step - accuracy: 0.9123 - loss: 4.0000e-04",
        "Epoch 2/2",
        "10/10 - 15s - 2s/step - accuracy: 0.9123 - loss: 4.0000e-04",
    ]


class SlowStartClock(FakeClock):
    """The first batch takes ``first`` seconds (one-time costs), the others ``per_batch``."""

    def __init__(self, first: float, per_batch: float):
        super().__init__(per_batch)
        self.first, self.ticks = first, 0

    def tick(self) -> None:
        self.ticks += 1
        self.now += self.first if self.ticks == 1 else self.per_batch


def forecast_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("Training will"))


def test_forecast_counts_a_slow_first_batch_once(capsys):
    clock = SlowStartClock(first=10.0, per_batch=1.0)  # 10 + 19 x 1 s = 29 s, not 80
    train(P.TrainingProgress(2, 10, verbose=2, kind="plain", clock=clock), clock, 2, 10)
    assert forecast_line(capsys.readouterr().out).startswith("Training will take about 30 s")


class SpikeClock(FakeClock):
    """Batches of ``per_batch`` seconds, but batch ``spike`` takes ``spike_seconds``."""

    def __init__(self, per_batch: float, spike: int, spike_seconds: float):
        super().__init__(per_batch)
        self.spike, self.spike_seconds, self.ticks = spike, spike_seconds, 0

    def tick(self) -> None:
        self.ticks += 1
        self.now += self.spike_seconds if self.ticks == self.spike else self.per_batch


def test_forecast_is_not_thrown_by_one_slow_batch(capsys):
    clock = SpikeClock(per_batch=0.25, spike=3, spike_seconds=3.0)  # other work took the CPU
    train(P.TrainingProgress(4, 30, verbose=2, kind="plain", clock=clock), clock, 4, 30)
    # 0.25 s x 120 batches (+ the one slow batch's 2.75 s) = 32.75 s; the mean pace said 70 s.
    assert forecast_line(capsys.readouterr().out).startswith("Training will take about 30 s")


def test_forecast_adds_each_epochs_extra_seconds(capsys):
    clock = FakeClock(per_batch=1.0)  # 4 epochs x 10 batches x 1 s, and 1 + 4 pictures of 5 s
    progress = P.TrainingProgress(4, 10, verbose=2, kind="plain", clock=clock)
    progress.epoch_extra_seconds = 5.0
    train(progress, clock, 4, 10)
    assert forecast_line(capsys.readouterr().out).startswith("Training will take about 65 s")


def test_forecast_of_quick_batches_waits_for_a_second_of_them(capsys):
    clock = FakeClock(per_batch=0.125)  # 30 batches x 8 epochs x 0.125 s = 30 s
    train(P.TrainingProgress(8, 30, verbose=2, kind="plain", clock=clock), clock, 8, 30)
    assert forecast_line(capsys.readouterr().out) == (
        "Training will take about 30 s here (measured on the first 8 batches)."
    )


def test_short_training_says_no_forecast_and_one_epoch_has_no_heading(capsys):
    clock = FakeClock(per_batch=0.05)
    train(P.TrainingProgress(1, 29, verbose=2, kind="plain", clock=clock), clock, 1, 29)
    # As Keras's verbose=2 with epochs=1: no "Epoch 1/1" heading (issue 12).
    assert (
        capsys.readouterr().out == "29/29 - 1s - 50ms/step - accuracy: 0.9123 - loss: 4.0000e-04\n"
    )


def test_verbose_0_prints_nothing(capsys):
    clock = FakeClock(per_batch=5.0)
    train(P.TrainingProgress(2, 10, verbose=0, kind="terminal", clock=clock), clock, 2, 10)
    assert capsys.readouterr().out == ""


def test_terminal_rewrites_one_line_in_place(capsys):
    clock = FakeClock(per_batch=1.0)
    train(P.TrainingProgress(1, 8, verbose=2, kind="terminal", clock=clock), clock, 1, 8)
    out = capsys.readouterr().out
    # Live updates share one line ('\r'), then the epoch's line replaces them.
    live = out.split("\r")
    assert "4/8 batches - 4 s so far - about 4 s left" in live[1]
    assert live[-1].rstrip() == "8/8 - 8s - 1s/step - accuracy: 0.9123 - loss: 4.0000e-04"
    assert out.endswith("\n") and out.count("\n") == 1


def test_notebook_updates_one_display_per_epoch(monkeypatch):
    shown = []  # every state of every display, by display number

    class Handle:
        def __init__(self, number):
            self.number = number

        def update(self, data, raw):
            shown[self.number].append(data["text/plain"])

    def display(data, raw, display_id):
        assert raw and display_id
        shown.append([data["text/plain"]])
        return Handle(len(shown) - 1)

    fake = types.ModuleType("IPython.display")
    fake.display = display
    monkeypatch.setitem(sys.modules, "IPython.display", fake)
    clock = FakeClock(per_batch=1.0)
    train(P.TrainingProgress(2, 6, verbose=2, kind="notebook", clock=clock), clock, 2, 6)
    assert len(shown) == 2  # one display per epoch, updated in place
    for states in shown:
        assert re.fullmatch(r"\d/6 batches - \d s so far - about \d s left", states[0])
        # What stays in the saved notebook: the epoch's Keras-style line.
        assert states[-1] == "6/6 - 6s - 1s/step - accuracy: 0.9123 - loss: 4.0000e-04"


def test_output_kind():
    assert P.output_kind(io.StringIO()) == "plain"


KERAS_LINE = re.compile(
    r"^\d+/\d+ - \d+s - \d+(ms|s)/step - accuracy: [\d.]+ - loss: [\d.e-]+"
    r" - val_accuracy: [\d.]+ - val_loss: [\d.e-]+$"
)


def training_log(capsys, monkeypatch, backend: str, epochs: int) -> list[str]:
    monkeypatch.setenv("LESSON_BACKEND", backend)
    data = lu.load_mnist(source="synthetic", verbose=False)
    model = lu.compile_cnn_model(lu.build_cnn_model())
    capsys.readouterr()
    lu.train_cnn_model(
        model, data.x_train, data.y_train, epochs=epochs, validation_split=0.25, verbose=2
    )
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("epochs", [1, 2])
def test_numpy_log_has_kerass_shape(capsys, monkeypatch, epochs):
    lines = training_log(capsys, monkeypatch, "numpy", epochs)
    assert [line for line in lines if line.startswith("Epoch")] == (
        [] if epochs == 1 else ["Epoch 1/2", "Epoch 2/2"]
    )
    epoch_lines = [line for line in lines if not line.startswith("Epoch")]
    assert len(epoch_lines) == epochs
    assert all(KERAS_LINE.match(line) for line in epoch_lines), epoch_lines


@pytest.mark.tensorflow
def test_both_backends_logs_look_alike(capsys, monkeypatch):
    pytest.importorskip("tensorflow")

    def shape(lines):  # the log with every number, and the unit of time per step, as '#'
        numbers = (re.sub(r"\d+(\.\d+)?(e-\d+)?", "#", line) for line in lines)
        # A step takes ms or s by the machine's load, on either backend alike.
        return [re.sub(r"#(us|ms|s)/step", "#/step", line) for line in numbers]

    numpy_log = training_log(capsys, monkeypatch, "numpy", 2)
    tensorflow_log = training_log(capsys, monkeypatch, "tensorflow", 2)
    assert shape(numpy_log) == shape(tensorflow_log)
