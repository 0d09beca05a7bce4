"""The main window: boundary view on the left, diagram, curves and θ in the middle, controls
on the right; menus, shortcuts, a status bar and a message banner.
"""

from __future__ import annotations

import inspect
import math
import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import datasets
from gui import style
from gui.boundary_view import BoundaryView
from gui.controls import ControlsPanel
from gui.curves_view import CurvesView
from gui.session import Frame, Session
from gui.theta_panel import ThetaPanel
from gui.widgets.network_view import NetworkView

APP_NAME = "Ascent Lab"
START_PRESET = "overlap"
TEXT_RATE = 12.0

SHORTCUTS_HTML = """
<table cellpadding=3>
<tr><td><b>Space</b></td><td>one gradient-ascent step</td></tr>
<tr><td><b>Enter</b></td><td>run / pause</td></tr>
<tr><td><b>0</b> / <b>1</b></td><td>active class for new points</td></tr>
<tr><td><b>left click</b></td><td>add a point of the active class</td></tr>
<tr><td><b>right click</b> or <b>Shift+click</b></td><td>add a point of the other class</td></tr>
<tr><td><b>wheel</b> / <b>drag</b></td><td>zoom / pan (point tool)</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>undo / redo an edit</td></tr>
<tr><td><b>Ctrl+O</b> / <b>Ctrl+S</b></td><td>open / save the dataset (CSV)</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>
</table>
"""

ABOUT_HTML = """
<h3>Ascent Lab</h3>
<p>Place points, then watch gradient <i>ascent</i> on the log-likelihood train logistic
regression or a small neural network, step by step (Stanford CS109, lecture 26).</p>
<p>LL(θ) = Σᵢ yᵢ log σ(θᵀxᵢ) + (1 − yᵢ) log(1 − σ(θᵀxᵢ)),
&nbsp; ∂LL/∂θⱼ = Σᵢ [yᵢ − σ(θᵀxᵢ)] xᵢⱼ, &nbsp; θⱼ += η · ∂LL/∂θⱼ.</p>
"""


def _num(value: float, digits: int = 3) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.{digits}f}".replace("-", "−")


