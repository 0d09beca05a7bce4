"""What to build and how to train it, as plain values.

:class:`ModelSpec` says which model (logistic regression, a network or a regression, its
sizes, activation, engineered input features, initialisation and seed);
:class:`TrainingSettings` says how gradient ascent runs (η, batch, average, momentum, speed,
stop rule, prior). Both are frozen, compared by value, and round-trip through plain JSON
(``to_dict`` / ``from_dict``), so the window, the headless trainer and saved sessions all
speak the same settings.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from core import features as engineered
from core import formulas

KINDS: tuple[str, ...] = ("logistic", "network", "regression")
ACTIVATIONS: tuple[str, ...] = formulas.ACTIVATIONS
INITS: tuple[str, ...] = ("random", "zeros")


def _fields_from(cls: type, data: Any) -> dict[str, Any]:
    """The known fields of ``data`` (a dict), or ValueError naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__} must be a JSON object, got {type(data).__name__}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {', '.join(unknown)}")
    return dict(data)


def _int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class ModelSpec:
    """Which model to build (see :func:`core.policy.build_model`).

    Attributes
    ----------
    kind : {"logistic", "network", "regression"}
        The lecture's P(Y=1|x) = σ(θᵀx), logistic regressions stacked into a network, or
        a regression: real targets, a linear output ŷ and the Gaussian LL (σ = 1,
        :mod:`core.regression`): ``hidden_units=()`` is linear regression ŷ = θᵀx, hidden
        layers make a network with a linear output unit. ``n_classes`` is ignored.
    n_features : int
        Length of the model's x (2 in the playground, 64 for the 8×8 digits). It counts
        the engineered features: 2 + len(features) when there are any.
    n_classes : int
        2: one σ output unit (the lecture). More: a softmax output (networks only).
    hidden_units : tuple of int
        Units per hidden layer (networks and regressions; ignored by "logistic"). None at
        all: the output layer sees x directly, which is softmax regression (logistic
        regression for K classes), or linear regression for kind "regression".
    activation : {"sigmoid", "tanh", "relu", "linear"}
        Hidden activation; σ is the lecture's. "linear" shows that stacked linear layers
        stay linear.
    init : {"random", "zeros"}
        Initial weights of a network (logistic regression always starts at θ = 0).
    seed : int
        Seed of the initial weights and of the mini-batch order.
    features : tuple of str
        Engineered inputs of the plane after x₁ and x₂ (:data:`core.features.FEATURES`,
        kept in that order; none by default, the lecture's x). With any, ``n_features``
        must be 2 + len(features): use :meth:`with_features` to change both at once.
    """

    kind: str = "logistic"
    n_features: int = 2
    n_classes: int = 2
    hidden_units: tuple[int, ...] = (4,)
    activation: str = "sigmoid"
    init: str = "random"
    seed: int = 0
    features: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        _int(self.n_features, "n_features", 1)
        _int(self.n_classes, "n_classes", 2)
        object.__setattr__(self, "hidden_units", tuple(
            _int(u, "each hidden layer's units", 1) for u in self.hidden_units))
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, "
                             f"got {self.activation!r}")
        if self.init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}, got {self.init!r}")
        _int(self.seed, "seed", 0)
        object.__setattr__(self, "features", engineered.check_feature_names(self.features))
        if self.features and self.n_features != engineered.RAW_FEATURES + len(self.features):
            raise ValueError(
                f"with features {', '.join(self.features)} the model has "
                f"{engineered.RAW_FEATURES + len(self.features)} inputs, got n_features="
                f"{self.n_features}; use spec.with_features(...) to set both")
        if self.kind == "logistic" and self.n_classes != 2:
            raise ValueError(f"logistic regression is binary but there are {self.n_classes} "
                             "classes; use a network (softmax output) for more classes")

    @property
    def depth(self) -> int:
        """Number of hidden layers (0 for logistic regression)."""
        return 0 if self.kind == "logistic" else len(self.hidden_units)

    @property
    def is_regression(self) -> bool:
        """Whether the model predicts real numbers (kind "regression")."""
        return self.kind == "regression"

    @property
    def n_raw_features(self) -> int:
        """Inputs before the engineered features (2 with features, else n_features)."""
        return self.n_features - len(self.features)

    def with_features(self, features: tuple[str, ...] | list[str]) -> ModelSpec:
        """A copy with these engineered features and n_features = 2 + len(features) (the
        plane's x₁, x₂ and the features); () gives back 2 inputs."""
        names = engineered.check_feature_names(features)
        return self.replace(features=names, n_features=engineered.RAW_FEATURES + len(names))

    def replace(self, **changes: Any) -> ModelSpec:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only."""
        out = dataclasses.asdict(self)
        out["hidden_units"] = list(self.hidden_units)
        out["features"] = list(self.features)
        return out

    @classmethod
    def from_dict(cls, data: Any) -> ModelSpec:
        """The inverse of :meth:`to_dict`; ValueError says which field is wrong."""
        fields = _fields_from(cls, data)
        if "hidden_units" in fields:
            units = fields["hidden_units"]
            if not isinstance(units, (list, tuple)):
                raise ValueError(f"hidden_units must be a list of integers, got {units!r}")
            fields["hidden_units"] = tuple(units)
        if "features" in fields:
            names = fields["features"]
            if not isinstance(names, (list, tuple)):
                raise ValueError(f"features must be a list of names, got {names!r}")
            fields["features"] = tuple(names)
        try:
            return cls(**fields)
        except TypeError as exc:
            raise ValueError(f"ModelSpec: {exc}") from None


@dataclass(frozen=True)
class TrainingSettings:
    """How gradient ascent runs. The defaults are the lecture's choices.

    Attributes
    ----------
    learning_rate : float
        η, finite and > 0.
    learning_rate_auto : bool
        True: η follows :func:`core.policy.default_learning_rate` when the data or the
        model change. False: the user set η.
    batch_size : int or None
        None: the whole training set per step (the lecture). B: mini-batches of B.
    average : bool
        False: θ += η·Σᵢ (the lecture). True: θ += η·(1/B)Σᵢ.
    momentum : float
        0 (the lecture) … < 1: v ← μv + η·gradient, θ += v.
    speed : float or None
        Steps per second while running; None: as fast as the machine allows.
    max_steps : int or None
        Stop running at this step.
    tolerance : float or None
        Stop running when one step changes LL by less than this (nats).
    l2 : float
        λ ≥ 0 of an L2 prior (0, the lecture's MLE): maximise LL(θ) − λ‖θ‖², MAP with a
        Gaussian prior on the weights (never the biases).
    l1 : float
        λ ≥ 0 of an L1 prior (0 by default): maximise LL(θ) − λ‖θ‖₁ (a Laplace prior).
    """

    learning_rate: float = 0.01
    learning_rate_auto: bool = True
    batch_size: int | None = None
    average: bool = False
    momentum: float = 0.0
    speed: float | None = 100.0
    max_steps: int | None = None
    tolerance: float | None = None
    l2: float = 0.0
    l1: float = 0.0

    def __post_init__(self) -> None:
        eta = _number(self.learning_rate, "learning_rate")
        if eta <= 0:
            raise ValueError(f"learning_rate η must be > 0, got {self.learning_rate!r}")
        object.__setattr__(self, "learning_rate", eta)
        if not isinstance(self.learning_rate_auto, bool):
            raise ValueError("learning_rate_auto must be true or false")
        if not isinstance(self.average, bool):
            raise ValueError("average must be true or false")
        if self.batch_size is not None:
            _int(self.batch_size, "batch_size", 1)
        momentum = _number(self.momentum, "momentum")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}")
        object.__setattr__(self, "momentum", momentum)
        if self.speed is not None:
            speed = _number(self.speed, "speed")
            if speed <= 0:
                raise ValueError(f"speed must be > 0 steps/s (or None), got {self.speed!r}")
            object.__setattr__(self, "speed", speed)
        if self.max_steps is not None:
            _int(self.max_steps, "max_steps", 0)
        if self.tolerance is not None:
            tolerance = _number(self.tolerance, "tolerance")
            if tolerance <= 0:
                raise ValueError(f"tolerance must be > 0 (or None), got {self.tolerance!r}")
            object.__setattr__(self, "tolerance", tolerance)
        for name in ("l2", "l1"):
            rate = _number(getattr(self, name), name)
            if rate < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
            object.__setattr__(self, name, rate)

    def replace(self, **changes: Any) -> TrainingSettings:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> TrainingSettings:
        """The inverse of :meth:`to_dict`; ValueError says which field is wrong."""
        try:
            return cls(**_fields_from(cls, data))
        except TypeError as exc:
            raise ValueError(f"TrainingSettings: {exc}") from None
