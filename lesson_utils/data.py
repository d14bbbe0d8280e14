"""Loading MNIST and Fashion-MNIST anywhere: online, from a local copy, or offline.

``load_mnist()`` tries, in order, a local copy (``data_dir=`` or
``LESSON_DATA_DIR``), Keras's dataset cache and download (bounded in time),
and the bundled sample of 5,000 real digits, and prints which one it used and
why. The raw reason a download failed is logged at DEBUG level
(``logging.basicConfig(level=logging.DEBUG)`` shows it) and kept as the
``__cause__`` of the DataSourceError. First met in notebook 1, "Images as arrays".
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import socket
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from lesson_utils import settings
from lesson_utils.idx import find_idx_file, read_idx_pair
from lesson_utils.validation import check_positive_int

SOURCES = ("auto", "local", "keras", "sample", "synthetic")
DATASETS = ("mnist", "fashion_mnist")

MNIST_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

# Keras's own download location and checksum (keras.datasets.mnist/fashion_mnist),
# so a file Keras downloaded is reused here and the other way round.
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
FASHION_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
# A machine with no network should give up within seconds, not minutes.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 20.0


logger = logging.getLogger(__name__)


class DataSourceError(RuntimeError):
    """A data source that was asked for cannot be had here; the message says why."""


@dataclass(frozen=True, repr=False)
class Dataset:
    """A train/test split of 28x28 images and their integer labels.

    After ``preprocess`` (the default): images float32 in [0, 1] shaped
    (n, 28, 28, 1); otherwise uint8 in 0-255 shaped (n, 28, 28). Labels are
    integers 0-9 shaped (n,). Read it by attribute (``data.x_train``) or
    unpack it as Keras's ``load_data()``:

        (x_train, y_train), (x_test, y_test) = lu.load_mnist()
    """

    name: str
    source: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    quick: bool = False  # a quick-mode subset, as loaded (not as the switch says later)

    def describe(self) -> str:
        """One line: which data, from where, how many images."""
        title = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}[self.name]
        where = {
            "local": "a local copy",
            "keras": "Keras's dataset cache",
            "sample": "the bundled sample of real images",
            "synthetic": "random synthetic images (for tests only, nothing to learn)",
        }[self.source]
        text = (
            f"{title} from {where}: {len(self.x_train):,} train / {len(self.x_test):,} test images"
        )
        return text + (" (quick mode: a subset)" if self.quick else "")

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(x_train, y_train), then (x_test, y_test): unpacks as Keras's ``load_data()``."""
        yield self.x_train, self.y_train
        yield self.x_test, self.y_test

    def __repr__(self) -> str:
        arrays = ", ".join(
            f"{field} {getattr(self, field).shape} {getattr(self, field).dtype}"
            for field in ("x_train", "y_train", "x_test", "y_test")
        )
        return f"<Dataset: {self.describe()}\n {arrays}>"


def preprocess_images(images: np.ndarray) -> np.ndarray:
    """uint8 pixels (n, 28, 28) in 0-255 -> float32 (n, 28, 28, 1) in [0, 1].

    Conv2D expects a channel axis: grey images have one channel, colour three.
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width); got {images.shape}.")
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


def _pack(name: str, source: str, arrays: tuple, preprocess: bool, quick: bool) -> Dataset:
    x_train, y_train, x_test, y_test = arrays
    if quick:
        n_train, n_test = settings.QUICK_TRAIN_IMAGES, settings.QUICK_TEST_IMAGES
        x_train, y_train = x_train[:n_train], y_train[:n_train]
        x_test, y_test = x_test[:n_test], y_test[:n_test]
    if preprocess:
        x_train, x_test = preprocess_images(x_train), preprocess_images(x_test)
    classes = MNIST_CLASSES if name == "mnist" else FASHION_CLASSES
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)
    return Dataset(name, source, x_train, y_train, x_test, y_test, classes, quick)


# --- the sources, each returning (x_train, y_train, x_test, y_test) as uint8 ---


def _read_npz(path: Path) -> tuple:
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = tuple(np.asarray(f[k]) for k in ("x_train", "y_train", "x_test", "y_test"))
    except Exception as err:  # zipfile, KeyError, ValueError: all mean a bad file
        raise ValueError(
            f"{path} is not a readable MNIST .npz file ({err}). Download it again or delete it."
        ) from err
    x_train, y_train, x_test, y_test = arrays
    if (
        x_train.ndim != 3
        or x_test.ndim != 3
        or len(x_train) != len(y_train)
        or len(x_test) != len(y_test)
    ):
        raise ValueError(
            f"{path} holds arrays of unexpected shapes: x_train {x_train.shape}, "
            f"y_train {y_train.shape}, x_test {x_test.shape}, y_test {y_test.shape}."
        )
    return arrays


def _read_idx_folder(folder: Path) -> tuple:
    x_train, y_train = read_idx_pair(folder, "train")
    x_test, y_test = read_idx_pair(folder, "test")
    return x_train, y_train, x_test, y_test


def _has_idx(folder: Path) -> bool:
    return find_idx_file(folder, "train", "images") is not None


def _local_candidates(name: str, folder: Path) -> list[Path]:
    """Where a copy of `name` may lie in `folder`, in Keras's cache layout or directly."""
    if name == "mnist":
        return [folder / "mnist.npz", folder / "mnist", folder]
    return [folder / "fashion-mnist", folder / "fashion_mnist", folder]


