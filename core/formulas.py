"""The lecture's formulas, one small function each.

Every function is vectorized numpy, takes and returns float64 arrays, and is exact and
warning-free for |z| up to 1e6 (no overflow in ``exp``). The training loop's fast versions
of these formulas live in core/fast/ (the same math, made fast, tested equal).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def sigmoid(z: ArrayLike) -> FloatArray:
    """σ(z) = 1 / (1 + e^(−z)).

    Computed as 1/(1+e^(−|z|)) or e^(−|z|)/(1+e^(−|z|)) so ``exp`` never overflows and the
    tails keep full relative precision (σ(−700) is ~1e−304, not 0).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in [0, 1].
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    s = 1.0 / (1.0 + e)
    return np.where(z >= 0, s, e * s)


def sigmoid_derivative(s: ArrayLike) -> FloatArray:
    """dσ/dz = σ(z)·[1 − σ(z)] in terms of s = σ(z) (the lecture's "beautiful derivative")."""
    s = np.asarray(s, dtype=np.float64)
    return s * (1.0 - s)


def log_sigmoid(z: ArrayLike) -> FloatArray:
    """log σ(z) = −log(1 + e^(−z)), exact for large |z| (log σ(−1e6) = −1e6, log σ(1e6) = 0).

    Note log(1 − σ(z)) = log σ(−z), so the log-likelihood needs only this function.
    """
    z = np.asarray(z, dtype=np.float64)
    return -np.logaddexp(0.0, -z)


def tanh(z: ArrayLike) -> FloatArray:
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)); an optional hidden activation."""
    return np.tanh(np.asarray(z, dtype=np.float64))


def tanh_derivative(a: ArrayLike) -> FloatArray:
    """d tanh/dz = 1 − tanh(z)², written in terms of a = tanh(z)."""
    a = np.asarray(a, dtype=np.float64)
    return 1.0 - a * a


def relu(z: ArrayLike) -> FloatArray:
    """relu(z) = max(0, z); an optional hidden activation."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def relu_derivative(a: ArrayLike) -> FloatArray:
    """d relu/dz = 1 if z > 0 else 0, written in terms of a = relu(z)."""
    return (np.asarray(a) > 0).astype(np.float64)


def log_softmax(z: ArrayLike) -> FloatArray:
    """log softmax(z)_k = z_k − log Σ_c e^(z_c), along the last axis, overflow-free.

    The softmax output generalises σ to K classes: with K = 2 and z = (0, θᵀx) it is σ(θᵀx).
    """
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax(z: ArrayLike) -> FloatArray:
    """softmax(z)_k = e^(z_k) / Σ_c e^(z_c), along the last axis, overflow-free."""
    return np.exp(log_softmax(z))


def bernoulli_log_likelihood(y: ArrayLike, z: ArrayLike) -> float:
    """LL = Σᵢ yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ)), with zᵢ = θᵀxᵢ.

    Uses log(1 − σ(z)) = log σ(−z) so that it stays finite for any finite z.

    Parameters
    ----------
    y : array_like, shape (n,), labels in {0, 1}
    z : array_like, shape (n,), the logits θᵀxᵢ
    """
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    return float(np.sum(y * log_sigmoid(z) + (1.0 - y) * log_sigmoid(-z)))


ACTIVATIONS = ("sigmoid", "tanh", "relu")


def activate(name: str, z: FloatArray) -> FloatArray:
    """Apply the hidden activation ``name`` ("sigmoid", "tanh" or "relu") to z."""
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return tanh(z)
    if name == "relu":
        return relu(z)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")


def activation_derivative(name: str, a: FloatArray) -> FloatArray:
    """d activation/dz written in terms of the activation's output a."""
    if name == "sigmoid":
        return sigmoid_derivative(a)
    if name == "tanh":
        return tanh_derivative(a)
    if name == "relu":
        return relu_derivative(a)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")
