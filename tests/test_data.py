"""Every data source, the offline fallback, IDX/npz parsing and damaged files."""

from __future__ import annotations

import gzip
import hashlib
import logging
import pydoc
import socket
import threading
import urllib.error
import urllib.request

import numpy as np
import pytest

from lesson_utils import data
from lesson_utils.data import DataSourceError, load_fashion_mnist, load_mnist
from lesson_utils.idx import read_idx

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


def write_idx(path, array, compress=False):
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    raw = header + array.tobytes()
    if compress:
        with gzip.open(path, "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


def write_idx_folder(folder, n_train=30, n_test=10, compress=False, seed=1):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if compress else ""
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, compress)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, compress)
        arrays[prefix] = (images, labels)
    return arrays


def write_npz(path, n_train=20, n_test=8):
    rng = np.random.default_rng(2)
    arrays = dict(
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, n_train, dtype=np.uint8),
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, n_test, dtype=np.uint8),
    )
    np.savez(path, **arrays)
    return arrays


# ------------------------------------------------------------------ IDX files


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trip(tmp_path, compress):
    images = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    path = tmp_path / ("img.gz" if compress else "img")
    write_idx(path, images, compress)
    assert np.array_equal(read_idx(path), images)


def test_read_idx_truncated(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    write_idx(path, np.zeros((3, 28, 28)))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated or damaged.*2,352 values"):
        read_idx(path)


def test_read_idx_not_idx(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(b"<html>not found</html>")
    with pytest.raises(ValueError, match="not an MNIST IDX file"):
        read_idx(path)


def test_read_idx_cut_gzip(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    write_idx(path, np.zeros((3, 28, 28)), compress=True)
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(ValueError, match="Could not read the IDX file"):
        read_idx(path)


# --------------------------------------------------------------- local source


@pytest.mark.parametrize("compress", [False, True])
def test_local_idx_folder_in_keras_layout(tmp_path, compress):
    arrays = write_idx_folder(tmp_path / "mnist", compress=compress)
    dataset = load_mnist(source="local", data_dir=tmp_path, preprocess=False)
    assert dataset.source == "local"
    assert np.array_equal(dataset.x_train, arrays["train"][0])
    assert np.array_equal(dataset.y_test, arrays["t10k"][1])


def test_local_npz_and_env_variable(tmp_path, monkeypatch, capsys):
    arrays = write_npz(tmp_path / "mnist.npz")
    monkeypatch.setenv("LESSON_DATA_DIR", str(tmp_path))
    dataset = load_mnist()  # auto: the local copy comes first
    assert dataset.source == "local"
    assert dataset.x_train.shape == (20, 28, 28, 1) and dataset.x_train.dtype == np.float32
    assert np.allclose(dataset.x_train[..., 0] * 255, arrays["x_train"], atol=1e-3)
    assert "MNIST from a local copy: 20 train / 8 test images" in capsys.readouterr().out


def test_local_fashion_folder(tmp_path):
    write_idx_folder(tmp_path / "fashion-mnist", n_train=12, n_test=4)
    dataset = load_fashion_mnist(source="local", data_dir=tmp_path)
    assert (len(dataset.x_train), len(dataset.x_test)) == (12, 4)
    assert dataset.class_names[9] == "Ankle boot"


def test_local_missing_copy_says_what_it_looked_for(tmp_path):
    with pytest.raises(DataSourceError, match="holds no mnist copy.*mnist.npz"):
        load_mnist(source="local", data_dir=tmp_path)
    with pytest.raises(DataSourceError, match="source='local' needs a folder: give data_dir="):
        load_mnist(source="local")


def test_auto_says_when_the_named_folder_holds_no_copy(tmp_path, no_network, capsys):
    assert load_mnist(data_dir=tmp_path).source == "sample"
    out = capsys.readouterr().out
    assert out.startswith(f"Using the bundled sample: {tmp_path} holds no mnist copy")


def test_local_corrupt_npz_is_a_clear_error(tmp_path):
    (tmp_path / "mnist.npz").write_bytes(b"PK\x03\x04 this is not a real archive")
    with pytest.raises(ValueError, match="not a readable MNIST .npz file"):
        load_mnist(source="auto", data_dir=tmp_path)


def test_local_truncated_idx_is_a_clear_error(tmp_path):
    write_idx_folder(tmp_path / "mnist")
    labels = tmp_path / "mnist" / "t10k-labels-idx1-ubyte"
    labels.write_bytes(labels.read_bytes()[:-3])
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte is truncated"):
        load_mnist(data_dir=tmp_path)


def test_data_dir_that_does_not_exist(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="data_dir= is '.*nope', which is not a folder"):
        load_mnist(data_dir=tmp_path / "nope")
    monkeypatch.setenv("LESSON_DATA_DIR", str(tmp_path / "gone"))
    with pytest.raises(ValueError, match="LESSON_DATA_DIR is '.*gone', which is not a folder"):
        load_mnist()


def test_argument_messages_can_speak_the_command_line(tmp_path):
    with pytest.raises(DataSourceError, match="--source local needs a folder: give --data-dir"):
        data.check_data_arguments("mnist", "local", None, cli=True)
    with pytest.raises(ValueError, match="--data-dir is '.*nope', which is not a folder"):
        data.check_data_arguments("mnist", "auto", tmp_path / "nope", cli=True)
    assert data.check_data_arguments("mnist", "local", tmp_path, cli=True) == tmp_path


@pytest.mark.skipif(
    not __import__("os").path.isdir(FASHION_DIR),
    reason="Debian's dataset-fashion-mnist is not installed",
)
def test_full_fashion_mnist_from_debian_package():
    dataset = load_fashion_mnist(data_dir="/usr/share/datasets", preprocess=False)
    assert dataset.x_train.shape == (60000, 28, 28) and dataset.x_test.shape == (10000, 28, 28)
    assert np.bincount(dataset.y_train).tolist() == [6000] * 10


# ------------------------------------------------------- Keras cache, offline


def test_offline_falls_back_to_bundled_sample(no_network, capsys):
    dataset = load_mnist()
    out = capsys.readouterr().out
    assert dataset.source == "sample"
    assert out.splitlines() == [
        "Using the bundled sample: MNIST is not in Keras's cache and could not be "
        "downloaded (could not connect to the download server).",
        "Loaded MNIST from the bundled sample of real images: 4,000 train / 1,000 test images",
    ]


def no_threads(monkeypatch):
    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    return "this Python cannot start a download: it has no threads"


def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(58, "Not supported")  # as in WASI, which has no sockets

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return "could not connect to the download server"


@pytest.mark.parametrize("missing", [no_threads, no_sockets], ids=["no threads", "no sockets"])
def test_a_download_that_cannot_start_falls_back_in_one_line(missing, monkeypatch, capsys):
    """WebAssembly outside Pyodide: the download cannot even start (issue 22)."""
    why = missing(monkeypatch)
    dataset = load_mnist()
    assert dataset.source == "sample"
    assert capsys.readouterr().out.splitlines() == [
        f"Using the bundled sample: MNIST is not in Keras's cache and could not be "
        f"downloaded ({why}).",
        "Loaded MNIST from the bundled sample of real images: 4,000 train / 1,000 test images",
    ]


def test_failed_lookup_says_no_network_and_keeps_the_detail_out_of_sight(
    monkeypatch, capsys, caplog
):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with caplog.at_level(logging.DEBUG, logger="lesson_utils.data"):
        assert load_mnist().source == "sample"
    out = capsys.readouterr().out
    assert "could not be downloaded (no network connection)." in out
    assert "Errno" not in out and "Name or service" not in out
    # The raw reason: in the DEBUG log, and in the exception's chain.
    assert "Name or service not known" in caplog.text
    with pytest.raises(DataSourceError) as raised:
        load_mnist(source="keras")
    assert isinstance(raised.value.__cause__.__cause__, urllib.error.URLError)


def test_http_error_is_named(monkeypatch):
    def not_found(url, timeout):
        raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)

    monkeypatch.setattr(urllib.request, "urlopen", not_found)
    message = "could not be downloaded \\(the download server answered HTTP 404 \\(Not Found\\)\\)"
    with pytest.raises(DataSourceError, match=message):
        load_fashion_mnist(source="keras")


def test_offline_fallback_is_fast_even_when_dns_hangs(monkeypatch):
    import time

    def hang(*args, **kwargs):
        time.sleep(30)

    monkeypatch.setattr(urllib.request, "urlopen", hang)
    monkeypatch.setattr(data, "CONNECT_TIMEOUT_S", 0.5)
    start = time.perf_counter()
    assert load_mnist(verbose=False).source == "sample"
    assert time.perf_counter() - start < 5


def test_forced_keras_source_offline_names_the_cause(no_network):
    with pytest.raises(DataSourceError, match="not in Keras.s cache and could not be downloaded"):
        load_mnist(source="keras")


def test_keras_cache_is_used_when_valid(tmp_path, monkeypatch):
    cache = tmp_path / "keras_home" / "datasets"
    cache.mkdir(parents=True)
    write_npz(cache / "mnist.npz")
    digest = hashlib.sha256((cache / "mnist.npz").read_bytes()).hexdigest()
    monkeypatch.setattr(data, "KERAS_MNIST_SHA256", digest)
    assert load_mnist(source="keras", verbose=False).x_train.shape == (20, 28, 28, 1)


def test_corrupt_keras_cache_is_removed_not_reused(tmp_path, no_network, capsys):
    cache = tmp_path / "keras_home" / "datasets"
    cache.mkdir(parents=True)
    (cache / "mnist.npz").write_bytes(b"half a download")
    dataset = load_mnist()
    assert dataset.source == "sample"
    assert "damaged" in capsys.readouterr().out
    assert not (cache / "mnist.npz").exists()


def test_download_writes_only_a_verified_file(tmp_path, monkeypatch):
    class FakeResponse:
        def __init__(self, payload):
            self.payload = payload

        def read(self):
            return self.payload

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: FakeResponse(b"bad"))
    with pytest.raises(DataSourceError, match="checksum"):
        load_mnist(source="keras")
    assert not (tmp_path / "keras_home" / "datasets" / "mnist.npz").exists()


# ---------------------------------------------------- sample, synthetic, quick


@pytest.mark.parametrize("loader", [load_mnist, load_fashion_mnist])
def test_bundled_samples_are_stratified_real_images(loader):
    dataset = loader(source="sample", preprocess=False, verbose=False)
    assert dataset.x_train.shape == (4000, 28, 28) and dataset.x_test.shape == (1000, 28, 28)
    assert dataset.x_train.dtype == np.uint8
    assert np.bincount(dataset.y_train).tolist() == [400] * 10
    assert np.bincount(dataset.y_test).tolist() == [100] * 10
    # Real images have a dark background: most pixels are exactly 0, unlike noise.
    assert np.mean(dataset.x_train == 0) > 0.4


def test_preprocessing_range_shape_and_labels():
    dataset = load_mnist(source="sample", verbose=False)
    assert dataset.x_train.dtype == np.float32 and dataset.x_train.shape[1:] == (28, 28, 1)
    assert dataset.x_train.min() == 0.0 and dataset.x_train.max() == 1.0
    assert dataset.y_train.dtype == np.int64 and set(np.unique(dataset.y_train)) == set(range(10))


def test_dataset_unpacks_as_keras_load_data():
    dataset = load_mnist(source="sample", verbose=False)
    (x_train, y_train), (x_test, y_test) = dataset
    assert x_train is dataset.x_train and y_train is dataset.y_train
    assert x_test is dataset.x_test and y_test is dataset.y_test
    assert dataset.x_train.shape == (4000, 28, 28, 1)  # and by attribute, as before


def test_dataset_repr_is_short_and_says_the_shapes():
    text = repr(load_mnist(source="sample", verbose=False))
    assert len(text.splitlines()) == 2 and len(text) < 250
    assert "MNIST from the bundled sample" in text
    assert "x_train (4000, 28, 28, 1) float32" in text and "y_test (1000,) int64" in text


def test_help_of_load_mnist_says_what_it_returns_and_how_to_use_it():
    text = pydoc.render_doc(load_mnist, renderer=pydoc.plaintext)
    assert "Returns a Dataset" in text and "x_train  (60000, 28, 28, 1) float32" in text
    assert "(x_train, y_train), (x_test, y_test) = lu.load_mnist()" in text
    assert "see load_dataset" not in text.lower()


def test_synthetic_source():
    dataset = load_mnist(source="synthetic", verbose=False)
    assert dataset.source == "synthetic"
    assert dataset.x_train.shape == (256, 28, 28, 1)


def test_quick_mode_takes_a_subset(quick, capsys):
    dataset = load_mnist(source="sample")
    assert (len(dataset.x_train), len(dataset.x_test)) == (1000, 500)
    assert "quick mode" in capsys.readouterr().out


def test_quick_mode_is_how_the_data_was_loaded_not_the_switch_later(monkeypatch):
    """A Dataset says what it holds: quick mode is read once, when it is loaded."""
    monkeypatch.setenv("LESSON_QUICK", "1")
    subset = load_mnist(source="sample", verbose=False)
    monkeypatch.delenv("LESSON_QUICK")
    assert subset.quick and "quick mode: a subset" in subset.describe()
    assert "quick mode" in data.take(subset, 10).describe()
    whole = load_mnist(source="sample", verbose=False)
    monkeypatch.setenv("LESSON_QUICK", "1")
    assert not whole.quick and "quick mode" not in whole.describe()
    assert len(data.load_dataset(source="sample", verbose=False, quick=False).x_train) == 4000
    monkeypatch.delenv("LESSON_QUICK")
    assert len(data.load_dataset(source="sample", verbose=False, quick=True).x_train) == 1000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "internet"}, "source must be one of auto, local, keras"),
    ],
)
def test_bad_source(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_mnist(**kwargs)


def test_bad_dataset_name():
    with pytest.raises(ValueError, match="name must be one of mnist, fashion_mnist"):
        data.load_dataset("cifar10")
