"""CSV exports of a run: the history (LL and accuracy per recorded step) and the parameters.

Numbers are written with Python's ``repr`` of a float (the shortest text that reads back to
the same float), so a CSV read back with :func:`read_history_csv` or
:func:`read_parameters_csv` gives exactly the numbers written; NaN (no test set) is written
``nan``. The window's File → Export and ``ascent-lab train --history-csv/--parameters-csv``
both write these.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.files import atomic_write
from core.specs import ModelSpec

FloatArray = NDArray[np.float64]

HISTORY_HEADER = ("step", "log_likelihood", "accuracy", "test_log_likelihood",
                  "test_accuracy", "objective")
"""The history CSV's columns: the recorded step, then :class:`core.training.History`'s
columns (LL is the sum over the set, accuracy a fraction, NaN without a test set)."""

PARAMETERS_HEADER = ("layer", "row", "column", "name", "value")
"""The parameters CSV's columns: the layer of the weight (1 for logistic regression), its
row and column in that layer's array, the lecture's name for it, its value."""

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def number_text(value: float) -> str:
    """The shortest text that reads back as exactly ``value``: ``repr(float(value))``
    (``nan``, ``inf`` and ``-inf`` for the non-finite)."""
    return repr(float(value))


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _read_rows(text: str, header: Sequence[str], what: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(cell.strip() for cell in rows[0]) != tuple(header):
        raise ValueError(f"not a {what} CSV: the first line must be {','.join(header)}")
    body = [row for row in rows[1:] if row]
    for k, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ValueError(f"line {k} has {len(row)} fields, expected {len(header)}")
    return body


# --- history -----------------------------------------------------------------------------


def history_csv(history: Mapping[str, ArrayLike]) -> str:
    """The history as CSV text, one line per recorded step.

    Parameters
    ----------
    history : mapping
        Columns of equal length n: ``steps`` and the other names of :data:`HISTORY_HEADER`
        (as :meth:`core.training.History.as_arrays` returns them).

    Returns
    -------
    str
        A header line and n lines, ``\\n`` line ends.
    """
    steps = np.asarray(history["steps"])
    columns = [np.asarray(history[name], dtype=np.float64) for name in HISTORY_HEADER[1:]]
    if any(c.shape != steps.shape for c in columns):
        raise ValueError("every history column must have one value per step")
    rows = [[str(int(step)), *(number_text(c[k]) for c in columns)]
            for k, step in enumerate(steps)]
    return _csv_text(HISTORY_HEADER, rows)


def read_history_csv(text: str) -> dict[str, FloatArray]:
    """Read :func:`history_csv`'s text back: ``steps`` (int64) and the float columns."""
    body = _read_rows(text, HISTORY_HEADER, "history")
    try:
        out: dict[str, FloatArray] = {
            "steps": np.array([int(row[0]) for row in body], dtype=np.int64)}
        for k, name in enumerate(HISTORY_HEADER[1:], start=1):
            out[name] = np.array([float(row[k]) for row in body], dtype=np.float64)
    except ValueError as exc:
        raise ValueError(f"a history CSV holds numbers only ({exc})") from None
    return out


# --- parameters --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterRow:
    """One parameter: where it is (layer 1-based; row and column 0-based) and its name."""

    layer: int
    row: int
    column: int
    name: str
    value: float


def parameter_rows(parameters: Sequence[ArrayLike], network: bool) -> list[ParameterRow]:
    """Every parameter of a model, in the order of ``model.parameters``.

    Logistic (or linear) regression: θ = [θ₀, θ₁, …] of shape (d + 1,), θ₀ the bias, as
    layer 1, row j, column 0. A network: [W¹, b¹, W², b², …] with W of shape
    (units in, units out): the weight θ⁽ˡ⁾ᵢ,ⱼ from unit i below to unit j above is row
    i − 1, column j − 1 of layer l; the bias b⁽ˡ⁾ⱼ of unit j is row 0, column j − 1 (the
    names are 1-based, as the network diagram's).
    """
    rows: list[ParameterRow] = []
    if not network:
        theta = np.asarray(parameters[0], dtype=np.float64).ravel()
        return [ParameterRow(1, j, 0, f"θ{str(j).translate(_SUB)}", float(v))
                for j, v in enumerate(theta)]
    for k, array in enumerate(parameters):
        a = np.asarray(array, dtype=np.float64)
        layer = k // 2 + 1
        sup = str(layer).translate(_SUP)
        if k % 2 == 0:  # weights (fan_in, fan_out)
            for (i, j), v in np.ndenumerate(a):
                name = f"θ⁽{sup}⁾{str(i + 1).translate(_SUB)},{str(j + 1).translate(_SUB)}"
                rows.append(ParameterRow(layer, int(i), int(j), name, float(v)))
        else:  # biases (fan_out,)
            for j, v in enumerate(a.ravel()):
                rows.append(ParameterRow(layer, 0, j, f"b⁽{sup}⁾{str(j + 1).translate(_SUB)}",
                                         float(v)))
    return rows


def network_layout(spec: ModelSpec) -> bool:
    """Whether ``spec``'s parameters are a network's [W¹, b¹, …] (else one θ vector).

    Logistic regression ignores ``hidden_units`` (its default is (4,)), and so does not
    count as a network; a softmax network without hidden layers does ([W, b]).
    """
    return spec.kind == "network" or (spec.kind == "regression" and bool(spec.hidden_units))


def parameters_csv(parameters: Sequence[ArrayLike], network: bool) -> str:
    """The parameters as CSV text (:data:`PARAMETERS_HEADER`, :func:`parameter_rows`)."""
    return _csv_text(PARAMETERS_HEADER, [
        [str(r.layer), str(r.row), str(r.column), r.name, number_text(r.value)]
        for r in parameter_rows(parameters, network)])


def read_parameters_csv(text: str, shapes: Sequence[tuple[int, ...]]) -> list[FloatArray]:
    """Read :func:`parameters_csv`'s text back into arrays of the given shapes (those of
    ``model.parameters``), in order; ValueError when the count does not fit."""
    body = _read_rows(text, PARAMETERS_HEADER, "parameters")
    sizes = [int(np.prod(shape)) for shape in shapes]
    if len(body) != sum(sizes):
        raise ValueError(f"the CSV has {len(body)} parameters, the model {sum(sizes)}")
    try:
        values = np.array([float(row[4]) for row in body], dtype=np.float64)
    except ValueError as exc:
        raise ValueError(f"a parameter value is not a number ({exc})") from None
    out, start = [], 0
    for shape, size in zip(shapes, sizes, strict=True):
        out.append(values[start:start + size].reshape(shape).copy())
        start += size
    return out


def write_csv(path: str | os.PathLike[str], text: str) -> None:
    """Write CSV text (UTF-8) all at once (:func:`core.files.atomic_write`)."""
    data = text.encode("utf-8")

    def fill(f: BinaryIO) -> None:
        f.write(data)

    atomic_write(path, fill)
    readable_by_all(path)


def readable_by_all(path: str | os.PathLike[str]) -> None:
    """Give a file written through a private temporary file (mode 0600) the usual mode of a
    new file, 0666 less the umask, as ``open`` would have."""
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(path, 0o666 & ~mask)
    except OSError:
        pass


__all__ = ["HISTORY_HEADER", "PARAMETERS_HEADER", "ParameterRow", "history_csv",
           "network_layout", "number_text", "parameter_rows", "parameters_csv", "read_history_csv",
           "read_parameters_csv", "readable_by_all", "write_csv"]
