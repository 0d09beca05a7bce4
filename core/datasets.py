"""Datasets for Ascent Lab: six 2-D teaching sets, the UCI digits, splits and CSV files.

The two regression sets (real targets, :data:`REGRESSION_PRESETS`, :func:`make_regression`)
live in :mod:`core.regression_data` and are re-exported here; they are not in
:data:`PRESETS`, which are all classification sets.

Every 2-D preset is centred on the origin with features roughly inside [-6, 6], so one
plot range fits all of them. Labels are ``int64`` in {0, 1} and the classes are balanced
(``n_samples // 2`` rows of class 0, the rest of class 1). All randomness comes from an
explicit ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.assets import asset_path

# CSV files live in core.csv_files; their names stay importable from here
from core.csv_files import (
    SPLIT_COLUMN,
    load_csv,
    load_csv_split,
    read_table,
    save_csv,
)
from core.regression_data import (
    DEFAULT_REGRESSION_NOISE,
    REGRESSION_PRESETS,
    make_regression,
    random_split_mask,
    regression_split,
)

__all__ = [
    "SPLIT_COLUMN",
    "load_csv_split",
    "read_table",
    "DEFAULT_NOISE",
    "DEFAULT_REGRESSION_NOISE",
    "PRESETS",
    "REGRESSION_PRESETS",
    "digits",
    "digits_binary",
    "load_csv",
    "make",
    "make_regression",
    "random_split_mask",
    "regression_split",
    "save_csv",
    "split_mask",
    "train_test_split",
]

PRESETS: tuple[str, ...] = ("blobs", "overlap", "xor", "circles", "moons", "spiral")
"""Names accepted by :func:`make`, in the order the GUI lists them."""

DEFAULT_NOISE: dict[str, float] = {
    "blobs": 0.7,
    "overlap": 1.0,
    "xor": 0.8,
    "circles": 0.35,
    "moons": 0.4,
    "spiral": 0.25,
}
"""Standard deviation of the Gaussian noise each preset uses when ``noise`` is None.

Read-only by convention; :func:`make` never mutates it.
"""

DIGITS_FILE = "digits.npz"
_N_DIGITS = 1797
_REGENERATE_HINT = "regenerate it with: python scripts/make_digits_asset.py"

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


# --------------------------------------------------------------------------------------
# 2-D presets
# --------------------------------------------------------------------------------------


def _class_sizes(n_samples: int) -> tuple[int, int]:
    """Return ``(n0, n1)`` with ``n0 = n_samples // 2`` and the remainder in class 1."""
    n0 = n_samples // 2
    return n0, n_samples - n0


def _split_count(n: int) -> tuple[int, int]:
    """Split ``n`` points over two clusters as evenly as possible."""
    return n // 2, n - n // 2


def _blobs(n0: int, n1: int, noise: float, rng: np.random.Generator, centre: float) -> FloatArray:
    """Two isotropic Gaussian blobs at ``(-c, -c)`` and ``(c, c)``; shape (n0 + n1, 2)."""
    centres = np.concatenate([np.full((n0, 2), -centre), np.full((n1, 2), centre)], axis=0)
    return centres + rng.normal(scale=noise, size=centres.shape)


def _make_blobs(n0: int, n1: int, noise: float, rng: np.random.Generator) -> FloatArray:
    """Separable blobs: centres 7.1 apart, about 10 standard deviations at the default."""
    return _blobs(n0, n1, noise, rng, centre=2.5)


def _make_overlap(n0: int, n1: int, noise: float, rng: np.random.Generator) -> FloatArray:
    """Overlapping blobs (the lecture's slide): centres only ~2.8 standard deviations apart."""
    return _blobs(n0, n1, noise, rng, centre=1.0)


def _make_xor(n0: int, n1: int, noise: float, rng: np.random.Generator) -> FloatArray:
    """Four clusters in the quadrants; class 0 at (+,+)/(-,-), class 1 at (+,-)/(-,+)."""
    c = 2.5
    a0, b0 = _split_count(n0)
    a1, b1 = _split_count(n1)
    signs = np.concatenate(
        [
            np.tile([1.0, 1.0], (a0, 1)),
            np.tile([-1.0, -1.0], (b0, 1)),
            np.tile([1.0, -1.0], (a1, 1)),
            np.tile([-1.0, 1.0], (b1, 1)),
        ],
        axis=0,
    )
    return c * signs + rng.normal(scale=noise, size=signs.shape)


def _make_circles(n0: int, n1: int, noise: float, rng: np.random.Generator) -> FloatArray:
    """Class 0 on an inner circle of radius 1.5, class 1 on a ring of radius 4."""
    radius = np.concatenate([np.full(n0, 1.5), np.full(n1, 4.0)])
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n0 + n1)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return points + rng.normal(scale=noise, size=points.shape)


