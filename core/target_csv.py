"""CSV files of a regression: real targets in a ``target`` column.

``x1,...,xd,target`` (optionally ``,split``), the same layout as the labelled CSV of
:func:`core.datasets.load_csv` with the label replaced by a real number. The header says
which kind a file is (:func:`has_targets`), so the playground opens a CSV saved in
regression mode in regression mode again.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.datasets import SPLIT_COLUMN, _parse_float

TARGET_COLUMN = "target"

FloatArray = NDArray[np.float64]


def _rows(path: str | os.PathLike[str]) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows with their line numbers (ValueError naming the file)."""
    file = Path(path)
    if not file.exists():
        raise FileNotFoundError(f"{file}: no such file")
    try:
        text = file.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(text.splitlines()))
    except UnicodeDecodeError:
        raise ValueError(f"{file}: not a UTF-8 text CSV file") from None
    except csv.Error as exc:
        raise ValueError(f"{file}: cannot parse as CSV ({exc})") from None
    return [(n, [c.strip() for c in row]) for n, row in enumerate(rows, start=1)
            if any(c.strip() for c in row)]


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
    file = Path(path)
    numbered = _rows(file)
    if not numbered:
        raise ValueError(f"{file}: file is empty; expected a header line 'x1,x2,...,target'")
    header_line, header = numbered[0]
    has_split = len(header) >= 3 and header[-1].lower() == SPLIT_COLUMN
    d = len(header) - (2 if has_split else 1)
    expected = [f"x{i}" for i in range(1, d + 1)] + [TARGET_COLUMN] \
        + ([SPLIT_COLUMN] if has_split else [])
    if d < 1 or [h.lower() for h in header] != expected:
        raise ValueError(f"{file}:{header_line}: bad header {','.join(header)!r}; expected "
                         f"{','.join(expected) if d >= 1 else 'x1,target'!r}")
    data = numbered[1:]
    if not data:
        raise ValueError(f"{file}: no data rows after the header")
    X = np.empty((len(data), d))
    y = np.empty(len(data))
    test = np.zeros(len(data), dtype=bool)
    for i, (number, cells) in enumerate(data):
        where = f"{file}:{number}"
        if len(cells) != len(expected):
            raise ValueError(f"{where}: expected {len(expected)} columns "
                             f"({','.join(expected)}), got {len(cells)}")
        for j in range(d):
            X[i, j] = _parse_float(cells[j], where, expected[j])
        y[i] = _parse_float(cells[d], where, TARGET_COLUMN)
        if has_split:
            role = cells[-1].lower()
            if role not in ("train", "test"):
                raise ValueError(f"{where}: split {cells[-1]!r} is neither 'train' nor 'test'")
            test[i] = role == "test"
    return X, y, (test if has_split else None)


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
