"""θ for models of the form θᵀx: θ₀ is the bias (x₀ = 1 is inserted), θ₁ … θₘ the weights.

Logistic regression (ŷ = σ(θᵀx)) and linear regression (ŷ = θᵀx) share this; they differ
only in what they do with θᵀx (``core.logistic``, ``core.regression``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.features import check_model_features, model_inputs

FloatArray = NDArray[np.float64]


class ThetaModel:
    """θ with m + 1 entries, starting at 0 as in the lecture.

    Parameters
    ----------
    n_features : int
        m, the number of inputs. With engineered ``features`` it counts them:
        m = 2 + len(features).
    features : sequence of str
        Engineered inputs of the plane (:data:`core.features.FEATURES`) after x₁ and x₂;
        every method then also accepts raw (n, 2) points and expands them.
    """

    features: tuple[str, ...] = ()  # (instances set their own; this serves older pickles)

    def __init__(self, n_features: int, features: Sequence[str] = ()) -> None:
        if int(n_features) < 1:
            raise ValueError(f"n_features must be at least 1, got {n_features}")
        self.n_features = int(n_features)
        self.features = check_model_features(self.n_features, tuple(features))
        self._theta = np.zeros(self.n_features + 1)

    @property
    def theta(self) -> FloatArray:
        """θ₀ (bias) then θ₁ … θₘ, shape (n_features + 1,). Settable."""
        return self._theta

    @theta.setter
    def theta(self, value: ArrayLike) -> None:
        arr = np.asarray(value, dtype=np.float64)
        if arr.shape != self._theta.shape:
            raise ValueError(f"theta must have shape {self._theta.shape}, got {arr.shape}")
        self._theta[...] = arr

    @property
    def parameters(self) -> list[FloatArray]:
        """The model's own arrays ([θ]); changing one in place changes the model."""
        return [self._theta]

    @property
    def n_weights(self) -> int:
        """θ₁ … θₘ."""
        return self.n_features

    @property
    def n_biases(self) -> int:
        """θ₀."""
        return 1

    @property
    def weight_slices(self) -> list[slice | None]:
        """Per parameter array, the entries a prior penalises: θ₁ … θₘ, not the bias θ₀."""
        return [slice(1, None)]

    def inputs(self, X: ArrayLike, allow_empty: bool = False) -> FloatArray:
        """X validated as this model's input, shape (n, n_features): raw (n, 2) points of
        the plane are expanded with the model's engineered features."""
        return model_inputs(X, self.n_features, self.features, allow_empty)

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """θᵀx for each example (x₀ = 1 inserted). Shape (n,)."""
        X = self.inputs(X, allow_empty=True)
        return X @ self._theta[1:] + self._theta[0]
