"""Side by side: the original tutorial's training recipe against lesson_utils's default.

    python benchmarks/training.py --dataset fashion_mnist --data-dir /usr/share/datasets
    python benchmarks/training.py --dataset mnist            # where MNIST can be had

In one run, on the same data and machine, it trains the lesson's CNN (TensorFlow) with

* the **reference**: the original tutorial's recipe exactly: Adam at Keras's default
  learning rate 0.001, batch size 64, 5 epochs, pixels as float32 in [0, 1];
* the **default**: what ``compile_cnn_model(build_cnn_model())`` followed by
  ``train_cnn_model(model, x, y)`` does, with lesson_utils's defaults;

alternating the two, ``--runs`` times each (default 3), every run in a fresh process
so that its peak memory is its own. It prints each run, then the medians: training
seconds, test accuracy, peak memory of the process, and the ratio of the two times.

Full Fashion-MNIST (60,000 training images) comes from Debian's package
``dataset-fashion-mnist``. Results are in benchmarks/README.md.

The default recipe (2026-11-26): batches of 128, Adam with beta_2 0.99 whose step
size rises to 0.007 over the first 10% of the steps and falls along a cosine to ~0
(``lesson_utils.schedules``), 2 epochs from 20,000 training images up.

How it was chosen: accuracy on full Fashion-MNIST after 2 epochs (warm-up 10% then
cosine unless said), one thread per process so that two ran at once; the accuracy
does not depend on the timing. Reference in the same conditions, seed 0: 0.8943.

* batch 256, peak 0.004, beta_2 0.999: 0.8822 (seed 0); peak 0.008, beta_2 0.99: 0.8944
* batch 128, beta_2 0.99: peak 0.003 0.8921 (seed 0); peak 0.005 0.9012, 0.8961,
  0.8950 (seeds 0, 1, 2); **peak 0.007 0.8991, 0.8981 (seeds 1, 2)**; peak 0.010
  0.8973, 0.8973 (seeds 1, 2)
* peak 0.007 with beta_2 0.999 (Keras's default): 0.8955, 0.8948 (seeds 1, 2), so
  beta_2 0.99 is worth about +0.35 points here
* peak 0.007 with a 5% warm-up: 0.8984 (seed 2), no better than 10%
* peak 0.007 and Adam's weight averaging (``use_ema=True``, 0.99): 0.8963 (seed 1), worse
* fewer epochs: batch 128, peak 0.005, 1.5 epochs 0.8895 (seed 0); batch 64, peak
  0.002, 1.6 epochs 0.8876 (seed 0): a fraction of an epoch less costs a point

What was tried for speed and did not help (2 cores, TensorFlow 2.21 CPU):

* Larger batches cost less per image, but not much: interleaved chunks of 7,680
  images, best of 10, 27.2 s per 60,000 images at batch 64, 23.4 s at 128, 23.8 s at
  256; batch 512 was slower.
* On 20,000 images, one epoch: XLA ``jit_compile=True`` 42.5 s against 7.7 s without
  (batch 128); ``steps_per_execution=32`` 10.3 s against 11.7 s (batch 64, within the
  noise; 16 at batch 128 no different either); oneDNN off 10.8 s against 11.7 s, and
  best-of-6 chunks 26.8-27.2 against 24.7-26.8 s per 60,000 images (not faster); one
  inter-op thread 9.5 s against 7.7 s; a ``tf.data`` pipeline (float32, or uint8 scaled
  in a map) computes an epoch no faster than
  NumPy arrays (but see the stalls below).
* Where a step's time goes (single ops, batch 128): the first block's memory-bound
  ops (max-pooling gradient 15 ms, ReLU and its gradient 8 ms on 26x26x32 maps) cost
  as much as the second convolution (8 ms forward, 12 + 18 ms backward); the first
  convolution runs at ~5 GFLOP/s (1 input channel). These are the layers the lesson
  teaches, so they stay.
* Stalls, not slow computing: in about half of the runs, an epoch of 60,000 images
  took ~40 s instead of ~25 s, and some runs spent 15-35 s after the last epoch
  before ``fit`` returned. py-spy showed the main thread waiting in tf.data's
  ``RootDataset::Iterator`` destructor for one of its background threads, each time
  Keras threw away the iterator of the autotuned pipeline it builds from NumPy
  arrays. ``train_cnn_model`` therefore builds its own pipeline (autotuning off, one
  repeating iterator for all epochs); the reference keeps the tutorial's
  ``model.fit(x, y)`` and its stalls. Each run's per-epoch seconds are printed so
  this shows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

RECIPES = ("reference", "default")


def train_once(recipe: str, dataset: str, data_dir: str | None, seed: int) -> dict:
    """Train one model with one recipe; returns seconds, accuracy and peak memory."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import lesson_utils as lu

    os.environ["LESSON_BACKEND"] = "tensorflow"
    lu.set_global_seed(seed)
    source = "local" if data_dir else "auto"
    data = lu.load_dataset(dataset, source=source, data_dir=data_dir, verbose=False)
    model = lu.build_cnn_model()
    keras = lu.tensorflow_import.import_keras()
    epoch_seconds = epoch_timer(keras)
    if recipe == "reference":
        model.compile(
            optimizer=keras.optimizers.Adam(),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        start = time.perf_counter()
        model.fit(
            data.x_train,
            data.y_train,
            batch_size=64,
            epochs=5,
            verbose=0,
            callbacks=[epoch_seconds],
        )
    else:
        lu.compile_cnn_model(model)
        start = time.perf_counter()
        lu.train_cnn_model(model, data.x_train, data.y_train, verbose=0, callbacks=[epoch_seconds])
    seconds = time.perf_counter() - start
    accuracy = lu.evaluate_cnn_model(model, data.x_test, data.y_test)["accuracy"]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "recipe": recipe,
        "seed": seed,
        "seconds": seconds,
        "accuracy": accuracy,
        "peak_mib": peak_mib,
        "train_images": len(data.x_train),
        "epoch_seconds": epoch_seconds.seconds,
    }


