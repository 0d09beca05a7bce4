"""Evaluate a 2-feature model over a grid of the plane, for the boundary and unit views."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.logistic import LogisticRegression
from core.network import NeuralNetwork


@dataclass(frozen=True)
class GridEvaluation:
    """A model evaluated on a resolution × resolution grid.

    Attributes
    ----------
    x_range, y_range : (float, float)
        The rectangle covered (cell centres span it edge to edge).
    probability : ndarray, shape (resolution, resolution), float32
        P(Y=1|x); row index is x₁ (horizontal), column index is x₂ (vertical), the layout
        pyqtgraph's ImageItem expects.
    hidden : list of ndarray, each shape (units, resolution, resolution), float32
        Every hidden unit's activation hⱼ(x) over the grid, layer by layer (empty for
        logistic regression).
    """

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    probability: NDArray[np.float32]
    hidden: list[NDArray[np.float32]]


def grid_points(x_range: tuple[float, float], y_range: tuple[float, float], resolution: int
                ) -> NDArray[np.float64]:
    """Cell centres of the grid as examples, shape (resolution², 2), x₁-major order."""
    if int(resolution) < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    xs = np.linspace(x_range[0], x_range[1], int(resolution))
    ys = np.linspace(y_range[0], y_range[1], int(resolution))
    grid_x, grid_y = np.meshgrid(xs, ys, indexing="ij")
    return np.column_stack([grid_x.ravel(), grid_y.ravel()])


def evaluate_grid(model: LogisticRegression | NeuralNetwork, x_range: tuple[float, float],
                  y_range: tuple[float, float], resolution: int = 200,
                  with_hidden: bool = True) -> GridEvaluation:
    """P(Y=1|x) (and every hidden unit) over the grid, in one forward pass.

    The model must have 2 features and 2 classes (the 2D playground's models).
    """
    if model.n_features != 2 or model.n_classes != 2:
        raise ValueError("evaluate_grid needs a model of 2 features and 2 classes")
    points = grid_points(x_range, y_range, resolution)
    shape = (int(resolution), int(resolution))
    if isinstance(model, LogisticRegression):
        probability = model.predict_proba(points)
        hidden: list[NDArray[np.float32]] = []
    else:
        activations = model.forward(points)
        probability = activations[-1][:, 0]
        hidden = [np.ascontiguousarray(a.T.reshape(a.shape[1], *shape), dtype=np.float32)
                  for a in activations[1:-1]] if with_hidden else []
    return GridEvaluation(
        x_range=(float(x_range[0]), float(x_range[1])),
        y_range=(float(y_range[0]), float(y_range[1])),
        probability=np.ascontiguousarray(probability.reshape(shape), dtype=np.float32),
        hidden=hidden,
    )
