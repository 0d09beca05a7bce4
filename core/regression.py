"""Regression: the lecture's MLE when Y is a real number with Gaussian noise.

Y = ŷ(x) + ε with ε ~ N(0, σ²) and σ = 1, so the log-likelihood of the training set is

    LL(θ) = Σᵢ log N(yᵢ; ŷ(xᵢ), 1) = −Σᵢ (yᵢ − ŷᵢ)²/2 − n·log √(2π)

(:func:`core.formulas.gaussian_log_likelihood`): maximising it is least squares. Its
gradient has the lecture's shape, ∂LL/∂θⱼ = Σᵢ (yᵢ − ŷᵢ) xᵢⱼ, and gradient *ascent* on it
is the same loop as for logistic regression (``core.training.GradientAscent``).

* :class:`LinearRegression`: ŷ = θᵀx, logistic regression without the σ.
* :class:`RegressionNetwork`: a network whose output unit is linear, ŷ = hW + b; its
  hidden layers are those of :class:`core.network.NeuralNetwork`.

Both have ``regression = True`` (the trainer then validates real targets and records R²
instead of accuracy) and ``n_classes = 0`` (there are no classes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.fast.linear_kernel import linear_ascent_terms
from core.formulas import gaussian_log_likelihood
from core.network import NeuralNetwork
from core.theta import ThetaModel
from core.validation import check_targets

FloatArray = NDArray[np.float64]


def linear_regression_gradient(X: FloatArray, y: FloatArray, theta: FloatArray
                               ) -> FloatArray:
    """∂LL/∂θⱼ = Σᵢ (yᵢ − θᵀxᵢ) xᵢⱼ for every j at once, with xᵢ₀ = 1 (σ = 1).

    Parameters
    ----------
    X : ndarray, shape (n, m), inputs (x₀ is implied)
    y : ndarray, shape (n,), real targets
    theta : ndarray, shape (m + 1,)

    Returns
    -------
    ndarray, shape (m + 1,)
    """
    residual = y - (X @ theta[1:] + theta[0])
    gradient = np.empty_like(theta)
    gradient[0] = residual.sum()
    gradient[1:] = X.T @ residual
    return gradient


class LinearRegression(ThetaModel):
    """ŷ = θᵀx (x₀ = 1 inserted), trained by gradient ascent on the Gaussian LL.

    Parameters
    ----------
    n_features : int
        m, the number of inputs (2 + len(features) with engineered features).
    features : sequence of str
        Engineered inputs of the plane after x₁ and x₂ (see :mod:`core.features`).

    Attributes
    ----------
    theta : ndarray, shape (n_features + 1,)
        θ₀ (bias) then θ₁ … θₘ; starts at 0 like logistic regression's. Settable.
    """

    n_classes = 0
    regression = True

    # --- the model's answers --------------------------------------------------------
    def predict(self, X: ArrayLike) -> FloatArray:
        """ŷ = θᵀx for each example (no σ: the output is the weighted input). Shape (n,)."""
        return self.decision_function(X)

    def log_likelihood(self, X: ArrayLike, y: ArrayLike) -> float:
        """LL(θ) = −Σᵢ (yᵢ − θᵀxᵢ)²/2 − n·log √(2π): a sum, not a mean."""
        X = self.inputs(X)
        return gaussian_log_likelihood(check_targets(y, X.shape[0]), self.predict(X))

    def gradient(self, X: ArrayLike, y: ArrayLike) -> FloatArray:
        """∂LL/∂θⱼ = Σᵢ (yᵢ − θᵀxᵢ) xᵢⱼ. Shape (n_features + 1,), like θ."""
        X = self.inputs(X)
        return linear_regression_gradient(X, check_targets(y, X.shape[0]), self._theta)

    # --- used by GradientAscent (inputs already validated) ----------------------------
    def _log_likelihood_and_gradient(self, X: FloatArray, y: FloatArray
                                     ) -> tuple[float, list[FloatArray], FloatArray]:
        """LL(θ), [∂LL/∂θ] and the predictions ŷ, for validated inputs."""
        y_hat = X @ self._theta[1:] + self._theta[0]
        return (gaussian_log_likelihood(y, y_hat),
                [linear_regression_gradient(X, y, self._theta)], y_hat)

    def _log_likelihood_and_predictions(self, X: FloatArray, y: FloatArray
                                        ) -> tuple[float, FloatArray]:
        y_hat = X @ self._theta[1:] + self._theta[0]
        return gaussian_log_likelihood(y, y_hat), y_hat

    def _ascent_terms(self, X: FloatArray, y: FloatArray, scratch: dict[str, Any],
                      with_gradient: bool = True) -> tuple[float, list[FloatArray], int]:
        """LL(θ), [∂LL/∂θ] (``[]`` without gradient) and 0: the training loop's fast path,
        core/fast/linear_kernel.py (the same numbers as the plain formulas)."""
        return linear_ascent_terms(self._theta, X, y, scratch, with_gradient)

    def __repr__(self) -> str:
        features = f", features={self.features}" if self.features else ""
        return (f"LinearRegression(n_features={self.n_features}{features}, "
                f"theta={self._theta!r})")


class RegressionNetwork(NeuralNetwork):
    """A network whose single output unit is linear: ŷ = Σⱼ hⱼ θ⁽ŷ⁾ⱼ + θ⁽ŷ⁾₀ (no σ).

    Trained on the Gaussian LL −Σᵢ (yᵢ − ŷᵢ)²/2 − n·log √(2π); the output's δ is y − ŷ,
    the same expression as a σ output's, so backpropagation is unchanged. Parameters as
    :class:`core.network.NeuralNetwork`, without ``n_classes``.
    """

    regression = True

    def __init__(self, n_features: int, hidden_units: Sequence[int] = (8,),
                 activation: str = "sigmoid", seed: int = 0, init: str = "random",
                 features: Sequence[str] = ()) -> None:
        super().__init__(n_features, hidden_units, activation, n_classes=2, seed=seed,
                         init=init, features=features)
        self.n_classes = 0  # one real output, no classes

    def _output(self, h: FloatArray, weights: FloatArray, bias: FloatArray
                ) -> tuple[FloatArray, FloatArray]:
        """ŷ = z = hW + b, shape (n, 1): the output is the weighted sum itself."""
        z = h @ weights + bias
        return z, z

    def _output_log_likelihood(self, y: NDArray[Any], logits: FloatArray) -> float:
        """LL = −Σᵢ (yᵢ − ŷᵢ)²/2 − n·log √(2π) (:func:`gaussian_log_likelihood`)."""
        return gaussian_log_likelihood(y, logits[:, 0])

    def _targets(self, y: ArrayLike, n_examples: int) -> NDArray[Any]:
        """y validated as real targets."""
        return check_targets(y, n_examples)

    @staticmethod
    def _predictions(output: FloatArray) -> Any:
        """ŷ for every example, shape (n,)."""
        return output[:, 0].copy()

    def predict(self, X: ArrayLike) -> Any:
        """ŷ for every example, shape (n,), float64."""
        return self.forward(X)[-1][:, 0].copy()

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Not defined: a regression predicts numbers, not class probabilities."""
        raise TypeError("a regression network has no class probabilities; use predict()")

    def __repr__(self) -> str:
        return (f"RegressionNetwork(n_features={self.n_features}, "
                f"hidden_units={self.hidden_units}, activation={self.activation!r}, "
                f"seed={self.seed}, init={self.init!r}"
                + (f", features={self.features})" if self.features else ")"))
