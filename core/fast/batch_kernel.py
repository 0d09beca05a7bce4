"""The network's LL, ∂LL/∂θ and correct count for one mini-batch, with few numpy calls.

The same math as ``NeuralNetwork._log_likelihood_and_gradient`` (core/network.py: the
forward pass, :func:`core.network.output_log_likelihood` and backpropagation), for the
small arrays of a mini-batch, where the cost of a step is the number of numpy calls rather
than the arithmetic: no input checks, the softmax's exponentials computed once and reused
for LL, the predictions and δ, activations' derivatives from the activations.

Tested equal (to a few ulps) to the plain path in tests/test_core_kernels.py.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def _activate(name: str, z: FloatArray) -> FloatArray:
    """activation(z) in place; σ written as 1/(1 + e^(−z)), overflow to e^(−z) = inf → 0."""
    if name == "sigmoid":
        with np.errstate(over="ignore"):
            np.negative(z, out=z)
            np.exp(z, out=z)
        z += 1.0
        np.divide(1.0, z, out=z)
    elif name == "tanh":
        np.tanh(z, out=z)
    else:  # relu
        np.maximum(z, 0.0, out=z)
    return z


def _times_derivative(name: str, delta: FloatArray, a: FloatArray) -> None:
    """delta ⊙= act′, written in terms of a = act(z): σ a(1 − a), tanh 1 − a², relu [a > 0]."""
    if name == "sigmoid":
        delta *= a
        delta *= 1.0 - a
    elif name == "tanh":
        delta *= 1.0 - a * a
    else:
        delta *= a > 0.0


def network_batch_terms(parameters: list[FloatArray], activation: str, X: FloatArray,
                        y: NDArray[np.int64]) -> tuple[float, list[FloatArray], int]:
    """LL(θ) = Σᵢ log P(yᵢ|xᵢ), [∂LL/∂W1, ∂LL/∂b1, …] and the number of correct predictions
    on one batch.

    Parameters
    ----------
    parameters : list of ndarray
        [W1 (n_features, units₁), b1 (units₁,), …, W_out (units, 1 or K), b_out].
    activation : {"sigmoid", "tanh", "relu"}
        The hidden activation.
    X : ndarray, shape (B, n_features)
        Validated features.
    y : ndarray, shape (B,)
        Labels in 0..K−1 (0/1 for a σ output).

    Returns
    -------
    ll : float
    gradients : list of ndarray, shaped like ``parameters``
    n_correct : int
        Examples whose most likely class (ŷ > 0.5 for σ) is yᵢ.
    """
    weights, biases = parameters[0::2], parameters[1::2]
    rows = np.arange(y.shape[0])
    activations = [X]
    for w, b in zip(weights[:-1], biases[:-1], strict=True):
        z = activations[-1] @ w
        z += b
        activations.append(_activate(activation, z))
    logits = activations[-1] @ weights[-1]
    logits += biases[-1]
    if logits.shape[1] == 1:  # σ output: LL = Σ y z − log(1 + e^z), δ = y − σ(z)
        z1 = logits[:, 0]
        ll = float(np.sum(y * z1 - np.logaddexp(0.0, z1)))
        delta = _activate("sigmoid", logits.copy())
        n_correct = int(np.count_nonzero((delta[:, 0] > 0.5) == (y == 1)))
        np.subtract(y[:, None], delta, out=delta)
    else:  # softmax: LL = Σ z_y − max − log Σ e^(z − max), δ = onehot(y) − softmax
        top = logits.max(axis=1, keepdims=True)
        logits -= top
        at_label = logits[rows, y]
        n_correct = int(np.count_nonzero(np.argmax(logits, axis=1) == y))
        delta = np.exp(logits)
        total = delta.sum(axis=1, keepdims=True)
        ll = float(at_label.sum() - np.log(total).sum())
        delta /= -total
        delta[rows, y] += 1.0
    gradients: list[FloatArray] = [np.empty(0)] * len(parameters)
    for layer in range(len(weights) - 1, -1, -1):
        a = activations[layer]
        gradients[2 * layer] = a.T @ delta
        gradients[2 * layer + 1] = delta.sum(axis=0)
        if layer > 0:
            delta = delta @ weights[layer].T
            _times_derivative(activation, delta, a)
    return ll, gradients, n_correct
