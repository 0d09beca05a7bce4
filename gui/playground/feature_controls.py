"""The Features group: TensorFlow Playground's extra inputs x₁², x₂², x₁x₂, sin x₁, sin x₂.

Playground only (the plane has two raw inputs). Each checkbox adds or removes one engineered
input: the engine gets ``spec.with_features(...)``, a new model (an input more is a weight
more per first-layer unit), trained from a fresh start. The model sees the features as
inputs like x₁ and x₂; the diagram draws each as an input unit.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QWidget

from core import features as engineered
from gui.engine import TrainingEngine

TIPS = {
    "x1sq": "x₁² as an extra input: with x₂² too, logistic regression's boundary "
            "θ₀ + θ₁x₁ + θ₂x₂ + θ₃x₁² + θ₄x₂² = 0 can be a circle or an ellipse",
    "x2sq": "x₂² as an extra input (a boundary that is a conic, with x₁²)",
    "x1x2": "x₁·x₂ as an extra input (a tilted conic; the xor preset is its sign)",
    "sin1": "sin x₁ as an extra input (a wavy boundary along x₁)",
    "sin2": "sin x₂ as an extra input (a wavy boundary along x₂)",
}


class FeatureControls(QGroupBox):
    """One checkbox per engineered feature, mirroring the engine's ModelSpec.features."""

    COLUMNS = 3

    def __init__(self, engine: TrainingEngine, parent: QWidget | None = None) -> None:
        super().__init__("Features: inputs of the model", parent)
        self.engine = engine
        self.setToolTip("The model's x: x₁ and x₂ always, and any of these engineered "
                        "inputs, each with its own weight. Changing them builds a new model.")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        raw = QLabel("x₁, x₂ and:")
        raw.setObjectName("hint")
        grid.addWidget(raw, 0, 0, 1, self.COLUMNS)
        self.checks: dict[str, QCheckBox] = {}
        for index, name in enumerate(engineered.FEATURES):
            check = QCheckBox(engineered.LABELS[name])
            check.setToolTip(TIPS[name])
            check.toggled.connect(self._edited)
            grid.addWidget(check, 1 + index // self.COLUMNS, index % self.COLUMNS)
            self.checks[name] = check
        engine.model_changed.connect(self._show)
        self._show()

    def chosen(self) -> tuple[str, ...]:
        """The features ticked, in core.features.FEATURES' order."""
        return tuple(name for name, check in self.checks.items() if check.isChecked())

    def set_chosen(self, names: tuple[str, ...] | list[str]) -> None:
        """Tick exactly these features, as a user would (one model change)."""
        self._set_checks(names)
        self._edited()

    def _set_checks(self, names: tuple[str, ...] | list[str]) -> None:
        for name, check in self.checks.items():
            check.blockSignals(True)
            check.setChecked(name in names)
            check.blockSignals(False)

    def _edited(self, *_: object) -> None:
        spec = self.engine.model_spec
        chosen = self.chosen()
        if chosen == spec.features:
            return
        try:
            self.engine.set_model_spec(spec.with_features(chosen))
        except ValueError as exc:
            self.engine.message.emit("error", f"Could not change the features: {exc}")
            self._show()

    def _show(self) -> None:
        """Follow the engine's model (changed from elsewhere: undo, a loaded session)."""
        features = self.engine.model_spec.features
        if features != self.chosen():
            self._set_checks(features)
