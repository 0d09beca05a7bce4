"""Engineered input features of the plane (TensorFlow Playground's extra inputs).

A model of the 2-D plane may see, besides the raw x₁ and x₂, any of

====== ========== ===================
name   label      value
====== ========== ===================
x1sq   x₁²        x₁·x₁
x2sq   x₂²        x₂·x₂
x1x2   x₁x₂       x₁·x₂
sin1   sin x₁     sin(x₁)
sin2   sin x₂     sin(x₂)
====== ========== ===================

:func:`expand` appends the chosen ones as columns after x₁ and x₂, always in the order of
:data:`FEATURES` (whatever order they were chosen in), so the model's input is
x = (x₁, x₂, chosen features…) and its ``n_features`` is 2 + len(features): the model sees
the expanded x, the engineered columns are inputs like any other, with their own weights.

The GUI lists :data:`FEATURES` with :data:`LABELS`; a model built from a
:class:`~core.specs.ModelSpec` with ``features`` keeps them in ``model.features`` and
expands raw plane points itself (:func:`model_inputs`), so callers may pass either the raw
(n, 2) points or the expanded (n, 2 + k) matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.validation import check_features

FloatArray = NDArray[np.float64]

FEATURES: tuple[str, ...] = ("x1sq", "x2sq", "x1x2", "sin1", "sin2")
"""Every engineered feature's name, in the fixed order of the expanded columns."""

LABELS: dict[str, str] = {
    "x1sq": "x₁²",
    "x2sq": "x₂²",
    "x1x2": "x₁x₂",
    "sin1": "sin x₁",
    "sin2": "sin x₂",
}
"""Display label of each engineered feature."""

RAW_LABELS: tuple[str, str] = ("x₁", "x₂")
"""Display labels of the two raw inputs."""

RAW_FEATURES = 2
"""Raw inputs of the plane: x₁ and x₂."""

AXIS: dict[str, str] = {"x1sq": "x1", "x2sq": "x2", "x1x2": "both", "sin1": "x1",
                        "sin2": "x2"}
"""Which raw input each feature depends on: "x1", "x2", or "both" (x₁x₂). A feature of one
axis adds to θᵀx a term along that axis only, which the display grid evaluates on the
grid's axes instead of on every point (see core.fast.display_grid)."""


def _square(v: FloatArray) -> FloatArray:
    return v * v


_OF_ONE_AXIS: dict[str, Callable[[FloatArray], FloatArray]] = {
    "x1sq": _square, "x2sq": _square, "sin1": np.sin, "sin2": np.sin}


def check_feature_names(features: Iterable[str]) -> tuple[str, ...]:
    """The chosen features in the fixed order of :data:`FEATURES`, or ValueError.

    Parameters
    ----------
    features : iterable of str
        Names from :data:`FEATURES`, each at most once, in any order.

    Returns
    -------
    tuple of str
        The same names, sorted into :data:`FEATURES`' order.
    """
    if isinstance(features, str):
        raise ValueError(f"features must be a list of names, got the string {features!r}")
    chosen = list(features)
    for name in chosen:
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r}; choose from {', '.join(FEATURES)}")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"each feature may be chosen once, got {', '.join(chosen)}")
    return tuple(name for name in FEATURES if name in chosen)


def input_labels(features: Iterable[str]) -> tuple[str, ...]:
    """Display labels of every input of a model with ``features``: x₁, x₂, then each
    engineered feature's (e.g. ("x₁", "x₂", "x₁²", "x₂²"))."""
    return (*RAW_LABELS, *(LABELS[name] for name in check_feature_names(features)))


def feature_values(name: str, x1: ArrayLike, x2: ArrayLike) -> FloatArray:
    """The value of one engineered feature at points (x1, x2) (arrays of one shape).

    x1sq: x₁², x2sq: x₂², x1x2: x₁x₂, sin1: sin x₁, sin2: sin x₂.
    """
    a = np.asarray(x1, dtype=np.float64)
    b = np.asarray(x2, dtype=np.float64)
    if name == "x1x2":
        return a * b
    if name not in _OF_ONE_AXIS:
        raise ValueError(f"unknown feature {name!r}; choose from {', '.join(FEATURES)}")
    return _OF_ONE_AXIS[name](a if AXIS[name] == "x1" else b)


def along_axis(name: str, values: ArrayLike) -> FloatArray:
    """A one-axis feature (not x1x2) of the values of its own axis: x² or sin x."""
    if name not in _OF_ONE_AXIS:
        raise ValueError(f"{name!r} is not a feature of one axis")
    return _OF_ONE_AXIS[name](np.asarray(values, dtype=np.float64))


def expand(X: ArrayLike, features: Iterable[str]) -> FloatArray:
    """Append the engineered features as columns: (x₁, x₂) → (x₁, x₂, chosen features…).

    Parameters
    ----------
    X : array_like, shape (n, 2)
        Raw points of the plane.
    features : iterable of str
        Names from :data:`FEATURES`; the columns come in :data:`FEATURES`' order.

    Returns
    -------
    ndarray, shape (n, 2 + len(features)), float64, C-contiguous
        A new array (a copy of X when no feature is chosen).
    """
    names = check_feature_names(features)
    raw = np.asarray(X, dtype=np.float64)
    if raw.ndim != 2 or raw.shape[1] != RAW_FEATURES:
        raise ValueError(f"engineered features need points of the plane, shape (n, 2), "
                         f"got shape {raw.shape}")
    out = np.empty((raw.shape[0], RAW_FEATURES + len(names)))
    out[:, :RAW_FEATURES] = raw
    for column, name in enumerate(names, start=RAW_FEATURES):
        out[:, column] = feature_values(name, raw[:, 0], raw[:, 1])
    return out


def model_inputs(X: ArrayLike, n_features: int, features: tuple[str, ...],
                 allow_empty: bool = False) -> FloatArray:
    """A model's validated input matrix: X itself when it has ``n_features`` columns, or,
    for a model with engineered ``features``, raw (n, 2) plane points expanded.

    Parameters
    ----------
    X : array_like, shape (n, n_features), or (n, 2) when ``features`` is not empty
    n_features : int
        The model's inputs, 2 + len(features) with features.
    features : tuple of str
        The model's engineered features (in :data:`FEATURES`' order), or ().
    allow_empty : bool
        Whether 0 rows are allowed.

    Returns
    -------
    ndarray, shape (n, n_features), float64, C-contiguous

    Raises
    ------
    ValueError
        As :func:`core.validation.check_features`.
    """
    if features:
        arr = np.asarray(X, dtype=np.float64) if not isinstance(X, np.ndarray) else X
        if arr.ndim == 2 and arr.shape[1] == RAW_FEATURES:
            X = expand(check_features(arr, RAW_FEATURES, allow_empty=allow_empty), features)
    return check_features(X, n_features, allow_empty=allow_empty)


def check_model_features(n_features: int, features: Iterable[str]) -> tuple[str, ...]:
    """A model's engineered features, checked against its input count: with features the
    model must have 2 + len(features) inputs (x₁, x₂ and the features). Returns them in
    :data:`FEATURES`' order."""
    names = check_feature_names(features)
    if names and int(n_features) != RAW_FEATURES + len(names):
        raise ValueError(
            f"a model with features {', '.join(names)} has {RAW_FEATURES + len(names)} inputs "
            f"(x₁, x₂ and {len(names)} engineered), got n_features={n_features}")
    return names
