"""CSV files of datasets: ``x1,...,xd,label`` (or ``target`` for a regression, see
:mod:`core.target_csv`), optionally followed by ``split``; every error names the file, the
line and the column.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# --------------------------------------------------------------------------------------
# CSV files
# --------------------------------------------------------------------------------------


def _parse_float(text: str, where: str, column: str) -> float:
    """Parse one feature cell, raising ValueError naming the file, line and column."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: column {column!r} value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(
            f"{where}: column {column!r} value {text!r} is not finite (NaN and inf are not allowed)"
        )
    return value


def _parse_label(text: str, where: str) -> int:
    """Parse one label cell (``3`` or ``3.0``), raising ValueError if not an integer >= 0."""
    problem = f"{where}: label {text!r} is not a non-negative integer"
    try:
        value = float(text)
    except ValueError:
        raise ValueError(problem) from None
    if not math.isfinite(value) or value < 0 or value != math.floor(value):
        raise ValueError(problem)
    return int(value)


SPLIT_COLUMN = "split"
"""The optional last CSV column: ``train`` or ``test``, each point's role (the playground
writes it so that a saved dataset keeps its split; other programs may ignore it)."""

BoolArray = NDArray[np.bool_]


def load_csv(path: str | os.PathLike[str]) -> tuple[FloatArray, IntArray]:
    """Read a labelled dataset from a CSV file with header ``x1,x2,...,label`` (the label
    column may also be called ``y``, as in the lecture).

    Blank lines are skipped; spaces around cells are ignored. An optional last column
    ``split`` (``train``/``test``, see :func:`load_csv_split`) is checked and ignored.

    Parameters
    ----------
    path : str or path-like
        The CSV file.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
        Feature columns ``x1..xd`` (``d >= 1``).
    y : ndarray of shape (n_samples,), int64
        The ``label`` column, non-negative integers.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        With ``file:line`` in the message, if the file is empty or not UTF-8 text, the
        header is not ``x1,...,xd,label`` (optionally ``,split``), a row has the wrong
        number of columns, a feature is not a finite number, a label is not a non-negative
        integer, a split is not ``train`` or ``test``, or there are no data rows.
    """
    X, y, _ = load_csv_split(path)
    return X, y


def load_csv_split(path: str | os.PathLike[str]
                   ) -> tuple[FloatArray, IntArray, BoolArray | None]:
    """Like :func:`load_csv`, and each point's role from the optional ``split`` column.

    Returns
    -------
    X, y
        As :func:`load_csv`.
    test : ndarray of shape (n_samples,), bool, or None
        True for the rows whose ``split`` is ``test``; None when the file has no ``split``
        column (then the caller draws a split, e.g. :func:`split_mask`).
    """
    return read_table(path, "label", _parse_label, np.int64)


Y_ALIASES: dict[str, tuple[str, ...]] = {"label": ("y",)}
"""Other names a y column may have in a header: ``x1,x2,y`` is read as ``x1,x2,label``."""


