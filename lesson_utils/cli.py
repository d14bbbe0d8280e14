"""The command line: ``python -m lesson_utils [options]``, or the ``lesson-cnn`` command
that installing the package adds, trains and evaluates the CNN."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lesson_utils import settings
from lesson_utils.data import DATASETS, SOURCES, DataSourceError, check_data_arguments
from lesson_utils.recipe import DEFAULT_BATCH_SIZE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of a usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least `minimum`, or a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a number of at least {minimum}, got {value}"
            )
        return value

    return parse


_positive = _whole_number(1)
_seed = _whole_number(0)


def build_parser(prog: str = "lesson-cnn") -> argparse.ArgumentParser:
    """The options; ``prog`` is how the learner started it (``python -m lesson_utils``)."""
    parser = _Parser(
        prog=prog,
        description="Load MNIST (or Fashion-MNIST), build the lesson's CNN, train it and "
        "print its test accuracy.",
        epilog="Environment: LESSON_BACKEND=auto|tensorflow|numpy picks the backend; "
        "LESSON_DATA_DIR names a local copy of the data; LESSON_QUICK=1 is --quick.",
    )
    parser.add_argument(
        "--epochs",
        type=_positive,
        default=None,
        help="training epochs (default 2 from 20,000 training images up, 5 below, 1 with --quick)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive,
        default=DEFAULT_BATCH_SIZE,
        help=f"images per training step (default {DEFAULT_BATCH_SIZE})",
    )
    parser.add_argument(
        "--dataset",
        choices=DATASETS,
        default="mnist",
        help="mnist (digits, default) or fashion_mnist (clothing)",
    )
    parser.add_argument(
        "--source",
        choices=SOURCES,
        default="auto",
        help="where the images come from: auto (default) tries a local copy, "
        "then Keras's download, then the bundled sample",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder with a local copy: mnist.npz, mnist/ or fashion-mnist/ "
        "(default: $LESSON_DATA_DIR)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a quick run: 1 epoch on a small subset (as LESSON_QUICK=1)",
    )
    parser.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--out",
        default=None,
        metavar="FOLDER",
        help="save the trained model and a PNG of the training curves here",
    )
    return parser


def check_before_starting(args: argparse.Namespace) -> None:
    """The switches and the data options, checked at once: not after TensorFlow's import.

    Raises ValueError, ImportError or DataSourceError with the one line to print.
    """
    settings.quick_mode()
    settings.get_backend()
    check_data_arguments(args.dataset, args.source, args.data_dir, cli=True)
    if args.out:
        check_out_folder(args.out)


def check_out_folder(out: str) -> None:
    """--out is, or can become, a folder this user can write to: said before the training
    whose results it would hold, not after. Creates the folder if it is missing."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"--out is {out!r}, which is a file; give a folder (made if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        reason = err.strerror or str(err)
        raise ValueError(f"--out is {out!r}, a folder that cannot be made here ({reason})") from err
    if not os.access(folder, os.W_OK):
        raise ValueError(f"--out is {out!r}, a folder you cannot write to; give another")


def main(argv: list[str] | None = None, prog: str = "lesson-cnn") -> int:
    """Run the workflow with the command line's options; returns the exit status."""
    args = build_parser(prog).parse_args(argv)
    if args.out:
        os.environ.setdefault("MPLBACKEND", "Agg")  # no window to draw in from a terminal
    from lesson_utils.training import run_full_workflow

    try:
        check_before_starting(args)
        result = run_full_workflow(
            dataset=args.dataset,
            source=args.source,
            data_dir=args.data_dir,
            epochs=args.epochs,
            batch_size=args.batch_size,
            seed=args.seed,
            out_dir=args.out,
            quick=True if args.quick else None,  # None: LESSON_QUICK decides
        )
    except (ValueError, ImportError, DataSourceError, OSError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 1
    print(
        f"Test accuracy: {result['accuracy']:.4f}, test loss: {result['loss']:.4f} "
        f"({result['backend']} backend, {result['train_seconds']:.1f} s of training)"
    )
    return 0
