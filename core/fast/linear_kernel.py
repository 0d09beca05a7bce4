"""Linear regression's LL and ∂LL/∂θ for the training loop, made fast.

The same math as :func:`core.regression.linear_regression_gradient` and
:func:`core.formulas.gaussian_log_likelihood` (to a few ulps), through a design matrix
(1, xᵢ) built once per training set, so that ŷ = X̃θ and ∂LL/∂θ = X̃ᵀ(y − ŷ) are one
matrix-vector product each.

Tested equal to the formulas in tests/test_regression.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.formulas import LOG_SQRT_2PI

FloatArray = NDArray[np.float64]


class LinearKernel:
    """The design matrix X̃ = (1, X) of one training set and a residual buffer (built for
    one X and one y, checked by identity; they must not be changed in place)."""

    def __init__(self, X: FloatArray, y: FloatArray) -> None:
        self.X = X
        self.y = y
        self.design = np.empty((X.shape[0], X.shape[1] + 1))
        self.design[:, 0] = 1.0
        self.design[:, 1:] = X
        self.residual = np.empty(X.shape[0])


def linear_ascent_terms(theta: FloatArray, X: FloatArray, y: FloatArray,
                        scratch: dict[str, Any], with_gradient: bool = True
                        ) -> tuple[float, list[FloatArray], int]:
    """LL(θ) = −Σᵢ(yᵢ − θᵀxᵢ)²/2 − n·log √(2π), [∂LL/∂θ] (``[]`` without gradient) and 0
    (a regression has no correct count).

    Parameters
    ----------
    theta : ndarray, shape (m + 1,)
        θ₀ (bias) then θ₁ … θₘ.
    X : ndarray, shape (n, m)
        Validated inputs (x₀ = 1 is implied).
    y : ndarray, shape (n,)
        Real targets.
    scratch : dict
        Kept by the caller for this X and y: holds a :class:`LinearKernel` under "linear".
    with_gradient : bool
        Without it only LL is computed.
    """
    kernel = scratch.get("linear")
    if not isinstance(kernel, LinearKernel) or kernel.y is not y or kernel.X is not X:
        kernel = scratch["linear"] = LinearKernel(X, y)
    residual = np.matmul(kernel.design, theta, out=kernel.residual)
    np.subtract(y, residual, out=residual)  # yᵢ − θᵀxᵢ
    ll = float(-0.5 * np.dot(residual, residual) - residual.shape[0] * LOG_SQRT_2PI)
    if not with_gradient:
        return ll, [], 0
    return ll, [np.matmul(residual, kernel.design)], 0
