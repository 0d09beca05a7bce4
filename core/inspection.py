"""Looking inside a model: its layers, weights and their norms, and one forward pass for
one example (what the network diagram and the hover readout show). Pure numpy.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.regression import LinearRegression

FloatArray = NDArray[np.float64]
Model = LogisticRegression | NeuralNetwork | LinearRegression
LinearModel = (LogisticRegression, LinearRegression)
"""The models with one θ vector (θ₀ the bias): no hidden layer."""

ACTIVATION_LEVELS: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
}


def model_kind(model: Model) -> str:
    """``"logistic"``, ``"network"`` or ``"regression"`` (the kinds of
    core.specs.ModelSpec)."""
    if getattr(model, "regression", False):
        return "regression"
    return "logistic" if isinstance(model, LogisticRegression) else "network"


def clone_model(model: Model) -> Model:
    """An independent copy (its parameters are new arrays)."""
    return copy.deepcopy(model)


def layer_sizes(model: Model) -> tuple[int, ...]:
    """Units per layer, inputs first: (2, 1) for logistic regression, (2, 8, 8, 1) …"""
    if isinstance(model, LinearModel):
        return (model.n_features, 1)
    return tuple(int(n) for n in model.layer_sizes)


def layer_weights(model: Model) -> list[FloatArray]:
    """Weight matrices (units_in, units_out) per layer; logistic: θ₁…θₘ as an (m, 1) matrix."""
    if isinstance(model, LinearModel):
        return [model.theta[1:].reshape(-1, 1).copy()]
    return [w.copy() for w in model.weights]


def weight_position(model: Model, layer: int, i: int, j: int) -> tuple[int, tuple[int, ...]]:
    """Where the weight of the link from unit ``i`` of layer ``layer`` to unit ``j`` of the
    next layer (``layer_weights(model)[layer][i, j]``) lives in ``model.parameters``:
    (array index, position in that array). Logistic and linear regression: θ[i + 1]."""
    shapes = [w.shape for w in layer_weights(model)]
    if not (0 <= layer < len(shapes) and 0 <= i < shapes[layer][0]
            and 0 <= j < shapes[layer][1]):
        raise IndexError(f"no weight ({layer}, {i}, {j}) in layers of shapes {shapes}")
    if isinstance(model, LinearModel):
        return 0, (i + 1,)
    return 2 * layer, (i, j)


def weight_norms(model: Model) -> list[float]:
    """‖W‖ (Frobenius norm, biases excluded) of every layer's weight matrix."""
    return [float(np.linalg.norm(w)) for w in layer_weights(model)]


def gradient_weight_norms(model: Model, gradient: Sequence[FloatArray]) -> list[float]:
    """‖∂LL/∂W‖ per layer, for a gradient list shaped like ``model.parameters``."""
    if isinstance(model, LinearModel):
        return [float(np.linalg.norm(gradient[0][1:]))]
    return [float(np.linalg.norm(g)) for g in gradient[0::2]]


def parameter_count(model: Model) -> tuple[int, int]:
    """(number of weights, number of biases)."""
    return int(model.n_weights), int(model.n_biases)


@dataclass(frozen=True)
class Readout:
    """The model at one example x: P(Y=k|x) for every class, every hidden unit's
    activation hⱼ, and every unit's weighted input z (before its activation)."""

    x: tuple[float, ...]
    probabilities: FloatArray  # (n_classes,), sums to 1
    hidden: list[FloatArray]  # per hidden layer, (units,)
    weighted_inputs: list[FloatArray] = field(default_factory=list)  # per layer after x

    @property
    def output(self) -> FloatArray:
        """The output layer's activations: ŷ = P(Y=1|x) (shape (1,)) with two classes,
        else the softmax over the classes."""
        p = self.probabilities
        return p[1:] if len(p) == 2 else p

    @property
    def probability(self) -> float:
        """P(Y=1|x) (the lecture's binary case)."""
        return float(self.probabilities[1])

    @property
    def predicted(self) -> int:
        """The most likely class (1 iff P(Y=1|x) > 0.5 with two classes)."""
        if len(self.probabilities) == 2:
            return int(self.probabilities[1] > 0.5)
        return int(np.argmax(self.probabilities))


