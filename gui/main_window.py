"""The main window: the workbenches (the 2D playground, digits) as tabs, with menus,
shortcuts, a status bar and a message banner around them.

Space, Enter, Ctrl+Z and the status bar act on the workbench whose tab is showing; the digit
keys choose a class in the playground and label the drawing in Digits.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import datasets
from gui import style
from gui.digits.session import DigitsSession
from gui.digits.workbench import DigitsWorkbench
from gui.documents import DocumentController
from gui.engine import Frame
from gui.export import install as install_export
from gui.lesson import install as install_lesson
from gui.playground.session import MAX_CLASSES, Session
from gui.playground.workbench import PlaygroundWorkbench
from gui.widgets import wheel_guard
from gui.widgets.status import MessageBanner, StatusReadouts

APP_NAME = "Ascent Lab"
START_PRESET = "overlap"
TEXT_RATE = 12.0
LAST_FOLDER_KEY = "files/last_folder"

SHORTCUTS_HTML = """
<table cellpadding=3>
<tr><td colspan=2><i>Both tabs</i></td></tr>
<tr><td><b>Space</b></td><td>one gradient-ascent step</td></tr>
<tr><td><b>Enter</b></td><td>run / pause</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>undo / redo an edit (a rewind too)</td></tr>
<tr><td colspan=2><i>Playground</i></td></tr>
<tr><td><b>0</b> / <b>1</b> / <b>2</b> / <b>3</b></td><td>active class for new points
(a point of class 2 or 3 makes 3 or 4 classes: a softmax output)</td></tr>
<tr><td><b>left click</b></td><td>add a point of the active class</td></tr>
<tr><td><b>right click</b> or <b>Shift+click</b></td><td>add a point of the other class
(0 ↔ 1, 2 ↔ 3)</td></tr>
<tr><td><b>wheel</b> / <b>drag</b></td><td>zoom / pan (point tool)</td></tr>
<tr><td colspan=2><i>Digits</i></td></tr>
<tr><td><b>left drag</b> / <b>right drag</b></td><td>draw / erase on the board</td></tr>
<tr><td><b>0</b> … <b>9</b></td><td>add the drawing to your digits with that label</td></tr>
<tr><td colspan=2><i>Files</i></td></tr>
<tr><td><b>Ctrl+O</b></td><td>open a session (.ascent) or a dataset (.csv); or drop one
on the window</td></tr>
<tr><td><b>Ctrl+S</b> / <b>Ctrl+Shift+S</b></td><td>save / save as (the tab's session)</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>
<tr><td colspan=2><i>Lesson</i></td></tr>
<tr><td><b>F1</b></td><td>Help → Lesson: the lecture in seven scenes</td></tr>
<tr><td><b>Alt+←</b> / <b>Alt+→</b></td><td>the lesson's previous / next scene</td></tr>
</table>
"""

ABOUT_HTML = """
<h3>Ascent Lab</h3>
<p>Place points, then watch gradient <i>ascent</i> on the log-likelihood train logistic
regression or a small neural network, step by step (Stanford CS109, lecture 26).</p>
<p>LL(θ) = Σᵢ yᵢ log σ(θᵀxᵢ) + (1 − yᵢ) log(1 − σ(θᵀxᵢ)),
&nbsp; ∂LL/∂θⱼ = Σᵢ [yᵢ − σ(θᵀxᵢ)] xᵢⱼ, &nbsp; θⱼ += η · ∂LL/∂θⱼ.</p>
"""


class MainWindow(QMainWindow):
    """The application window around the playground workbench."""

    def __init__(self, session: Session | None = None, load_start_preset: bool = True,
                 digits: DigitsSession | None = None) -> None:
        super().__init__()
        self.session = session if session is not None else Session(self)
        self.digits_session = digits if digits is not None else DigitsSession(self)
        self.prompt_on_close = True
        self.frame_times: list[float] = []  # GUI-thread ms per applied frame (benchmarks)
        self._last_text = 0.0
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(style.STYLE_SHEET)
        self.resize(self._start_size())

        s = self.session
        self.workbench = PlaygroundWorkbench(s)
        self.digits = DigitsWorkbench(self.digits_session)
        w = self.workbench
        # the playground's parts, by the names tests, scripts and benchmarks use
        self.boundary, self.network, self.curves = w.boundary, w.network, w.curves
        self.theta, self.controls = w.theta, w.controls
        self.timeline, self.timeline_label = w.timeline.slider, w.timeline.label
        self._untrainable: set[str] = set()  # why an engine could not train (banners)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(w, "Playground (2D points)")
        self.tabs.addTab(self.digits, "Digits (draw a number)")
        self.tabs.setTabToolTip(0, "Place 2D points, train logistic regression or a network, "
                                   "watch the decision boundary")
        self.tabs.setTabToolTip(1, "Draw digits, train on the UCI handwritten digits, see "
                                   "the downsampled input, the forward pass and two guesses")
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(s.undo_stack)
        self.undo_group.addStack(self.digits_session.undo_stack)
        self.undo_group.setActiveStack(s.undo_stack)
        self.undo_group.indexChanged.connect(self._undo_moved)

        central = QWidget()
        cv = QVBoxLayout(central)
        cv.setContentsMargins(8, 6, 8, 4)
        cv.setSpacing(6)
        cv.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        # The banner floats over the plots, outside the layout: it moves no control.
        self.banner = MessageBanner(central)
        for workbench in (w, self.digits):
            workbench.splitter.splitterMoved.connect(self._place_banner)

        self.status = StatusReadouts(self.statusBar())
        self.status_step = self.status.step
        self.statusBar().messageChanged.connect(  # the tooltip goes with the message
            lambda message: message or self.statusBar().setToolTip(""))
        self._message_at: tuple[object, int] = (None, -1)
        self.documents = DocumentController(self)
        self._build_menus()
        install_export(self)  # File → Export (gui.export)
        self._build_shortcuts()
        self.setAcceptDrops(True)  # a .ascent or .csv dropped on the window opens

        for engine in (s.engine, self.digits_session.engine):
            engine.frame_ready.connect(self.apply_frame)
            engine.running_changed.connect(self._running_changed)
            engine.trainable_changed.connect(self._trainable_changed)
        for source in (s.engine, self.digits_session.engine, self.digits_session):
            source.message.connect(self.show_message)
        self.digits_session.compare.message.connect(  # say which model a message is about
            lambda level, text: self.show_message(level, f"Compare model: {text}"))
        self.controls.data.show_test_toggled.connect(self._set_show_test)
        for controls in (self.controls.training, self.digits.training):
            controls.step_button.clicked.connect(self.banner.dismiss)
        self.tabs.currentChanged.connect(self._tab_changed)

        if load_start_preset:
            self.controls.data.set_preset(START_PRESET)
            s.undo_stack.clear()
            s.undo_stack.setClean()
            s.mark_saved()
        for name in ("playground", "digits"):
            self.documents.mark_clean(name)
        # the wheel scrolls the panels; it changes a setting only when that has the focus
        wheel_guard.install()
        install_lesson(self)  # Help → Lesson (F1): the guided lesson, gui/lesson

    @property
    def active_engine(self) -> object:
        """The engine of the workbench whose tab is showing."""
        if self.tabs.currentWidget() is self.digits:
            return self.digits_session.engine
        return self.session.engine

    def _tab_changed(self, index: int) -> None:
        digits = self.tabs.widget(index) is self.digits
        self.undo_group.setActiveStack(self.digits_session.undo_stack if digits
                                       else self.session.undo_stack)
        for action in (self.open_action, self.save_action, self.data_menu.menuAction(),
                       self.panels_menu.menuAction()):  # the dataset (CSV) actions
            action.setEnabled(not digits)
        self.hide_banner()
        frame = self.active_engine.latest_frame  # type: ignore[attr-defined]
        if frame is not None:
            self.status.show_frame(frame)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1400, 900)

    def _start_size(self) -> QSize:
        """1400×900, or the screen's free area if it is smaller (the window works down to
        1024×640)."""
        size = self.sizeHint()
        screen = QApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry().size()
            size = size.boundedTo(QSize(free.width() - 20, free.height() - 40))
        return size

    # ----------------------------------------------------------------- building

    def _build_menus(self) -> None:
        s = self.session
        data = self.controls.data
        menu = self.menuBar()
        file_menu = self.file_menu = menu.addMenu("&File")
        self.open_action = QAction("Open &dataset…", self)
        self.open_action.setToolTip("Open the playground's points from a CSV file")
        self.open_action.triggered.connect(lambda: self.open_csv())
        self.save_action = QAction("Save dataset &as…", self)
        self.save_action.setToolTip("Save the playground's points as a CSV file")
        self.save_action.triggered.connect(lambda: self.save_csv())
        self.screenshot_action = QAction("Save &screenshot…", self)
        self.screenshot_action.triggered.connect(lambda: self.save_screenshot())
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.setToolTipsVisible(True)
        for a in (self.open_action, self.save_action, self.screenshot_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.documents.files.install(file_menu, self.open_action)

        edit_menu = menu.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        clear = QAction("&Clear all points", self)
        clear.triggered.connect(s.clear_points)
        edit_menu.addAction(clear)

        data_menu = self.data_menu = menu.addMenu("&Data")
        self.preset_actions: dict[str, QAction] = {}
        for name in datasets.PRESETS:
            action = QAction(f"Preset: {name}", self)
            action.triggered.connect(lambda _=False, n=name: data.set_preset(n))
            data_menu.addAction(action)
            self.preset_actions[name] = action
        data_menu.addSeparator()
        self.show_test_action = QAction("Show &test points", self)
        self.show_test_action.setCheckable(True)
        self.show_test_action.setChecked(True)
        self.show_test_action.toggled.connect(data.show_test_check.setChecked)
        data_menu.addAction(self.show_test_action)

        view_menu = self.view_menu = menu.addMenu("&View")
        view_menu.setToolTipsVisible(True)
        panels = self.panels_menu = view_menu.addMenu("Playground &panels")
        panels.setToolTipsVisible(True)
        for action in self.workbench.panels.actions():
            panels.addAction(action)

        help_menu = self.help_menu = menu.addMenu("&Help")
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
        self.digit_shortcuts = [shortcut(getattr(Qt.Key, f"Key_{d}"),
                                         lambda d=d: self._digit_key(d)) for d in range(10)]

    def _digit_key(self, digit: int) -> None:
        """Playground: the active class (0 … 3). Digits: label the drawing."""
        if self.tabs.currentWidget() is self.digits:
            self.digits.add_drawing(digit)
        elif digit < MAX_CLASSES:
            self.session.set_active_class(digit)

    # ----------------------------------------------------------------- actions

    def _typing(self) -> QWidget | None:
        w = QApplication.focusWidget()
        return w if isinstance(w, (QLineEdit, QAbstractSpinBox)) else None

    def _shortcut_step(self) -> None:
        self.hide_banner()
        self.active_engine.step(1)  # type: ignore[attr-defined]

    def _shortcut_run(self) -> None:
        editing = self._typing()
        if editing is not None:  # Enter in a number box commits it, it does not run
            editing.clearFocus()
            self.tabs.currentWidget().setFocus()
            return
        self.active_engine.toggle_run()  # type: ignore[attr-defined]

    def _running_changed(self, running: bool) -> None:
        if running:
            self.hide_banner()

    @staticmethod
    def settings() -> QSettings:
        """The user's settings (the folder of the last dataset opened or saved)."""
        return QSettings(APP_NAME, APP_NAME)

    def last_folder(self) -> str:
        """Where the open and save dialogs start: the folder of the dataset last opened or
        saved (remembered across sessions), else the current folder."""
        folder = str(self.settings().value(LAST_FOLDER_KEY, "") or "")
        return folder if folder and Path(folder).is_dir() else ""

    def _remember_folder(self, path: str) -> None:
        self.settings().setValue(LAST_FOLDER_KEY, str(Path(path).resolve().parent))

    def open_csv(self, path: str | None = None) -> bool:
        """Open a CSV dataset into the playground (a dialog without a path)."""
        if path is None:
            path = self.documents.choose_path(False, "Open dataset",
                                              "CSV files (*.csv);;All files (*)")
            if not path:
                return False
        return self.documents.open_dataset(Path(path))

    def save_csv(self, path: str | None = None) -> bool:
        """Save the playground's points as CSV (a dialog without a path)."""
        return self.documents.save_dataset(path)

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
        """In the status bar for 15 s (cut with "…" to the room beside the readouts, whole
        in its tooltip); warnings and errors also in the banner."""
        bar = self.statusBar()
        room = bar.width() - sum(w.width() for w in self.status.widgets()) - 40
        shown = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(room, 120))
        bar.setToolTip(text if shown != text else "")
        bar.showMessage(shown, 15000)
        self._message_at = self._undo_position()
        if level in ("error", "warning"):
            self.banner.show_message(level, text)
            self._place_banner()

    def _undo_position(self) -> tuple[object, int]:
        stack = self.undo_group.activeStack()
        return (stack, stack.index() if stack is not None else -1)

    def _undo_moved(self, *_: object) -> None:
        """A message about what Ctrl+Z would do goes once another edit (or the undo
        itself) has changed what it would do."""
        if "Ctrl+Z" in self.status_message() and self._undo_position() != self._message_at:
            self.statusBar().clearMessage()

    def status_message(self) -> str:
        """The status bar's message in full (it may show cut), or "" when none shows."""
        bar = self.statusBar()
        return (bar.toolTip() or bar.currentMessage()) if bar.currentMessage() else ""

    def _place_banner(self, *_: object) -> None:
        """Over the top of the plots of the workbench showing (its ``banner_area``)."""
        if not self.banner.isVisible():
            return
        workbench = self.tabs.currentWidget()
        area = workbench.banner_area() if hasattr(workbench, "banner_area") \
            else workbench.rect()
        corner = workbench.mapTo(self.centralWidget(), area.topLeft())
        self.banner.place(QRect(corner, area.size()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._place_banner()

    def _trainable_changed(self, ok: bool, reason: str) -> None:
        """A banner saying why training cannot start goes once it can."""
        if not ok:
            self._untrainable.add(reason)
        elif self.banner.text() in self._untrainable:
            self.hide_banner()

    def hide_banner(self) -> None:
        self.banner.dismiss()

    def banner_text(self) -> str:
        return self.banner.text()

    @property
    def banner_row(self) -> MessageBanner:
        return self.banner

    def _set_show_test(self, show: bool) -> None:
        self.show_test_action.blockSignals(True)
        self.show_test_action.setChecked(show)
        self.show_test_action.blockSignals(False)

    # ----------------------------------------------------------------- frames

    def apply_frame(self, frame: Frame) -> None:
        t0 = time.perf_counter()
        engine = self.sender()
        digits = engine is self.digits_session.engine
        workbench = self.digits if digits else self.workbench
        workbench.apply_frame(frame)
        now = time.perf_counter()
        # numbers (status bar, timeline) change faster than anyone reads them while
        # training runs: refresh them TEXT_RATE times a second
        if not frame.running or now - self._last_text >= 1.0 / TEXT_RATE:
            self._last_text = now
            workbench.timeline.show_frame(frame)
            if engine is None or engine is self.active_engine:
                self.status.show_frame(frame)
        self.frame_times.append((time.perf_counter() - t0) * 1000.0)
        if len(self.frame_times) > 10000:
            del self.frame_times[:5000]

    # ----------------------------------------------------------------- closing

    def _update_title(self, *_: object) -> None:
        self.documents.update_title()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.documents.close_requested():  # Save / Discard / Cancel
            event.ignore()
            return
        self.session.shutdown()
        self.digits_session.shutdown()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        self.documents.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        self.documents.drop(event)

    def wait_for(self, predicate: object, timeout_s: float = 10.0) -> bool:
        """Process events until ``predicate()`` is true (self-test and benchmarks)."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            QApplication.processEvents()
            if predicate():  # type: ignore[operator]
                return True
            time.sleep(0.002)
        return bool(predicate())  # type: ignore[operator]
