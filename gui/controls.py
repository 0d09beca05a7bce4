"""The controls panel: data presets and split, the model, and training settings.

Every widget only forwards the user's choice to the Session and mirrors the Session's
state back (with signals blocked, so mirroring never triggers another edit).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import datasets
from gui.session import SPEEDS, ModelConfig, Session

ETA_MIN_LOG, ETA_MAX_LOG, ETA_TICKS = -4.0, 1.0, 500
MAX_LAYERS = 8
PRESET_TITLES = {"xor": "XOR", "overlap": "Overlap (lecture)"}
MAX_UNITS = 32


def eta_to_tick(eta: float) -> int:
    if not (eta > 0 and math.isfinite(eta)):
        return 0
    t = (math.log10(eta) - ETA_MIN_LOG) / (ETA_MAX_LOG - ETA_MIN_LOG)
    return int(round(min(max(t, 0.0), 1.0) * ETA_TICKS))


def tick_to_eta(tick: int) -> float:
    value = 10 ** (ETA_MIN_LOG + (ETA_MAX_LOG - ETA_MIN_LOG) * tick / ETA_TICKS)
    return float(f"{value:.3g}")


def format_eta(eta: float) -> str:
    return f"{eta:.4g}"


class LayersEditor(QWidget):
    """Hidden layers edited in place: one spin box per layer, add and remove buttons."""

    changed = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._rows: list[tuple[QWidget, QSpinBox, QToolButton]] = []
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(2)
        self._layout.addLayout(self._rows_box)
        self.add_button = QPushButton("+ Add layer")
        self.add_button.setToolTip(f"Add a hidden layer (up to {MAX_LAYERS})")
        self.add_button.clicked.connect(self._add_clicked)
        self._layout.addWidget(self.add_button)

    def spin_boxes(self) -> list[QSpinBox]:
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
        spin = QSpinBox()
        spin.setRange(1, MAX_UNITS)
        spin.setValue(value)
        spin.setSuffix(" units")
        spin.setKeyboardTracking(False)
        spin.setToolTip(f"Units in hidden layer {index} (1 … {MAX_UNITS})")
        spin.valueChanged.connect(lambda _v: self.changed.emit(self.units()))
        remove = QToolButton()
        remove.setText("−")
        remove.setToolTip(f"Remove hidden layer {index}")
        remove.clicked.connect(lambda _=False, r=row: self._remove_row(r))
        h.addWidget(label)
        h.addWidget(spin, 1)
        h.addWidget(remove)
        self._rows_box.addWidget(row)
        self._rows.append((row, spin, remove))

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


class ControlsPanel(QWidget):
    """Data, Model and Training groups."""

    show_test_toggled = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.setSpacing(6)
        layout.addWidget(self._build_data_group())
        layout.addWidget(self._build_model_group())
        layout.addWidget(self._build_training_group())
        layout.addStretch(1)

        session.learning_rate_changed.connect(self._show_learning_rate)
        session.speed_changed.connect(self._show_speed)
        session.running_changed.connect(self._show_running)
        session.trainable_changed.connect(self._show_trainable)
        session.model_changed.connect(self._show_parameter_count)
        session.model_changed.connect(self._show_model_config)
        session.data_changed.connect(lambda: self._show_learning_rate(session.learning_rate))
        self._show_learning_rate(session.learning_rate)
        self._show_parameter_count()

    # ------------------------------------------------------------------ data

    def _build_data_group(self) -> QGroupBox:
        box = QGroupBox("Data")
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.preset_combo = QComboBox()
        for name in datasets.PRESETS:
            self.preset_combo.addItem(PRESET_TITLES.get(name, name.capitalize()), name)
        self.preset_combo.setToolTip("A built-in dataset from core.datasets (replaces the "
                                     "points; undo with Ctrl+Z)")
        self.regenerate_button = QPushButton("Generate")
        self.regenerate_button.setToolTip("Generate the preset again with these settings")
        row = QHBoxLayout()
        row.addWidget(self.preset_combo, 1)
        row.addWidget(self.regenerate_button)
        form.addRow(row)

        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(4, 100_000)
        self.samples_spin.setSingleStep(50)
        self.samples_spin.setValue(200)
        self.samples_spin.setKeyboardTracking(False)
        self.samples_spin.setToolTip("Number of points the preset generates")
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 3.0)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setKeyboardTracking(False)
        self.noise_spin.setToolTip("Standard deviation of the Gaussian noise added to each point")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 99999)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setToolTip("Random seed of the preset (and of the train/test split)")
        grid = QHBoxLayout()
        grid.setSpacing(4)
        for text, spin in (("n", self.samples_spin), ("noise", self.noise_spin),
                           ("seed", self.seed_spin)):
            spin.setMaximumWidth(72)
            grid.addWidget(QLabel(text))
            grid.addWidget(spin, 1)
        form.addRow(grid)

        self.split_slider = QSlider(Qt.Orientation.Horizontal)
        self.split_slider.setRange(0, 50)
        self.split_slider.setValue(int(round(self.session.test_fraction * 100)))
        self.split_slider.setToolTip("Share of each class held out as a test set (never "
                                     "trained on)")
        self.split_label = QLabel()
        self.split_label.setMinimumWidth(58)
        row = QHBoxLayout()
        row.addWidget(self.split_slider, 1)
        row.addWidget(self.split_label)
        form.addRow("test split", row)
        self.show_test_check = QCheckBox("Show test points (diamonds)")
        self.show_test_check.setChecked(True)
        self.show_test_check.setToolTip("Draw the held-out test points")
        form.addRow(self.show_test_check)
        self.data_hint = QLabel("")
        self.data_hint.setObjectName("hint")
        self.data_hint.setWordWrap(True)
        form.addRow(self.data_hint)

        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        self.regenerate_button.clicked.connect(lambda: self.load_preset(merge=False))
        for spin in (self.samples_spin, self.noise_spin, self.seed_spin):
            spin.valueChanged.connect(lambda _v: self.load_preset(merge=True))
        self.split_slider.valueChanged.connect(self._split_changed)
        self.show_test_check.toggled.connect(self.show_test_toggled.emit)
        self.session.data_changed.connect(self._show_data_summary)
        self._show_split_label()
        self._set_noise_default(datasets.PRESETS[0])
        return box

    def set_preset(self, name: str) -> None:
        """Choose a preset in the combo box (loads it)."""
        index = self.preset_combo.findData(name)
        if index < 0:
            raise ValueError(f"unknown preset {name!r}")
        if index == self.preset_combo.currentIndex():
            self.load_preset(merge=False)
        else:
            self.preset_combo.setCurrentIndex(index)

    def _set_noise_default(self, name: str) -> None:
        self.noise_spin.blockSignals(True)
        self.noise_spin.setValue(datasets.DEFAULT_NOISE[name])
        self.noise_spin.blockSignals(False)

    def _preset_chosen(self, _index: int) -> None:
        self._set_noise_default(self.preset_combo.currentData())
        self.load_preset(merge=False)

    def load_preset(self, merge: bool = False) -> None:
        name = self.preset_combo.currentData()
        try:
            self.session.load_preset(name, self.samples_spin.value(), self.noise_spin.value(),
                                     self.seed_spin.value(), merge=merge)
        except ValueError as exc:
            self.session.message.emit("error", f"Could not generate '{name}': {exc}")

    def _split_changed(self, value: int) -> None:
        self._show_split_label()
        self.session.set_test_fraction(value / 100.0)

    def _show_split_label(self) -> None:
        self.split_label.setText(f"{self.split_slider.value()} % test")

    def _show_data_summary(self) -> None:
        d = self.session.data
        n0, n1 = d.counts()
        n_test = int(d.test.sum())
        self.data_hint.setText(f"{len(d)} points: {n0 + n1} train ({n0} × y=0, {n1} × y=1), "
                               f"{n_test} test")

    # ------------------------------------------------------------------ model

    def _build_model_group(self) -> QGroupBox:
        box = QGroupBox("Model")
        v = QVBoxLayout(box)
        self.logistic_radio = QRadioButton("Logistic regression  σ(θᵀx)")
        self.logistic_radio.setToolTip("The lecture's model: P(Y=1|x) = σ(θ₀ + θ₁x₁ + θ₂x₂); "
                                       "its boundary is always a straight line")
        self.network_radio = QRadioButton("Neural network")
        self.network_radio.setToolTip("Logistic regressions stacked: hidden units h = act(Wx + b), "
                                      "ŷ = σ(θᵀh)")
        group = QButtonGroup(self)
        group.addButton(self.logistic_radio)
        group.addButton(self.network_radio)
        self.logistic_radio.setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.logistic_radio)
        row.addWidget(self.network_radio)
        v.addLayout(row)

        self.network_box = QWidget()
        nv = QVBoxLayout(self.network_box)
        nv.setContentsMargins(0, 0, 0, 0)
        self.layers_editor = LayersEditor()
        self.layers_editor.set_units(ModelConfig().hidden)
        nv.addWidget(self.layers_editor)
        form = QFormLayout()
        self.activation_combo = QComboBox()
        for name in ("sigmoid", "tanh", "relu"):
            self.activation_combo.addItem(name, name)
        self.activation_combo.setToolTip("Hidden units' activation (sigmoid is the lecture's)")
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
        self.param_label.setToolTip("Number of parameters θ learned: weights + biases")
        v.addWidget(self.param_label)

        self.logistic_radio.toggled.connect(self._model_edited)
        self.layers_editor.changed.connect(self._model_edited)
        self.activation_combo.currentIndexChanged.connect(self._model_edited)
        self.init_combo.currentIndexChanged.connect(self._model_edited)
        self.model_seed_spin.valueChanged.connect(self._model_edited)
        return box

    def model_config(self) -> ModelConfig:
        return ModelConfig(
            kind="logistic" if self.logistic_radio.isChecked() else "network",
            hidden=self.layers_editor.units(),
            activation=self.activation_combo.currentData(),
            init=self.init_combo.currentData(),
            seed=self.model_seed_spin.value())

    def _model_edited(self, *_: object) -> None:
        config = self.model_config()
        self.network_box.setVisible(config.kind == "network")
        try:
            self.session.set_model_config(config)
        except ValueError as exc:
            self.session.message.emit("error", f"Invalid model: {exc}")

    def _show_model_config(self) -> None:
        """Mirror the session's model in the widgets (when it was set from elsewhere)."""
        config = self.session.model_config
        if config == self.model_config():
            return
        widgets = (self.logistic_radio, self.network_radio, self.layers_editor,
                   self.activation_combo, self.init_combo, self.model_seed_spin)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.network_radio.setChecked(config.kind == "network")
            self.logistic_radio.setChecked(config.kind == "logistic")
            self.layers_editor.set_units(config.hidden)
            self.activation_combo.setCurrentIndex(
                self.activation_combo.findData(config.activation))
            self.init_combo.setCurrentIndex(self.init_combo.findData(config.init))
            self.model_seed_spin.setValue(config.seed)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.network_box.setVisible(config.kind == "network")

    def _show_parameter_count(self) -> None:
        weights, biases = self.session.parameter_count()
        self.param_label.setText(f"Parameters: <b>{weights}</b> weights + <b>{biases}</b> "
                                 f"biases = <b>{weights + biases}</b>")

    # ------------------------------------------------------------------ training

    def _build_training_group(self) -> QGroupBox:
        box = QGroupBox("Training: gradient ascent on LL(θ)")
        v = QVBoxLayout(box)
        grid = QGridLayout()
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("One update θ += η·∇LL(θ) (Space)")
        self.step_n_button = QPushButton("Step ×N")
        self.step_n_button.setToolTip("N updates")
        self.step_n_spin = QSpinBox()
        self.step_n_spin.setRange(1, 1_000_000)
        self.step_n_spin.setValue(100)
        self.step_n_spin.setToolTip("N for Step ×N")
        self.run_button = QPushButton("Run ▶")
        self.run_button.setObjectName("run")
        self.run_button.setCheckable(True)
        self.run_button.setToolTip("Run / pause gradient ascent (Enter)")
        self.reset_button = QPushButton("Reset θ")
        self.reset_button.setToolTip("Back to step 0: θ = 0 for logistic regression, fresh "
                                     "random weights for a network")
        grid.addWidget(self.run_button, 0, 0, 1, 2)
        grid.addWidget(self.step_button, 0, 2)
        grid.addWidget(self.step_n_button, 1, 0)
        grid.addWidget(self.step_n_spin, 1, 1)
        grid.addWidget(self.reset_button, 1, 2)
        v.addLayout(grid)
        self.train_hint = QLabel("")
        self.train_hint.setObjectName("hint")
        self.train_hint.setWordWrap(True)
        self.train_hint.setVisible(False)
        v.addWidget(self.train_hint)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.eta_slider = QSlider(Qt.Orientation.Horizontal)
        self.eta_slider.setRange(0, ETA_TICKS)
        self.eta_slider.setToolTip("Learning rate η on a log scale, 0.0001 … 10")
        self.eta_edit = QLineEdit()
        validator = QDoubleValidator(0.0, 1e12, 12, self.eta_edit)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.eta_edit.setValidator(validator)
        self.eta_edit.setMaximumWidth(70)
        self.eta_edit.setToolTip("Learning rate η (any positive number, e.g. 0.01 or 1e-3)")
        row = QHBoxLayout()
        row.addWidget(self.eta_slider, 1)
        row.addWidget(self.eta_edit)
        form.addRow("η", row)
        self.eta_hint = QLabel("")
        self.eta_hint.setObjectName("hint")
        self.suggest_button = QToolButton()
        self.suggest_button.setText("use")
        self.suggest_button.setToolTip(
            "An η that converges without diverging. Logistic regression: 1/L, where L = "
            "λmax(X̃ᵀX̃)/4 bounds how fast the summed gradient changes, so LL climbs at every "
            "step. Networks: 2/n (0.5/n for relu). The lecture's gradient is a sum that grows "
            "with n, so the suggestion shrinks as you add points; it follows the data until "
            "you set η yourself.")
        row = QHBoxLayout()
        row.addWidget(self.eta_hint, 1)
        row.addWidget(self.suggest_button)
        form.addRow("", row)

        self.batch_combo = QComboBox()
        self.batch_combo.addItem("full batch (lecture)", None)
        self.batch_combo.addItem("mini-batch", "mini")
        self.batch_combo.setToolTip("Full batch: the gradient sums over all training points. "
                                    "Mini-batch: over B random points per step")
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 100000)
        self.batch_spin.setValue(16)
        self.batch_spin.setEnabled(False)
        self.batch_spin.setToolTip("Mini-batch size B (1 = stochastic gradient ascent)")
        row = QHBoxLayout()
        row.addWidget(self.batch_combo, 1)
        row.addWidget(self.batch_spin)
        form.addRow("batch", row)
        self.average_check = QCheckBox("average over examples (η·mean)")
        self.average_check.setToolTip("Off (the lecture): θ += η·Σᵢ(...). On: θ += η·(1/B)Σᵢ(...), "
                                      "so a good η no longer depends on n")
        form.addRow(self.average_check)
        self.momentum_spin = QDoubleSpinBox()
        self.momentum_spin.setRange(0.0, 0.99)
        self.momentum_spin.setSingleStep(0.05)
        self.momentum_spin.setDecimals(2)
        self.momentum_spin.setToolTip("Momentum μ: v ← μv + η∇LL, θ += v (0 = the lecture)")
        form.addRow("momentum", self.momentum_spin)
        self.speed_combo = QComboBox()
        for speed in SPEEDS:
            self.speed_combo.addItem("max" if speed is None else f"{speed:,} steps/s", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(30))
        self.speed_combo.setToolTip("Training speed while running (the drawing rate is "
                                    "independent: at most 60 frames/s)")
        form.addRow("speed", self.speed_combo)
        self.max_check = QCheckBox("stop at step")
        self.max_check.setChecked(True)
        self.max_spin = QSpinBox()
        self.max_spin.setRange(1, 100_000_000)
        self.max_spin.setValue(100_000)
        self.max_spin.setGroupSeparatorShown(True)
        self.max_spin.setMaximumWidth(110)
        self.max_spin.setKeyboardTracking(False)
        self.max_check.setToolTip("Pause when the step count reaches this number")
        self.max_spin.setToolTip("The step count at which Run pauses")
        self.tol_check = QCheckBox("stop when |ΔLL| <")
        self.tol_edit = QLineEdit("1e-6")
        tol_validator = QDoubleValidator(0.0, 1e6, 12, self.tol_edit)
        tol_validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.tol_edit.setValidator(tol_validator)
        self.tol_edit.setMaximumWidth(90)
        self.tol_check.setToolTip("Pause when one step changes the log-likelihood by less than "
                                  "this (converged)")
        self.tol_edit.setToolTip("Tolerance on |LL(θₖ₊₁) − LL(θₖ)| in nats, e.g. 1e-6")
        stop = QGridLayout()
        stop.addWidget(self.max_check, 0, 0)
        stop.addWidget(self.max_spin, 0, 1)
        stop.addWidget(self.tol_check, 1, 0)
        stop.addWidget(self.tol_edit, 1, 1)
        form.addRow("stop", stop)
        v.addLayout(form)

        self.step_button.clicked.connect(lambda: self.session.step(1))
        self.step_n_button.clicked.connect(lambda: self.session.step(self.step_n_spin.value()))
        self.run_button.clicked.connect(self._run_clicked)
        self.reset_button.clicked.connect(self.session.reset_parameters)
        self.eta_slider.valueChanged.connect(self._eta_slid)
        self.eta_edit.editingFinished.connect(self._eta_typed)
        self.suggest_button.clicked.connect(self.session.use_suggested_learning_rate)
        self.batch_combo.currentIndexChanged.connect(self._batch_changed)
        self.batch_spin.valueChanged.connect(self._batch_changed)
        self.average_check.toggled.connect(self.session.set_average)
        self.momentum_spin.valueChanged.connect(self.session.set_momentum)
        self.speed_combo.currentIndexChanged.connect(
            lambda _i: self.session.set_speed(self.speed_combo.currentData()))
        for w in (self.max_check, self.tol_check):
            w.toggled.connect(self._stop_changed)
        self.max_spin.valueChanged.connect(self._stop_changed)
        self.tol_edit.editingFinished.connect(self._stop_changed)
        self.session.set_speed(self.speed_combo.currentData())
        self._stop_changed()
        return box

    def _run_clicked(self) -> None:
        self.session.toggle_run()
        self._show_running(self.session.running)

    def _show_running(self, running: bool) -> None:
        self.run_button.blockSignals(True)
        self.run_button.setChecked(running)
        self.run_button.setText("Pause ⏸" if running else "Run ▶")
        self.run_button.blockSignals(False)

    def _show_trainable(self, ok: bool, reason: str) -> None:
        for w in (self.step_button, self.step_n_button, self.run_button):
            w.setEnabled(ok)
        self.train_hint.setText(reason)
        self.train_hint.setVisible(not ok)

    def _eta_slid(self, tick: int) -> None:
        eta = tick_to_eta(tick)
        self.session.set_learning_rate(eta)

    def _eta_typed(self) -> None:
        text = self.eta_edit.text().strip()
        try:
            eta = float(text)
            self.session.set_learning_rate(eta)
        except ValueError:
            self.session.message.emit("warning", f"η must be a positive number, got {text!r}")
            self._show_learning_rate(self.session.learning_rate)

    def set_learning_rate_text(self, text: str) -> None:
        """Type η into the box and commit it, as a user would."""
        self.eta_edit.setText(text)
        self._eta_typed()

    def _show_speed(self, speed: float | None) -> None:
        """Follow a speed set elsewhere (scripts, benchmarks) if the menu offers it."""
        index = self.speed_combo.findData(speed)
        if index >= 0 and index != self.speed_combo.currentIndex():
            self.speed_combo.blockSignals(True)
            self.speed_combo.setCurrentIndex(index)
            self.speed_combo.blockSignals(False)

    def _show_learning_rate(self, eta: float) -> None:
        self.eta_slider.blockSignals(True)
        self.eta_slider.setValue(eta_to_tick(eta))
        self.eta_slider.blockSignals(False)
        if not self.eta_edit.hasFocus():
            self.eta_edit.setText(format_eta(eta))
        suggested = self.session.suggested_learning_rate()
        mark = " (in use)" if self.session.learning_rate_auto else ""
        self.eta_hint.setText(f"suggested η = {format_eta(suggested)}{mark}")

    def _batch_changed(self, *_: object) -> None:
        mini = self.batch_combo.currentData() == "mini"
        self.batch_spin.setEnabled(mini)
        self.session.set_batch_size(self.batch_spin.value() if mini else None)

    def _stop_changed(self, *_: object) -> None:
        max_steps = self.max_spin.value() if self.max_check.isChecked() else None
        tolerance = None
        if self.tol_check.isChecked():
            try:
                tolerance = float(self.tol_edit.text())
            except ValueError:
                tolerance = 1e-6
                self.tol_edit.setText("1e-6")
        self.session.set_stop(max_steps, tolerance)
