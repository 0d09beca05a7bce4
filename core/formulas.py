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


def linear(z: ArrayLike) -> FloatArray:
    """linear(z) = z; an optional hidden activation (stacked linear layers stay linear:
    W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂))."""
    return np.array(z, dtype=np.float64)


def linear_derivative(a: ArrayLike) -> FloatArray:
    """d linear/dz = 1 everywhere (written in terms of a = z, like the others)."""
    return np.ones_like(np.asarray(a, dtype=np.float64))


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


ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


def activate(name: str, z: FloatArray) -> FloatArray:
    """Apply the hidden activation ``name`` ("sigmoid", "tanh", "relu" or "linear") to z."""
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return tanh(z)
    if name == "relu":
        return relu(z)
    if name == "linear":
        return linear(z)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")


def activation_derivative(name: str, a: FloatArray) -> FloatArray:
    """d activation/dz written in terms of the activation's output a."""
    if name == "sigmoid":
        return sigmoid_derivative(a)
    if name == "tanh":
        return tanh_derivative(a)
    if name == "relu":
        return relu_derivative(a)
    if name == "linear":
        return linear_derivative(a)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")


# --- regression: the log-likelihood under Gaussian noise --------------------------------

LOG_SQRT_2PI = 0.5 * float(np.log(2.0 * np.pi))
"""log √(2π): the constant of a Gaussian's log density with σ = 1."""


def gaussian_log_likelihood(y: ArrayLike, y_hat: ArrayLike) -> float:
    """LL = Σᵢ log N(yᵢ; ŷᵢ, σ² = 1) = −Σᵢ (yᵢ − ŷᵢ)²/2 − n·log √(2π).

    The lecture's MLE with Y = ŷ(x) + ε, ε ~ N(0, σ²), σ = 1: maximising LL is minimising
    the squared error Σ(yᵢ − ŷᵢ)², and ∂LL/∂ŷᵢ = yᵢ − ŷᵢ, the same "y − ŷ" as
    logistic regression's. The constant makes LL a true log density (per example it is
    comparable between training and test sets); it has no gradient.

    Parameters
    ----------
    y : array_like, shape (n,), real targets
    y_hat : array_like, shape (n,), the predictions ŷᵢ
    """
    residual = np.asarray(y, dtype=np.float64) - np.asarray(y_hat, dtype=np.float64)
    return float(-0.5 * np.dot(residual, residual) - residual.shape[0] * LOG_SQRT_2PI)


def squared_error_from_log_likelihood(ll: float, n: int) -> float:
    """Σᵢ (yᵢ − ŷᵢ)² = −2·(LL + n·log √(2π)), the inverse of gaussian_log_likelihood."""
    return -2.0 * (float(ll) + int(n) * LOG_SQRT_2PI)


def r_squared(squared_error: float, total: float) -> float:
    """R² = 1 − Σ(yᵢ − ŷᵢ)² / Σ(yᵢ − ȳ)²: 1 is a perfect fit, 0 is no better than
    predicting the mean ȳ, negative is worse. NaN when Σ(yᵢ − ȳ)² = 0 (constant targets)."""
    if not total > 0.0:
        return float("nan")
    return 1.0 - float(squared_error) / float(total)


# --- regularization: a prior on θ (MAP instead of MLE) --------------------------------


def l2_penalty(weights: list[FloatArray], rate: float) -> float:
    """λ‖θ‖² = λ Σⱼ θⱼ² over the penalised weights (biases are not passed in).

    Maximising LL(θ) − λ‖θ‖² is MAP estimation with the Gaussian prior θⱼ ~ N(0, 1/(2λ)),
    whose log density is −λθⱼ² + const.
    """
    return float(rate) * float(sum(np.dot(w.ravel(), w.ravel()) for w in weights))


def l2_penalty_gradient(weights: FloatArray, rate: float) -> FloatArray:
    """∂(−λ‖θ‖²)/∂θ = −2λθ for one array of penalised weights (same shape)."""
    return -2.0 * float(rate) * weights


def l1_penalty(weights: list[FloatArray], rate: float) -> float:
    """λ‖θ‖₁ = λ Σⱼ |θⱼ| over the penalised weights (biases are not passed in).

    Maximising LL(θ) − λ‖θ‖₁ is MAP estimation with the Laplace prior of scale 1/λ,
    whose log density is −λ|θⱼ| + const; it pushes weights to exactly 0.
    """
    return float(rate) * float(sum(np.abs(w).sum() for w in weights))


def l1_penalty_gradient(weights: FloatArray, rate: float) -> FloatArray:
    """∂(−λ‖θ‖₁)/∂θ = −λ·sign(θ) for one array of penalised weights (a subgradient: 0 at
    θⱼ = 0, where |θⱼ| has no derivative)."""
    return -float(rate) * np.sign(weights)


def map_objective(log_likelihood: float, weights: list[FloatArray], l2: float = 0.0,
                  l1: float = 0.0) -> float:
    """The objective gradient ascent maximises: LL(θ) − λ₂‖θ‖² − λ₁‖θ‖₁ (LL when both
    rates are 0, the lecture's MLE). ``weights``: the penalised arrays (biases excluded)."""
    objective = float(log_likelihood)
    if l2:
        objective -= l2_penalty(weights, l2)
    if l1:
        objective -= l1_penalty(weights, l1)
    return objective
