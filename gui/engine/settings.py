"""The training engine's settings half: η (set by hand or following the suggestion),
batch, average, momentum, speed and the stop rule, as one :class:`TrainingSettings` value.

A mixin of :class:`gui.engine.engine.TrainingEngine` (it uses the engine's lock, trainer,
signals and model spec); each setter installs a new value and passes what changed to the
live trainer, without waiting for a training step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.policy import default_learning_rate
from core.specs import ModelSpec, TrainingSettings
from core.validation import check_learning_rate

LearningRateRule = Callable[[ModelSpec, NDArray[np.float64], TrainingSettings], float]


class SettingsControl:
    """η, batch, average, momentum, speed and stop rule of a TrainingEngine."""

    _settings: TrainingSettings
    _lock: Any
    _trainer: Any
    _anchor: Any
    _cond: Any
    _spec: Any
    _dataset: Any
    settings_changed: Any
    learning_rate_rule: LearningRateRule | None = None
    """A workbench's own rule for the suggested η (None: core.policy.default_learning_rate)."""
    learning_rate_changed: Any
    speed_changed: Any

    @property
    def settings(self) -> TrainingSettings:
        return self._settings

    def _suggested(self) -> float:
        return self._suggested_for(self._settings)

    def _suggested_for(self, s: TrainingSettings) -> float:
        rule = self.learning_rate_rule
        try:
            if rule is not None:
                return float(rule(self._spec, self._dataset.X_train, s))
            return default_learning_rate(self._spec, self._dataset.X_train, s.batch_size,
                                         s.average, s.momentum, l2=s.l2)
        except ValueError:  # inputs too large: the workbench refused them already
            return s.learning_rate

    def suggested_learning_rate(self) -> float:
        return self._suggested()

    @property
    def learning_rate(self) -> float:
        return self._settings.learning_rate

    @property
    def learning_rate_auto(self) -> bool:
        return self._settings.learning_rate_auto

    def _apply_settings(self, settings: TrainingSettings) -> None:
        """Install new settings and pass what changed to the live trainer."""
        with self._lock:
            self._settings = settings
            trainer = self._trainer
            if trainer is not None:
                trainer.learning_rate = settings.learning_rate
                n = len(trainer.y)
                b = settings.batch_size
                trainer.batch_size = None if b is None or b >= n else b
                trainer.average = settings.average
                trainer.momentum = settings.momentum
                trainer.set_regularization(settings.l2, settings.l1)
            self._anchor = None
            self._cond.notify_all()
        self.settings_changed.emit(settings)

    def set_settings(self, settings: TrainingSettings) -> None:
        """Install every training setting at once (a workbench's defaults, a saved
        session); an automatic η is recomputed for the current data and model."""
        if settings.learning_rate_auto:
            settings = settings.replace(learning_rate=self._suggested_for(settings))
        self._apply_settings(settings)
        self.learning_rate_changed.emit(settings.learning_rate)
        self.speed_changed.emit(settings.speed)

    def set_learning_rate(self, eta: float, auto: bool = False) -> None:
        """Set η (a finite positive number); a manual η stops following the suggestion."""
        eta = check_learning_rate(eta)
        self._apply_settings(self._settings.replace(learning_rate=eta,
                                                    learning_rate_auto=bool(auto)))
        self.learning_rate_changed.emit(eta)

    def use_suggested_learning_rate(self) -> None:
        self.set_learning_rate(self.suggested_learning_rate(), auto=True)

    def set_batch_size(self, batch_size: int | None) -> None:
        """None = full batch (the lecture); B = mini-batches of B examples."""
        if batch_size is not None and int(batch_size) < 1:
            raise ValueError("batch size must be at least 1")
        self._apply_settings(self._settings.replace(
            batch_size=None if batch_size is None else int(batch_size)))
        if self._settings.learning_rate_auto:
            self.use_suggested_learning_rate()

    def set_average(self, average: bool) -> None:
        self._apply_settings(self._settings.replace(average=bool(average)))
        if self._settings.learning_rate_auto:
            self.use_suggested_learning_rate()

    @property
    def average(self) -> bool:
        return self._settings.average

    def set_momentum(self, momentum: float) -> None:
        self._apply_settings(self._settings.replace(momentum=float(momentum)))
        if self._settings.learning_rate_auto:  # momentum builds η up to η/(1 − μ)
            self.use_suggested_learning_rate()

    def set_regularization(self, l2: float = 0.0, l1: float = 0.0) -> None:
        """The prior's rates: maximise LL(θ) − λ₂‖θ‖² − λ₁‖θ‖₁ (0, 0: the lecture's MLE).
        Weights only, never biases; takes effect from the next step."""
        settings = self._settings.replace(l2=float(l2), l1=float(l1))  # validated there
        self._apply_settings(settings)
        if self._settings.learning_rate_auto:  # L2 adds curvature 2λ₂ to the bound
            self.use_suggested_learning_rate()

    @property
    def regularization(self) -> tuple[float, float]:
        """(λ₂, λ₁) in use."""
        return self._settings.l2, self._settings.l1

    def set_speed(self, steps_per_second: float | None) -> None:
        """Steps per second while running (None = as fast as possible)."""
        speed = None if steps_per_second is None else max(float(steps_per_second), 0.1)
        self._apply_settings(self._settings.replace(speed=speed))
        self.speed_changed.emit(speed)

    @property
    def speed(self) -> float | None:
        return self._settings.speed

    def set_stop(self, max_steps: int | None, tolerance: float | None) -> None:
        """Stop running at ``max_steps`` and/or when one step changes LL by < ``tolerance``."""
        self._apply_settings(self._settings.replace(
            max_steps=None if max_steps is None else max(int(max_steps), 0),
            tolerance=None if tolerance is None else float(tolerance)))