def _make_moons(n0: int, n1: int, noise: float, rng: np.random.Generator) -> FloatArray:
    """Two interleaving half moons (scikit-learn's shape), centred and scaled by 2.5."""
    t0 = rng.uniform(0.0, np.pi, size=n0)
    t1 = rng.uniform(0.0, np.pi, size=n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    points = (np.concatenate([upper, lower], axis=0) - np.array([0.5, 0.25])) * 2.5
    return points + rng.normal(scale=noise, size=points.shape)


def _make_spiral(n0: int, n1: int, noise: float, rng: np.random.Generator) -> FloatArray:
    """Two interleaved spirals of 1.5 turns each, radius 0.5 to 5, the second rotated by pi."""
    t = rng.uniform(0.0, 1.0, size=n0 + n1)
    # sqrt spreads the points evenly along the arm instead of crowding the centre.
    t = np.sqrt(t)
    offset = np.concatenate([np.zeros(n0), np.full(n1, np.pi)])
    radius = 0.5 + 4.5 * t
    angle = 3.0 * np.pi * t + offset
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return points + rng.normal(scale=noise, size=points.shape)


_GENERATORS: dict[str, Callable[[int, int, float, np.random.Generator], FloatArray]] = {
    "blobs": _make_blobs,
    "overlap": _make_overlap,
    "xor": _make_xor,
    "circles": _make_circles,
    "moons": _make_moons,
    "spiral": _make_spiral,
}


def _check_int(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as int if it is an integer >= ``minimum``, else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def make(
    name: str,
    n_samples: int = 200,
    noise: float | None = None,
    seed: int = 0,
) -> tuple[FloatArray, IntArray]:
    """Generate one of the 2-D teaching datasets.

    Parameters
    ----------
    name : str
        One of :data:`PRESETS`: ``"blobs"`` (two separable Gaussian blobs), ``"overlap"``
        (two overlapping blobs, not linearly separable), ``"xor"`` (four quadrant clusters
        with XOR labels), ``"circles"`` (inner circle vs. ring), ``"moons"`` (two
        interleaving half moons) or ``"spiral"`` (two interleaved spirals).
    n_samples : int, default 200
        Number of rows, at least 2. Class 0 gets ``n_samples // 2``, class 1 the rest.
    noise : float or None, default None
        Standard deviation of the Gaussian noise added to each coordinate; ``None`` uses
        the preset's default from :data:`DEFAULT_NOISE`. Must be finite and >= 0.
    seed : int, default 0
        Seed for ``np.random.default_rng``; the same seed gives the same data.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
        Features, centred on 0, roughly inside [-6, 6] at the default noise.
    y : ndarray of shape (n_samples,), int64
        Labels in {0, 1}. Rows are shuffled.

    Raises
    ------
    ValueError
        If ``name`` is unknown, ``n_samples < 2`` or ``noise`` is negative or not finite.
    """
    if not isinstance(name, str) or name not in _GENERATORS:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(PRESETS)}")
    n = _check_int(n_samples, "n_samples", 2)
    sigma = DEFAULT_NOISE[name] if noise is None else noise
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.integer, np.floating)):
        raise ValueError(f"noise must be a number >= 0 (or None for the default), got {noise!r}")
    sigma = float(sigma)
    if not math.isfinite(sigma) or sigma < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    seed_int = _check_int(seed, "seed", 0)

    rng = np.random.default_rng(seed_int)
    n0, n1 = _class_sizes(n)
    X = _GENERATORS[name](n0, n1, sigma, rng)
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    order = rng.permutation(n)
    return np.ascontiguousarray(X[order], dtype=np.float64), y[order]


# --------------------------------------------------------------------------------------
# Train/test split
# --------------------------------------------------------------------------------------


