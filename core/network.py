"""A neural network: logistic regressions stacked, trained by the same MLE.

hⱼ = σ(Σᵢ xᵢ θ⁽ʰ⁾ᵢⱼ)  and  ŷ = σ(Σⱼ hⱼ θ⁽ŷ⁾ⱼ)  (with x₀ = h₀ = 1 giving each unit a bias).

Each layer keeps a weight matrix W of shape (units_in, units_out) and a bias vector b of
shape (units_out,); b plays the role of θ₀ⱼ for x₀ = 1. The output is σ for two classes
(ŷ = P(Y=1|x)) and softmax for more. Hidden activations: sigmoid (the lecture's), tanh, relu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.fast.network_workspace import network_ascent_terms
from core.formulas import (
    ACTIVATIONS,
    activate,
    activation_derivative,
    bernoulli_log_likelihood,
    log_softmax,
    sigmoid,
    softmax,
)
from core.validation import check_features, check_labels

FloatArray = NDArray[np.float64]
INITS = ("random", "zeros")


def output_log_likelihood(y: NDArray[np.int64], logits: FloatArray) -> float:
    """LL = Σᵢ log P(Y = yᵢ | xᵢ).

    Two classes (logits shape (n, 1)): Σᵢ yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ)).
    K classes (logits shape (n, K)): Σᵢ log softmax(zᵢ)_{yᵢ}.
    """
    if logits.shape[1] == 1:
        return bernoulli_log_likelihood(y, logits[:, 0])
    return float(np.sum(log_softmax(logits)[np.arange(y.shape[0]), y]))


def output_delta(y: NDArray[np.int64], output: FloatArray) -> FloatArray:
    """∂LL/∂z at the output: y − ŷ (σ output) or onehot(y) − softmax(z) (softmax output).

    The same form as logistic regression's [yᵢ − σ(θᵀxᵢ)]. Shape like ``output``.
    """
    if output.shape[1] == 1:
        return y[:, None] - output
    delta = -output.copy()
    delta[np.arange(y.shape[0]), y] += 1.0
    return delta


class NeuralNetwork:
    """A fully connected network trained by gradient ascent on the log-likelihood.

    Parameters
    ----------
    n_features : int
        Number of inputs |x|.
    hidden_units : sequence of int
        Units per hidden layer, e.g. (8,) or (16, 8). Empty means logistic regression.
    activation : {"sigmoid", "tanh", "relu"}
        Hidden activation; sigmoid is the lecture's.
    n_classes : int
        2 gives one σ output unit (ŷ = P(Y=1|x)); more gives a softmax over n_classes units.
    seed : int
        Seed of the ``np.random.Generator`` used for random initialisation.
    init : {"random", "zeros"}
        "zeros" makes every unit of a layer identical forever (symmetry is never broken),
        which the app shows on purpose.
    """

    def __init__(self, n_features: int, hidden_units: Sequence[int] = (8,),
                 activation: str = "sigmoid", n_classes: int = 2, seed: int = 0,
                 init: str = "random") -> None:
        if int(n_features) < 1:
            raise ValueError(f"n_features must be at least 1, got {n_features}")
        units = [int(u) for u in hidden_units]
        if any(u < 1 for u in units):
            raise ValueError(f"every hidden layer needs at least 1 unit, got {tuple(units)}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if int(n_classes) < 2:
            raise ValueError(f"n_classes must be at least 2, got {n_classes}")
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        self.n_features = int(n_features)
        self.hidden_units = tuple(units)
        self.activation = activation
        self.n_classes = int(n_classes)
        self.seed = int(seed)
        self.init = init
        n_out = 1 if self.n_classes == 2 else self.n_classes
        self.layer_sizes = (self.n_features, *self.hidden_units, n_out)
        self._parameters: list[FloatArray] = []
        self.reset(seed=self.seed, init=self.init)

    def reset(self, seed: int | None = None, init: str | None = None) -> None:
        """Re-initialise every weight and bias in place (same arrays, new values)."""
        if seed is not None:
            self.seed = int(seed)
        if init is not None:
            if init not in INITS:
                raise ValueError(f"init must be one of {INITS}, got {init!r}")
            self.init = init
        rng = np.random.default_rng(self.seed)
        fresh: list[FloatArray] = []
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True):
            if self.init == "zeros":
                weights = np.zeros((fan_in, fan_out))
            else:
                # Glorot scale for sigmoid/tanh, He scale for relu.
                gain = 2.0 if self.activation == "relu" else 1.0
                weights = rng.normal(0.0, np.sqrt(gain / fan_in), size=(fan_in, fan_out))
            fresh += [weights, np.zeros(fan_out)]
        if self._parameters:
            for own, new in zip(self._parameters, fresh, strict=True):
                own[...] = new
        else:
            self._parameters = fresh

    # --- parameters -------------------------------------------------------------------
    @property
    def parameters(self) -> list[FloatArray]:
        """[W1, b1, W2, b2, …]: the model's own arrays (in-place edits change the model)."""
        return self._parameters

    @property
    def weights(self) -> list[FloatArray]:
        return self._parameters[0::2]

    @property
    def biases(self) -> list[FloatArray]:
        return self._parameters[1::2]

    @property
    def n_weights(self) -> int:
        """Σ over layers of units_in × units_out (|x|=40, |h|=20, 2 classes → 820)."""
        return sum(w.size for w in self.weights)

    @property
    def n_biases(self) -> int:
        """One per hidden or output unit."""
        return sum(b.size for b in self.biases)

    # --- forward pass -----------------------------------------------------------------
    def _forward(self, X: FloatArray) -> tuple[list[FloatArray], FloatArray]:
        """Activations [x, h¹, …, ŷ] and the output logits, for validated X."""
        activations = [X]
        a = X
        n_layers = len(self.weights)
        for index, (weights, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ weights + bias
            if index < n_layers - 1:
                a = activate(self.activation, z)
            else:
                a = sigmoid(z) if z.shape[1] == 1 else softmax(z)
                activations.append(a)
                return activations, z
            activations.append(a)
        raise AssertionError("unreachable: a network has at least one layer")

    def forward(self, X: ArrayLike) -> list[FloatArray]:
        """Every layer's activations, input first.

        Returns
        -------
        list of ndarray
            [x (n, n_features), h¹ (n, units₁), …, output (n, 1) for σ or (n, K) for softmax]
        """
        return self._forward(check_features(X, self.n_features, allow_empty=True))[0]

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """ŷ = P(Y=1|x), shape (n,), for 2 classes; P(Y=k|x), shape (n, K), for more."""
        output = self.forward(X)[-1]
        return output[:, 0] if output.shape[1] == 1 else output

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """1 iff ŷ > 0.5 for 2 classes; the most likely class for more. Shape (n,)."""
        return self._predictions(self.forward(X)[-1])

    @staticmethod
    def _predictions(output: FloatArray) -> NDArray[np.int64]:
        if output.shape[1] == 1:
            return (output[:, 0] > 0.5).astype(np.int64)
        return np.argmax(output, axis=1).astype(np.int64)

    def log_likelihood(self, X: ArrayLike, y: ArrayLike) -> float:
        """LL(θ) = Σᵢ log P(Y = yᵢ | xᵢ, θ): a sum over examples, as in the lecture."""
        X = check_features(X, self.n_features)
        labels = check_labels(y, X.shape[0], self.n_classes)
        return output_log_likelihood(labels, self._forward(X)[1])

    # --- backward pass (the chain rule) -----------------------------------------------
    def _backward(self, activations: list[FloatArray], y: NDArray[np.int64]
                  ) -> list[FloatArray]:
        """∂LL/∂W and ∂LL/∂b for every layer, output first then back to the input.

        δ_out = y − ŷ;  ∂LL/∂W = aᵀδ;  ∂LL/∂b = Σᵢ δᵢ;  δ_prev = (δ Wᵀ) ⊙ act′(a_prev).
        """
        delta = output_delta(y, activations[-1])
        gradients: list[FloatArray] = [np.empty(0)] * len(self._parameters)
        for layer in range(len(self.weights) - 1, -1, -1):
            a_in = activations[layer]
            gradients[2 * layer] = a_in.T @ delta
            gradients[2 * layer + 1] = delta.sum(axis=0)
            if layer > 0:
                delta = (delta @ self.weights[layer].T) * activation_derivative(
                    self.activation, a_in)
        return gradients

    def gradient(self, X: ArrayLike, y: ArrayLike) -> list[FloatArray]:
        """∂LL/∂θ by backpropagation: a list shaped like ``parameters`` ([∂W1, ∂b1, …])."""
        X = check_features(X, self.n_features)
        labels = check_labels(y, X.shape[0], self.n_classes)
        return self._backward(self._forward(X)[0], labels)

    # --- used by GradientAscent (inputs already validated) ----------------------------
    def _log_likelihood_and_gradient(self, X: FloatArray, y: NDArray[np.int64]
                                     ) -> tuple[float, list[FloatArray], NDArray[np.int64]]:
        activations, logits = self._forward(X)
        return (output_log_likelihood(y, logits), self._backward(activations, y),
                self._predictions(activations[-1]))

    def _log_likelihood_and_predictions(self, X: FloatArray, y: NDArray[np.int64]
                                        ) -> tuple[float, NDArray[np.int64]]:
        activations, logits = self._forward(X)
        return output_log_likelihood(y, logits), self._predictions(activations[-1])

    def _ascent_terms(self, X: FloatArray, y: NDArray[np.int64], scratch: dict[str, Any],
                      with_gradient: bool = True) -> tuple[float, list[FloatArray], int]:
        """LL(θ), [∂LL/∂W1, ∂LL/∂b1, …] (``[]`` without gradient) and the number of correct
        predictions, for validated inputs.

        The training loop's fast path: the same forward pass, :func:`output_log_likelihood`
        and backpropagation as ``_forward``/``_backward`` (to a few ulps), made fast in
        core/fast/network_workspace.py with buffers kept in ``scratch`` (a dict the caller
        keeps for this X and y).
        """
        return network_ascent_terms(self._parameters, self.layer_sizes, self.activation, X,
                                    y, scratch, with_gradient)

    def __repr__(self) -> str:
        return (f"NeuralNetwork(n_features={self.n_features}, "
                f"hidden_units={self.hidden_units}, activation={self.activation!r}, "
                f"n_classes={self.n_classes}, seed={self.seed}, init={self.init!r})")
