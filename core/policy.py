"""Defaults and rules every front end shares: which model a spec builds, the default η,
and when a run counts as converged.

The window and ``ascent-lab train`` both call these, so they suggest the same η for the
same data and model (``tests/test_policy.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.specs import ModelSpec, TrainingSettings
from core.validation import check_feature_scale

Model = LogisticRegression | NeuralNetwork

ACTIVATION_ALPHA: dict[str, float] = {"sigmoid": 2.0, "tanh": 2.0, "relu": 0.5}
"""A network's step on the *mean* gradient for one hidden layer, by hidden activation
(relu's unbounded units need a smaller step). Divided by the number of hidden layers:
every extra layer multiplies the gradients through it (6 layers of tanh at 2 oscillate on
the spiral)."""

REFERENCE_SECOND_MOMENT = 16.0
"""λmax(E[x̃x̃ᵀ]) up to which a network's step needs no shrinking: every 2-D preset (at
most about 13) and the 8×8 digits (about 11.4) are below it. Larger inputs shrink the step
in proportion (a network's first layer sees x as logistic regression does)."""


def build_model(spec: ModelSpec) -> Model:
    """The model a :class:`~core.specs.ModelSpec` describes, with fresh parameters.

    Logistic regression starts at θ = 0 (the lecture); a network's weights come from
    ``spec.init`` and ``spec.seed``.
    """
    if spec.kind == "logistic":
        return LogisticRegression(spec.n_features)
    return NeuralNetwork(spec.n_features, spec.hidden_units, spec.activation,
                         n_classes=spec.n_classes, seed=spec.seed, init=spec.init)


def second_moment(X: ArrayLike) -> float:
    """λmax(E[x̃x̃ᵀ]) with x̃ = (1, x): the largest eigenvalue of the mean of x̃x̃ᵀ.

    Computed on X divided by its largest |value| and scaled back, so that large but finite
    inputs do not overflow. ``X`` of shape (n, n_features); 1.0 when X is empty.

    Raises
    ------
    ValueError
        If X holds NaN, infinite or too large values (see
        :func:`core.validation.check_feature_scale`).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        return 1.0
    check_feature_scale(X)
    scale = max(float(np.max(np.abs(X))), 1.0)
    X_tilde = np.column_stack([np.full(X.shape[0], 1.0 / scale), X / scale])
    moment = X_tilde.T @ X_tilde / X.shape[0]
    return float(np.linalg.eigvalsh(moment)[-1]) * scale * scale


def logistic_step_bound(X: ArrayLike) -> float:
    """4 / λmax(E[x̃x̃ᵀ]): the largest step on the mean gradient that never overshoots.

    The mean log-likelihood of logistic regression has a gradient that is Lipschitz with
    constant L = λmax(E[x̃x̃ᵀ]) / 4 (σ′ ≤ 1/4), and a step of 1/L climbs LL at every step.
    """
    return 4.0 / second_moment(X)


def default_learning_rate(spec: ModelSpec, X_train: ArrayLike, batch_size: int | None = None,
                          average: bool = False) -> float:
    """The η a user gets unless they set one: it converges and does not diverge.

    The step on the mean gradient, ``alpha``, is

    * logistic regression: 1/L = :func:`logistic_step_bound`, so LL climbs at every step;
    * a network: ``ACTIVATION_ALPHA[activation] / hidden layers``, shrunk in proportion
      when the inputs are larger than :data:`REFERENCE_SECOND_MOMENT`.

    The lecture's sum gradient over B examples is B times the mean, so η = alpha / B
    (B = all training examples unless ``batch_size`` is smaller); with ``average`` (η
    multiplies the mean) η = alpha.

    Parameters
    ----------
    spec : ModelSpec
    X_train : array_like, shape (n_train, n_features)
        The training features.
    batch_size : int or None
        Examples per step (None: all of them).
    average : bool
        True when η multiplies the mean gradient.

    Raises
    ------
    ValueError
        If X_train holds values too large to train on (the message says to rescale).
    """
    X = np.asarray(X_train, dtype=np.float64)
    moment = second_moment(X)
    if spec.kind == "logistic" or (spec.depth == 0 and spec.n_classes == 2):
        alpha = 4.0 / moment
    elif spec.depth == 0:  # softmax regression: its curvature is at most λmax/2, not /4
        alpha = 2.0 / moment
    else:
        alpha = ACTIVATION_ALPHA[spec.activation] / max(spec.depth, 1)
        alpha *= min(1.0, REFERENCE_SECOND_MOMENT / moment)
    if average:
        return alpha
    n_train = X.shape[0] if X.ndim == 2 else 0
    per_step = n_train if batch_size is None else min(int(batch_size), n_train)
    return alpha / max(per_step, 1)


def ll_change_below(log_likelihood: Sequence[float] | NDArray[np.float64],
                    tolerance: float) -> bool:
    """The stop rule: True when the last step changed LL by less than ``tolerance`` nats."""
    if len(log_likelihood) < 2:
        return False
    change = float(log_likelihood[-1]) - float(log_likelihood[-2])
    return bool(np.isfinite(change)) and abs(change) < float(tolerance)


def digits_settings(spec: ModelSpec) -> TrainingSettings:
    """The Digits workbench's (and ``ascent-lab train --preset digits``'s) training
    settings for ``spec``."""
    return TrainingSettings(speed=None)