# How the arguments are spelt in messages: in Python and on the command line.
_SPELLING = {
    False: {"data_dir": "data_dir=", "local": "source='local'"},
    True: {"data_dir": "--data-dir", "local": "--source local"},
}


def local_folder(data_dir: str | os.PathLike | None = None, cli: bool = False) -> Path | None:
    """The folder named by ``data_dir`` or else ``LESSON_DATA_DIR``; None when neither is set.

    Raises ValueError, naming the argument (``--data-dir`` on the command line
    when ``cli``), when that folder does not exist.
    """
    if data_dir is not None and str(data_dir).strip():
        folder, named_by = data_dir, _SPELLING[cli]["data_dir"]
    elif os.environ.get("LESSON_DATA_DIR", "").strip():
        folder, named_by = os.environ["LESSON_DATA_DIR"], "LESSON_DATA_DIR"
    else:
        return None
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ValueError(
            f"{named_by} is {str(folder)!r}, which is not a folder; give the folder "
            "that holds mnist.npz, mnist/ or fashion-mnist/."
        )
    return folder


def check_data_arguments(
    name: str = "mnist",
    source: str = "auto",
    data_dir: str | os.PathLike | None = None,
    cli: bool = False,
) -> Path | None:
    """Check the data arguments before anything slow; returns the local folder, if any.

    Raises ValueError for an unknown name or source or a data folder that does
    not exist, and DataSourceError for ``source="local"`` without a folder.
    Messages spell the arguments as on the command line when ``cli``.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(DATASETS)}; got {name!r}.")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}; got {source!r}.")
    folder = local_folder(data_dir, cli)
    if source == "local" and folder is None:
        spelling = _SPELLING[cli]
        raise DataSourceError(
            f"{spelling['local']} needs a folder: give {spelling['data_dir']} FOLDER or set "
            "LESSON_DATA_DIR (the folder that holds mnist.npz, mnist/ or fashion-mnist/)."
        )
    return folder


def _load_local(name: str, folder: Path) -> tuple:
    for candidate in _local_candidates(name, folder):
        if candidate.suffix == ".npz" and candidate.is_file():
            return _read_npz(candidate)
        if candidate.is_dir() and _has_idx(candidate):
            if candidate == folder and name == "mnist" and "fashion" in folder.name.lower():
                continue  # a Fashion-MNIST folder is not MNIST
            return _read_idx_folder(candidate)
    layout = (
        "mnist.npz, or mnist/ with the four IDX files"
        if name == "mnist"
        else "fashion-mnist/ with the four IDX files"
    )
    raise DataSourceError(f"{folder} holds no {name} copy (looked for {layout}).")


def keras_cache_dir() -> Path:
    """Keras's dataset cache: ``$KERAS_HOME/datasets``, by default ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def _open_url(url: str, timeout: float):
    """urlopen, but giving up after `timeout` seconds even while DNS hangs."""
    result: dict = {}

    def connect() -> None:
        try:
            result["response"] = urllib.request.urlopen(url, timeout=READ_TIMEOUT_S)
        except Exception as err:  # noqa: BLE001 - reported to the caller below
            result["error"] = err

    thread = threading.Thread(target=connect, daemon=True)
    try:
        thread.start()
    except RuntimeError as err:  # "can't start new thread": WebAssembly outside Pyodide
        raise OSError("this Python cannot start a download: it has no threads") from err
    thread.join(timeout)
    if "response" in result:
        return result["response"]
    if "error" not in result:
        raise OSError(f"the download server did not answer within {timeout:.0f} s")
    raise OSError(_why_unreachable(result["error"])) from result["error"]


