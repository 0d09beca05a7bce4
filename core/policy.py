"""Defaults and rules every front end shares: which model a spec builds, the default η,
the digits workbench's training defaults, and when a run counts as converged.

The window and ``ascent-lab train`` both call these, so they suggest the same η for the
same data and model (``tests/test_policy.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.features import model_inputs
from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.regression import LinearRegression, RegressionNetwork
from core.specs import ModelSpec, TrainingSettings
from core.validation import check_feature_scale

Model = LogisticRegression | NeuralNetwork | LinearRegression

ACTIVATION_ALPHA: dict[str, float] = {"sigmoid": 2.0, "tanh": 2.0, "relu": 0.5, "linear": 0.5}
"""A network's step on the *mean* gradient for one hidden layer, by hidden activation
(relu's unbounded units need a smaller step). Divided by the number of hidden layers:
every extra layer multiplies the gradients through it (6 layers of tanh at 2 oscillate on
the spiral)."""

DEFAULT_STEPS = 1000
"""Gradient-ascent steps of a run unless told otherwise (``ascent-lab train --steps``)."""

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
        return LogisticRegression(spec.n_features, features=spec.features)
    if spec.kind == "regression":
        return build_regression_model(spec)
    return NeuralNetwork(spec.n_features, spec.hidden_units, spec.activation,
                         n_classes=spec.n_classes, seed=spec.seed, init=spec.init,
                         features=spec.features)


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
                          average: bool = False, momentum: float = 0.0,
                          l2: float = 0.0) -> float:
    """The η a user gets unless they set one: it converges and does not diverge.

    The step on the mean gradient, ``alpha``, is

    * logistic regression: 1/L = :func:`logistic_step_bound`, so LL climbs at every step;
    * a network: ``ACTIVATION_ALPHA[activation] / hidden layers``, shrunk in proportion
      when the inputs are larger than :data:`REFERENCE_SECOND_MOMENT`.

    The lecture's sum gradient over B examples is B times the mean, so η = alpha / B
    (B = all training examples unless ``batch_size`` is smaller); with ``average`` (η
    multiplies the mean) η = alpha. With momentum μ successive steps add up to η/(1 − μ),
    so η is multiplied by (1 − μ) to keep that at the plain step.

    Parameters
    ----------
    spec : ModelSpec
    X_train : array_like, shape (n_train, n_features)
        The training features (with engineered ``spec.features``, the raw (n_train, 2)
        points are expanded here).
    batch_size : int or None
        Examples per step (None: all of them).
    average : bool
        True when η multiplies the mean gradient.
    momentum : float
        μ in [0, 1) (0: the lecture's plain ascent).
    l2 : float
        λ of an L2 prior: its curvature 2λ/n_train is added to the step's bound (see
        :func:`step_with_prior`), so that a large λ does not make the step diverge.

    Raises
    ------
    ValueError
        If X_train holds values too large to train on (the message says to rescale).
    """
    X = np.asarray(X_train, dtype=np.float64)
    if spec.features and X.ndim == 2 and X.shape[1] == spec.n_raw_features:
        X = model_inputs(X, spec.n_features, spec.features, allow_empty=True)
    moment = second_moment(X)
    if spec.kind == "regression":
        alpha = regression_step(spec, moment)
    elif spec.kind == "logistic" or (spec.depth == 0 and spec.n_classes == 2):
        alpha = 4.0 / moment
    elif spec.depth == 0:  # softmax regression: its curvature is at most λmax/2, not /4
        alpha = 2.0 / moment
    else:
        alpha = ACTIVATION_ALPHA[spec.activation] / max(spec.depth, 1)
        alpha *= min(1.0, REFERENCE_SECOND_MOMENT / moment)
        if spec.n_classes > 2:  # K softmax outputs each pass a gradient back: 2/K of it
            alpha *= 2.0 / spec.n_classes
    alpha = step_with_prior(alpha, l2, X.shape[0] if X.ndim == 2 else 0)
    alpha *= 1.0 - float(momentum)
    if average:
        return alpha
    n_train = X.shape[0] if X.ndim == 2 else 0
    per_step = n_train if batch_size is None else min(int(batch_size), n_train)
    return alpha / max(per_step, 1)


# --------------------------------------------------------------------------------------
# The digits workbench
# --------------------------------------------------------------------------------------

DIGITS_BATCH_SIZE = 16
"""Examples per step of a network on the digits (mini-batches, shuffled every epoch)."""

DIGITS_MOMENTUM = 0.95
"""μ of a network on the digits: v ← μv + η·mean gradient, θ += v."""

DIGITS_EPOCHS = 30
"""Passes over the training set of a network on the digits (2,525 steps for the 1,347
training images of the 25 % split)."""

DIGITS_EFFECTIVE_STEP: dict[str, float] = {"sigmoid": 4.0, "tanh": 1.0, "relu": 1.0}
"""η/(1 − μ), the step momentum builds up on the mean gradient, for one hidden layer, by
activation (divided by the number of hidden layers, like :data:`ACTIVATION_ALPHA`): twice
the full-batch α for σ, where the mini-batch noise keeps the larger step stable; tanh at 4
swings between classes (60 % test accuracy), at 1 it reaches 97 %."""


@dataclass(frozen=True)
class DigitsDefaults:
    """How the digits workbench and ``ascent-lab train --preset digits|digits01`` train.

    Attributes
    ----------
    settings : TrainingSettings
        η, batch, average and momentum; ``max_steps`` equals ``steps``.
    steps : int
        Gradient-ascent steps of a default run.
    """

    settings: TrainingSettings
    steps: int


def digits_defaults(spec: ModelSpec, X_train: ArrayLike) -> DigitsDefaults:
    """The training defaults for the 8×8 digits: the lecture's for logistic regression, a
    documented deviation for networks (``docs/digits.md``).

    * Logistic regression (0 versus 1): the lecture's full-batch ascent, η on the sum =
      :func:`default_learning_rate`, :data:`DEFAULT_STEPS` steps. It separates the test
      set perfectly.
    * A network: full-batch ascent tops out at 95.8 % test accuracy on the 25 % split
      (96.2 % with momentum), below the 97.5 % goal: it fits the 1,347 training images
      exactly and stops learning anything that generalises. Mini-batches of
      :data:`DIGITS_BATCH_SIZE` with η on their mean and momentum :data:`DIGITS_MOMENTUM`,
      for :data:`DIGITS_EPOCHS` epochs, reach 97.8 % (98.3 % averaged over five other
      splits and six seeds) in about a quarter of a second.

    Every value is an explicit field of the returned :class:`TrainingSettings`;
    ``learning_rate_auto`` is False for networks, because the engine's automatic η knows
    nothing of this rule.

    Parameters
    ----------
    spec : ModelSpec
        The model (64 features; logistic regression or a network).
    X_train : array_like, shape (n_train, n_features)
        The training features (logistic regression's η depends on them; a network's step
        count on their number).

    Returns
    -------
    DigitsDefaults

    Raises
    ------
    ValueError
        If X_train holds values too large to train on.
    """
    X = np.asarray(X_train, dtype=np.float64)
    if spec.kind == "logistic":
        eta = default_learning_rate(spec, X)
        return DigitsDefaults(TrainingSettings(learning_rate=eta, learning_rate_auto=True,
                                               max_steps=DEFAULT_STEPS), DEFAULT_STEPS)
    n_train = X.shape[0] if X.ndim == 2 else 0
    moment = second_moment(X)
    effective = DIGITS_EFFECTIVE_STEP[spec.activation] / max(spec.depth, 1)
    effective *= min(1.0, REFERENCE_SECOND_MOMENT / moment)
    steps = max(1, DIGITS_EPOCHS * n_train // DIGITS_BATCH_SIZE)
    settings = TrainingSettings(learning_rate=effective * (1.0 - DIGITS_MOMENTUM),
                                learning_rate_auto=False, batch_size=DIGITS_BATCH_SIZE,
                                average=True, momentum=DIGITS_MOMENTUM, max_steps=steps)
    return DigitsDefaults(settings, steps)


def digits_learning_rate(spec: ModelSpec, X_train: ArrayLike, batch_size: int | None,
                         average: bool, momentum: float, l2: float = 0.0) -> float:
    """The suggested η on the digits: the η of :func:`digits_defaults` while the other
    settings are the defaults' (batch, mean or sum, momentum, no prior); once one of them
    differs, the general rule :func:`default_learning_rate` for those settings."""
    defaults = digits_defaults(spec, X_train).settings
    if l2 == 0 and (batch_size, average, momentum) == (
            defaults.batch_size, defaults.average, defaults.momentum):
        return defaults.learning_rate
    return default_learning_rate(spec, X_train, batch_size, average, momentum, l2=l2)


def ll_change_below(log_likelihood: Sequence[float] | NDArray[np.float64],
                    tolerance: float) -> bool:
    """The stop rule: True when the last step changed LL by less than ``tolerance`` nats."""
    if len(log_likelihood) < 2:
        return False
    change = float(log_likelihood[-1]) - float(log_likelihood[-2])
    return bool(np.isfinite(change)) and abs(change) < float(tolerance)



REGRESSION_ALPHA: dict[str, float] = {"sigmoid": 0.4, "tanh": 0.1, "relu": 0.1,
                                      "linear": 0.1}
"""A regression network's step on the mean gradient times λmax(E[x̃x̃ᵀ]), for one hidden
layer, by hidden activation (divided by the number of hidden layers and by λmax). Far
smaller than a classification network's: the linear output's δ = y − ŷ is not bounded by 1
as a σ output's is and has no σ′ ≤ 1/4 to damp it, and relu and linear units grow with x.
Measured: on both regression presets, one to four hidden layers of 8, with and without
engineered features, LL climbs at (almost) every step; at twice these, tanh networks
oscillate."""


def build_regression_model(spec: ModelSpec) -> LinearRegression | RegressionNetwork:
    """Linear regression ŷ = θᵀx (θ = 0) for ``hidden_units=()``, else a network with a
    linear output unit (weights from ``spec.init`` and ``spec.seed``)."""
    if not spec.hidden_units:
        return LinearRegression(spec.n_features, features=spec.features)
    return RegressionNetwork(spec.n_features, spec.hidden_units, spec.activation,
                             seed=spec.seed, init=spec.init, features=spec.features)


def regression_step(spec: ModelSpec, moment: float) -> float:
    """The step on the mean gradient of a regression, given λmax(E[x̃x̃ᵀ]) = ``moment``.

    Linear regression: the mean Gaussian LL (σ = 1) has Hessian −E[x̃x̃ᵀ], so L = λmax and
    1/L climbs at every step (it is the exact maximiser along the top eigenvector). A
    network: ``REGRESSION_ALPHA[activation] / (hidden layers × λmax)``.
    """
    if spec.depth == 0:
        return 1.0 / moment
    return REGRESSION_ALPHA[spec.activation] / (spec.depth * moment)


def step_with_prior(alpha: float, l2: float, n_train: int) -> float:
    """The step on the mean gradient with an L2 prior of rate λ = ``l2``: 1/(1/alpha +
    2λ/n_train). −λ‖θ‖² adds 2λ to the curvature of the summed objective (2λ/n to its
    mean, whatever the batch: the trainer gives a batch of B the share B/n of the prior),
    and 1/alpha is the curvature the step was chosen for. ``alpha`` itself when λ = 0."""
    if not l2 or n_train <= 0:
        return alpha
    return 1.0 / (1.0 / alpha + 2.0 * float(l2) / n_train)
