"""Logistic regression exactly as the lecture writes it.

P(Y=1|x) = σ(θᵀx) with x₀ = 1 inserted so that θ₀ is the bias; θ starts at 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.fast.logistic_kernel import logistic_ascent_terms
from core.formulas import bernoulli_log_likelihood, sigmoid
from core.theta import ThetaModel
from core.validation import check_labels

FloatArray = NDArray[np.float64]


def add_intercept(X: ArrayLike) -> FloatArray:
    """Insert x₀ = 1 before every example: shape (n, m) → (n, m + 1)."""
    X = np.asarray(X, dtype=np.float64)
    return np.hstack([np.ones((X.shape[0], 1)), X])


def logistic_gradient(X: FloatArray, y: NDArray[np.int64] | FloatArray, theta: FloatArray
                      ) -> FloatArray:
    """∂LL/∂θⱼ = Σᵢ [yᵢ − σ(θᵀxᵢ)] xᵢⱼ for every j at once, with xᵢ₀ = 1.

    The whole gradient is computed before any θⱼ changes (the caller updates θ).

    Parameters
    ----------
    X : ndarray, shape (n, m), raw features (x₀ is implied)
    y : ndarray, shape (n,), labels in {0, 1}
    theta : ndarray, shape (m + 1,)

    Returns
    -------
    ndarray, shape (m + 1,)
    """
    residual = y - sigmoid(X @ theta[1:] + theta[0])
    gradient = np.empty_like(theta)
    gradient[0] = residual.sum()
    gradient[1:] = X.T @ residual
    return gradient


class LogisticRegression(ThetaModel):
    """Binary logistic regression trained by gradient ascent on the log-likelihood.

    Parameters
    ----------
    n_features : int
        m, the number of inputs. θ has m + 1 entries: θ₀ (bias, for x₀ = 1), θ₁ … θₘ.
        With engineered ``features`` it counts them: m = 2 + len(features).
    features : sequence of str
        Engineered inputs of the plane (:data:`core.features.FEATURES`) after x₁ and x₂;
        every method then also accepts raw (n, 2) points and expands them.

    Attributes
    ----------
    theta : ndarray, shape (n_features + 1,)
        Initialised to zeros, as in the lecture. Settable.
    """

    n_classes = 2
    regression = False

    # --- the lecture's formulas -------------------------------------------------------
    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """ŷ = P(Y=1|x) = σ(θᵀx). Shape (n,)."""
        return sigmoid(self.decision_function(X))

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """1 iff ŷ > 0.5 (equivalently θᵀx > 0), else 0. Shape (n,). θ never changes here."""
        return (self.decision_function(X) > 0).astype(np.int64)

    def log_likelihood(self, X: ArrayLike, y: ArrayLike) -> float:
        """LL(θ) = Σᵢ yᵢ log σ(θᵀxᵢ) + (1 − yᵢ) log(1 − σ(θᵀxᵢ)): a sum, not a mean."""
        X = self.inputs(X)
        labels = check_labels(y, X.shape[0], 2)
        return bernoulli_log_likelihood(labels, X @ self._theta[1:] + self._theta[0])

    def gradient(self, X: ArrayLike, y: ArrayLike) -> FloatArray:
        """∂LL/∂θⱼ = Σᵢ [yᵢ − σ(θᵀxᵢ)] xᵢⱼ. Shape (n_features + 1,), like θ."""
        X = self.inputs(X)
        labels = check_labels(y, X.shape[0], 2)
        return logistic_gradient(X, labels, self._theta)

    # --- used by GradientAscent (inputs already validated) ----------------------------
    def _log_likelihood_and_gradient(self, X: FloatArray, y: NDArray[np.int64]
                                     ) -> tuple[float, list[FloatArray], NDArray[np.int64]]:
        """One pass: LL(θ), [∂LL/∂θ], and the predicted classes, for validated inputs."""
        z = X @ self._theta[1:] + self._theta[0]
        residual = y - sigmoid(z)
        gradient = np.empty_like(self._theta)
        gradient[0] = residual.sum()
        gradient[1:] = X.T @ residual
        return bernoulli_log_likelihood(y, z), [gradient], (z > 0).astype(np.int64)

    def _log_likelihood_and_predictions(self, X: FloatArray, y: NDArray[np.int64]
                                        ) -> tuple[float, NDArray[np.int64]]:
        z = X @ self._theta[1:] + self._theta[0]
        return bernoulli_log_likelihood(y, z), (z > 0).astype(np.int64)

    def _ascent_terms(self, X: FloatArray, y: NDArray[np.int64], scratch: dict[str, Any],
                      with_gradient: bool = True) -> tuple[float, list[FloatArray], int]:
        """LL(θ), [∂LL/∂θ] (``[]`` without gradient) and the number of correct predictions.

        The training loop's fast path: the same numbers as :func:`logistic_gradient` and
        :func:`bernoulli_log_likelihood` (to a few ulps), made fast in
        core/fast/logistic_kernel.py with buffers kept in ``scratch`` (a dict the caller
        keeps for this X and y).
        """
        return logistic_ascent_terms(self._theta, X, y, scratch, with_gradient)

    def __repr__(self) -> str:
        features = f", features={self.features}" if self.features else ""
        return (f"LogisticRegression(n_features={self.n_features}{features}, "
                f"theta={self._theta!r})")
