"""The Model group: logistic regression or a network (hidden layers, activation, init,
seed) and the parameter count. A shared widget: it edits the engine's ModelSpec and
mirrors it back (signals blocked while mirroring, so mirroring never edits)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.specs import ModelSpec
from gui.engine import TrainingEngine
from gui.widgets import formulas_text as ft
from gui.widgets.checked_spin import CheckedSpinBox

MAX_LAYERS = 8
MAX_UNITS = 32
LOGISTIC_TIP = ft.tip(ft.PROBABILITY, "The lecture's model: its boundary θᵀx = 0 is always a "
                      "straight line.")
LOGISTIC_TEXT = "Logistic regression  σ(θᵀx)"
REGRESSION_TEXT = "Linear regression  ŷ = θᵀx"
REGRESSION_TIP = ft.tip(f"{ft.REGRESSION},  {ft.GAUSSIAN_LL}", "Regression: a linear output "
                        "with no σ, trained on the Gaussian log-likelihood.")


class LayersEditor(QWidget):
    """Hidden layers edited in place: one spin box per layer, add and remove buttons."""

    changed = Signal(tuple)
    refused = Signal(str)  # why a number typed was not used

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._rows: list[tuple[QWidget, CheckedSpinBox, QToolButton]] = []
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(2)
        self._layout.addLayout(self._rows_box)
        self.add_button = QPushButton("+ Add layer")
        self.add_button.setToolTip(f"Add a hidden layer (up to {MAX_LAYERS})")
        self.add_button.clicked.connect(self._add_clicked)
        self._layout.addWidget(self.add_button)

    def spin_boxes(self) -> list[CheckedSpinBox]:
        return [spin for _, spin, _ in self._rows]

    def remove_buttons(self) -> list[QToolButton]:
        return [b for _, _, b in self._rows]

    def units(self) -> tuple[int, ...]:
        return tuple(spin.value() for _, spin, _ in self._rows)

    def set_units(self, units: tuple[int, ...]) -> None:
        while len(self._rows) > len(units):
            row, _, _ = self._rows.pop()
            row.setParent(None)
            row.deleteLater()
        while len(self._rows) < len(units):
            self._append_row(1)
        for (_, spin, remove), value in zip(self._rows, units, strict=True):
            spin.blockSignals(True)
            spin.setValue(int(value))
            spin.blockSignals(False)
            remove.setEnabled(len(units) > 1)
        self.add_button.setEnabled(len(units) < MAX_LAYERS)

    def _append_row(self, value: int) -> None:
        index = len(self._rows) + 1
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        label = QLabel(f"hidden layer {index}:")
        spin = CheckedSpinBox()
        spin.setRange(1, MAX_UNITS)
        spin.setValue(value)
        spin.setSuffix(" units")
        spin.setToolTip(ft.tip(ft.HIDDEN_UNIT, f"The units hⱼ of hidden layer {index} (1 … "
                                               f"{MAX_UNITS})."))
        spin.valueChanged.connect(lambda _v: self.changed.emit(self.units()))
        spin.refused.connect(lambda text, sb=spin: self._refused(sb, text))
        remove = QToolButton()
        remove.setText("−")
        remove.setToolTip(f"Remove hidden layer {index}")
        remove.clicked.connect(lambda _=False, r=row: self._remove_row(r))
        h.addWidget(label)
        h.addWidget(spin, 1)
        h.addWidget(remove)
        self._rows_box.addWidget(row)
        self._rows.append((row, spin, remove))

    def _refused(self, spin: CheckedSpinBox, text: str) -> None:
        index = self.spin_boxes().index(spin) + 1 if spin in self.spin_boxes() else 0
        self.refused.emit(
            f"A hidden layer needs at least 1 unit and at most {MAX_UNITS}: {text!r} was not "
            f"used, hidden layer {index} keeps {spin.value()} units.")

    def _add_clicked(self) -> None:
        if len(self._rows) >= MAX_LAYERS:
            return
        last = self._rows[-1][1].value() if self._rows else 4
        self.set_units((*self.units(), last))
        self.changed.emit(self.units())

    def _remove_row(self, row: QWidget) -> None:
        units = [spin.value() for r, spin, _ in self._rows if r is not row]
        if units:
            self.set_units(tuple(units))
            self.changed.emit(self.units())


class ModelControls(QGroupBox):
    """Choose the model the engine trains.

    ``logistic_allowed`` is False when the data have more than two classes (logistic
    regression is binary); the spec's ``n_features`` and ``n_classes`` come from the engine
    (the workbench's data), the widgets edit the rest.
    """

    def __init__(self, engine: TrainingEngine, parent: QWidget | None = None) -> None:
        super().__init__("Model", parent)
        self.engine = engine
        self._build()
        engine.model_changed.connect(self._show_parameter_count)
        engine.model_changed.connect(self._show_model_spec)
        self._show_model_spec()
        self._show_parameter_count()

    def _build(self) -> None:
        v = QVBoxLayout(self)
        self.logistic_radio = QRadioButton(LOGISTIC_TEXT)
        self.logistic_radio.setToolTip(LOGISTIC_TIP)
        self.network_radio = QRadioButton("Neural network")
        self.network_radio.setToolTip(ft.tip(f"{ft.HIDDEN_UNIT},  {ft.OUTPUT}", "Logistic "
                                             "regressions stacked: every hidden unit is one, "
                                             "and ŷ is one on the hidden units."))
        group = QButtonGroup(self)
        group.addButton(self.logistic_radio)
        group.addButton(self.network_radio)
        self.logistic_radio.setChecked(True)
        v.addWidget(self.logistic_radio)
        v.addWidget(self.network_radio)

        self.network_box = QWidget()
        nv = QVBoxLayout(self.network_box)
        nv.setContentsMargins(0, 0, 0, 0)
        self.layers_editor = LayersEditor()
        self.layers_editor.set_units(ModelSpec().hidden_units)
        nv.addWidget(self.layers_editor)
        form = QFormLayout()
        self.activation_combo = QComboBox()
        for name in ("sigmoid", "tanh", "relu", "linear"):
            self.activation_combo.addItem(name, name)
        self.activation_combo.setToolTip(ft.tip(
            ft.HIDDEN_UNIT, "The hidden units' activation: σ is the lecture's; tanh, ReLU or "
            "linear replace it (linear layers stacked stay one straight boundary)."))
        self.init_combo = QComboBox()
        self.init_combo.addItem("random (Glorot/He)", "random")
        self.init_combo.addItem("zeros (units stay identical!)", "zeros")
        self.init_combo.setToolTip("Initial weights. With zeros every unit of a layer gets the "
                                   "same gradient forever: symmetry is never broken")
        self.model_seed_spin = QSpinBox()
        self.model_seed_spin.setRange(0, 99999)
        self.model_seed_spin.setKeyboardTracking(False)
        self.model_seed_spin.setToolTip("Seed of the random initial weights (and mini-batches)")
        form.addRow("activation", self.activation_combo)
        form.addRow("init", self.init_combo)
        form.addRow("seed", self.model_seed_spin)
        nv.addLayout(form)
        v.addWidget(self.network_box)
        self.network_box.setVisible(False)
        self.param_label = QLabel()
        self.param_label.setWordWrap(True)
        self.param_label.setToolTip("Number of parameters θ learned: weights + biases")
        v.addWidget(self.param_label)

        self.logistic_radio.toggled.connect(self._model_edited)
        self.layers_editor.changed.connect(self._model_edited)
        self.layers_editor.refused.connect(lambda text: self.engine.message.emit("warning", text))
        self.activation_combo.currentIndexChanged.connect(self._model_edited)
        self.init_combo.currentIndexChanged.connect(self._model_edited)
        self.model_seed_spin.valueChanged.connect(self._model_edited)

    def model_spec(self) -> ModelSpec:
        """The spec the widgets show (sizes from the engine's current spec)."""
        linear = self.logistic_radio.isChecked()
        if self.engine.model_spec.kind == "regression":  # the task is regression: stay one
            return self.engine.model_spec.replace(
                hidden_units=() if linear else self.layers_editor.units(),
                activation=self.activation_combo.currentData(),
                init=self.init_combo.currentData(),
                seed=self.model_seed_spin.value())
        return self.engine.model_spec.replace(
            kind="logistic" if linear else "network",
            hidden_units=self.layers_editor.units(),
            activation=self.activation_combo.currentData(),
            init=self.init_combo.currentData(),
            seed=self.model_seed_spin.value())

    def _model_edited(self, *_: object) -> None:
        try:
            spec = self.model_spec()
            self.network_box.setVisible(not self.logistic_radio.isChecked())
            self.engine.set_model_spec(spec)
        except ValueError as exc:
            self.engine.message.emit("error", f"Invalid model: {exc}")
            self._show_model_spec()

    def _show_model_spec(self) -> None:
        """Mirror the engine's model in the widgets (when it was set from elsewhere)."""
        config = self.engine.model_spec
        regression = config.kind == "regression"
        self.logistic_radio.setText(REGRESSION_TEXT if regression else LOGISTIC_TEXT)
        self.logistic_radio.setEnabled(config.n_classes == 2 or regression)
        self.logistic_radio.setToolTip(
            REGRESSION_TIP if regression else LOGISTIC_TIP if config.n_classes == 2 else
            ft.tip(ft.SOFTMAX, f"Logistic regression is binary; these data have "
                   f"{config.n_classes} classes, so the network's output is a softmax."))
        try:
            if config == self.model_spec():
                return
        except ValueError:
            pass
        widgets = (self.logistic_radio, self.network_radio, self.layers_editor,
                   self.activation_combo, self.init_combo, self.model_seed_spin)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            linear = config.kind == "logistic" or (regression and not config.hidden_units)
            self.network_radio.setChecked(not linear)
            self.logistic_radio.setChecked(linear)
            if config.hidden_units:  # linear regression keeps the layers shown for later
                self.layers_editor.set_units(config.hidden_units)
            self.activation_combo.setCurrentIndex(
                self.activation_combo.findData(config.activation))
            self.init_combo.setCurrentIndex(self.init_combo.findData(config.init))
            self.model_seed_spin.setValue(config.seed)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.network_box.setVisible(self.network_radio.isChecked())

    def _show_parameter_count(self) -> None:
        weights, biases = self.engine.parameter_count()
        self.param_label.setText(f"Parameters: <b>{weights}</b> weights + <b>{biases}</b> "
                                 f"biases = <b>{weights + biases}</b>")
