"""A neural network: logistic regressions stacked, trained by the same MLE.

hⱼ = σ(Σᵢ xᵢ θ⁽ʰ⁾ᵢⱼ)  and  ŷ = σ(Σⱼ hⱼ θ⁽ŷ⁾ⱼ)  (with x₀ = h₀ = 1 giving each unit a bias).

Each layer keeps a weight matrix W of shape (units_in, units_out) and a bias vector b of
shape (units_out,); b plays the role of θ₀ⱼ for x₀ = 1. The output is σ for two classes
(ŷ = P(Y=1|x)) and softmax for more. Hidden activations: sigmoid (the lecture's), tanh, relu,
linear. (A regression network, whose output is linear, is core.regression.RegressionNetwork.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.fast.batch_kernel import network_batch_terms
from core.fast.network_workspace import network_ascent_terms
from core.features import check_model_features, model_inputs
from core.formulas import (
    ACTIVATIONS,
    activate,
    activation_derivative,
    bernoulli_log_likelihood,
    log_softmax,
    sigmoid,
    softmax,
)
from core.validation import check_labels

FloatArray = NDArray[np.float64]
INITS = ("random", "zeros")


# --- the lecture's formulas, one small function each ------------------------------------
# Forward, layer by layer:                        Backward, layer by layer (the chain rule):
#   hidden_layer:  h = act(a W + b)                 layer_gradients: ∂LL/∂W = aᵀδ, ∂LL/∂b = Σᵢ δᵢ
#   output_layer:  ŷ = σ(h W + b) (or softmax)      delta_below:     δ_below = (δ Wᵀ) ⊙ act′(a)
#   output_log_likelihood: LL = Σᵢ log P(yᵢ|xᵢ)     output_delta:    δ_out = y − ŷ


def hidden_layer(a: FloatArray, weights: FloatArray, bias: FloatArray, activation: str
                 ) -> FloatArray:
    """hⱼ = σ(Σᵢ aᵢ θ⁽ʰ⁾ᵢⱼ + θ⁽ʰ⁾₀ⱼ) for every example and unit (σ or another activation).

    Parameters
    ----------
    a : ndarray, shape (n, units_in), the layer's input (x for the first layer)
    weights : ndarray, shape (units_in, units_out), θ⁽ʰ⁾ᵢⱼ
    bias : ndarray, shape (units_out,), θ⁽ʰ⁾₀ⱼ (for a₀ = 1)
    activation : {"sigmoid", "tanh", "relu", "linear"}

    Returns
    -------
    ndarray, shape (n, units_out)
    """
    return activate(activation, a @ weights + bias)


def output_layer(h: FloatArray, weights: FloatArray, bias: FloatArray
                 ) -> tuple[FloatArray, FloatArray]:
    """ŷ = σ(Σⱼ hⱼ θ⁽ŷ⁾ⱼ + θ⁽ŷ⁾₀) = P(Y=1|x) for one output unit; softmax(z) for K units.

    Parameters
    ----------
    h : ndarray, shape (n, units_in), the last hidden layer (x without hidden layers)
    weights : ndarray, shape (units_in, 1) or (units_in, K)
    bias : ndarray, shape (1,) or (K,)

    Returns
    -------
    output : ndarray, shape (n, 1) or (n, K), ŷ
    logits : ndarray, same shape, z = hW + b
    """
    z = h @ weights + bias
    return (sigmoid(z) if z.shape[1] == 1 else softmax(z)), z


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


def layer_gradients(a: FloatArray, delta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∂LL/∂θᵢⱼ = Σ_examples aᵢ δⱼ and ∂LL/∂θ₀ⱼ = Σ_examples δⱼ, for one layer.

    Parameters
    ----------
    a : ndarray, shape (n, units_in), the layer's input
    delta : ndarray, shape (n, units_out), δ = ∂LL/∂z of the layer's units

    Returns
    -------
    ∂LL/∂W : ndarray, shape (units_in, units_out), aᵀδ
    ∂LL/∂b : ndarray, shape (units_out,), Σᵢ δᵢ
    """
    return a.T @ delta, delta.sum(axis=0)