def readout(model: Model, x: ArrayLike) -> Readout:
    """One forward pass for a single example (what the hover readout shows).

    ``x`` is the model's input, or for a model with engineered features the raw point
    (x₁, x₂) (``Readout.x`` then holds the expanded input). A regression's readout has
    ``probabilities`` = [ŷ] (one real number, not a probability).
    """
    point = model.inputs(np.asarray(x, dtype=np.float64).reshape(1, -1))
    coords = tuple(float(v) for v in point[0])
    if isinstance(model, LinearRegression):
        z = model.predict(point)
        return Readout(coords, np.asarray(z, dtype=float), [], [np.asarray(z, dtype=float)])
    if isinstance(model, LogisticRegression):
        z = model.decision_function(point)
        p = float(model.predict_proba(point)[0])
        return Readout(coords, np.array([1.0 - p, p]), [], [np.asarray(z, dtype=float)])
    activations = model.forward(point)
    out = activations[-1][0]
    if out.shape[0] == 1 and not model.regression:
        probabilities = np.array([1.0 - out[0], out[0]])
    else:  # softmax, or a regression's [ŷ]
        probabilities = out.copy()
    # z of layer l = a⁽ˡ⁻¹⁾ W⁽ˡ⁾ + b⁽ˡ⁾, the sum each unit squashes
    weighted = [a[0] @ w + b for a, w, b in zip(activations[:-1], model.weights, model.biases,
                                                strict=True)]
    return Readout(coords, probabilities, [a[0].copy() for a in activations[1:-1]], weighted)


def predictions(model: Model, X: ArrayLike) -> NDArray[Any]:
    """Predicted class of every row of X (1 iff ŷ > 0.5 with two classes, else the most
    likely class), or a regression's ŷ (float64); an empty X gives an empty array. X holds
    the model's inputs or, for a model with engineered features, raw (n, 2) points."""
    X = np.asarray(X, dtype=np.float64)
    width = 2 if getattr(model, "features", ()) and X.ndim == 2 and X.shape[1] == 2 \
        else model.n_features
    X = X.reshape(-1, width)
    if X.shape[0] == 0:
        return np.zeros(0, dtype=np.float64 if model.regression else np.int64)
    return model.predict(X)


def activation_levels(activation: str, values: NDArray[np.floating] | None = None
                      ) -> tuple[float, float]:
    """The colour range of a hidden layer: (0, 1) sigmoid, (−1, 1) tanh, (0, max) relu,
    (−m, m) linear with m the largest |value|."""
    if activation in ACTIVATION_LEVELS:
        return ACTIVATION_LEVELS[activation]
    if activation == "linear":
        top = float(np.max(np.abs(values))) if values is not None and values.size else 1.0
        top = top if np.isfinite(top) and top > 1e-9 else 1.0
        return (-top, top)
    top = float(np.max(values)) if values is not None and values.size else 1.0
    return (0.0, top if np.isfinite(top) and top > 1e-9 else 1.0)


def confusion_matrix(y_true: ArrayLike, y_predicted: ArrayLike, n_classes: int
                     ) -> NDArray[np.int64]:
    """Counts of (true class, predicted class): entry [i, j] is how many examples of class
    i the model calls j; the diagonal holds the right answers. Shape (n_classes, n_classes).
    """
    true = np.asarray(y_true, dtype=np.int64).reshape(-1)
    predicted = np.asarray(y_predicted, dtype=np.int64).reshape(-1)
    if true.shape != predicted.shape:
        raise ValueError(f"{true.shape[0]} true labels but {predicted.shape[0]} predictions")
    k = int(n_classes)
    return np.bincount(true * k + predicted, minlength=k * k)[: k * k].reshape(k, k)


def top_two(probabilities: ArrayLike) -> tuple[int, float, int, float]:
    """The first and second most likely classes and their probabilities (ties: lower
    class first)."""
    p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    order = np.argsort(-p, kind="stable")
    second = int(order[1]) if p.size > 1 else int(order[0])
    return int(order[0]), float(p[order[0]]), second, float(p[second])


def margins(model: Model, X: ArrayLike) -> FloatArray:
    """z = θᵀx of every point, the number the sigmoid squashes: ŷ = σ(z).

    Logistic (and linear) regression: θᵀx with x₀ = 1. A network: the output unit's
    weighted input z = h W + b (shape (n,) for one σ output, (n, K) for softmax).
    X holds the model's inputs or, with engineered features, raw (n, 2) points.

    Returns
    -------
    ndarray, shape (n,) (or (n, K) for a softmax network)
    """
    if isinstance(model, LinearModel):
        return model.decision_function(X)
    logits = model._forward(model.inputs(X, allow_empty=True))[1]
    return logits[:, 0] if logits.shape[1] == 1 else logits
