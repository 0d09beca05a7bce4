"""Evaluate a model of the plane over a grid of it, for the boundary and unit views.

The model sees x₁, x₂ and its engineered features (``model.features``, core.features):
the grid evaluates them at every grid point. A regression model's output is ŷ, a real
number, not a probability (``GridEvaluation.is_regression``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from core.fast.display_grid import logistic_grid_float32, network_grid_float32
from core.features import RAW_FEATURES
from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.regression import LinearRegression

GridModel = LogisticRegression | NeuralNetwork | LinearRegression


@dataclass(frozen=True)
class GridEvaluation:
    """A model evaluated on a resolution × resolution grid.

    Attributes
    ----------
    x_range, y_range : (float, float)
        The rectangle covered (cell centres span it edge to edge).
    probability : ndarray, shape (resolution, resolution), float32
        P(Y=1|x); row index is x₁ (horizontal), column index is x₂ (vertical), the layout
        pyqtgraph's ImageItem expects. For a regression model: ŷ(x), a real number (the
        same array as ``prediction``).
    hidden : list of ndarray, each shape (units, resolution, resolution), float32
        Every hidden unit's activation hⱼ(x) over the grid, layer by layer (empty for
        logistic regression).
    softmax : ndarray, shape (K, resolution, resolution), float32, or None
        P(Y=k|x) for every class of a softmax output (K > 2); None for two classes (the
        lecture's single σ output: ``probability`` says it all).
    prediction : ndarray, shape (resolution, resolution), float32, or None
        A regression model's ŷ(x) over the grid; None for classification.
    """

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    probability: NDArray[np.float32]
    hidden: list[NDArray[np.float32]]
    softmax: NDArray[np.float32] | None = None
    prediction: NDArray[np.float32] | None = None

    @property
    def is_regression(self) -> bool:
        """Whether the model predicts real numbers (then ``prediction`` holds ŷ)."""
        return self.prediction is not None

    @property
    def n_classes(self) -> int:
        return 2 if self.softmax is None else int(self.softmax.shape[0])

    @cached_property
    def probabilities(self) -> NDArray[np.float32]:
        """P(Y=k|x) for every class k, shape (K, resolution, resolution), float32 (for two
        classes 1 − P(Y=1|x) and P(Y=1|x), made on first use)."""
        if self.softmax is not None:
            return self.softmax
        return np.stack([np.float32(1.0) - self.probability, self.probability])

    @cached_property
    def most_likely(self) -> NDArray[np.int8]:
        """The predicted class in every cell, shape (resolution, resolution), int8: the most
        likely class (the first on a tie), or for two classes 1 iff P(Y=1|x) > 0.5 as
        ``predict`` says."""
        if self.softmax is None:
            return (self.probability > 0.5).astype(np.int8)
        # elementwise passes over the K ≤ 4 classes: np.argmax over the class axis is
        # ~50x slower on this layout
        top = self.softmax.max(axis=0)
        out = np.zeros(top.shape, dtype=np.int8)
        for k in range(self.softmax.shape[0] - 1, 0, -1):
            np.putmask(out, self.softmax[k] == top, np.int8(k))
        return out


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


def evaluate_grid(model: GridModel, x_range: tuple[float, float],
                  y_range: tuple[float, float], resolution: int = 200,
                  with_hidden: bool = True) -> GridEvaluation:
    """P(Y=1|x), or P(Y=k|x) for every class, or a regression's ŷ(x) (and every hidden
    unit), over the grid, in one forward pass.

    The model must be one of the plane: inputs x₁, x₂ and its engineered features
    (``model.features``; evaluated at every grid point), 2 classes or a network's K > 2
    with a softmax output, or a regression (LinearRegression, RegressionNetwork). The
    grid is for drawing, so it is computed in float32 (the parameters are cast; the model
    is not changed): P agrees with ``model.predict_proba`` (ŷ with ``model.predict``) to
    about 1e−6 relative.
    """
    features = tuple(getattr(model, "features", ()))
    if model.n_features != RAW_FEATURES + len(features):
        raise ValueError("evaluate_grid needs a model of the plane: 2 features (x₁, x₂) "
                         "and its engineered ones")
    regression = bool(getattr(model, "regression", False))
    xs, ys = _grid_axes(x_range, y_range, resolution)
    softmax = None
    if isinstance(model, (LogisticRegression, LinearRegression)):
        probability = logistic_grid_float32(model.theta, xs, ys, features, regression)
        hidden: list[NDArray[np.float32]] = []
    else:
        output, hidden = network_grid_float32(model.parameters, model.activation, xs, ys,
                                              with_hidden, features, regression)
        if output.ndim == 3:
            softmax, probability = output, output[1]
        else:
            probability = output
    return GridEvaluation(
        x_range=(float(x_range[0]), float(x_range[1])),
        y_range=(float(y_range[0]), float(y_range[1])),
        probability=probability,
        hidden=hidden,
        softmax=softmax,
        prediction=probability if regression else None,
    )

