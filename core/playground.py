"""The 2D playground's small pieces of math, kept out of the GUI (pure numpy, no Qt).

The window only shows and edits; everything it displays that needs a formula comes from
here or from the rest of ``core``: default learning rates, the stop condition, the forward
pass for one hovered point, the unit images of the network diagram, weight norms, which
points an eraser touches, the train/test flags of a dataset, and the 0.5 contour of a grid.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.datasets import train_test_split
from core.grid import GridEvaluation, evaluate_grid
from core.logistic import LogisticRegression
from core.network import NeuralNetwork

FloatArray = NDArray[np.float64]
Model = LogisticRegression | NeuralNetwork

DEFAULT_ALPHA: dict[str, float] = {"sigmoid": 2.0, "tanh": 2.0, "relu": 0.5}
"""Step size per example (the step on the *mean* gradient) of a network, by its hidden
activation (relu's unbounded units need a smaller step). With the lecture's sum gradient
the default η is ``alpha / n_train``: the sum grows with n, so a fixed η that is fine for
20 points diverges for 2,000.
"""

ACTIVATION_LEVELS: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
}


def model_kind(model: Model) -> str:
    """``"logistic"`` or ``"network"``."""
    return "logistic" if isinstance(model, LogisticRegression) else "network"


def logistic_smoothness(X: ArrayLike) -> float:
    """L = λmax(X̃ᵀX̃) / 4 with X̃ = [1, X]: the Lipschitz constant of logistic regression's
    summed gradient ∇LL (σ′ ≤ 1/4). Gradient ascent with η ≤ 1/L climbs LL at every step."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        return 0.0
    Xt = np.hstack([np.ones((X.shape[0], 1)), X])
    return float(np.linalg.eigvalsh(Xt.T @ Xt)[-1]) / 4.0


def default_learning_rate(kind: str, n_train: int, average: bool = False,
                          activation: str = "sigmoid", X: ArrayLike | None = None,
                          depth: int = 1) -> float:
    """A learning rate η that converges without diverging.

    Logistic regression (given its training features ``X``): η = 1/L, the step that is
    guaranteed to increase LL at every step (:func:`logistic_smoothness`); without X, 0.5/n.
    Networks: ``DEFAULT_ALPHA[activation] / (depth · n)``: every extra hidden layer
    multiplies the gradients through it, so deeper networks need a smaller step (6 layers of
    tanh at 2/n oscillate on the spiral). With ``average`` (η multiplies the mean gradient)
    the same step is n times larger.

    Parameters
    ----------
    kind : {"logistic", "network"}
    n_train : int
        Number of training examples the gradient sums over.
    average : bool
        True when η multiplies the mean gradient instead of the sum.
    activation : str
        The network's hidden activation (ignored for logistic regression).
    X : array_like, shape (n_train, 2), optional
        The training features (used for logistic regression).
    depth : int
        Number of hidden layers of the network.
    """
    n = max(int(n_train), 1)
    if kind == "logistic":
        smooth = logistic_smoothness(X) if X is not None else 0.0
        eta = 1.0 / smooth if smooth > 0 else 0.5 / n
    else:
        eta = DEFAULT_ALPHA.get(activation, 1.0) / (max(int(depth), 1) * n)
    return eta * n if average else eta


def ll_change_below(log_likelihood: Sequence[float], tolerance: float) -> bool:
    """True when the last recorded step changed LL by less than ``tolerance`` (in nats)."""
    if len(log_likelihood) < 2:
        return False
    change = float(log_likelihood[-1]) - float(log_likelihood[-2])
    return bool(np.isfinite(change)) and abs(change) < float(tolerance)


def clone_model(model: Model) -> Model:
    """An independent copy (its parameters are new arrays)."""
    return copy.deepcopy(model)


def layer_sizes(model: Model) -> tuple[int, ...]:
    """Units per layer, inputs first: (2, 1) for logistic regression, (2, 8, 8, 1) …"""
    if isinstance(model, LogisticRegression):
        return (model.n_features, 1)
    return tuple(int(n) for n in model.layer_sizes)


def layer_weights(model: Model) -> list[FloatArray]:
    """Weight matrices (units_in, units_out) per layer; logistic: θ₁…θₘ as an (m, 1) matrix."""
    if isinstance(model, LogisticRegression):
        return [model.theta[1:].reshape(-1, 1).copy()]
    return [w.copy() for w in model.weights]


def weight_norms(model: Model) -> list[float]:
    """‖W‖ (Frobenius norm, biases excluded) of every layer's weight matrix."""
    return [float(np.linalg.norm(w)) for w in layer_weights(model)]


def gradient_weight_norms(model: Model, gradient: Sequence[FloatArray]) -> list[float]:
    """‖∂LL/∂W‖ per layer, for a gradient list shaped like ``model.parameters``."""
    if isinstance(model, LogisticRegression):
        return [float(np.linalg.norm(gradient[0][1:]))]
    return [float(np.linalg.norm(g)) for g in gradient[0::2]]


def parameter_count(model: Model) -> tuple[int, int]:
    """(number of weights, number of biases)."""
    return int(model.n_weights), int(model.n_biases)


@dataclass(frozen=True)
class PointReadout:
    """The model at one point x: P(Y=1|x) and every hidden unit's activation there."""

    x: tuple[float, float]
    probability: float
    hidden: list[FloatArray]


def point_readout(model: Model, x: ArrayLike) -> PointReadout:
    """One forward pass for a single point (what the hover readout shows)."""
    point = np.asarray(x, dtype=np.float64).reshape(1, -1)
    if isinstance(model, LogisticRegression):
        return PointReadout((float(point[0, 0]), float(point[0, 1])),
                            float(model.predict_proba(point)[0]), [])
    activations = model.forward(point)
    return PointReadout((float(point[0, 0]), float(point[0, 1])),
                        float(activations[-1][0, 0]), [a[0].copy() for a in activations[1:-1]])


def predictions(model: Model, X: ArrayLike) -> NDArray[np.int64]:
    """Predicted class of every row of X (1 iff ŷ > 0.5); empty X gives an empty array."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    if X.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    return model.predict(X)


def activation_levels(activation: str, values: NDArray[np.floating] | None = None
                      ) -> tuple[float, float]:
    """The colour range of a hidden layer: (0, 1) sigmoid, (−1, 1) tanh, (0, max) relu."""
    if activation in ACTIVATION_LEVELS:
        return ACTIVATION_LEVELS[activation]
    top = float(np.max(values)) if values is not None and values.size else 1.0
    return (0.0, top if np.isfinite(top) and top > 1e-9 else 1.0)


@dataclass(frozen=True)
class UnitImages:
    """Every unit's value over the plane, per layer (inputs, hidden layers, output)."""

    images: list[NDArray[np.float32]]  # layer l: (units_l, res, res), row index = x₁
    levels: list[tuple[float, float]]


def unit_images(model: Model, x_range: tuple[float, float], y_range: tuple[float, float],
                resolution: int = 48, evaluation: GridEvaluation | None = None) -> UnitImages:
    """x₁, x₂, each hidden unit and ŷ evaluated on a coarse grid (for thumbnails).

    ``evaluation`` may pass an existing :func:`core.grid.evaluate_grid` result (with hidden
    units) of this resolution to avoid a second forward pass.
    """
    res = int(resolution)
    if evaluation is None or evaluation.probability.shape != (res, res):
        evaluation = evaluate_grid(model, x_range, y_range, res, with_hidden=True)
    xs = np.linspace(x_range[0], x_range[1], res, dtype=np.float32)
    ys = np.linspace(y_range[0], y_range[1], res, dtype=np.float32)
    inputs = np.empty((2, res, res), dtype=np.float32)
    inputs[0] = xs[:, None]
    inputs[1] = ys[None, :]
    reach = float(max(abs(x_range[0]), abs(x_range[1]), abs(y_range[0]), abs(y_range[1]), 1e-9))
    images: list[NDArray[np.float32]] = [inputs]
    levels: list[tuple[float, float]] = [(-reach, reach)]
    activation = getattr(model, "activation", "sigmoid")
    for hidden in evaluation.hidden:
        images.append(hidden)
        levels.append(activation_levels(activation, hidden))
    images.append(evaluation.probability[None, :, :])
    levels.append((0.0, 1.0))
    return UnitImages(images, levels)


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


def split_mask(y: ArrayLike, test_fraction: float, seed: int = 0) -> NDArray[np.bool_]:
    """Which examples go to the test set: a stratified split (core.datasets) of the rows."""
    labels = np.asarray(y, dtype=np.int64).reshape(-1)
    mask = np.zeros(labels.shape[0], dtype=bool)
    if labels.shape[0] == 0 or test_fraction <= 0:
        return mask
    rows = np.arange(labels.shape[0], dtype=np.float64)[:, None]
    _, test_rows, _, _ = train_test_split(rows, labels, float(test_fraction), seed=int(seed))
    mask[test_rows[:, 0].astype(np.int64)] = True
    return mask


def contour_segments(values: NDArray[np.floating], level: float, x_range: tuple[float, float],
                     y_range: tuple[float, float]) -> tuple[FloatArray, FloatArray]:
    """Line segments of the ``level`` contour of a grid (marching squares, vectorized).

    ``values[i, j]`` is the value at (xs[i], ys[j]) with xs, ys spanning the ranges edge to
    edge (the layout of :class:`core.grid.GridEvaluation`). Returns x and y coordinates of
    2k points, every consecutive pair a segment (draw with ``connect="pairs"``). Only the
    cells the contour crosses are visited.
    """
    v = np.asarray(values)
    nx, ny = v.shape
    empty = (np.zeros(0), np.zeros(0))
    if nx < 2 or ny < 2:
        return empty
    above = v > level
    a00, a10, a01, a11 = above[:-1, :-1], above[1:, :-1], above[:-1, 1:], above[1:, 1:]
    mixed = (a00 != a10) | (a00 != a01) | (a00 != a11)
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
