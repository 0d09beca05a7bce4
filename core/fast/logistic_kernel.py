"""Logistic regression's LL, ∂LL/∂θ and correct count for the training loop, made fast.

The same math as :func:`core.logistic.logistic_gradient` and
:func:`core.formulas.bernoulli_log_likelihood` (to a few ulps), computed through a
sign-folded design matrix and :class:`core.fast.margins.MarginKernel`.

Tested equal to the formulas in tests/test_core_kernels.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.fast.margins import INCREMENTAL_MAX_CHANGE, INCREMENTAL_REFRESH, MarginKernel

FloatArray = NDArray[np.float64]

#: Training sets from this size on may use the incremental e^(−|t|) (see LogisticKernel).
INCREMENTAL_MIN_EXAMPLES = 4096


def logistic_ascent_terms(theta: FloatArray, X: FloatArray, y: NDArray[np.int64],
                          scratch: dict[str, Any], with_gradient: bool = True
                          ) -> tuple[float, list[FloatArray], int]:
    """LL(θ), [∂LL/∂θ] (``[]`` without gradient) and the number of correct predictions.

    Parameters
    ----------
    theta : ndarray, shape (m + 1,)
        θ₀ (bias) then θ₁ … θₘ.
    X : ndarray, shape (n, m)
        Validated raw features (x₀ = 1 is implied).
    y : ndarray, shape (n,)
        Labels in {0, 1}.
    scratch : dict
        Kept by the caller for this X and y: holds a :class:`LogisticKernel` under
        "logistic", rebuilt when X or y is another array.
    with_gradient : bool
        Without it only LL and the count are computed.
    """
    kernel = scratch.get("logistic")
    if not isinstance(kernel, LogisticKernel) or kernel.y is not y or kernel.X is not X:
        kernel = scratch["logistic"] = LogisticKernel(X, y)
    t = np.matmul(kernel.design, theta, out=kernel.margin)  # tᵢ = sᵢ·θᵀxᵢ
    ll, complement, n_correct = kernel.margin_terms(
        t, with_gradient, from_previous=kernel.small_change(theta))
    if not with_gradient:
        return ll, [], n_correct
    # Σᵢ [yᵢ − σ(zᵢ)] xᵢ = Σᵢ σ(−tᵢ)·sᵢxᵢ, with xᵢ₀ = 1
    return ll, [np.matmul(complement, kernel.design)], n_correct


class LogisticKernel(MarginKernel):
    """MarginKernel plus the sign-folded design matrix sᵢ·(1, xᵢ) of a training set.

    With it the margins tᵢ = sᵢ·θᵀxᵢ are one matrix-vector product, and the gradient
    Σᵢ [yᵢ − σ(zᵢ)] xᵢ = Σᵢ σ(−tᵢ)·sᵢxᵢ another (sᵢ = ±1: the products are exact). Built
    for one X and one y (checked by identity; they must not be changed in place).
    """

    def __init__(self, X: FloatArray, y: NDArray[np.int64]) -> None:
        super().__init__(y)
        self.X = X
        self.design = np.empty((X.shape[0], X.shape[1] + 1))
        self.design[:, 0] = self.sign
        np.multiply(X, self.sign[:, None], out=self.design[:, 1:])
        # |Δtᵢ| = |sᵢ·xᵢᵀΔθ| ≤ Σⱼ |Δθⱼ|·maxᵢ |xᵢⱼ|: a bound on every margin's change, O(m)
        self.column_max = np.abs(self.design).max(axis=0) if X.shape[0] else None
        self.previous_theta: FloatArray | None = None
        self.updates_in_a_row = 0

    def small_change(self, theta: FloatArray) -> bool:
        """Whether margin_terms may update e^(−|t|) from the last call (and remember θ).

        Near convergence (most of a training run) θ moves so little per step that every
        margin changes by less than INCREMENTAL_MAX_CHANGE; then e^(−|tᵢ|) follows from
        the previous value with a short polynomial instead of np.exp (~3x cheaper, the
        step's largest cost at 100,000 examples). Only for big training sets (the check
        costs a few µs), and afresh every INCREMENTAL_REFRESH steps so rounding cannot
        build up.
        """
        previous, self.previous_theta = self.previous_theta, theta.copy()
        if (previous is None or self.column_max is None
                or self.y.shape[0] < INCREMENTAL_MIN_EXAMPLES
                or self.updates_in_a_row >= INCREMENTAL_REFRESH):
            self.updates_in_a_row = 0
            return False
        bound = float(np.dot(np.abs(theta - previous), self.column_max))
        if not bound <= INCREMENTAL_MAX_CHANGE:  # (also when NaN)
            self.updates_in_a_row = 0
            return False
        self.updates_in_a_row += 1
        return True