def read_table(path: str | os.PathLike[str], y_column: str,
               parse_y: Callable[[str, str], float], y_dtype: type[np.generic]
               ) -> tuple[FloatArray, NDArray[Any], BoolArray | None]:
    """Read ``x1,...,xd,<y_column>[,split]``: the CSV layout shared by labelled datasets
    (``label``) and regressions (``target``, :mod:`core.target_csv`).

    ``parse_y(cell, "file:line")`` parses one y cell (ValueError naming the place).
    Returns X (n, d) float64, y (n,) of ``y_dtype``, and the test mask or None.
    """
    file = Path(path)
    if not file.exists():
        raise FileNotFoundError(f"{file}: no such file")
    if file.is_dir():
        raise ValueError(f"{file}: is a directory, expected a CSV file")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{file}: not a UTF-8 text CSV file") from None
    if not text.strip():
        raise ValueError(f"{file}: file is empty; expected a header line "
                         f"'x1,x2,...,{y_column}'")

    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise ValueError(f"{file}: cannot parse as CSV ({exc})") from None

    numbered = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(rows, start=1)
        if any(cell.strip() for cell in row)
    ]
    if not numbered:
        raise ValueError(f"{file}: file has no header; expected 'x1,x2,...,{y_column}'")
    header_line, header = numbered[0]
    has_split = len(header) >= 3 and header[-1].lower() == SPLIT_COLUMN
    n_features = len(header) - (2 if has_split else 1)
    expected = [f"x{i}" for i in range(1, n_features + 1)] + [y_column]
    if has_split:
        expected.append(SPLIT_COLUMN)
    names = [h.lower() for h in header]
    if n_features >= 1 and names[n_features] in Y_ALIASES.get(y_column, ()):
        names[n_features] = y_column  # "y", the lecture's name for the label
    if n_features < 1 or names != expected:
        shown = ",".join(expected) if n_features >= 1 else f"x1,{y_column}"
        raise ValueError(
            f"{file}:{header_line}: bad header {','.join(header)!r}; expected {shown!r} "
            f"(feature columns x1..xd followed by {y_column}, optionally then split)"
        )

    data = numbered[1:]
    if not data:
        raise ValueError(f"{file}: no data rows after the header")
    X = np.empty((len(data), n_features), dtype=np.float64)
    y = np.empty(len(data), dtype=y_dtype)
    test = np.zeros(len(data), dtype=bool)
    for i, (number, cells) in enumerate(data):
        where = f"{file}:{number}"
        if len(cells) != len(expected):
            raise ValueError(
                f"{where}: expected {len(expected)} columns ({','.join(expected)}), "
                f"got {len(cells)}"
            )
        for j in range(n_features):
            X[i, j] = _parse_float(cells[j], where, expected[j])
        y[i] = parse_y(cells[n_features], where)
        if has_split:
            role = cells[-1].lower()
            if role not in ("train", "test"):
                raise ValueError(f"{where}: split {cells[-1]!r} is neither 'train' nor 'test'")
            test[i] = role == "test"
    return X, y, (test if has_split else None)


def save_csv(path: str | os.PathLike[str], X: FloatArray, y: IntArray,
             test: ArrayLike | None = None) -> None:
    """Write a labelled dataset as CSV with header ``x1,...,xd,label`` (``,split`` too when
    ``test`` is given).

    Floats are written with 17 significant digits, so :func:`load_csv` reads back exactly
    the same values.

    Parameters
    ----------
    path : str or path-like
        Destination file (overwritten).
    X : ndarray of shape (n_samples, n_features)
        Finite features.
    y : ndarray of shape (n_samples,)
        Non-negative integer labels.
    test : array-like of bool, shape (n_samples,), optional
        Each point's role: a last column ``split`` says ``test`` where True, ``train``
        where False (:func:`load_csv_split` reads it back).

    Raises
    ------
    ValueError
        If the shapes disagree, there are no rows, ``X`` has non-finite values or ``y``
        is not made of non-negative integers.
    """
    X_arr = np.asarray(X, dtype=np.float64)
    y_arr = np.asarray(y)
    if X_arr.ndim != 2 or X_arr.shape[1] < 1:
        raise ValueError(f"X must be 2-D of shape (n_samples, n_features), got shape {X_arr.shape}")
    if y_arr.ndim != 1 or y_arr.shape[0] != X_arr.shape[0]:
        raise ValueError(
            f"y must be 1-D with one label per row of X ({X_arr.shape[0]}), got shape {y_arr.shape}"
        )
    if X_arr.shape[0] == 0:
        raise ValueError("cannot save an empty dataset: X has no rows")
    if not np.all(np.isfinite(X_arr)):
        raise ValueError("X contains NaN or inf; only finite values can be saved")
    y_float = y_arr.astype(np.float64)
    finite = np.isfinite(y_float)
    if not np.all(finite) or np.any(y_float < 0) or np.any(y_float != np.floor(y_float)):
        raise ValueError("y must contain non-negative integers")
    roles: BoolArray | None = None
    if test is not None:
        roles = np.asarray(test, dtype=bool).reshape(-1)
        if roles.shape[0] != X_arr.shape[0]:
            raise ValueError(f"test must have one entry per row of X ({X_arr.shape[0]}), got "
                             f"{roles.shape[0]}")
    n_features = X_arr.shape[1]
    columns = [f"x{i}" for i in range(1, n_features + 1)] + ["label"]
    if roles is not None:
        columns.append(SPLIT_COLUMN)
    lines = [",".join(columns)]
    labels = y_float.astype(np.int64)
    for i in range(X_arr.shape[0]):
        cells = [f"{v:.17g}" for v in X_arr[i]] + [str(int(labels[i]))]
        if roles is not None:
            cells.append("test" if roles[i] else "train")
        lines.append(",".join(cells))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")

