"""Regression datasets of the plane: real targets y = f(x) + Gaussian noise.

Kept apart from :data:`core.datasets.PRESETS` (which are classification sets with labels
0 and 1); :mod:`core.datasets` re-exports everything here. Like the classification presets
the points are centred on the origin inside [-6, 6], and so are the targets at the default
noise, so one plot range fits x₁, x₂ and y.

* ``regress1d``: y = 0.2·x₁² + 0.5·x₁ − 2.5 + ε, with x₂ = 0 (a curve: linear regression
  gets the slope, the x₁² feature or a hidden layer the bend). A view may plot the points
  as (x₁, y).
* ``regress2d``: y = 0.5·x₁ + 2·sin x₂ + ε (a plane with a wave: linear regression gets the
  tilt, the sin x₂ feature or a hidden layer the wave).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

REGRESSION_PRESETS: tuple[str, ...] = ("regress1d", "regress2d")
"""Names accepted by :func:`make_regression` (not in ``core.datasets.PRESETS``)."""

DEFAULT_REGRESSION_NOISE: dict[str, float] = {"regress1d": 0.4, "regress2d": 0.4}
"""Standard deviation of the Gaussian noise ε on the targets when ``noise`` is None."""

INPUT_REACH = 5.0
"""The inputs are uniform in [−5, 5] (x₂ = 0 for regress1d)."""


def regress1d_target(x1: FloatArray) -> FloatArray:
    """f(x₁) = 0.2·x₁² + 0.5·x₁ − 2.5, within [−2.9, 5] for x₁ in [−5, 5]."""
    return 0.2 * x1 * x1 + 0.5 * x1 - 2.5


def regress2d_target(x1: FloatArray, x2: FloatArray) -> FloatArray:
    """f(x₁, x₂) = 0.5·x₁ + 2·sin x₂, within [−4.5, 4.5] for x in [−5, 5]²."""
    return 0.5 * x1 + 2.0 * np.sin(x2)


def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def make_regression(name: str, n_samples: int = 200, noise: float | None = None,
                    seed: int = 0) -> tuple[FloatArray, FloatArray]:
    """Generate one of the regression datasets.

    Parameters
    ----------
    name : str
        One of :data:`REGRESSION_PRESETS`.
    n_samples : int, default 200
        Number of rows, at least 2.
    noise : float or None, default None
        Standard deviation of the Gaussian noise on y; None uses
        :data:`DEFAULT_REGRESSION_NOISE`. Finite and >= 0.
    seed : int, default 0
        Seed of ``np.random.default_rng``; the same seed gives the same data.

    Returns
    -------
    X : ndarray, shape (n_samples, 2), float64
        Inputs uniform in [−5, 5] (x₂ = 0 for regress1d).
    y : ndarray, shape (n_samples,), float64
        Real targets f(x) + ε.

    Raises
    ------
    ValueError
        If ``name`` is unknown, ``n_samples < 2`` or ``noise`` is negative or not finite.
    """
    if not isinstance(name, str) or name not in REGRESSION_PRESETS:
        raise ValueError(f"unknown regression dataset {name!r}; choose one of: "
                         f"{', '.join(REGRESSION_PRESETS)}")
    n = _check_int(n_samples, "n_samples", 2)
    sigma = DEFAULT_REGRESSION_NOISE[name] if noise is None else noise
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(sigma)) or float(sigma) < 0:
        raise ValueError(f"noise must be a finite number >= 0 (or None), got {noise!r}")
    rng = np.random.default_rng(_check_int(seed, "seed", 0))
    X = rng.uniform(-INPUT_REACH, INPUT_REACH, size=(n, 2))
    if name == "regress1d":
        X[:, 1] = 0.0
        y = regress1d_target(X[:, 0])
    else:
        y = regress2d_target(X[:, 0], X[:, 1])
    y = y + rng.normal(scale=float(sigma), size=n)
    return np.ascontiguousarray(X), np.ascontiguousarray(y)


def random_split_mask(n: int, test_fraction: float, seed: int = 0) -> NDArray[np.bool_]:
    """Which of n examples go to the test set, not stratified (a regression has no
    classes): round(test_fraction·n) rows, at most n − 1, chosen by
    ``np.random.default_rng(seed)``. The regression counterpart of
    :func:`core.datasets.split_mask`."""
    n = _check_int(n, "n", 0)
    fraction = float(test_fraction)
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction!r}")
    mask = np.zeros(n, dtype=bool)
    n_test = min(int(round(fraction * n)), max(n - 1, 0))
    if n_test:
        mask[np.random.default_rng(_check_int(seed, "seed", 0)).permutation(n)[:n_test]] = True
    return mask


def regression_split(X: FloatArray, y: FloatArray, test_fraction: float, seed: int = 0
                     ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(X_train, X_test, y_train, y_test) by :func:`random_split_mask`, rows in order."""
    X_arr, y_arr = np.asarray(X), np.asarray(y)
    if X_arr.ndim != 2 or y_arr.ndim != 1 or X_arr.shape[0] != y_arr.shape[0]:
        raise ValueError(f"X (n, d) and y (n,) must have the same rows, got shapes "
                         f"{X_arr.shape} and {y_arr.shape}")
    test = random_split_mask(X_arr.shape[0], test_fraction, seed)
    return X_arr[~test], X_arr[test], y_arr[~test], y_arr[test]
