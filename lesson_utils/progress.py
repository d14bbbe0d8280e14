"""What the NumPy CNN prints while it trains: Keras's ``verbose=2`` lines, and live progress.

Keras prints one line per epoch with ``verbose=2`` (and an ``Epoch 2/5`` heading
when there is more than one epoch); the NumPy backend prints the same lines, so
both backends' logs look alike. Because an epoch can take many seconds in the
browser (its NumPy has no BLAS), two things are added there and wherever training
is slow:

* a measured forecast, before the wait: "Training will take about 40 s here
  (measured on the first 3 batches)." when the whole training will take more than
  ``FORECAST_ABOVE_SECONDS``;
* live progress inside an epoch that has run longer than ``LIVE_AFTER_SECONDS``:
  batches done, seconds so far, time left. A terminal gets one line rewritten in
  place ('\\r'); a notebook (JupyterLab, or JupyterLite in the browser) gets one
  display updated in place. Either way it ends as the epoch's Keras-style line,
  so a saved notebook keeps one short line per epoch. Output sent to a file or a
  pipe gets only the final lines.

Used by ``NumPyCNN.fit`` (notebook 5).
"""

from __future__ import annotations

import statistics
import sys
import time

LIVE_AFTER_SECONDS = 2.0  # an epoch shorter than this shows only its final line
LIVE_EVERY_SECONDS = 0.5  # at most this often a live update
FORECAST_ABOVE_SECONDS = 20.0  # say how long training will take when it is longer than this
FORECAST_BATCHES = 3  # how many batches, at least, are timed for the forecast
FORECAST_MIN_SECONDS = 1.0  # and for at least this long (quick batches vary a lot)


def keras_epoch_line(steps: int, seconds: float, seconds_per_step: float, logs: dict) -> str:
    """The line Keras's ``verbose=2`` prints at the end of an epoch.

    For example ``29/29 - 4s - 146ms/step - accuracy: 0.6333 - loss: 1.1578``.
    """
    if seconds_per_step >= 1 or seconds_per_step == 0:
        per_step = f"{seconds_per_step:.0f}s/step"
    else:
        per_step = f"{seconds_per_step * 1000:.0f}ms/step"
    parts = [f"{steps}/{steps}", f"{seconds:.0f}s", per_step]
    parts += [
        f"{key}: {value:.4f}" if value > 1e-3 else f"{key}: {value:.4e}"
        for key, value in logs.items()
    ]
    return " - ".join(parts)


def about(seconds: float) -> str:
    """A duration rounded the way one says it: "about 40 s", "about 3 min"."""
    if seconds < 10:
        return f"about {max(seconds, 1):.0f} s"
    if seconds < 100:
        return f"about {5 * round(seconds / 5):.0f} s"
    minutes = seconds / 60
    return (
        f"about {minutes:.0f} min"
        if minutes >= 10
        else f"about {minutes:.1f} min".replace(".0 ", " ")
    )


def output_kind(stream=None) -> str:
    """Where the output goes: "notebook" (an IPython kernel), "terminal" or "plain".

    Only a notebook and a terminal can rewrite a line in place; a file, a pipe or a
    test's captured output gets plain lines.
    """
    ipython = sys.modules.get("IPython")  # only where IPython is already running
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and "Terminal" not in type(shell).__name__:
        return "notebook"
    stream = stream or sys.stdout
    try:
        return "terminal" if stream.isatty() else "plain"
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return "plain"


