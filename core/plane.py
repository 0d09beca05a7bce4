"""Geometry of the 2D plane: what the playground draws and edits, in pure numpy.

Every unit's value over a grid of the plane (the network diagram's thumbnails), the
ŷ = 0.5 contour (with more classes: the lines where the two most likely classes tie),
which points an eraser touches, and an even sample of a big dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.features import RAW_FEATURES, feature_values, input_labels
from core.grid import GridEvaluation, evaluate_grid
from core.inspection import Model, activation_levels

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class UnitImages:
    """Every unit's value over the plane, per layer (inputs, hidden layers, output).

    Attributes
    ----------
    images : list of ndarray, layer l of shape (units_l, res, res), float32
        Row index x₁. Layer 0 holds the inputs: x₁, x₂, then each engineered feature of
        the model (x₁², …, in core.features.FEATURES' order).
    levels : list of (float, float)
        The colour range of each layer: (−r, r) for the inputs with r the view's reach,
        the activation's range for hidden layers, (0, 1) for probabilities, (−m, m) for a
        regression's ŷ with m its largest |value| over the grid.
    input_levels : list of (float, float)
        The colour range of each input image alone: (−r, r) for x₁ and x₂, (−m, m) with
        m the feature's largest |value| over the view for an engineered feature (x₁²
        reaches r², sin x₁ only 1).
    input_labels : tuple of str
        The inputs' display labels ("x₁", "x₂", "x₁²", …).
    """

    images: list[NDArray[np.float32]]
    levels: list[tuple[float, float]]
    input_levels: list[tuple[float, float]] = field(default_factory=list)
    input_labels: tuple[str, ...] = ()


def unit_images(model: Model, x_range: tuple[float, float], y_range: tuple[float, float],
                resolution: int = 48, evaluation: GridEvaluation | None = None) -> UnitImages:
    """x₁, x₂ (and every engineered feature), each hidden unit and ŷ evaluated on a coarse
    grid (for thumbnails): one output image P(Y=1|x) for two classes, one per class
    P(Y=k|x) for a softmax output, ŷ(x) for a regression.

    ``evaluation`` may pass an existing :func:`core.grid.evaluate_grid` result (with hidden
    units) of this resolution to avoid a second forward pass.
    """
    res = int(resolution)
    if evaluation is None or evaluation.probability.shape != (res, res):
        evaluation = evaluate_grid(model, x_range, y_range, res, with_hidden=True)
    xs = np.linspace(x_range[0], x_range[1], res, dtype=np.float32)
    ys = np.linspace(y_range[0], y_range[1], res, dtype=np.float32)
    features = tuple(getattr(model, "features", ()))
    inputs = np.empty((RAW_FEATURES + len(features), res, res), dtype=np.float32)
    inputs[0] = xs[:, None]
    inputs[1] = ys[None, :]
    reach = float(max(abs(x_range[0]), abs(x_range[1]), abs(y_range[0]), abs(y_range[1]), 1e-9))
    per_input = [(-reach, reach)] * RAW_FEATURES
    for k, name in enumerate(features, start=RAW_FEATURES):
        inputs[k] = feature_values(name, xs[:, None].astype(np.float64),
                                   ys[None, :].astype(np.float64))
        per_input.append(_symmetric_levels(inputs[k]))
    images: list[NDArray[np.float32]] = [inputs]
    levels: list[tuple[float, float]] = [(-reach, reach)]
    activation = getattr(model, "activation", "sigmoid")
    for hidden in evaluation.hidden:
        images.append(hidden)
        levels.append(activation_levels(activation, hidden))
    if evaluation.prediction is not None:
        images.append(evaluation.prediction[None, :, :])
        levels.append(_symmetric_levels(evaluation.prediction))
    else:
        images.append(evaluation.probability[None, :, :] if evaluation.softmax is None
                      else evaluation.softmax)
        levels.append((0.0, 1.0))
    return UnitImages(images, levels, per_input, input_labels(features))


def _symmetric_levels(values: NDArray[np.floating]) -> tuple[float, float]:
    """(−m, m) with m the largest finite |value| (1 when there is none or it is 0)."""
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    top = top if top > 1e-9 else 1.0
    return (-top, top)


def points_within(X: ArrayLike, center: ArrayLike, radius: float) -> NDArray[np.bool_]:
    """Which rows of X lie within ``radius`` (Euclidean) of ``center``."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    c = np.asarray(center, dtype=np.float64).reshape(1, 2)
    return np.sum((X - c) ** 2, axis=1) <= float(radius) ** 2


def display_sample(n: int, k: int) -> NDArray[np.int64]:
    """Indices (sorted) of about ``k`` of ``n`` points to draw when ``n > k``; all when n ≤ k.

    Index i is kept iff a fixed pseudo-random fraction of i (golden-ratio hashing) is below
    k/n, so the sample is spread evenly over the data, is the same on every call, and
    appending points changes only whether the new ones are drawn. The last index (the most
    recently added point) is always kept.
    """
    n, k = int(n), int(k)
    if n <= k:
        return np.arange(n, dtype=np.int64)
    fraction = (np.arange(n, dtype=np.float64) * 0.6180339887498949) % 1.0
    keep = fraction < k / n
    keep[-1] = True
    return np.flatnonzero(keep).astype(np.int64)


