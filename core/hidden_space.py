"""The plane as the output unit sees it: points mapped into two last-layer hidden units.

The output of a two-class network is logistic regression on the last hidden layer h:
ŷ = σ(Σⱼ hⱼ wⱼ + b). In the space of the hidden units its boundary z = 0 is a straight
line, however curved the boundary is in the input plane: the hidden layers bend the plane
(:func:`warped_grid`) until a line separates the classes.

With exactly two last-layer units the line is exact. With more, the picture shows two
chosen units (a, b) and holds every other unit k at a constant c_k, by default its mean
over the given points (``hold`` overrides it): the line is then w_a h_a + w_b h_b + b +
Σ_k w_k c_k = 0, a cut through the boundary, exact only for points whose other units equal
the held values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.network import NeuralNetwork

FloatArray = NDArray[np.float64]


def _check_units(model: NeuralNetwork, units: tuple[int, int]) -> tuple[int, int]:
    """The two unit indices, checked against a binary network's last hidden layer."""
    if not isinstance(model, NeuralNetwork) or not model.hidden_units:
        raise TypeError("hidden space needs a network with at least one hidden layer")
    width = model.hidden_units[-1]
    if width < 2:
        raise ValueError("the last hidden layer needs at least 2 units")
    a, b = (int(u) for u in units)
    if a == b or not (0 <= a < width and 0 <= b < width):
        raise ValueError(f"units must be two different indices below {width}, got {units}")
    return a, b


def last_hidden(model: NeuralNetwork, X: ArrayLike) -> FloatArray:
    """h of the last hidden layer for every point. Shape (n, units of that layer)."""
    return model.forward(X)[-2]


def hidden_coordinates(model: NeuralNetwork, X: ArrayLike, units: tuple[int, int] = (0, 1)
                       ) -> FloatArray:
    """(h_a, h_b) of every point: shape (n, 2). X: the network's inputs, or raw (n, 2)
    points for a network with engineered features."""
    a, b = _check_units(model, units)
    return last_hidden(model, X)[:, [a, b]]


def warped_grid(model: NeuralNetwork, x_range: tuple[float, float],
                y_range: tuple[float, float], n_lines: int = 11, resolution: int = 64,
                units: tuple[int, int] = (0, 1)) -> tuple[FloatArray, FloatArray]:
    """Lines of the input plane mapped into (h_a, h_b).

    Returns
    -------
    constant_x1 : ndarray, shape (n_lines, resolution, 2)
        Line k: x₁ = the k-th of ``n_lines`` even values over ``x_range``, x₂ running over
        ``y_range``, each point mapped to (h_a, h_b).
    constant_x2 : ndarray, shape (n_lines, resolution, 2)
        The same with x₂ constant and x₁ running.
    """
    a, b = _check_units(model, units)
    levels_x1 = np.linspace(x_range[0], x_range[1], int(n_lines))
    levels_x2 = np.linspace(y_range[0], y_range[1], int(n_lines))
    run_x1 = np.linspace(x_range[0], x_range[1], int(resolution))
    run_x2 = np.linspace(y_range[0], y_range[1], int(resolution))
    L, R = np.meshgrid(levels_x1, run_x2, indexing="ij")  # x₁ constant per line
    vertical = np.stack([L.ravel(), R.ravel()], axis=1)
    L, R = np.meshgrid(levels_x2, run_x1, indexing="ij")  # x₂ constant per line
    horizontal = np.stack([R.ravel(), L.ravel()], axis=1)
    h = last_hidden(model, np.vstack([vertical, horizontal]))[:, [a, b]]
    shape = (int(n_lines), int(resolution), 2)
    half = vertical.shape[0]
    return h[:half].reshape(shape), h[half:].reshape(shape)


@dataclass(frozen=True)
class HiddenLine:
    """The output's boundary z = w_a h_a + w_b h_b + offset = 0 in (h_a, h_b).

    ``offset`` = b + Σ_k w_k c_k over the other units k, held at ``held`` (their values
    c_k, shape (units − 2,); empty for a 2-unit layer, where the line is exact).
    """

    units: tuple[int, int]
    weights: FloatArray  # (2,), (w_a, w_b)
    offset: float
    held: FloatArray

    def weighted_input(self, points: ArrayLike) -> FloatArray:
        """z = w_a h_a + w_b h_b + offset for points (n, 2) of hidden space. Shape (n,)."""
        p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        return p @ self.weights + self.offset

    def segment(self, a_range: tuple[float, float], b_range: tuple[float, float]
                ) -> FloatArray | None:
        """The line's part inside the box a_range × b_range: shape (2, 2) (two ends), or
        None when it misses the box (or the weights are both 0)."""
        wa, wb = (float(w) for w in self.weights)
        ends: list[tuple[float, float]] = []
        if wb != 0.0:
            for a in a_range:
                b = -(wa * a + self.offset) / wb
                if b_range[0] <= b <= b_range[1]:
                    ends.append((float(a), b))
        if wa != 0.0:
            for b in b_range:
                a = -(wb * b + self.offset) / wa
                if a_range[0] <= a <= a_range[1]:
                    ends.append((a, float(b)))
        unique = np.unique(np.asarray(ends, dtype=np.float64).reshape(-1, 2), axis=0)
        if unique.shape[0] < 2:
            return None
        return unique[[0, -1]]


def output_line(model: NeuralNetwork, units: tuple[int, int] = (0, 1),
                X: ArrayLike | None = None, hold: ArrayLike | None = None) -> HiddenLine:
    """The output unit's boundary z = Σⱼ hⱼ wⱼ + b = 0 as a line in (h_a, h_b).

    The other last-layer units are held at ``hold`` (one value per other unit, in unit
    order) or else at their mean over ``X``; with exactly two units neither is needed.
    Only for two classes (one σ output unit).
    """
    a, b = _check_units(model, units)
    if model.n_classes != 2:
        raise ValueError("the hidden-space line needs one σ output unit (two classes)")
    w = model.weights[-1][:, 0]
    others = [k for k in range(w.shape[0]) if k not in (a, b)]
    if not others:
        held = np.zeros(0)
    elif hold is not None:
        held = np.asarray(hold, dtype=np.float64).reshape(-1)
        if held.shape[0] != len(others):
            raise ValueError(f"hold needs {len(others)} values, got {held.shape[0]}")
    elif X is not None:
        held = last_hidden(model, X)[:, others].mean(axis=0)
    else:
        raise ValueError("with more than 2 units give X (hold at the mean) or hold")
    offset = float(model.biases[-1][0] + w[others] @ held)
    return HiddenLine((a, b), w[[a, b]].copy(), offset, held)
