"""The Training group: Step, Step ×N, Run/Pause, Reset, η, batch, average, momentum, the prior
(L2 and L1 rates λ), speed and the stop rule. A shared widget: it forwards the user's
choices to the engine and mirrors the engine's settings back (signals blocked while
mirroring)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.engine import TrainingEngine
from gui.engine.engine import SPEEDS
from gui.widgets import formulas_text as ft
from gui.widgets import icons

ETA_MIN_LOG, ETA_MAX_LOG, ETA_TICKS = -4.0, 1.0, 500


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


DEFAULT_TOLERANCE = 1e-6

PRIOR_TIPS = {
    "L2": ft.tip("maximise LL(θ) − λ‖θ‖²", "L2 rate λ: a Gaussian prior on θ (MAP instead of "
                 "MLE); biases are not penalised. 0 = off (the lecture's MLE)."),
    "L1": ft.tip("maximise LL(θ) − λ‖θ‖₁", "L1 rate λ: a Laplace prior on θ (MAP instead of "
                 "MLE) pushes weights to exactly 0; biases are not penalised. 0 = off."),
}


def parse_rate(text: str) -> float | None:
    """A finite number ≥ 0 typed by hand (empty = 0), or None."""
    cleaned = text.strip().replace(",", ".").replace("−", "-")
    if not cleaned:
        return 0.0
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_positive(text: str) -> float | None:
    """A finite positive number typed by hand (a decimal comma or a true minus sign are
    read too), or None."""
    cleaned = text.strip().replace(",", ".").replace("−", "-")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


class TrainingControls(QGroupBox):
    """Run control and training settings of one engine."""

    def __init__(self, engine: TrainingEngine, parent: QWidget | None = None) -> None:
        super().__init__("Training: gradient ascent on LL(θ)", parent)
        self.engine = engine
        self._build()
        engine.learning_rate_changed.connect(self._show_learning_rate)
        engine.speed_changed.connect(self._show_speed)
        engine.running_changed.connect(self._show_running)
        engine.trainable_changed.connect(self._show_trainable)
        engine.dataset_changed.connect(lambda: self._show_learning_rate(engine.learning_rate))
        engine.model_changed.connect(lambda: self._show_learning_rate(engine.learning_rate))
        engine.settings_changed.connect(self._show_settings)
        self._show_learning_rate(engine.learning_rate)

    def _build(self) -> None:
        self._play_icon, self._pause_icon = icons.play_icon(), icons.pause_icon()
        v = QVBoxLayout(self)
        grid = QGridLayout()
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip(ft.tip(ft.UPDATE, "One step of gradient ascent: every θⱼ "
                                                      "moves uphill on LL(θ) (Space)."))
        self.step_n_button = QPushButton("Step ×N")
        self.step_n_button.setToolTip(ft.tip(ft.UPDATE, "N steps of gradient ascent in a row."))
        self.step_n_spin = QSpinBox()
        self.step_n_spin.setRange(1, 1_000_000)
        self.step_n_spin.setValue(100)
        self.step_n_spin.setToolTip(ft.tip(ft.UPDATE, "N, the number of updates Step ×N does."))
        self.run_button = QPushButton("Run")
        self.run_button.setIcon(self._play_icon)
        self.run_button.setObjectName("run")
        self.run_button.setCheckable(True)
        self.run_button.setToolTip(ft.tip(ft.UPDATE, "Run / pause: repeat the update until you "
                                                     "pause or a stop rule holds (Enter)."))
        self.reset_button = QPushButton("Reset θ")
        self.reset_button.setToolTip(ft.tip("θ = 0 (or random θ for a network)",
                                            "Back to step 0: θ = 0 for logistic regression, "
                                            "fresh random weights for a network."))
        grid.addWidget(self.run_button, 0, 0, 1, 2)
        grid.addWidget(self.step_button, 0, 2)
        grid.addWidget(self.step_n_button, 1, 0)
        grid.addWidget(self.step_n_spin, 1, 1)
        grid.addWidget(self.reset_button, 1, 2)
        v.addLayout(grid)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.eta_slider = QSlider(Qt.Orientation.Horizontal)
        self.eta_slider.setRange(0, ETA_TICKS)
        self.eta_slider.setToolTip(ft.tip(ft.UPDATE, "η, the learning rate, on a log scale 0.0001 "
                                                     "… 10: how far each step goes."))
        # No validator: it would swallow a typed minus sign or keep "1e400" in the box
        # without a word; every commit is checked instead (see _eta_typed).
        self.eta_edit = QLineEdit()
        self.eta_edit.setMaximumWidth(70)
        self.eta_edit.setToolTip(ft.tip(ft.UPDATE, "η, the learning rate: any positive number, "
                                                   "e.g. 0.01 or 1e-3."))
        row = QHBoxLayout()
        row.addWidget(self.eta_slider, 1)
        row.addWidget(self.eta_edit)
        form.addRow("η", row)
        self.eta_hint = QLabel("")
        self.eta_hint.setObjectName("hint")
        self.suggest_button = QToolButton()
        self.suggest_button.setText("use")
        self.suggest_button.setToolTip(ft.tip(
            "η = 1/L,  L = λmax(X̃ᵀX̃)/4  (logistic regression)",
            "An η that converges without diverging (core.policy). Logistic regression: 1/L, "
            "where L = λmax(X̃ᵀX̃)/4 bounds how fast the summed gradient changes, so LL climbs "
            "at every step. Networks: a step per example by activation, smaller for deeper "
            "networks, larger inputs and more classes. The lecture's gradient is a sum that "
            "grows with n, so the suggestion shrinks as you add points; it follows the data "
            "and the model until you set η yourself."))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.eta_hint)
        row.addWidget(self.suggest_button)
        form.addRow(row)

        self.batch_combo = QComboBox()
        self.batch_combo.addItem("full batch", None)
        self.batch_combo.addItem("mini-batch", "mini")
        self.batch_combo.setToolTip(ft.tip(ft.MINI_BATCH, "Full batch (the lecture): the sum "
                                           "runs over all training points; mini-batch: over B "
                                           "random points per step."))
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 100000)
        self.batch_spin.setValue(16)
        self.batch_spin.setEnabled(False)
        self.batch_spin.setToolTip(ft.tip(ft.MINI_BATCH, "B, the mini-batch size (1 = stochastic "
                                                         "gradient ascent)."))
        row = QHBoxLayout()
        row.addWidget(self.batch_combo, 1)
        row.addWidget(self.batch_spin)
        form.addRow("batch", row)
        self.average_check = QCheckBox("average over examples (η·mean)")
        self.average_check.setToolTip(ft.tip(ft.AVERAGE_UPDATE, "On: the mean over the batch "
                                             "instead of the lecture's sum, so a good η no "
                                             "longer depends on n."))
        form.addRow(self.average_check)
        self.momentum_spin = QDoubleSpinBox()
        self.momentum_spin.setRange(0.0, 0.99)
        self.momentum_spin.setSingleStep(0.05)
        self.momentum_spin.setDecimals(2)
        self.momentum_spin.setToolTip(ft.tip(ft.MOMENTUM, "Momentum μ (0 = the lecture): each "
                                                          "step keeps μ of the last one."))
        form.addRow("momentum", self.momentum_spin)
        self.l2_edit = QLineEdit("0")
        self.l1_edit = QLineEdit("0")
        for edit, name in ((self.l2_edit, "L2"), (self.l1_edit, "L1")):
            edit.setMaximumWidth(64)
            edit.setToolTip(PRIOR_TIPS[name])
        row = QHBoxLayout()
        for edit, text in ((self.l2_edit, "L2 λ"), (self.l1_edit, "L1 λ")):
            label = QLabel(text)
            label.setToolTip(edit.toolTip())
            row.addWidget(label)
            row.addWidget(edit, 1)
        prior_label = QLabel("prior")
        prior_label.setToolTip("Regularization is a prior on θ: gradient ascent then climbs "
                               "LL(θ) + log prior(θ), the MAP estimate instead of the MLE "
                               "(λ = 0: no prior, the lecture)")
        form.addRow(prior_label, row)
        self.speed_combo = QComboBox()
        for speed in SPEEDS:
            self.speed_combo.addItem("max" if speed is None else f"{speed:,} steps/s", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(30))
        self.speed_combo.setToolTip("Training speed while running (the drawing rate is "
                                    "independent: at most 60 frames/s)")
        form.addRow("speed", self.speed_combo)
        self.max_check = QCheckBox("stop at step")
        self.max_spin = QSpinBox()
        self.max_spin.setRange(1, 100_000_000)
        self.max_spin.setValue(100_000)
        self.max_spin.setGroupSeparatorShown(True)
        self.max_spin.setKeyboardTracking(False)
        self.max_check.setToolTip("Pause when the step count reaches this number")
        self.max_spin.setToolTip("The step count at which Run pauses")
        self.tol_check = QCheckBox("stop when |ΔLL| <")
        self.tol_edit = QLineEdit("1e-6")
        self.tol_check.setToolTip(ft.tip(ft.TOLERANCE, "Pause when one step changes the "
                                         "log-likelihood by less than tol (converged)."))
        self.tol_edit.setToolTip(ft.tip(ft.TOLERANCE, "tol, in nats, e.g. 1e-6."))
        v.addLayout(form)
        stop = QGridLayout()
        stop.addWidget(self.max_check, 0, 0)
        stop.addWidget(self.max_spin, 0, 1)
        stop.addWidget(self.tol_check, 1, 0)
        stop.addWidget(self.tol_edit, 1, 1)
        stop.setColumnStretch(1, 1)
        v.addLayout(stop)
        # Why training is off (no data, one class): last, so that it moves no control.
        self.train_hint = QLabel("")
        self.train_hint.setObjectName("hint")
        self.train_hint.setWordWrap(True)
        self.train_hint.setVisible(False)
        v.addWidget(self.train_hint)

        self.step_button.clicked.connect(lambda: self.engine.step(1))
        self.step_n_button.clicked.connect(lambda: self.engine.step(self.step_n_spin.value()))
        self.run_button.clicked.connect(self._run_clicked)
        self.reset_button.clicked.connect(self.engine.reset_parameters)
        self.eta_slider.valueChanged.connect(self._eta_slid)
        self.eta_edit.editingFinished.connect(self._eta_typed)
        self.suggest_button.clicked.connect(self.engine.use_suggested_learning_rate)
        self.batch_combo.currentIndexChanged.connect(self._batch_changed)
        self.batch_spin.valueChanged.connect(self._batch_changed)
        self.average_check.toggled.connect(self.engine.set_average)
        self.momentum_spin.valueChanged.connect(self.engine.set_momentum)
        self.l2_edit.editingFinished.connect(self._prior_typed)
        self.l1_edit.editingFinished.connect(self._prior_typed)
        self.speed_combo.currentIndexChanged.connect(
            lambda _i: self.engine.set_speed(self.speed_combo.currentData()))
        for w in (self.max_check, self.tol_check):
            w.toggled.connect(self._stop_changed)
        self.max_spin.valueChanged.connect(self._stop_changed)
        self.tol_edit.editingFinished.connect(self._stop_changed)
        # the widgets start from the engine's settings (a workbench's defaults)
        self._show_settings(engine_settings := self.engine.settings)
        self._show_speed(engine_settings.speed)

    def _run_clicked(self) -> None:
        self.engine.toggle_run()
        self._show_running(self.engine.running)

    def _show_running(self, running: bool) -> None:
        self.run_button.blockSignals(True)
        self.run_button.setChecked(running)
        self.run_button.setText("Pause" if running else "Run")
        self.run_button.setIcon(self._pause_icon if running else self._play_icon)
        self.run_button.blockSignals(False)

    def _show_trainable(self, ok: bool, reason: str) -> None:
        for w in (self.step_button, self.step_n_button, self.run_button):
            w.setEnabled(ok)
        self.train_hint.setText(reason)
        self.train_hint.setVisible(not ok)

    def _eta_slid(self, tick: int) -> None:
        eta = tick_to_eta(tick)
        self.engine.set_learning_rate(eta)

    def _eta_typed(self) -> None:
        """Use the η typed, or say why not; either way the box then shows the η in use."""
        text = self.eta_edit.text().strip()
        current = self.engine.learning_rate
        if text != format_eta(current):
            eta = parse_positive(text)
            if eta is None:
                self.engine.message.emit(
                    "warning", f"η must be a finite positive number, such as 0.01 or 1e-3: "
                               f"{text!r} is not, so η stays {format_eta(current)}.")
            elif eta != current:
                self.engine.set_learning_rate(eta)
        self.eta_edit.setText(format_eta(self.engine.learning_rate))

    def set_learning_rate_text(self, text: str) -> None:
        """Type η into the box and commit it, as a user would."""
        self.eta_edit.setText(text)
        self._eta_typed()

    def _prior_typed(self) -> None:
        """Use the λs typed, or say why not; the boxes then show the rates in use."""
        l2, l1 = self.engine.settings.l2, self.engine.settings.l1
        new = []
        for edit, name, current in ((self.l2_edit, "L2", l2), (self.l1_edit, "L1", l1)):
            value = parse_rate(edit.text())
            if value is None:
                self.engine.message.emit(
                    "warning", f"The {name} rate λ must be a finite number ≥ 0, such as 0.01 "
                               f"(0 = off): {edit.text().strip()!r} is not, so it stays "
                               f"{current:g}.")
                value = current
            new.append(value)
        if (new[0], new[1]) != (l2, l1):
            self.engine.set_regularization(new[0], new[1])
        self._show_prior()

    def set_prior_text(self, l2: str, l1: str = "0") -> None:
        """Type both rates and commit them, as a user would."""
        self.l2_edit.setText(l2)
        self.l1_edit.setText(l1)
        self._prior_typed()

    def _show_prior(self) -> None:
        s = self.engine.settings
        for edit, value in ((self.l2_edit, s.l2), (self.l1_edit, s.l1)):
            if not edit.hasFocus():
                edit.setText(f"{value:g}")

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
        suggested = self.engine.suggested_learning_rate()
        mark = " (in use)" if self.engine.learning_rate_auto else ""
        self.eta_hint.setText(f"suggested η = {format_eta(suggested)}{mark}")

    def _show_settings(self, settings: object) -> None:
        """Follow settings set elsewhere (a workbench's defaults, a script)."""
        s = self.engine.settings
        widgets = (self.batch_combo, self.batch_spin, self.average_check, self.momentum_spin,
                   self.max_check, self.max_spin, self.tol_check, self.tol_edit)
        for w in widgets:
            w.blockSignals(True)
        try:
            mini = s.batch_size is not None
            self.batch_combo.setCurrentIndex(self.batch_combo.findData("mini" if mini else None))
            if mini:
                self.batch_spin.setValue(int(s.batch_size or 1))
            self.batch_spin.setEnabled(mini)
            self.average_check.setChecked(s.average)
            self.momentum_spin.setValue(s.momentum)
            self.max_check.setChecked(s.max_steps is not None)
            if s.max_steps is not None:
                self.max_spin.setValue(s.max_steps)
            self.tol_check.setChecked(s.tolerance is not None)
            if s.tolerance is not None and not self.tol_edit.hasFocus():
                self.tol_edit.setText(f"{s.tolerance:g}")
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._show_prior()

    def _batch_changed(self, *_: object) -> None:
        mini = self.batch_combo.currentData() == "mini"
        self.batch_spin.setEnabled(mini)
        self.engine.set_batch_size(self.batch_spin.value() if mini else None)

    def _stop_changed(self, *_: object) -> None:
        max_steps = self.max_spin.value() if self.max_check.isChecked() else None
        tolerance = parse_positive(self.tol_edit.text())
        if tolerance is None:
            text = self.tol_edit.text().strip()
            tolerance = self.engine.settings.tolerance or DEFAULT_TOLERANCE
            self.engine.message.emit(
                "warning", f"The tolerance on |ΔLL| must be a finite positive number, such "
                           f"as 1e-6: {text!r} is not, so it stays {tolerance:g}.")
            self.tol_edit.setText(f"{tolerance:g}")
        self.engine.set_stop(max_steps, tolerance if self.tol_check.isChecked() else None)