def epoch_timer(keras):
    """A Keras callback that notes the wall-clock seconds of each epoch."""

    class Timer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(round(time.perf_counter() - self.start, 1))

    return Timer()


def run_child(recipe: str, args: argparse.Namespace, seed: int) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        recipe,
        "--seed",
        str(seed),
        "--dataset",
        args.dataset,
    ]
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("mnist", "fashion_mnist"), default="fashion_mnist")
    parser.add_argument(
        "--data-dir", default=None, help="a local copy, e.g. /usr/share/datasets for Fashion-MNIST"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=RECIPES, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(train_once(args.child, args.dataset, args.data_dir, args.seed)))
        return

    import lesson_utils as lu

    print(f"{args.dataset}, {args.runs} runs per recipe, CPU cores: {os.cpu_count()}")
    print("reference: Adam 0.001, batch 64, 5 epochs (the original tutorial)")
    print(
        f"default:   Adam peaking at {lu.model.DEFAULT_LEARNING_RATE} (beta_2 "
        f"{lu.model.ADAM_BETA_2}), {lu.training.DEFAULT_SCHEDULE} schedule, batch "
        f"{lu.training.DEFAULT_BATCH_SIZE}, {lu.settings.LARGE_SET_EPOCHS} epochs from "
        f"{lu.settings.LARGE_TRAINING_SET:,} images up (lesson_utils)"
    )
    results: dict[str, list[dict]] = {recipe: [] for recipe in RECIPES}
    for run in range(args.runs):
        for recipe in RECIPES:  # alternate, so that drifts in machine load hit both
            result = run_child(recipe, args, seed=run)
            results[recipe].append(result)
            print(
                f"run {run + 1} {recipe:9s}: {result['seconds']:6.1f} s, "
                f"test accuracy {result['accuracy']:.4f}, peak {result['peak_mib']:.0f} MiB, "
                f"epochs {' + '.join(f'{t:.1f}' for t in result['epoch_seconds'])} s",
                flush=True,
            )
    medians = {
        recipe: {
            key: statistics.median(r[key] for r in rows)
            for key in ("seconds", "accuracy", "peak_mib")
        }
        for recipe, rows in results.items()
    }
    print("\n| recipe | training s (median) | test accuracy (median) | peak memory MiB |")
    print("| --- | --- | --- | --- |")
    for recipe, m in medians.items():
        print(f"| {recipe} | {m['seconds']:.1f} | {m['accuracy']:.4f} | {m['peak_mib']:.0f} |")
    ratio = medians["default"]["seconds"] / medians["reference"]["seconds"]
    print(
        f"\nratio default/reference training time: {ratio:.2f} "
        f"(accuracy {medians['default']['accuracy'] - medians['reference']['accuracy']:+.4f})"
    )


if __name__ == "__main__":
    main()
