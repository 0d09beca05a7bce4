"""Evaluate a 2-feature model over a grid of the plane, for the boundary and unit views."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.fast.display_grid import logistic_grid_float32, network_grid_float32
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


def _grid_axes(x_range: tuple[float, float], y_range: tuple[float, float], resolution: int
               ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The cell centres along x₁ and along x₂."""
    if int(resolution) < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    return (np.linspace(x_range[0], x_range[1], int(resolution)),
            np.linspace(y_range[0], y_range[1], int(resolution)))


def grid_points(x_range: tuple[float, float], y_range: tuple[float, float], resolution: int
                ) -> NDArray[np.float64]:
    """Cell centres of the grid as examples, shape (resolution², 2), x₁-major order."""
    xs, ys = _grid_axes(x_range, y_range, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys, indexing="ij")
    return np.column_stack([grid_x.ravel(), grid_y.ravel()])


def evaluate_grid(model: LogisticRegression | NeuralNetwork, x_range: tuple[float, float],
                  y_range: tuple[float, float], resolution: int = 200,
                  with_hidden: bool = True) -> GridEvaluation:
    """P(Y=1|x) (and every hidden unit) over the grid, in one forward pass.

    The model must have 2 features and 2 classes (the 2D playground's models). The grid is
    for drawing, so it is computed in float32 (the parameters are cast; the model is not
    changed): P agrees with ``model.predict_proba`` to about 1e−6.
    """
    if model.n_features != 2 or model.n_classes != 2:
        raise ValueError("evaluate_grid needs a model of 2 features and 2 classes")
    xs, ys = _grid_axes(x_range, y_range, resolution)
    if isinstance(model, LogisticRegression):
        probability = logistic_grid_float32(model.theta, xs, ys)
        hidden: list[NDArray[np.float32]] = []
    else:
        probability, hidden = network_grid_float32(model.parameters, model.activation, xs,
                                                   ys, with_hidden)
    return GridEvaluation(
        x_range=(float(x_range[0]), float(x_range[1])),
        y_range=(float(y_range[0]), float(y_range[1])),
        probability=probability,
        hidden=hidden,
    )