def contour_segments(values: NDArray[np.floating], level: float, x_range: tuple[float, float],
                     y_range: tuple[float, float], cells: NDArray[np.bool_] | None = None
                     ) -> tuple[FloatArray, FloatArray]:
    """Line segments of the ``level`` contour of a grid (marching squares, vectorized).

    ``values[i, j]`` is the value at (xs[i], ys[j]) with xs, ys spanning the ranges edge to
    edge (the layout of :class:`core.grid.GridEvaluation`). Returns x and y coordinates of
    2k points, every consecutive pair a segment (draw with ``connect="pairs"``). Only the
    cells the contour crosses are visited; ``cells`` (shape (nx − 1, ny − 1), cell (i, j)
    between values[i:i+2, j:j+2]) limits them further.
    """
    v = np.asarray(values)
    nx, ny = v.shape
    empty = (np.zeros(0), np.zeros(0))
    if nx < 2 or ny < 2:
        return empty
    above = v > level
    a00, a10, a01, a11 = above[:-1, :-1], above[1:, :-1], above[:-1, 1:], above[1:, 1:]
    mixed = (a00 != a10) | (a00 != a01) | (a00 != a11)
    if cells is not None:
        mixed &= cells
    ci, cj = np.nonzero(mixed)
    if ci.size == 0:
        return empty
    x0, x1 = float(x_range[0]), float(x_range[1])
    y0, y1 = float(y_range[0]), float(y_range[1])
    dx = (x1 - x0) / (nx - 1)
    dy = (y1 - y0) / (ny - 1)
    v00 = v[ci, cj].astype(np.float64)
    v10 = v[ci + 1, cj].astype(np.float64)
    v01 = v[ci, cj + 1].astype(np.float64)
    v11 = v[ci + 1, cj + 1].astype(np.float64)
    b00, b10, b01, b11 = v00 > level, v10 > level, v01 > level, v11 > level
    crosses = {"B": b00 != b10, "T": b01 != b11, "L": b00 != b01, "R": b10 != b11}

    def fraction(lo: FloatArray, hi: FloatArray, mask: NDArray[np.bool_]) -> FloatArray:
        d = hi - lo
        return np.where(mask, (level - lo) / np.where(mask & (d != 0), d, 1.0), 0.0)

    xl = x0 + ci * dx  # left edge of each crossed cell
    yb = y0 + cj * dy  # bottom edge
    points = {
        "B": (xl + fraction(v00, v10, crosses["B"]) * dx, yb),
        "T": (xl + fraction(v01, v11, crosses["T"]) * dx, yb + dy),
        "L": (xl, yb + fraction(v00, v01, crosses["L"]) * dy),
        "R": (xl + dx, yb + fraction(v10, v11, crosses["R"]) * dy),
    }
    count = sum(c.astype(np.int8) for c in crosses.values())
    saddle = count == 4
    center_above = (v00 + v10 + v01 + v11) / 4.0 > level
    joins_00_11 = center_above == b00  # b00's region reaches b11 through the centre
    sx: list[FloatArray] = []
    sy: list[FloatArray] = []
    for i, a in enumerate("BTLR"):
        for b in "BTLR"[i + 1:]:
            mask = (count == 2) & crosses[a] & crosses[b]
            if (a, b) in (("B", "R"), ("T", "L")):
                mask |= saddle & joins_00_11
            elif (a, b) in (("B", "L"), ("T", "R")):
                mask |= saddle & ~joins_00_11
            if not np.any(mask):
                continue
            sx.append(np.column_stack([points[a][0][mask], points[b][0][mask]]).ravel())
            sy.append(np.column_stack([points[a][1][mask], points[b][1][mask]]).ravel())
    if not sx:
        return empty
    return np.concatenate(sx), np.concatenate(sy)


def tie_segments(probabilities: NDArray[np.floating], x_range: tuple[float, float],
                 y_range: tuple[float, float]) -> tuple[FloatArray, FloatArray]:
    """The lines where the two most likely classes tie, as segments (``connect="pairs"``).

    ``probabilities`` (K, nx, ny) holds P(Y=k|x) over the grid (as
    :attr:`core.grid.GridEvaluation.probabilities`). Class k is the most likely exactly
    where dₖ = pₖ − max_{j≠k} pⱼ > 0, so the border of its region is the 0 contour of dₖ
    (marching squares, :func:`contour_segments`): there pₖ equals the best other class. A
    border between two regions k and j would come out of both dₖ and dⱼ (the same
    segments: dⱼ = −dₖ where k and j are the top two), so a cell whose corners hold just
    those two classes is drawn from the lower class's contour only. With two classes
    this is the P(Y=1|x) = 0.5 contour.
    """
    p = np.asarray(probabilities)
    n_classes = p.shape[0]
    if n_classes < 2 or p.shape[1] < 2 or p.shape[2] < 2:
        return np.zeros(0), np.zeros(0)
    # dₖ for every class, and the winner at every grid point (−1 where the top two tie
    # exactly), from elementwise passes: K ≤ 4, and numpy's reductions over the class axis
    # (argmax, partition) are ~50x slower on this layout
    margins = []
    winner = np.full(p.shape[1:], -1, dtype=np.int8)
    for k in range(n_classes):
        others = [p[j] for j in range(n_classes) if j != k]
        best_other = others[0]
        for other in others[1:]:
            best_other = np.maximum(best_other, other)
        d = p[k] - best_other
        np.putmask(winner, d > 0, np.int8(k))
        margins.append(d)
    corners = (winner[:-1, :-1], winner[1:, :-1], winner[:-1, 1:], winner[1:, 1:])
    low = np.minimum(np.minimum(corners[0], corners[1]), np.minimum(corners[2], corners[3]))
    high = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
    two = (low != high) & (low >= 0)
    for corner in corners:
        two &= (corner == low) | (corner == high)
    sx: list[FloatArray] = []
    sy: list[FloatArray] = []
    for k, d in enumerate(margins):
        x, y = contour_segments(d, 0.0, x_range, y_range, cells=~(two & (high == k)))
        sx.append(x)
        sy.append(y)
    return np.concatenate(sx), np.concatenate(sy)