def train_test_split(
    X: FloatArray,
    y: IntArray,
    test_fraction: float,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
    """Split rows into a training and a test set, stratified by class.

    Each class ``c`` with ``n_c`` rows sends ``round(test_fraction * n_c)`` of them to the
    test set, but always keeps at least one training example.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Features.
    y : ndarray of shape (n_samples,)
        Integer class labels.
    test_fraction : float
        Fraction of each class to hold out, in [0, 1). ``0`` gives empty test arrays.
    seed : int, default 0
        Seed for ``np.random.default_rng`` choosing which rows are held out.

    Returns
    -------
    X_train : ndarray of shape (n_train, n_features)
    X_test : ndarray of shape (n_test, n_features)
    y_train : ndarray of shape (n_train,)
    y_test : ndarray of shape (n_test,)
        ``n_train + n_test == n_samples``; the two sets are disjoint and each is shuffled.

    Raises
    ------
    ValueError
        If the shapes disagree, ``X`` is not 2-D, ``y`` is not 1-D, or ``test_fraction``
        is outside [0, 1).
    """
    X_arr = np.asarray(X)
    y_arr = np.asarray(y)
    if X_arr.ndim != 2:
        raise ValueError(f"X must be 2-D of shape (n_samples, n_features), got shape {X_arr.shape}")
    if y_arr.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y_arr.shape}")
    if X_arr.shape[0] != y_arr.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got {X_arr.shape[0]} and {y_arr.shape[0]}"
        )
    if isinstance(test_fraction, bool) or not isinstance(
        test_fraction, (int, float, np.integer, np.floating)
    ):
        raise ValueError(f"test_fraction must be a number in [0, 1), got {test_fraction!r}")
    fraction = float(test_fraction)
    if not (0.0 <= fraction < 1.0):
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction!r}")
    seed_int = _check_int(seed, "seed", 0)

    rng = np.random.default_rng(seed_int)
    train_parts: list[IntArray] = []
    test_parts: list[IntArray] = []
    for label in np.unique(y_arr):
        rows = rng.permutation(np.flatnonzero(y_arr == label))
        n_test = min(int(round(fraction * rows.size)), rows.size - 1)
        test_parts.append(rows[:n_test])
        train_parts.append(rows[n_test:])
    empty = np.empty(0, dtype=np.intp)
    train_idx = rng.permutation(np.concatenate(train_parts)) if train_parts else empty
    test_idx = rng.permutation(np.concatenate(test_parts)) if test_parts else empty
    return X_arr[train_idx], X_arr[test_idx], y_arr[train_idx], y_arr[test_idx]


def split_mask(y: ArrayLike, test_fraction: float, seed: int = 0) -> NDArray[np.bool_]:
    """Which examples go to the test set: a boolean mask of the rows, from the stratified
    :func:`train_test_split` (the same rows it would hold out)."""
    labels = np.asarray(y, dtype=np.int64).reshape(-1)
    mask = np.zeros(labels.shape[0], dtype=bool)
    if labels.shape[0] == 0 or test_fraction <= 0:
        return mask
    rows = np.arange(labels.shape[0], dtype=np.float64)[:, None]
    _, test_rows, _, _ = train_test_split(rows, labels, float(test_fraction), seed=int(seed))
    mask[test_rows[:, 0].astype(np.int64)] = True
    return mask



# --------------------------------------------------------------------------------------
# Handwritten digits
# --------------------------------------------------------------------------------------


def digits() -> tuple[FloatArray, IntArray]:
    """Load the UCI 8x8 handwritten digits (the copy scikit-learn ships), from the assets.

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        Pixel intensities scaled to [0, 1] (the stored counts 0..16 divided by 16), each
        row an 8x8 image in row-major order.
    y : ndarray of shape (1797,), int64
        Digit labels 0..9.

    Raises
    ------
    FileNotFoundError
        If ``assets/digits.npz`` is missing (the message says how to regenerate it).
    ValueError
        If the file exists but does not hold the expected arrays.
    """
    path = asset_path(DIGITS_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"digits data not found at {path}; {_REGENERATE_HINT}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            pixels = np.asarray(archive["pixels"])
            labels = np.asarray(archive["labels"])
    except (KeyError, OSError, ValueError) as exc:
        raise ValueError(
            f"{path} is not a valid digits archive ({exc}); {_REGENERATE_HINT}"
        ) from exc
    if (
        pixels.shape != (_N_DIGITS, 64)
        or labels.shape != (_N_DIGITS,)
        or pixels.max(initial=0) > 16
        or labels.max(initial=0) > 9
    ):
        raise ValueError(
            f"{path} has unexpected contents (pixels {pixels.shape}, labels {labels.shape}); "
            f"{_REGENERATE_HINT}"
        )
    return pixels.astype(np.float64) / 16.0, labels.astype(np.int64)


def digits_binary(a: int = 0, b: int = 1) -> tuple[FloatArray, IntArray]:
    """Return the digits labelled ``a`` or ``b``, relabelled ``a -> 0`` and ``b -> 1``.

    With the defaults this is the lecture's "0 versus 1" example (360 images).

    Parameters
    ----------
    a, b : int
        Two different digits in 0..9.

    Returns
    -------
    X : ndarray of shape (n, 64), float64
        The selected images scaled to [0, 1], in the original order.
    y : ndarray of shape (n,), int64
        0 where the digit was ``a``, 1 where it was ``b``.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not a digit 0..9 or ``a == b``.
    """
    for name, value in (("a", a), ("b", b)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, np.integer))
            or not (0 <= value <= 9)
        ):
            raise ValueError(f"{name} must be a digit 0..9, got {value!r}")
    if a == b:
        raise ValueError(f"a and b must be two different digits, got {a} and {b}")
    X, y = digits()
    keep = (y == a) | (y == b)
    return X[keep], (y[keep] == b).astype(np.int64)