def delta_below(delta: FloatArray, weights: FloatArray, a: FloatArray, activation: str
                ) -> FloatArray:
    """δ of the layer below by the chain rule: ∂LL/∂zᵢ = Σⱼ δⱼ θᵢⱼ · act′(zᵢ).

    Parameters
    ----------
    delta : ndarray, shape (n, units_out), δ of this layer
    weights : ndarray, shape (units_in, units_out), this layer's θᵢⱼ
    a : ndarray, shape (n, units_in), the layer below's activations, a = act(z)
    activation : {"sigmoid", "tanh", "relu", "linear"}, act′ is written in terms of a

    Returns
    -------
    ndarray, shape (n, units_in), (δ Wᵀ) ⊙ act′(a)
    """
    return (delta @ weights.T) * activation_derivative(activation, a)


class NeuralNetwork:
    """A fully connected network trained by gradient ascent on the log-likelihood.

    Parameters
    ----------
    n_features : int
        Number of inputs |x|.
    hidden_units : sequence of int
        Units per hidden layer, e.g. (8,) or (16, 8). Empty means logistic regression.
    activation : {"sigmoid", "tanh", "relu", "linear"}
        Hidden activation; sigmoid is the lecture's. Linear layers stacked stay linear.
    n_classes : int
        2 gives one σ output unit (ŷ = P(Y=1|x)); more gives a softmax over n_classes units.
    seed : int
        Seed of the ``np.random.Generator`` used for random initialisation.
    init : {"random", "zeros"}
        "zeros" makes every unit of a layer identical forever (symmetry is never broken),
        which the app shows on purpose.
    features : sequence of str
        Engineered inputs of the plane (:data:`core.features.FEATURES`) after x₁ and x₂,
        counted in ``n_features`` (2 + len(features)); every method then also accepts raw
        (n, 2) points and expands them.
    """

    regression = False
    features: tuple[str, ...] = ()  # (instances set their own; this serves older pickles)

    def __init__(self, n_features: int, hidden_units: Sequence[int] = (8,),
                 activation: str = "sigmoid", n_classes: int = 2, seed: int = 0,
                 init: str = "random", features: Sequence[str] = ()) -> None:
        if int(n_features) < 1:
            raise ValueError(f"n_features must be at least 1, got {n_features}")
        self.features = check_model_features(int(n_features), features)
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

    @property
    def weight_slices(self) -> list[slice | None]:
        """Per parameter array, the entries a prior penalises: every W, no bias b."""
        return [slice(None), None] * len(self.weights)

    def inputs(self, X: ArrayLike, allow_empty: bool = False) -> FloatArray:
        """X validated as this network's input, shape (n, n_features): raw (n, 2) points
        of the plane are expanded with the network's engineered features."""
        return model_inputs(X, self.n_features, self.features, allow_empty)

    # --- the forward and backward passes, side by side -------------------------------
    def _forward(self, X: FloatArray) -> tuple[list[FloatArray], FloatArray]:
        """Activations [x, h¹, …, ŷ] and the output logits z, for validated X (n, n_features).

        h¹ = act(x W1 + b1), h² = act(h¹ W2 + b2), …, ŷ = σ(h W + b) or softmax(h W + b).
        """
        activations = [X]
        *hidden, last = range(len(self.weights))
        for layer in hidden:
            activations.append(hidden_layer(activations[-1], self.weights[layer],
                                            self.biases[layer], self.activation))
        output, logits = self._output(activations[-1], self.weights[last], self.biases[last])
        activations.append(output)
        return activations, logits

    def _output(self, h: FloatArray, weights: FloatArray, bias: FloatArray
                ) -> tuple[FloatArray, FloatArray]:
        """(ŷ, z) of the output layer: :func:`output_layer` (σ or softmax)."""
        return output_layer(h, weights, bias)

    def _output_log_likelihood(self, y: NDArray[Any], logits: FloatArray) -> float:
        """LL of the output layer's logits: :func:`output_log_likelihood`."""
        return output_log_likelihood(y, logits)

    def _targets(self, y: ArrayLike, n_examples: int) -> NDArray[Any]:
        """y validated as class labels 0..n_classes−1."""
        return check_labels(y, n_examples, self.n_classes)

    def _backward(self, activations: list[FloatArray], y: NDArray[np.int64]
                  ) -> list[FloatArray]:
        """∂LL/∂W and ∂LL/∂b for every layer, output first then back to the input.

        δ_out = y − ŷ;  ∂LL/∂W = aᵀδ;  ∂LL/∂b = Σᵢ δᵢ;  δ_below = (δ Wᵀ) ⊙ act′(a_below).
        Returns a list shaped like ``parameters``: [∂W1 (n_features, units₁), ∂b1, …].
        """
        delta = output_delta(y, activations[-1])
        gradients: list[FloatArray] = [np.empty(0)] * len(self._parameters)
        for layer in range(len(self.weights) - 1, -1, -1):
            a_in = activations[layer]
            gradients[2 * layer], gradients[2 * layer + 1] = layer_gradients(a_in, delta)
            if layer > 0:
                delta = delta_below(delta, self.weights[layer], a_in, self.activation)
        return gradients

    # --- the model's answers --------------------------------------------------------
    def forward(self, X: ArrayLike) -> list[FloatArray]:
        """Every layer's activations, input first.

        Returns
        -------
        list of ndarray
            [x (n, n_features), h¹ (n, units₁), …, output (n, 1) for σ or (n, K) for softmax]
        """
        return self._forward(self.inputs(X, allow_empty=True))[0]

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
        X = self.inputs(X)
        labels = self._targets(y, X.shape[0])
        return self._output_log_likelihood(labels, self._forward(X)[1])

    def gradient(self, X: ArrayLike, y: ArrayLike) -> list[FloatArray]:
        """∂LL/∂θ by backpropagation: a list shaped like ``parameters`` ([∂W1, ∂b1, …])."""
        X = self.inputs(X)
        labels = self._targets(y, X.shape[0])
        return self._backward(self._forward(X)[0], labels)

    # --- used by GradientAscent (inputs already validated) ----------------------------
    def _log_likelihood_and_gradient(self, X: FloatArray, y: NDArray[np.int64]
                                     ) -> tuple[float, list[FloatArray], NDArray[np.int64]]:
        activations, logits = self._forward(X)
        return (self._output_log_likelihood(y, logits), self._backward(activations, y),
                self._predictions(activations[-1]))

    def _log_likelihood_and_predictions(self, X: FloatArray, y: NDArray[np.int64]
                                        ) -> tuple[float, NDArray[np.int64]]:
        activations, logits = self._forward(X)
        return self._output_log_likelihood(y, logits), self._predictions(activations[-1])

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
                                    y, scratch, with_gradient, gaussian=self.regression)

    def _batch_terms(self, X: FloatArray, y: NDArray[np.int64]
                     ) -> tuple[float, list[FloatArray], int]:
        """LL(θ), [∂LL/∂W1, ∂LL/∂b1, …] and the number of correct predictions on one
        mini-batch (validated): the same numbers as ``_log_likelihood_and_gradient`` with
        fewer numpy calls (core/fast/batch_kernel.py), which is what a small batch costs."""
        return network_batch_terms(self._parameters, self.activation, X, y)

    def __repr__(self) -> str:
        return (f"NeuralNetwork(n_features={self.n_features}, "
                f"hidden_units={self.hidden_units}, activation={self.activation!r}, "
                f"n_classes={self.n_classes}, seed={self.seed}, init={self.init!r}"
                + (f", features={self.features})" if self.features else ")"))