def _why_unreachable(error: Exception) -> str:
    """What a learner needs to know about a failed request, without errno codes."""
    if isinstance(error, urllib.error.HTTPError):
        return f"the download server answered HTTP {error.code} ({error.reason})"
    reason = getattr(error, "reason", error)  # URLError wraps the socket's own error
    if isinstance(reason, TimeoutError | socket.timeout):
        return "the download server did not answer in time"
    if isinstance(reason, socket.gaierror):  # its name could not be looked up
        return "no network connection"
    return "could not connect to the download server"


def _download(url: str, dest: Path, sha256: str | None = None) -> None:
    """Download url to dest atomically; a partial or wrong file never stays in the cache."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _open_url(url, CONNECT_TIMEOUT_S) as response:
            data = response.read()
    except http.client.HTTPException as err:  # e.g. IncompleteRead: not an OSError
        raise OSError("the download broke off before the end of the file") from err
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise OSError("the downloaded file does not match its checksum")
    with tempfile.NamedTemporaryFile(dir=dest.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, dest)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_keras(name: str) -> tuple:
    cache = keras_cache_dir()
    if name == "mnist":
        path = cache / "mnist.npz"
        if path.is_file() and _sha256(path) != KERAS_MNIST_SHA256:
            # A cut or damaged download: remove it so it cannot poison later runs.
            print(f"Note: {path} is damaged (wrong checksum); removing it and downloading again.")
            path.unlink()
        if not path.is_file():
            try:
                _download(KERAS_ORIGIN + "mnist.npz", path, KERAS_MNIST_SHA256)
            except OSError as err:
                raise _download_failed("MNIST", err) from err
        return _read_npz(path)
    folder = cache / "fashion-mnist"
    try:
        for file in FASHION_FILES:
            if not (folder / file).is_file():
                _download(KERAS_ORIGIN + file, folder / file)
    except OSError as err:
        raise _download_failed("Fashion-MNIST", err) from err
    try:
        return _read_idx_folder(folder)
    except ValueError:
        for file in FASHION_FILES:  # a damaged file must not poison later runs
            (folder / file).unlink(missing_ok=True)
        raise


def _download_failed(title: str, err: OSError) -> DataSourceError:
    """The learner's sentence; the raw error stays in __cause__ and the DEBUG log."""
    logger.debug("Downloading %s into Keras's cache failed: %r", title, err.__cause__ or err)
    return DataSourceError(f"{title} is not in Keras's cache and could not be downloaded ({err})")


def _load_sample(name: str) -> tuple:
    with resources.as_file(resources.files("lesson_utils") / "samples" / f"{name}_sample.npz") as p:
        return _read_npz(p)


def make_synthetic(n_train: int = 256, n_test: int = 64, seed: int = 0) -> tuple:
    """Random uint8 images (n, 28, 28) and labels 0-9: for fast tests, nothing to learn."""
    rng = np.random.default_rng(seed)
    return (
        rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_train).astype(np.uint8),
        rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_test).astype(np.uint8),
    )


