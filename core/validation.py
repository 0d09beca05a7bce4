"""Input checks in the scikit-learn manner: every error says what to fix."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray


def check_features(X: ArrayLike, n_features: int | None = None, *, allow_empty: bool = False
                   ) -> NDArray[np.float64]:
    """Return X as a C-contiguous float64 array of shape (n, n_features), or raise ValueError."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"X must be numeric, got {type(X).__name__}: {exc}") from None
    if arr.ndim == 1 and n_features == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(
            f"X must be 2-D with shape (n_examples, n_features), got shape {arr.shape}; "
            "reshape a single example with X.reshape(1, -1)"
        )
    if arr.shape[0] == 0 and not allow_empty:
        raise ValueError("X is empty (0 examples): add at least one example before training")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"X has {arr.shape[1]} features but the model expects {n_features}"
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ValueError(
            f"X contains {bad} NaN or infinite value(s); remove or replace them before training"
        )
    return np.ascontiguousarray(arr)


def check_labels(y: ArrayLike, n_examples: int, n_classes: int) -> NDArray[np.int64]:
    """Return y as int64 of shape (n_examples,) with values in 0..n_classes−1, or raise."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-D with shape (n_examples,), got shape {arr.shape}")
    if arr.shape[0] != n_examples:
        raise ValueError(f"X has {n_examples} examples but y has {arr.shape[0]} labels")
    if arr.size and not np.issubdtype(arr.dtype, np.number) and arr.dtype != bool:
        raise ValueError(f"y must hold integer class labels, got dtype {arr.dtype}")
    as_float = arr.astype(np.float64)
    if not np.all(np.isfinite(as_float)) or not np.all(as_float == np.round(as_float)):
        raise ValueError("y must hold integer class labels (no NaN, no fractions)")
    labels = as_float.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        found = sorted(set(np.unique(labels).tolist()))
        raise ValueError(
            f"y must hold labels in 0..{n_classes - 1} for a {n_classes}-class model, "
            f"found {found[:10]}"
        )
    return labels


def check_learning_rate(learning_rate: float) -> float:
    """η must be a finite positive number."""
    try:
        eta = float(learning_rate)
    except (TypeError, ValueError):
        raise ValueError(f"learning_rate must be a number, got {learning_rate!r}") from None
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(
            f"learning_rate η must be a finite positive number, got {learning_rate!r}"
        )
    return eta


MAX_FEATURE_MAGNITUDE = 1e100
"""Largest |feature| Ascent Lab trains on. Gradient ascent needs Σᵢ xᵢⱼxᵢₖ (the curvature
that sets a safe η) to stay finite in float64 (up to ~1e308); 1e100 leaves room for
100,000 examples and keeps η = 4/λ far above float64's smallest number."""


def check_feature_scale(X: ArrayLike, limit: float = MAX_FEATURE_MAGNITUDE,
                        names: list[str] | None = None) -> None:
    """Raise ValueError (saying where, and how to fix it) if a feature is NaN, infinite or
    larger in magnitude than ``limit``; X has shape (n, n_features)."""
    arr = np.asarray(X, dtype=np.float64)
    if arr.size == 0:
        return
    arr = arr.reshape(arr.shape[0], -1)
    magnitude = np.abs(arr)
    bad = ~(magnitude <= limit)  # NaN compares False, so it is bad too
    if not np.any(bad):
        return
    row, column = (int(i) for i in np.argwhere(bad)[0])
    name = names[column] if names is not None and column < len(names) else f"x{column + 1}"
    value = arr[row, column]
    if not math.isfinite(value):
        raise ValueError(f"feature {name} of example {row + 1} is {value}; remove or replace "
                         "NaN and infinite values before training")
    power = 10.0 ** np.floor(np.log10(abs(value)))
    raise ValueError(
        f"feature {name} of example {row + 1} is {value:.3g}, too large to train on (at most "
        f"±{limit:.0e}); rescale that column, e.g. divide it by {power:.0e}")


def check_targets(y: ArrayLike, n_examples: int) -> NDArray[np.float64]:
    """Return a regression's targets as float64 of shape (n_examples,), or raise ValueError.

    Targets are real numbers: any finite value (no NaN or infinity); they are not class
    labels, so fractions and negative values are fine.
    """
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-D with shape (n_examples,), got shape {arr.shape}")
    if arr.shape[0] != n_examples:
        raise ValueError(f"X has {n_examples} examples but y has {arr.shape[0]} targets")
    if arr.size and (not np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
                     or np.issubdtype(arr.dtype, np.complexfloating)):
        raise ValueError(f"a regression's targets must be real numbers, got dtype {arr.dtype}")
    targets = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(targets)):
        bad = int(np.count_nonzero(~np.isfinite(targets)))
        raise ValueError(f"y contains {bad} NaN or infinite target(s); a regression's "
                         "targets must be finite numbers")
    return targets
