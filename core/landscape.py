"""LL(θ) over a slice of parameter space: the hill gradient ascent climbs.

The lecture: "LL is concave for logistic regression: a single peak". Two parameters vary
over a grid, every other one stays at its current value. Parameters are numbered as in
:func:`flat_parameters` (logistic regression: θ₀ θ₁ … θₘ; a network: W1, b1, W2, b2, …
each raveled in C order).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.formulas import activate, log_sigmoid
from core.validation import check_labels

FloatArray = NDArray[np.float64]
_CHUNK = 1 << 22  # examples × grid points per matrix product (32 MB of float64)


def flat_parameters(model: Any) -> FloatArray:
    """Every parameter of ``model`` in one vector (logistic regression: θ itself).

    Returns
    -------
    ndarray, shape (number of parameters,), a copy
    """
    return np.concatenate([p.ravel() for p in model.parameters])


def parameter_location(model: Any, index: int) -> tuple[int, tuple[int, ...]]:
    """Where flat parameter ``index`` lives: (array index in ``model.parameters``,
    position in that array)."""
    remaining = int(index)
    if remaining < 0:
        raise IndexError(f"no parameter {index}")
    for k, p in enumerate(model.parameters):
        if remaining < p.size:
            return k, tuple(int(i) for i in np.unravel_index(remaining, p.shape))
        remaining -= p.size
    raise IndexError(f"no parameter {index}: the model has {index - remaining} parameters")


def bernoulli_log_likelihoods(y: NDArray[Any], Z: FloatArray) -> FloatArray:
    """LL(θₖ) = Σᵢ yᵢ log σ(zᵢₖ) + (1 − yᵢ) log(1 − σ(zᵢₖ)) for every column k of Z.

    Parameters
    ----------
    y : ndarray, shape (n,), labels in {0, 1}
    Z : ndarray, shape (n, G), zᵢₖ = θₖᵀxᵢ for G parameter vectors θₖ

    Returns
    -------
    ndarray, shape (G,)
    """
    yf = np.asarray(y, dtype=np.float64)[:, None]
    return np.sum(yf * log_sigmoid(Z) + (1.0 - yf) * log_sigmoid(-Z), axis=0)


def _logistic_log_likelihoods(model: Any, X: FloatArray, y: NDArray[Any],
                              thetas: FloatArray) -> FloatArray:
    """LL at every row of ``thetas`` (G, m + 1): Z = [1 X] Θᵀ, one matrix product (in
    chunks of the grid when n·G is large)."""
    design = np.hstack([np.ones((X.shape[0], 1)), X])
    out = np.empty(thetas.shape[0])
    step = max(1, _CHUNK // max(1, X.shape[0]))
    for start in range(0, thetas.shape[0], step):
        stop = start + step
        out[start:stop] = bernoulli_log_likelihoods(y, design @ thetas[start:stop].T)
    return out


def _model_log_likelihoods(model: Any, X: FloatArray, y: NDArray[Any],
                           indices: Sequence[int], values: FloatArray) -> FloatArray:
    """LL with parameters ``indices`` set to each row of ``values`` (G, k), one forward
    pass per row, on a copy of the model (the model itself never changes)."""
    work = copy.deepcopy(model)
    places = [parameter_location(work, i) for i in indices]
    arrays = work.parameters
    out = np.empty(values.shape[0])
    for g, row in enumerate(values):
        for (k, where), v in zip(places, row, strict=True):
            arrays[k][where] = v
        out[g] = work._log_likelihood_and_predictions(X, y)[0]
    return out


def log_likelihoods_at(model: Any, X: ArrayLike, y: ArrayLike, indices: Sequence[int],
                       values: ArrayLike) -> FloatArray:
    """LL(θ) with the flat parameters ``indices`` set to each row of ``values``, the others
    at their current values. The model is not changed.

    Logistic regression: one matrix product over all rows; other models: one forward pass
    per row.

    Parameters
    ----------
    indices : sequence of int, k flat parameter indices (see :func:`flat_parameters`)
    values : array_like, shape (G, k)

    Returns
    -------
    ndarray, shape (G,)
    """
    Xv = np.asarray(model.inputs(X), dtype=np.float64)
    if getattr(model, "regression", False):
        raise TypeError("the landscape is drawn for classification models")
    labels = check_labels(y, Xv.shape[0], model.n_classes)
    idx = [int(i) for i in indices]
    for i in idx:
        parameter_location(model, i)  # IndexError for a parameter that does not exist
    points = np.asarray(values, dtype=np.float64).reshape(-1, len(idx))
    if hasattr(model, "theta") and len(model.parameters) == 1:
        thetas = np.repeat(model.theta[None, :], points.shape[0], axis=0)
        thetas[:, idx] = points
        return _logistic_log_likelihoods(model, Xv, labels, thetas)
    return _model_log_likelihoods(model, Xv, labels, idx, points)


def log_likelihood_slice(model: Any, X: ArrayLike, y: ArrayLike, indices: tuple[int, int],
                         a_values: ArrayLike, b_values: ArrayLike) -> FloatArray:
    """LL(θ) over a 2-D slice: θ_a = a_values[i], θ_b = b_values[j], the others fixed.

    Parameters
    ----------
    indices : (int, int), the flat indices a and b of the two parameters that vary
    a_values : array_like, shape (A,)
    b_values : array_like, shape (B,)

    Returns
    -------
    ndarray, shape (A, B), entry [i, j] = LL at (a_values[i], b_values[j])
    """
    a = np.asarray(a_values, dtype=np.float64).reshape(-1)
    b = np.asarray(b_values, dtype=np.float64).reshape(-1)
    A, B = np.meshgrid(a, b, indexing="ij")
    values = np.stack([A.ravel(), B.ravel()], axis=1)
    return log_likelihoods_at(model, X, y, indices, values).reshape(a.size, b.size)


def profile(model: Any, X: ArrayLike, y: ArrayLike, index: int, values: ArrayLike
            ) -> FloatArray:
    """LL(θ) as one parameter θ_index takes ``values`` (shape (V,)), the others fixed.

    Returns
    -------
    ndarray, shape (V,)
    """
    v = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    return log_likelihoods_at(model, X, y, [index], v)


@dataclass(frozen=True)
class SliceMaximum:
    """The highest grid point of a slice: indices (i, j), parameter values (a, b), LL."""

    i: int
    j: int
    a: float
    b: float
    log_likelihood: float


def slice_maximum(values: ArrayLike, a_values: ArrayLike, b_values: ArrayLike
                  ) -> SliceMaximum:
    """Where the largest LL of a slice (shape (A, B)) is (the first one if tied)."""
    v = np.asarray(values, dtype=np.float64)
    i, j = np.unravel_index(int(np.argmax(v)), v.shape)
    a = np.asarray(a_values, dtype=np.float64).reshape(-1)
    b = np.asarray(b_values, dtype=np.float64).reshape(-1)
    return SliceMaximum(int(i), int(j), float(a[i]), float(b[j]), float(v[i, j]))


def local_maxima(values: ArrayLike) -> NDArray[np.bool_]:
    """Grid points no lower than any of their (up to 8) neighbours: a concave slice has
    one (or a plateau of ties). Shape (A, B), like ``values``."""
    v = np.asarray(values, dtype=np.float64)
    padded = np.pad(v, 1, constant_values=-np.inf)
    A, B = v.shape
    peak = np.ones(v.shape, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                peak &= v >= padded[1 + di:1 + di + A, 1 + dj:1 + dj + B]
    return peak


def unit_parameter_index(model: Any, layer: int, unit: int, row: int) -> int:
    """The flat index (see :func:`flat_parameters`) of one incoming parameter of a network
    unit: θ⁽ˡ⁾ᵣ,ⱼ = ``weights[layer][row − 1, unit]`` for row ≥ 1 and the bias θ⁽ˡ⁾₀,ⱼ =
    ``biases[layer][unit]`` for row 0 (h₀ = 1), as in the lecture's numbering.
    """
    weights = model.weights
    fan_in, units = weights[layer].shape
    if not (0 <= unit < units and 0 <= row <= fan_in):
        raise IndexError(f"no parameter (row {row}, unit {unit}) in layer {layer}")
    offset = sum(p.size for p in model.parameters[:2 * layer])
    if row == 0:
        return offset + weights[layer].size + unit
    return offset + (row - 1) * units + unit


def _output_log_likelihoods(y: NDArray[Any], logits: FloatArray) -> FloatArray:
    """LL = Σᵢ log P(Y = yᵢ | xᵢ) for G stacked sets of logits, shape (G, n, K) → (G,):
    σ for K = 1 (:func:`bernoulli_log_likelihoods`), softmax for K > 1."""
    if logits.shape[2] == 1:
        return bernoulli_log_likelihoods(y, logits[:, :, 0].T)
    top = logits.max(axis=2, keepdims=True)
    log_norm = np.log(np.exp(logits - top).sum(axis=2)) + top[:, :, 0]  # (G, n)
    picked = logits[:, np.arange(y.shape[0]), y]  # (G, n)
    return np.sum(picked - log_norm, axis=1)


def unit_log_likelihoods(model: Any, X: ArrayLike, y: ArrayLike, layer: int, unit: int,
                         rows: Sequence[int], values: ArrayLike) -> FloatArray:
    """LL(θ) of a network with some incoming parameters of one unit set to each row of
    ``values``, every other parameter at its current value (the model is not changed).

    Only unit j's pre-activation changes: zⱼ = zⱼ(now) + Σᵣ (θ⁽ˡ⁾ᵣ,ⱼ − θ⁽ˡ⁾ᵣ,ⱼ(now)) hᵣ
    (h₀ = 1), so the layers below are computed once and only the layers above once per
    row of ``values``, all rows at once. Equal to :func:`log_likelihoods_at` with the
    indices of :func:`unit_parameter_index`, and much faster.

    Parameters
    ----------
    layer : int, the weight layer (0: from the inputs)
    unit : int, the unit j of layer ``layer + 1`` (an output unit for the last layer)
    rows : sequence of int, k rows r (0: the bias, r ≥ 1: the weight from input r)
    values : array_like, shape (G, k)

    Returns
    -------
    ndarray, shape (G,)
    """
    if getattr(model, "regression", False):
        raise TypeError("the landscape is drawn for classification models")
    Xv = np.asarray(model.inputs(X), dtype=np.float64)
    labels = check_labels(y, Xv.shape[0], model.n_classes)
    rows = [int(r) for r in rows]
    for r in rows:
        unit_parameter_index(model, layer, unit, r)  # IndexError for a missing one
    weights, biases = model.weights, model.biases
    a = Xv
    for below in range(layer):
        a = activate(model.activation, a @ weights[below] + biases[below])
    inputs = np.hstack([np.ones((a.shape[0], 1)), a])[:, rows]  # (n, k): h₀ = 1, h₁, …
    now = np.concatenate([[biases[layer][unit]], weights[layer][:, unit]])[rows]
    z_layer = a @ weights[layer] + biases[layer]  # (n, units)
    points = np.asarray(values, dtype=np.float64).reshape(-1, len(rows))
    widest = max(w.shape[1] for w in weights[layer:])
    step = max(1, _CHUNK // max(1, Xv.shape[0] * widest))
    out = np.empty(points.shape[0])
    last = len(weights) - 1
    for start in range(0, points.shape[0], step):
        chunk = points[start:start + step]
        z = np.repeat(z_layer[None], chunk.shape[0], axis=0)  # (g, n, units)
        z[:, :, unit] += (chunk - now) @ inputs.T
        for above in range(layer + 1, last + 1):
            z = activate(model.activation, z) @ weights[above] + biases[above]
        out[start:start + step] = _output_log_likelihoods(labels, z)
    return out


def contour_segments(values: ArrayLike, a_values: ArrayLike, b_values: ArrayLike,
                     levels: ArrayLike) -> FloatArray:
    """The contour lines LL = level of a slice, as line segments (marching squares).

    Each grid cell whose corners lie on both sides of a level gets one segment (two at a
    saddle) between the points where LL crosses the level on its edges, interpolated
    linearly along the edge.

    Parameters
    ----------
    values : array_like, shape (A, B), LL at (a_values[i], b_values[j])
    a_values : array_like, shape (A,)
    b_values : array_like, shape (B,)
    levels : array_like, shape (L,)

    Returns
    -------
    ndarray, shape (2S, 2): segment s runs from row 2s to row 2s + 1, points (a, b)
    """
    v = np.asarray(values, dtype=np.float64)
    a = np.asarray(a_values, dtype=np.float64).reshape(-1)
    b = np.asarray(b_values, dtype=np.float64).reshape(-1)
    shape = (a.size - 1, b.size - 1)
    a0, a1 = (np.broadcast_to(x[:, None], shape) for x in (a[:-1], a[1:]))
    b0, b1 = (np.broadcast_to(x[None, :], shape) for x in (b[:-1], b[1:]))
    out = []
    for level in np.asarray(levels, dtype=np.float64).reshape(-1):
        d = v - level
        c00, c10, c01, c11 = d[:-1, :-1], d[1:, :-1], d[:-1, 1:], d[1:, 1:]
        # edges: bottom (00→10), right (10→11), top (01→11), left (00→01)
        ends = ((c00, c10), (c10, c11), (c01, c11), (c00, c01))
        crossed = np.stack([(p > 0) != (q > 0) for p, q in ends])  # (4, A−1, B−1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = [np.where(c, p / (p - q), 0.5) for c, (p, q) in zip(crossed, ends,
                                                                      strict=True)]
        xs = np.stack([a0 + t[0] * (a1 - a0), a1, a0 + t[2] * (a1 - a0), a0])
        ys = np.stack([b0, b0 + t[1] * (b1 - b0), b1, b0 + t[3] * (b1 - b0)])
        count = crossed.sum(axis=0)
        two = count == 2
        order = np.argsort(~crossed, axis=0, kind="stable")  # crossed edges first
        first, second = order[0][two], order[1][two]
        i, j = np.nonzero(two)
        pairs = [(first, second, i, j)]
        saddle = count == 4
        if saddle.any():
            i4, j4 = np.nonzero(saddle)
            centre = (c00 + c10 + c01 + c11)[saddle]
            cut_00 = (centre > 0) != (c00[saddle] > 0)  # corners 00 and 11 stand alone
            pairs.append((np.zeros_like(i4), np.where(cut_00, 3, 1), i4, j4))
            pairs.append((np.where(cut_00, 1, 2), np.where(cut_00, 2, 3), i4, j4))
        for e1, e2, ii, jj in pairs:
            seg = np.empty((ii.size, 2, 2))
            seg[:, 0, 0], seg[:, 0, 1] = xs[e1, ii, jj], ys[e1, ii, jj]
            seg[:, 1, 0], seg[:, 1, 1] = xs[e2, ii, jj], ys[e2, ii, jj]
            out.append(seg.reshape(-1, 2))
    return np.concatenate(out) if out else np.zeros((0, 2))
