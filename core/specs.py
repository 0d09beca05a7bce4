"""What to build and how to train it, as plain values.

:class:`ModelSpec` says which model (logistic regression or a network, its sizes,
activation, initialisation and seed); :class:`TrainingSettings` says how gradient ascent
runs (η, batch, average, momentum, speed, stop rule). Both are frozen, compared by value,
and round-trip through plain JSON (``to_dict`` / ``from_dict``), so the window, the
headless trainer and saved sessions all speak the same settings.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from core import formulas

KINDS: tuple[str, ...] = ("logistic", "network")
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
    kind : {"logistic", "network"}
        The lecture's P(Y=1|x) = σ(θᵀx), or logistic regressions stacked into a network.
    n_features : int
        Length of x (2 in the playground, 64 for the 8×8 digits).
    n_classes : int
        2: one σ output unit (the lecture). More: a softmax output (networks only).
    hidden_units : tuple of int
        Units per hidden layer (networks only). None at all: the output layer sees x
        directly, which is softmax regression (logistic regression for K classes).
    activation : {"sigmoid", "tanh", "relu"}
        Hidden activation; σ is the lecture's.
    init : {"random", "zeros"}
        Initial weights of a network (logistic regression always starts at θ = 0).
    seed : int
        Seed of the initial weights and of the mini-batch order.
    """

    kind: str = "logistic"
    n_features: int = 2
    n_classes: int = 2
    hidden_units: tuple[int, ...] = (4,)
    activation: str = "sigmoid"
    init: str = "random"
    seed: int = 0

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
        if self.kind == "logistic" and self.n_classes != 2:
            raise ValueError(f"logistic regression is binary but there are {self.n_classes} "
                             "classes; use a network (softmax output) for more classes")

    @property
    def depth(self) -> int:
        """Number of hidden layers (0 for logistic regression)."""
        return 0 if self.kind == "logistic" else len(self.hidden_units)

    def replace(self, **changes: Any) -> ModelSpec:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only."""
        out = dataclasses.asdict(self)
        out["hidden_units"] = list(self.hidden_units)
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
    """

    learning_rate: float = 0.01
    learning_rate_auto: bool = True
    batch_size: int | None = None
    average: bool = False
    momentum: float = 0.0
    speed: float | None = 100.0
    max_steps: int | None = None
    tolerance: float | None = None

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