def load_dataset(
    name: str = "mnist",
    source: str = "auto",
    data_dir: str | os.PathLike | None = None,
    preprocess: bool = True,
    verbose: bool = True,
    quick: bool | None = None,
) -> Dataset:
    """Load ``"mnist"`` or ``"fashion_mnist"`` from the first source that works.

    ``source="auto"`` tries a local copy (``data_dir``, else ``LESSON_DATA_DIR``),
    then Keras's cache and download, then the bundled sample; any other source
    is used alone and raises DataSourceError, saying why, when it cannot be
    had. Prints which source was used, and why the earlier ones were not,
    unless ``verbose=False``. ``quick``: keep only quick mode's subset (1,000 and
    500 images); None reads ``LESSON_QUICK``. Returns a Dataset (see ``load_mnist``).
    """
    folder = check_data_arguments(name, source, data_dir)
    quick = settings.quick_mode() if quick is None else bool(quick)
    loaders = {
        "local": lambda: _load_local(name, folder),
        "keras": lambda: _load_keras(name),
        "sample": lambda: _load_sample(name),
        "synthetic": lambda: make_synthetic(),
    }
    if source != "auto":
        dataset = _pack(name, source, loaders[source](), preprocess, quick)
    else:
        skipped = []
        dataset = None
        for candidate in ("local", "keras", "sample"):
            if candidate == "local" and folder is None:
                continue  # no local copy named: nothing to report
            if candidate == "keras" and settings.in_browser():
                skipped.append("the browser cannot download from Keras's servers")
                continue
            try:
                dataset = _pack(name, candidate, loaders[candidate](), preprocess, quick)
                break
            except DataSourceError as err:
                skipped.append(str(err).rstrip("."))
        if verbose and skipped:
            used = {"keras": "Keras's dataset cache", "sample": "the bundled sample"}
            print(f"Using {used[dataset.source]}: " + "; ".join(skipped) + ".")
    if verbose:
        print("Loaded " + dataset.describe())
    return dataset


def load_mnist(
    source: str = "auto",
    data_dir: str | os.PathLike | None = None,
    preprocess: bool = True,
    verbose: bool = True,
) -> Dataset:
    """Load MNIST: 28x28 images of handwritten digits 0-9, and their labels.

    Returns a Dataset holding, for the full set (the bundled sample has 4,000
    and 1,000 images; quick mode 1,000 and 500):

        x_train  (60000, 28, 28, 1) float32, ink 1 and background 0
        y_train  (60000,) int64, the digit 0-9 of each image
        x_test   (10000, 28, 28, 1) float32
        y_test   (10000,) int64
        class_names, name, source ("local", "keras", "sample" or "synthetic")

    Use it by name, or unpack it as ``keras.datasets.mnist.load_data()``:

        data = lu.load_mnist()
        data.x_train.shape                            # (60000, 28, 28, 1)
        (x_train, y_train), (x_test, y_test) = lu.load_mnist()

    source: ``"auto"`` (default) takes the first that works of a local copy,
    Keras's cache or download, and the bundled sample of 5,000 real digits,
    and prints which it used and why; ``"local"``, ``"keras"``, ``"sample"``
    or ``"synthetic"`` use that one alone. data_dir: the folder of a local copy
    (``mnist.npz`` or ``mnist/`` with the four IDX files); default
    ``$LESSON_DATA_DIR``. preprocess=False gives the pixels as stored, uint8
    0-255 shaped (n, 28, 28), as Keras does. verbose=False prints nothing.
    Introduced in notebook 1, "Images as arrays".
    """
    return load_dataset("mnist", source, data_dir, preprocess, verbose)


def load_fashion_mnist(
    source: str = "auto",
    data_dir: str | os.PathLike | None = None,
    preprocess: bool = True,
    verbose: bool = True,
) -> Dataset:
    """Load Fashion-MNIST: 28x28 images of clothing in 10 classes, and their labels.

    The same shapes, arguments and unpacking as ``load_mnist`` (see
    ``help(lu.load_mnist)``); ``class_names`` holds the 10 names ("T-shirt/top",
    ..., "Ankle boot"). A local copy lives in ``fashion-mnist/`` with the four
    IDX files. Met in notebook 6's last exercise.
    """
    return load_dataset("fashion_mnist", source, data_dir, preprocess, verbose)


def take(dataset: Dataset, n_train: int, n_test: int | None = None) -> Dataset:
    """The first n_train training and n_test test images of a dataset."""
    n_train = check_positive_int(n_train, "n_train")
    n_test = check_positive_int(n_test if n_test is not None else len(dataset.x_test), "n_test")
    return Dataset(
        dataset.name,
        dataset.source,
        dataset.x_train[:n_train],
        dataset.y_train[:n_train],
        dataset.x_test[:n_test],
        dataset.y_test[:n_test],
        dataset.class_names,
        dataset.quick,
    )
