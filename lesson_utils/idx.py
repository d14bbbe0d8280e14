"""Reading MNIST's original IDX files (``train-images-idx3-ubyte[.gz]`` and friends).

IDX is the format LeCun, Cortes and Burges published MNIST in, and that
Fashion-MNIST copies: a 4-byte magic number (two zero bytes, a type code,
the number of dimensions), one big-endian 32-bit size per dimension, then
the raw values. First met in notebook 1, "Images as arrays".
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

# The IDX type code 0x08 means unsigned bytes, which is all MNIST uses.
_UBYTE = 0x08

SPLIT_PREFIX = {"train": "train", "test": "t10k"}


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (optionally gzipped) into a uint8 array.

    Returns shape (n,) for a labels file and (n, rows, cols) for an images file.
    Raises ValueError naming the file when it is truncated or not IDX.
    """
    path = Path(path)
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:  # gzip raises these for a cut or damaged file
        raise ValueError(
            f"Could not read the IDX file {path}: {err}. Download it again or delete it."
        ) from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != _UBYTE or raw[3] not in (1, 3):
        raise ValueError(
            f"{path} is not an MNIST IDX file of bytes (its header is "
            f"{raw[:4].hex() or 'empty'}, expected 00000801 or 00000803)."
        )
    ndim = raw[3]
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(f"{path} is truncated: it ends inside its header.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape))
    found = len(raw) - header_size
    if found != expected:
        raise ValueError(
            f"{path} is truncated or damaged: its header promises {expected:,} "
            f"values of shape {shape}, the file holds {found:,}."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def find_idx_file(folder: Path, split: str, kind: str) -> Path | None:
    """The path of ``{train|t10k}-{images-idx3|labels-idx1}-ubyte[.gz]`` in folder, if any."""
    stem = f"{SPLIT_PREFIX[split]}-{'images-idx3' if kind == 'images' else 'labels-idx1'}-ubyte"
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    return None


def read_idx_pair(folder: str | Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Read the images (n, 28, 28) and labels (n,) of one split ("train" or "test")."""
    folder = Path(folder)
    paths = {kind: find_idx_file(folder, split, kind) for kind in ("images", "labels")}
    missing = [kind for kind, p in paths.items() if p is None]
    if missing:
        raise FileNotFoundError(
            f"{folder} has no {split} {' or '.join(missing)} IDX file "
            f"(looked for {SPLIT_PREFIX[split]}-*-ubyte[.gz])."
        )
    images, labels = read_idx(paths["images"]), read_idx(paths["labels"])
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"{folder}: the {split} images {images.shape} and labels {labels.shape} do not pair up."
        )
    return images, labels