class TrainingProgress:
    """The training log of one ``fit``: call ``start_epoch``, ``batch_done``, ``end_epoch``.

    ``kind`` ("notebook", "terminal", "plain") is found from the output when None;
    ``clock`` is a function returning seconds (tests pass a fake one).
    """

    def __init__(self, epochs: int, steps: int, verbose: int, kind=None, clock=time.perf_counter):
        self.epochs, self.steps, self.verbose, self.clock = epochs, steps, verbose, clock
        self.kind = (kind or output_kind()) if verbose else "silent"
        self.handle = None  # the notebook display being updated, if any
        self.width = 0  # length of the last line written in place in a terminal
        self.forecast_done = False
        self.epoch_extra_seconds = 0.0  # what each epoch adds outside its batches (fit sets it)
        self.batch_seconds: list[float] = []  # the first epoch's batches after the first

    def start_epoch(self, epoch: int) -> None:
        self.epoch, self.started = epoch, self.clock()
        self.first_step_seconds = None
        self.last_live = None
        if self.verbose and self.epochs > 1:  # Keras heads an epoch only when there are several
            self._print(f"Epoch {epoch + 1}/{self.epochs}")

    def batch_done(self, done: int) -> None:
        """Called after each batch; ``done`` batches of this epoch are finished."""
        if not self.verbose:
            return
        now = self.clock()
        elapsed = now - self.started
        if done == 1:
            self.first_step_seconds = elapsed
        if not self.forecast_done and self.epoch == 0:
            if done > 1:  # each batch's own time, for the forecast's pace
                self.batch_seconds.append(now - self.last_batch_end)
            self.last_batch_end = now
            self._forecast(done, elapsed)
            return
        if (
            self.kind in ("notebook", "terminal")
            and elapsed >= LIVE_AFTER_SECONDS
            and done < self.steps
        ):
            if self.last_live is None or now - self.last_live >= LIVE_EVERY_SECONDS:
                self.last_live = now
                left = elapsed / done * (self.steps - done)
                self._live(
                    f"{done}/{self.steps} batches - {elapsed:.0f} s so far - {about(left)} left"
                )

    def end_epoch(self, logs: dict) -> None:
        if not self.verbose:
            return
        seconds = self.clock() - self.started
        if self.first_step_seconds is not None and self.steps > 1:  # as Keras, without the first
            per_step = (seconds - self.first_step_seconds) / (self.steps - 1)
        else:
            per_step = seconds / self.steps
        self._final(keras_epoch_line(self.steps, seconds, per_step, logs))

    # ---- what is printed, and how

    def _forecast(self, done: int, elapsed: float) -> None:
        """After the first few batches, say how long the whole training will take.

        The first batch is counted once, not as the pace: it may carry one-time costs
        (memory first touched, WebAssembly code still being optimised); the pace is the
        median batch. The forecast
        counts from the start of ``fit``: ``epoch_extra_seconds`` (what ``fit`` measured
        its callbacks' start taking, a picture drawn) is already spent, and each epoch
        is taken to add as much again (that picture redrawn at the epoch's end).
        """
        if self.epoch != 0 or done < min(FORECAST_BATCHES, self.steps):
            return
        if elapsed < FORECAST_MIN_SECONDS and done < self.steps:
            return
        self.forecast_done = True
        first = self.first_step_seconds if self.first_step_seconds is not None else elapsed
        # The median batch: neither the first's one-time costs nor a moment when other
        # work took the CPU sets the pace.
        pace = statistics.median([first, *self.batch_seconds])
        total = first + pace * (self.steps * self.epochs - 1)
        total += self.epoch_extra_seconds * (1 + self.epochs)
        if total > FORECAST_ABOVE_SECONDS:
            self._print(
                f"Training will take {about(total)} here (measured on the first {done} batches)."
            )

    def _print(self, text: str) -> None:
        print(text, flush=True)

    def _live(self, text: str) -> None:
        if self.kind == "terminal":
            sys.stdout.write("\r" + text.ljust(self.width))
            sys.stdout.flush()
            self.width = len(text)
            return
        from IPython.display import display  # a notebook: IPython is running

        sys.stdout.flush()  # the epoch's heading first
        if self.handle is None:
            self.handle = display({"text/plain": text}, raw=True, display_id=True)
        else:
            self.handle.update({"text/plain": text}, raw=True)

    def _final(self, text: str) -> None:
        if self.kind == "terminal" and self.width:
            sys.stdout.write("\r" + text.ljust(self.width) + "\n")
            sys.stdout.flush()
            self.width = 0
        elif self.handle is not None:
            self.handle.update({"text/plain": text}, raw=True)
            self.handle = None
        else:
            self._print(text)
