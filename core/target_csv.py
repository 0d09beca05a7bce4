"""CSV files of a regression: real targets in a ``target`` column.

``x1,...,xd,target`` (optionally ``,split``), the same layout as the labelled CSV of
:func:`core.datasets.load_csv` with the label replaced by a real number. The header says
which kind a file is (:func:`has_targets`), so the playground opens a CSV saved in
regression mode in regression mode again.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.csv_files import SPLIT_COLUMN, _parse_float, read_table

TARGET_COLUMN = "target"

FloatArray = NDArray[np.float64]


def has_targets(path: str | os.PathLike[str]) -> bool:
    """Whether the CSV's header ends in ``target`` (or ``target,split``)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    header = [c.strip().lower() for c in line.split(",")]
                    if header and header[-1] == SPLIT_COLUMN:
                        header = header[:-1]
                    return bool(header) and header[-1] == TARGET_COLUMN
    except (OSError, UnicodeDecodeError):
        return False
    return False


def load_target_csv(path: str | os.PathLike[str]
                    ) -> tuple[FloatArray, FloatArray, NDArray[np.bool_] | None]:
    """Read ``x1,...,xd,target[,split]``.

    Returns
    -------
    X : ndarray of shape (n, d), float64
    y : ndarray of shape (n,), float64, the real targets
    test : ndarray of shape (n,), bool, or None without a ``split`` column

    Raises
    ------
    ValueError
        With ``file:line`` and the column: a bad header, a row of the wrong length, a cell
        that is not a finite number, a split neither ``train`` nor ``test``, no rows.
    """
    X, y, test = read_table(path, TARGET_COLUMN, _parse_target, np.float64)
    return X, y.astype(np.float64), test


def _parse_target(text: str, where: str) -> float:
    """One target cell: a finite real number."""
    return _parse_float(text, where, TARGET_COLUMN)


def save_target_csv(path: str | os.PathLike[str], X: ArrayLike, y: ArrayLike,
                    test: ArrayLike | None = None) -> None:
    """Write ``x1,...,xd,target[,split]`` with 17 significant digits (read back exactly).

    ValueError if the shapes disagree, there are no rows or a value is not finite.
    """
    X_arr = np.asarray(X, dtype=np.float64)
    y_arr = np.asarray(y, dtype=np.float64)
    if X_arr.ndim != 2 or X_arr.shape[1] < 1 or y_arr.shape != (X_arr.shape[0],):
        raise ValueError(f"X (n, d) and y (n,) do not fit: {X_arr.shape}, {y_arr.shape}")
    if not len(y_arr):
        raise ValueError("cannot save an empty dataset: X has no rows")
    if not (np.isfinite(X_arr).all() and np.isfinite(y_arr).all()):
        raise ValueError("the data contain NaN or inf; only finite values can be saved")
    roles = None if test is None else np.asarray(test, dtype=bool).reshape(-1)
    columns = [f"x{i}" for i in range(1, X_arr.shape[1] + 1)] + [TARGET_COLUMN] \
        + ([SPLIT_COLUMN] if roles is not None else [])
    lines = [",".join(columns)]
    for i in range(len(y_arr)):
        cells = [f"{v:.17g}" for v in X_arr[i]] + [f"{y_arr[i]:.17g}"]
        if roles is not None:
            cells.append("test" if roles[i] else "train")
        lines.append(",".join(cells))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


__all__ = ["TARGET_COLUMN", "has_targets", "load_target_csv", "save_target_csv"]
