"""The lecture's formulas as the tooltips write them, in one place.

Every control and view that stands for a formula takes its text from here, so the whole
window writes σ, LL, ∂LL/∂θⱼ, the update, hⱼ and ŷ the same way (CS109 lecture 26's
notation: x₀ = 1, θᵀx, superscript (i) for the i-th example). :func:`tip` makes a tooltip
of one formula and one sentence.
"""

from __future__ import annotations

import html

#: the sigmoid, σ(z) = 1/(1 + e⁻ᶻ)
SIGMOID = "σ(z) = 1 / (1 + e⁻ᶻ)"
#: logistic regression's prediction
PROBABILITY = "ŷ = P(Y=1|x) = σ(θᵀx)"
#: the class predicted from ŷ (its boundary θᵀx = 0)
PREDICTION = "class 1 iff ŷ > 0.5, i.e. θᵀx > 0"
#: the log-likelihood gradient ascent climbs
LOG_LIKELIHOOD = "LL(θ) = Σᵢ y⁽ⁱ⁾ log ŷ⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) log(1 − ŷ⁽ⁱ⁾)"
#: its gradient
GRADIENT = "∂LL(θ)/∂θⱼ = Σᵢ [y⁽ⁱ⁾ − σ(θᵀx⁽ⁱ⁾)] xⱼ⁽ⁱ⁾"
#: one step of gradient ascent
UPDATE = "θⱼ += η · ∂LL(θ)/∂θⱼ"
#: a hidden unit of a network (σ or another activation)
HIDDEN_UNIT = "hⱼ = σ(Σᵢ xᵢ θ⁽ʰ⁾ᵢ,ⱼ)"
#: a network's output: logistic regression on the hidden units
OUTPUT = "ŷ = σ(Σⱼ hⱼ θ⁽ŷ⁾ⱼ)"
#: the output of more than two classes
SOFTMAX = "P(Y=k|x) = exp(zₖ) / Σₗ exp(zₗ)"
#: regression (a linear output) and its Gaussian log-likelihood
REGRESSION = "ŷ = θᵀx"
GAUSSIAN_LL = "LL(θ) = −Σᵢ (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾)² / 2 + const"
#: the share of points classified right
ACCURACY = "accuracy = (1/n) Σᵢ 1[predicted class⁽ⁱ⁾ = y⁽ⁱ⁾]"
#: a mini-batch's update
MINI_BATCH = "θⱼ += η · Σ_{i ∈ batch} [y⁽ⁱ⁾ − ŷ⁽ⁱ⁾] xⱼ⁽ⁱ⁾"
#: the update with "average over examples" on
AVERAGE_UPDATE = "θⱼ += η · (1/B) Σᵢ [y⁽ⁱ⁾ − ŷ⁽ⁱ⁾] xⱼ⁽ⁱ⁾"
#: momentum
MOMENTUM = "v ← μv + η ∇LL(θ),  θ += v"
#: the stopping rule on the change of LL
TOLERANCE = "stop when |LL(θₖ₊₁) − LL(θₖ)| < tol"


def tip(formula: str, sentence: str) -> str:
    """A rich-text tooltip: ``formula`` on one unbroken line, then one ``sentence`` wrapped
    to (at least) the formula's width (both plain text)."""
    return (f"<p style='margin:0; white-space:pre'><b>{html.escape(formula, quote=False)}"
            f"</b></p><p style='margin:0'>{html.escape(sentence, quote=False)}</p>")
