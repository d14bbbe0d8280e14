"""Loading MNIST and Fashion-MNIST anywhere: online, from a local copy, or offline.

``load_mnist()`` tries, in order, a local copy (``data_dir=`` or
``LESSON_DATA_DIR``), Keras's dataset cache and download (bounded in time),
and the bundled sample of 5,000 real digits, and prints which one it used.
First met in notebook 1, "Images as arrays".
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import urllib.request
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


class DataSourceError(RuntimeError):
    """A data source that was asked for cannot be had here; the message says why."""


@dataclass(frozen=True)
class Dataset:
    """A train/test split of 28x28 images and their integer labels.

    After ``preprocess`` (the default): images float32 in [0, 1] shaped
    (n, 28, 28, 1); otherwise uint8 in 0-255 shaped (n, 28, 28). Labels are
    integers 0-9 shaped (n,).
    """

    name: str
    source: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

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
        return text + (" (quick mode: a subset)" if settings.quick_mode() else "")


def preprocess_images(images: np.ndarray) -> np.ndarray:
    """uint8 pixels (n, 28, 28) in 0-255 -> float32 (n, 28, 28, 1) in [0, 1].

    Conv2D expects a channel axis: grey images have one channel, colour three.
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width); got {images.shape}.")
    return (images.astype(np.float32) / 255.0)[..., np.newaxis]


def _pack(name: str, source: str, arrays: tuple, preprocess: bool) -> Dataset:
    x_train, y_train, x_test, y_test = arrays
    if settings.quick_mode():
        n_train, n_test = settings.QUICK_TRAIN_IMAGES, settings.QUICK_TEST_IMAGES
        x_train, y_train = x_train[:n_train], y_train[:n_train]
        x_test, y_test = x_test[:n_test], y_test[:n_test]
    if preprocess:
        x_train, x_test = preprocess_images(x_train), preprocess_images(x_test)
    classes = MNIST_CLASSES if name == "mnist" else FASHION_CLASSES
    return Dataset(
        name, source, x_train, y_train.astype(np.int64), x_test, y_test.astype(np.int64), classes
    )


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


def _load_local(name: str, data_dir: str | os.PathLike | None) -> tuple:
    folder = data_dir or os.environ.get("LESSON_DATA_DIR")
    if not folder:
        raise DataSourceError("no local copy named (data_dir= or LESSON_DATA_DIR)")
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise DataSourceError(f"the local data folder {folder} does not exist.")
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
    thread.start()
    thread.join(timeout)
    if "response" in result:
        return result["response"]
    error = result.get("error")
    reason = getattr(error, "reason", error)  # URLError wraps the socket's own message
    raise OSError(str(reason) if error else f"no answer within {timeout:.0f} s")


def _download(url: str, dest: Path, sha256: str | None = None) -> None:
    """Download url to dest atomically; a partial or wrong file never stays in the cache."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _open_url(url, CONNECT_TIMEOUT_S) as response:
        data = response.read()
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise OSError(f"the file downloaded from {url} does not match its checksum.")
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
                raise DataSourceError(
                    f"MNIST is not in Keras's cache and its download failed ({err})"
                ) from err
        return _read_npz(path)
    folder = cache / "fashion-mnist"
    try:
        for file in FASHION_FILES:
            if not (folder / file).is_file():
                _download(KERAS_ORIGIN + file, folder / file)
    except OSError as err:
        raise DataSourceError(
            f"Fashion-MNIST is not in Keras's cache and its download failed ({err})"
        ) from err
    try:
        return _read_idx_folder(folder)
    except ValueError:
        for file in FASHION_FILES:  # a damaged file must not poison later runs
            (folder / file).unlink(missing_ok=True)
        raise


def _load_sample(name: str) -> tuple:
    with resources.as_file(resources.files("lesson_utils") / "data" / f"{name}_sample.npz") as p:
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
) -> Dataset:
    """Load ``"mnist"`` or ``"fashion_mnist"`` from the first source that works.

    ``source="auto"`` tries a local copy, then Keras's cache and download,
    then the bundled sample; any other source is used alone and raises
    DataSourceError, saying why, when it cannot be had. Prints one line
    saying which source was used unless ``verbose=False``.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(DATASETS)}; got {name!r}.")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}; got {source!r}.")
    loaders = {
        "local": lambda: _load_local(name, data_dir),
        "keras": lambda: _load_keras(name),
        "sample": lambda: _load_sample(name),
        "synthetic": lambda: make_synthetic(),
    }
    if source != "auto":
        dataset = _pack(name, source, loaders[source](), preprocess)
    else:
        if data_dir is not None and not Path(data_dir).expanduser().is_dir():
            raise ValueError(
                f"data_dir {data_dir} is not a folder; give the folder that holds "
                "mnist.npz, mnist/ or fashion-mnist/."
            )
        skipped = []
        dataset = None
        for candidate in ("local", "keras", "sample"):
            if candidate == "keras" and settings.in_browser():
                skipped.append("keras: no downloads from inside the browser")
                continue
            try:
                dataset = _pack(name, candidate, loaders[candidate](), preprocess)
                break
            except DataSourceError as err:
                skipped.append(str(err).rstrip("."))
        if verbose and skipped and dataset.source == "sample":
            print("Using the bundled sample: " + "; ".join(skipped) + ".")
    if verbose:
        print("Loaded " + dataset.describe())
    return dataset


def load_mnist(
    source: str = "auto",
    data_dir: str | os.PathLike | None = None,
    preprocess: bool = True,
    verbose: bool = True,
) -> Dataset:
    """Load MNIST digits; see ``load_dataset`` for the sources and the arguments."""
    return load_dataset("mnist", source, data_dir, preprocess, verbose)


def load_fashion_mnist(
    source: str = "auto",
    data_dir: str | os.PathLike | None = None,
    preprocess: bool = True,
    verbose: bool = True,
) -> Dataset:
    """Load Fashion-MNIST clothing images; see ``load_dataset`` for the arguments."""
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
    )