class MainWindow(QMainWindow):
    """The 2D playground."""

    def __init__(self, session: Session | None = None, load_start_preset: bool = True) -> None:
        super().__init__()
        self.session = session if session is not None else Session(self)
        self.prompt_on_close = True
        self.frame_times: list[float] = []  # GUI-thread ms per applied frame (benchmarks)
        self._arch: tuple[int, tuple[int, ...]] | None = None
        self._last_frame: Frame | None = None
        self._last_text = 0.0
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(style.STYLE_SHEET)
        self.resize(1400, 900)

        s = self.session
        self.boundary = BoundaryView(s)
        self.network = NetworkView()
        self.network.setToolTip("The network, unit by unit: each thumbnail is that unit's "
                                "value over the plane; links are weights (blue +, orange −, "
                                "thicker = larger). Click a unit to show it on the left.")
        if hasattr(self.network, "viewport"):
            style.make_opaque(self.network)
        self.curves = CurvesView()
        self.theta = ThetaPanel()
        self.controls = ControlsPanel(s)

        # Banner for problems that must not go unnoticed (divergence, bad files …).
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner_close = QToolButton()
        self.banner_close.setText("✕")
        self.banner_close.setToolTip("Dismiss")
        self.banner_close.clicked.connect(self.hide_banner)
        self.banner_row = QWidget()
        br = QHBoxLayout(self.banner_row)
        br.setContentsMargins(0, 0, 0, 0)
        br.addWidget(self.banner, 1)
        br.addWidget(self.banner_close)
        self.banner_row.setVisible(False)

        # Timeline.
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setRange(0, 0)
        self.timeline.setToolTip("Timeline: drag to look at any recorded step; release to "
                                 "rewind there (training resumes from that step)")
        self.timeline_label = QLabel("step 0")
        self.timeline_label.setFixedSize(
            self.timeline_label.fontMetrics().horizontalAdvance("step 10,000,000 (release to "
                                                                "rewind)") + 8,
            self.timeline_label.fontMetrics().height() + 4)
        timeline_row = QHBoxLayout()
        timeline_row.addWidget(QLabel("Timeline"))
        timeline_row.addWidget(self.timeline, 1)
        timeline_row.addWidget(self.timeline_label)

        network_title = QLabel("<b>Network</b> &nbsp;inputs → hidden layers → output "
                               "<span style='color:#6e6e73'>(click a unit to show it on "
                               "the left)</span>")
        network_title.setWordWrap(True)
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(4, 0, 4, 0)
        mv.setSpacing(4)
        mv.addWidget(network_title)
        mv.addWidget(self.network, 5)
        mv.addWidget(self.curves, 4)
        mv.addLayout(timeline_row)
        mv.addWidget(self.theta)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.controls)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.controls.minimumSizeHint().width() + 24)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.boundary)
        splitter.addWidget(middle)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([580, 450, 370])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        central = QWidget()
        cv = QVBoxLayout(central)
        cv.setContentsMargins(8, 6, 8, 4)
        cv.setSpacing(6)
        cv.addWidget(self.banner_row)
        cv.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_menus()
        self._build_shortcuts()

        s.frame_ready.connect(self.apply_frame)
        s.message.connect(self.show_message)
        s.running_changed.connect(self._running_changed)
        s.undo_stack.cleanChanged.connect(self._update_title)
        self.network.unit_clicked.connect(self._unit_clicked)
        self.controls.show_test_toggled.connect(self._set_show_test)
        self.timeline.sliderPressed.connect(self._timeline_pressed)
        self.timeline.valueChanged.connect(self._timeline_moved)
        self.timeline.sliderReleased.connect(self._timeline_released)
        self.controls.step_button.clicked.connect(self.hide_banner)

        self._arch_accepts_activation = "activation" in inspect.signature(
            self.network.set_architecture).parameters
        if load_start_preset:
            self.controls.set_preset(START_PRESET)
            s.undo_stack.clear()
            s.undo_stack.setClean()
        self._update_title()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1400, 900)

    # ----------------------------------------------------------------- building

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_step = QLabel("step 0")
        self.status_ll = QLabel("LL —")
        self.status_acc = QLabel("accuracy —")
        self.status_speed = QLabel("0 steps/s")
        self.status_step.setToolTip("Gradient-ascent steps done")
        self.status_ll.setToolTip("Log-likelihood of the training set (the lecture's sum) and "
                                  "per example")
        self.status_acc.setToolTip("Training (and test) accuracy")
        self.status_speed.setToolTip("Training speed measured in the worker thread")
        for w, sample in ((self.status_step, "preview step 10,000,000"),
                          (self.status_ll, "LL −100000.00 (−0.000/pt)"),
                          (self.status_acc, "train acc 100.0 %, test 100.0 %"),
                          (self.status_speed, "100,000 steps/s")):
            # fixed sizes: a changing number must not re-layout (and repaint) the bar
            bar.addPermanentWidget(w)
            w.ensurePolished()  # the style sheet's monospace font decides the width
            metrics = w.fontMetrics()
            w.setFixedSize(metrics.horizontalAdvance(sample) + 20, metrics.height() + 4)
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _build_menus(self) -> None:
        s = self.session
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.open_action = QAction("&Open dataset (CSV)…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(lambda: self.open_csv())
        self.save_action = QAction("&Save dataset (CSV)…", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(lambda: self.save_csv())
        self.screenshot_action = QAction("Save &screenshot…", self)
        self.screenshot_action.triggered.connect(lambda: self.save_screenshot())
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        for a in (self.open_action, self.save_action, self.screenshot_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = menu.addMenu("&Edit")
        self.undo_action = s.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo_action = s.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        clear = QAction("&Clear all points", self)
        clear.triggered.connect(s.clear_points)
        edit_menu.addAction(clear)

        data_menu = menu.addMenu("&Data")
        self.preset_actions: dict[str, QAction] = {}
        for name in datasets.PRESETS:
            action = QAction(f"Preset: {name}", self)
            action.triggered.connect(lambda _=False, n=name: self.controls.set_preset(n))
            data_menu.addAction(action)
            self.preset_actions[name] = action
        data_menu.addSeparator()
        self.show_test_action = QAction("Show &test points", self)
        self.show_test_action.setCheckable(True)
        self.show_test_action.setChecked(True)
        self.show_test_action.toggled.connect(self.controls.show_test_check.setChecked)
        data_menu.addAction(self.show_test_action)

        help_menu = menu.addMenu("&Help")
        shortcuts = QAction("Keyboard &shortcuts", self)
        shortcuts.triggered.connect(
            lambda: QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS_HTML))
        about = QAction("&About Ascent Lab", self)
        about.triggered.connect(lambda: QMessageBox.about(self, "About Ascent Lab", ABOUT_HTML))
        help_menu.addAction(shortcuts)
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        def shortcut(keys: str | Qt.Key, slot: object) -> QShortcut:
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)
            return sc

        self.step_shortcut = shortcut(Qt.Key.Key_Space, self._shortcut_step)
        self.run_shortcuts = [shortcut(Qt.Key.Key_Return, self._shortcut_run),
                              shortcut(Qt.Key.Key_Enter, self._shortcut_run)]
        self.class_shortcuts = [shortcut(Qt.Key.Key_0, lambda: self.session.set_active_class(0)),
                                shortcut(Qt.Key.Key_1, lambda: self.session.set_active_class(1))]

    # ----------------------------------------------------------------- actions

    def _typing(self) -> QWidget | None:
        w = QApplication.focusWidget()
        return w if isinstance(w, (QLineEdit, QAbstractSpinBox)) else None

    def _shortcut_step(self) -> None:
        self.hide_banner()
        self.session.step(1)

    def _shortcut_run(self) -> None:
        editing = self._typing()
        if editing is not None:  # Enter in a number box commits it, it does not run
            editing.clearFocus()
            self.boundary.plot_widget.setFocus()
            return
        self.session.toggle_run()

    def _running_changed(self, running: bool) -> None:
        if running:
            self.hide_banner()

    def open_csv(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open dataset", "",
                                                  "CSV files (*.csv);;All files (*)")
            if not path:
                return False
        ok = self.session.load_csv(path)
        if ok:
            self.boundary.reset_view()
        return ok

    def save_csv(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save dataset", "dataset.csv",
                                                  "CSV files (*.csv)")
            if not path:
                return False
        return self.session.save_csv(path)

    def save_screenshot(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "ascent-lab.png",
                                                  "PNG images (*.png)")
            if not path:
                return False
        ok = self.grab().save(str(path))
        if ok:
            self.show_message("info", f"Screenshot saved to {Path(path).name}")
        else:
            self.show_message("error", f"Could not save the screenshot to {path}")
        return bool(ok)

    def show_message(self, level: str, text: str) -> None:
        self.statusBar().showMessage(text, 15000)
        if level in ("error", "warning"):
            self.banner.setText(("⚠ " if level == "warning" else "✖ ") + text)
            self.banner.setProperty("level", level)
            self.banner.style().unpolish(self.banner)
            self.banner.style().polish(self.banner)
            self.banner_row.setVisible(True)

    def hide_banner(self) -> None:
        self.banner_row.setVisible(False)

    def banner_text(self) -> str:
        return self.banner.text() if self.banner_row.isVisible() else ""

    def _set_show_test(self, show: bool) -> None:
        self.boundary.set_show_test(show)
        self.show_test_action.blockSignals(True)
        self.show_test_action.setChecked(show)
        self.show_test_action.blockSignals(False)

    def _unit_clicked(self, layer: int, unit: int) -> None:
        sizes = self._last_frame.layer_sizes if self._last_frame else (2, 1)
        if layer >= len(sizes) - 1 or self.session.display_unit == (layer, unit):
            self.session.set_display_unit(None)
        else:
            self.session.set_display_unit((layer, unit))

    # ----------------------------------------------------------------- timeline

    def _timeline_pressed(self) -> None:
        if self.session.running:
            self.session.pause()

    def _timeline_moved(self, value: int) -> None:
        if self.timeline.isSliderDown():
            self.session.preview(value)
            self.timeline_label.setText(f"step {value:,} (release to rewind)")
        else:
            self.session.rewind(value)

    def _timeline_released(self) -> None:
        self.session.rewind(self.timeline.value())

    def _show_timeline(self, frame: Frame) -> None:
        if frame.preview or self.timeline.isSliderDown():
            return
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, frame.step)
        self.timeline.setValue(frame.step)
        self.timeline.blockSignals(False)
        self.timeline_label.setText(f"step {frame.step:,}")

    # ----------------------------------------------------------------- frames

    def apply_frame(self, frame: Frame) -> None:
        t0 = time.perf_counter()
        self._last_frame = frame
        arch = (frame.model_version, frame.layer_sizes)
        if arch != self._arch:
            self._arch = arch
            if self._arch_accepts_activation:
                self.network.set_architecture(frame.layer_sizes, ("x₁", "x₂"),
                                              activation=frame.activation)
            else:
                self.network.set_architecture(frame.layer_sizes, ("x₁", "x₂"))
        self.network.update_state(frame.weights, frame.unit_images, frame.unit_levels)
        self.boundary.apply_frame(frame)
        self.curves.apply_frame(frame)
        self.theta.apply_frame(frame)
        now = time.perf_counter()
        # numbers (status bar, timeline) change faster than anyone reads them while
        # training runs: refresh them TEXT_RATE times a second
        if not frame.running or now - self._last_text >= 1.0 / TEXT_RATE:
            self._last_text = now
            self._show_timeline(frame)
            self._show_status(frame)
        self.frame_times.append((time.perf_counter() - t0) * 1000.0)
        if len(self.frame_times) > 10000:
            del self.frame_times[:5000]

    def _show_status(self, frame: Frame) -> None:
        prefix = "preview " if frame.preview else ""
        self.status_step.setText(f"{prefix}step {frame.step:,}")
        n = len(self.session.data.train[1])
        per = frame.log_likelihood / n if n else math.nan
        self.status_ll.setText(f"LL {_num(frame.log_likelihood, 2)} ({_num(per, 3)}/pt)")
        acc = "—" if not math.isfinite(frame.accuracy) else f"{100 * frame.accuracy:.1f} %"
        text = f"train acc {acc}"
        if math.isfinite(frame.test_accuracy):
            text += f", test {100 * frame.test_accuracy:.1f} %"
        self.status_acc.setText(text)
        self.status_speed.setText(f"{frame.steps_per_s:,.0f} steps/s")

    # ----------------------------------------------------------------- closing

    def _update_title(self, *_: object) -> None:
        dirty = not self.session.undo_stack.isClean()
        self.setWindowTitle(f"{APP_NAME}{' *' if dirty else ''} — gradient ascent on the "
                            "log-likelihood")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.prompt_on_close and not self.session.undo_stack.isClean():
            answer = QMessageBox.question(
                self, "Save changes?",
                "You edited the dataset and did not save it. Save it before quitting?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save and not self.save_csv():
                event.ignore()
                return
        self.session.shutdown()
        event.accept()

    def wait_for(self, predicate: object, timeout_s: float = 10.0) -> bool:
        """Process events until ``predicate()`` is true (self-test and benchmarks)."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            QApplication.processEvents()
            if predicate():  # type: ignore[operator]
                return True
            time.sleep(0.002)
        return bool(predicate())  # type: ignore[operator]
