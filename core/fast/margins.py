"""The log-likelihood and yᵢ − σ(zᵢ) of σ outputs, made fast: margins, log1p, incremental exp.

The same math as :func:`core.formulas.sigmoid` and
:func:`core.formulas.bernoulli_log_likelihood`, reorganised for the training loop's hot
path. ``GradientAscent`` evaluates LL and ∂LL/∂θ thousands of times a second. The helpers
below compute exactly those quantities (to a few ulps) with fewer passes over memory and
fewer calls to exp/log (which are scalar, ~5-10 ns per number, on CPUs without AVX-512),
writing into buffers that the caller reuses from one step to the next.

Tested equal to the formulas in tests/test_core_kernels.py.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: MarginKernel.margin_terms(from_previous=True) needs every |Δtᵢ| below this.
INCREMENTAL_MAX_CHANGE = 1e-3
#: ... and e^(−|t|) is computed afresh after this many such updates in a row.
INCREMENTAL_REFRESH = 8
#: Merge halves (see sum_log1p) while each half still has at least this many numbers.
_LOG1P_MERGE_MIN = 256
#: Values after k merges are below 2**(2**k): keep them far from overflow.
_LOG1P_MAX_LEVELS = 8


def sigmoid_into(z: NDArray[np.floating[Any]], out: NDArray[np.floating[Any]]
                 ) -> NDArray[np.floating[Any]]:
    """out = σ(z) = 1 / (1 + e^(−z)) in four in-place passes (hidden layers' hot path).

    Accurate to a few ulps in relative terms for every z, like
    :func:`core.formulas.sigmoid`, except that for z < −709 e^(−z) overflows to inf and σ
    comes out 0 instead of a number below 1e−308: call it under
    ``np.errstate(over="ignore")``. ``out`` may be ``z``.
    """
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)  # (np.reciprocal has no AVX2 loop: 2x slower)


def log1p_levels(n: int) -> int:
    """How many times sum_log1p should merge halves of n numbers (0 for small n)."""
    levels = 0
    while levels < _LOG1P_MAX_LEVELS and (n >> (levels + 1)) >= _LOG1P_MERGE_MIN:
        levels += 1
    return levels


def sum_log1p(x: FloatArray, levels: int, scratch: FloatArray, merged: FloatArray,
              one_plus_x: FloatArray | None = None) -> float:
    """Σᵢ log(1 + xᵢ) for xᵢ ≥ 0; len(x) must be a multiple of 2**levels. x is unchanged.

    log(1 + a) + log(1 + b) = log(1 + (a + b + a·b)). Every term is ≥ 0, so merging the two
    halves of x ``levels`` times costs a few ulps, and log1p (the slowest ufunc here) then
    runs on 2**levels times fewer numbers. Zero padding is harmless: merging 0 and 0 gives 0.
    The merges are written into ``merged`` (len(x) numbers), with ``scratch`` (len(x) // 2)
    for the products. Given ``one_plus_x`` (1 + xᵢ, at least the first len(x) // 2 of them),
    the first merge is a + b·(1 + a), one pass fewer.
    """
    m = x.shape[0]
    if levels == 0:
        np.copyto(merged[:m], x)
    for level in range(levels):
        m //= 2
        if level == 0:  # from x into merged
            a, b, out = x[:m], x[m:2 * m], merged[:m]
            if one_plus_x is not None:
                np.multiply(b, one_plus_x[:m], out=out)
            else:
                np.multiply(a, b, out=out)
                out += b
            out += a
            continue
        a, b, ab = merged[:m], merged[m:2 * m], scratch[:m]
        np.multiply(a, b, out=ab)
        a += b
        a += ab
    head = merged[:m]
    np.log1p(head, out=head)
    return float(head.sum())


def multiply_by_exp_of_small(e: FloatArray, delta: FloatArray, scratch: FloatArray,
                             degree: int = 4) -> None:
    """e ← e·e^δ for small δ, by the Taylor polynomial e^δ ≈ Σₖ δᵏ/k! up to ``degree``.

    Degree 4 is exact to float64's resolution for |δ| ≤ 1e−3 (the next term, δ⁵/120, is
    ≤ 8.4e−18) and degree 6 for |δ| ≤ 1e−2 (δ⁷/5040 ≤ 2e−18): 2·degree + 1 multiply/add
    passes, about a third to a half of one call to np.exp on CPUs without AVX-512.
    """
    p = np.multiply(delta, 1.0 / math.factorial(degree), out=scratch)
    for k in range(degree - 1, 0, -1):
        p += 1.0 / math.factorial(k)
        p *= delta
    p += 1.0
    e *= p


class MarginKernel:
    """LL, σ(−tᵢ) and correct predictions from the margins tᵢ = sᵢ·zᵢ, for fixed labels y.

    sᵢ = +1 if yᵢ = 1 and −1 if yᵢ = 0, so that P(Y = yᵢ | xᵢ) = σ(tᵢ). With
    eᵢ = e^(−|tᵢ|) ∈ (0, 1] (a single exp per example):

        log P(Y = yᵢ | xᵢ) = log σ(tᵢ) = min(tᵢ, 0) − log(1 + eᵢ)
        yᵢ − σ(zᵢ)         = sᵢ·σ(−tᵢ) = sᵢ·(1 if wrongᵢ else eᵢ) / (1 + eᵢ)

    where wrongᵢ ⇔ [zᵢ > 0] ≠ yᵢ ⇔ tᵢ < 0, or tᵢ = 0 with yᵢ = 1 (the prediction at z = 0 is
    0). Both forms keep full relative precision, so they agree with
    :func:`core.formulas.bernoulli_log_likelihood`, ``y − sigmoid(z)`` and
    ``[zᵢ > 0] == yᵢ`` to a few ulps. Buffers are reused between calls (one thread: on CPUs
    whose two threads share a core, splitting the work over them measured no faster).
    """

    def __init__(self, y: NDArray[np.int64]) -> None:
        n = y.shape[0]
        self.y = y  # kept so that callers can check they still hold the same labels
        self.sign = np.where(y == 1, 1.0, -1.0)
        # wrongᵢ ⇔ tᵢ < thresholdᵢ; for y = 1 the threshold is the smallest positive double,
        # so that t = 0 counts as wrong (no double lies strictly between 0 and it).
        self.threshold = np.where(y == 1, np.finfo(np.float64).smallest_subnormal, 0.0)
        self.margin = np.empty(n)
        self.is_wrong = np.empty(n, dtype=bool)
        self.wrong = np.empty(n)  # is_wrong as 0.0 / 1.0
        self.denominator = np.empty(n)
        self.complement = np.empty(n)  # σ(−tᵢ)
        self.levels = log1p_levels(n)
        padded = -(-n // (1 << self.levels)) << self.levels
        self.e_padded = np.zeros(padded)  # entries past n stay 0 for sum_log1p
        self.e = self.e_padded[:n]
        self.merge_scratch = np.empty(padded // 2)
        self.merged = np.empty(padded)  # sum_log1p's merges: e is kept for the next call
        self.abs_margin = np.empty(n)  # |tᵢ| of the margins e holds e^(−|tᵢ|) for
        self.abs_next = np.empty(n)

    def margin_terms(self, t: FloatArray, with_complement: bool = True,
                     from_previous: bool = False) -> tuple[float, FloatArray, int]:
        """(Σ log σ(tᵢ), σ(−t) (a reused buffer; unset unless with_complement), n correct).

        ``from_previous``: the caller guarantees that every tᵢ differs from the previous
        call's by at most ``INCREMENTAL_MAX_CHANGE``; then eᵢ = e^(−|tᵢ|) is updated from the
        previous eᵢ as eᵢ·e^(|tᵢ,previous| − |tᵢ|) with a short polynomial (no exp): each
        such update adds at most ~2 ulps of rounding to eᵢ, so callers should compute it
        afresh every few calls (see ``INCREMENTAL_REFRESH``).
        """
        e, wrong, denominator, q = self.e, self.wrong, self.denominator, self.complement
        abs_t = np.abs(t, out=self.abs_next)
        if from_previous:
            delta = np.subtract(self.abs_margin, abs_t, out=denominator)
            multiply_by_exp_of_small(e, delta, q)
        else:
            np.negative(abs_t, out=e)
            np.exp(e, out=e)
        self.abs_next, self.abs_margin = self.abs_margin, abs_t
        np.less(t, self.threshold, out=self.is_wrong)
        n_wrong = int(np.count_nonzero(self.is_wrong))
        np.copyto(wrong, self.is_wrong)
        misclassified_margins = float(np.dot(t, wrong))  # Σ min(tᵢ, 0)
        if not with_complement:
            log_terms = sum_log1p(self.e_padded, self.levels, self.merge_scratch,
                                  self.merged)
            return misclassified_margins - log_terms, q, t.shape[0] - n_wrong
        np.add(e, 1.0, out=denominator)
        np.maximum(e, wrong, out=q)
        q /= denominator
        log_terms = sum_log1p(self.e_padded, self.levels, self.merge_scratch, self.merged,
                              denominator)
        return misclassified_margins - log_terms, q, t.shape[0] - n_wrong


class BernoulliKernel(MarginKernel):
    """MarginKernel for logits zᵢ: LL, the residuals yᵢ − σ(zᵢ) and correct predictions."""

    def __init__(self, y: NDArray[np.int64]) -> None:
        super().__init__(y)
        self.residual = self.complement

    def evaluate(self, z: FloatArray, with_residual: bool = True
                 ) -> tuple[float, FloatArray, int]:
        """(LL, residual y − σ(z) (a reused buffer; unset if not with_residual), n correct)."""
        t = np.multiply(z, self.sign, out=self.margin)
        ll, residual, n_correct = self.margin_terms(t, with_residual)
        if with_residual:
            residual *= self.sign
        return ll, residual, n_correct
