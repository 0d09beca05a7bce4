"""The lesson player: a card floating over the top of the controls column with "Scene k
of N", the scene's title and caption, and Back / Next / Replay scene / Close; and the code
that builds each scene (data, model, settings, steps, panels) through the window's parts.

Where the card goes: at 1024×640 the window has 7 px of height to spare (the Digits page
needs 551 px), so a bar docked above the workbenches would push the window past the
screen. The card floats instead, like the message banner, over the top of the right-hand
column (the Data and Features groups: the scene sets those, no caption asks the student to
use them), clear of the plot, the diagram, the θ readout, the board and the Step and Run
buttons the captions talk about, and of the column's scroll bar. Its chevron folds the
caption away to uncover the groups; the student can play freely (add points, step, run,
draw) while a scene shows, and Next, Back and Replay build a scene afresh.

Unsaved work: a scene replaces the playground's points. Before the lesson starts, if the
points were edited and not saved, the player asks (Save / Discard / Cancel, as quitting
does). Every preset a scene loads is an ordinary undoable edit, and the digit the last
scene draws is an undoable board stroke, so Ctrl+Z brings back what was there before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import datasets
from gui.lesson.scenes import PLAYGROUND, PRESET_SAMPLES, PRESET_SEED, SCENES, Scene
from gui.widgets.icons import standard_icon

OPEN_SHORTCUT = "F1"
BACK_SHORTCUT = "Alt+Left"
NEXT_SHORTCUT = "Alt+Right"
MARGIN = 4  # px between the card and the edges of the column it floats over

CARD_STYLE = """
QFrame#lessonCard { background: #eef4fb; border: 1px solid #7fa7d6; border-radius: 6px; }
QLabel#lessonCounter { color: #124a7c; }
QLabel#lessonTitle { color: #0b3558; font-weight: 700; }
QLabel#lessonCaption { color: #1d1d1f; }
QToolButton { background: #ffffff; border: 1px solid #c7c9cf; border-radius: 4px;
              padding: 2px 6px; }
QToolButton:hover { background: #f0f4fa; border-color: #8aa9cf; }
QToolButton:disabled { color: #a0a0a5; border-color: #e0e0e4; }
QToolButton#lessonFold { border: none; background: transparent; padding: 0; }
"""


class LessonCard(QFrame):
    """What the student sees of the lesson: counter, title, caption and the buttons."""

    def __init__(self, back: QAction, next_: QAction, replay: QAction, close: QAction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(CARD_STYLE)
        self.counter = QLabel()
        self.counter.setObjectName("lessonCounter")
        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setObjectName("lessonCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.caption.setFont(font)
        self.title.setFont(font)
        style = QApplication.style()
        self.fold_button = QToolButton()
        self.fold_button.setObjectName("lessonFold")
        self.fold_button.setCheckable(True)
        self.fold_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fold_icons = (style.standardIcon(QStyle.StandardPixmap.SP_TitleBarShadeButton),
                            style.standardIcon(QStyle.StandardPixmap.SP_TitleBarUnshadeButton))
        self.fold_button.toggled.connect(self.set_folded)

        def button(action: QAction) -> QToolButton:
            b = QToolButton()
            b.setDefaultAction(action)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space keeps stepping, not clicking
            return b

        self.back_button = button(back)
        self.next_button = button(next_)
        self.replay_button = button(replay)
        self.close_button = button(close)
        self.close_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        header = QHBoxLayout()
        header.addWidget(self.counter, 1)
        header.addWidget(self.fold_button)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for b in (self.back_button, self.next_button, self.replay_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.title)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        self.set_folded(False)
        # every scene's title and caption: the card reserves room for the longest, so that
        # Back and Next stay put from scene to scene (a student clicks Next repeatedly)
        self._texts: list[tuple[str, str]] = []
        self._probes: dict[QLabel, QLabel] = {}
        for label in (self.title, self.caption):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            probe = QLabel(self)
            probe.setObjectName(label.objectName())
            probe.setWordWrap(True)
            probe.setTextFormat(label.textFormat())
            probe.setFont(label.font())
            probe.hide()
            self._probes[label] = probe

    def reserve(self, scenes: Sequence[Scene]) -> None:
        """Make room for the longest title and caption of ``scenes``."""
        self._texts = [(scene.title, scene.caption) for scene in scenes]

    def _reserve_heights(self, width: int) -> None:
        margins = self._layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        for position, label in enumerate((self.title, self.caption)):
            probe = self._probes[label]
            height = 0
            for texts in self._texts:
                probe.setText(texts[position])
                height = max(height, probe.heightForWidth(inner))
            if label.minimumHeight() != height:
                label.setMinimumHeight(height)

    def set_folded(self, folded: bool) -> None:
        """Fold the caption away (the title and the buttons stay) or show it again."""
        self.caption.setVisible(not folded)
        self.fold_button.setIcon(self._fold_icons[int(folded)])
        tip = "Show the caption again" if folded else \
            "Fold the caption away (uncovers the controls under the card)"
        self.fold_button.setToolTip(tip)
        if self.fold_button.isChecked() != folded:
            self.fold_button.setChecked(folded)

    @property
    def folded(self) -> bool:
        return self.caption.isHidden()

    def show_scene(self, index: int, count: int, scene: Scene) -> None:
        self.counter.setText(f"Lesson · scene {index + 1} of {count}")
        self.title.setText(scene.title)
        self.caption.setText(scene.caption)

    def place(self, area: QRect) -> None:
        """Float over the top of ``area`` (the parent's coordinates), as tall as the text
        needs at that width."""
        width = max(area.width(), 220)
        self._reserve_heights(width)
        layout = self._layout
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else \
            self.sizeHint().height()
        height = max(height, self.minimumSizeHint().height())
        self.setGeometry(area.x(), area.y(), width, min(height, max(area.height(), 80)))


class LessonPlayer(QObject):
    """Plays :data:`gui.lesson.scenes.SCENES` in a main window (see :func:`install`)."""

    def __init__(self, window: Any, scenes: Sequence[Scene] = SCENES) -> None:
        super().__init__(window)
        if not scenes:
            raise ValueError("a lesson needs at least one scene")
        self.window = window
        self.scenes = tuple(scenes)
        self.index = 0
        # a scene that runs to a step: the engine and the stop rule to give back after
        self._run_engine: Any = None
        self._stop_after: tuple[int | None, float | None] = (None, None)
        style = QApplication.style()

        def action(text: str, icon: Any, tip: str, slot: Any, keys: str = "") -> QAction:
            a = QAction(icon, text, window)
            a.setToolTip(tip)
            a.setStatusTip(tip)
            if keys:
                a.setShortcut(QKeySequence(keys))
                a.setToolTip(f"{tip} ({keys})")
            a.triggered.connect(slot)
            return a

        self.open_action = action(
            "&Lesson: logistic regression to deep learning", style.standardIcon(
                QStyle.StandardPixmap.SP_DialogHelpButton),
            f"A guided lesson through lecture 26 in {len(self.scenes)} scenes: from θ = 0 to "
            "a hidden layer and a drawn digit", self.start, OPEN_SHORTCUT)
        self.back_action = action("Back", style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack),
                                  "The previous scene", self.back, BACK_SHORTCUT)
        self.next_action = action("Next", style.standardIcon(
            QStyle.StandardPixmap.SP_ArrowForward), "The next scene", self.next, NEXT_SHORTCUT)
        self.replay_action = action("Replay", style.standardIcon(
            QStyle.StandardPixmap.SP_BrowserReload), "Replay scene: build it again from the "
            "start (its data, model, θ and panels)", self.replay)
        self.close_action = action("Close", standard_icon("close"),
                                   "End the lesson (everything stays as it is)", self.close)
        self.scene_actions = (self.back_action, self.next_action, self.replay_action,
                              self.close_action)
        for a in self.scene_actions:
            window.addAction(a)  # the shortcuts work wherever the focus is in the window
            a.setEnabled(False)

        # the card floats over the central widget (outside every layout: it moves nothing)
        self.card = LessonCard(*self.scene_actions, parent=window.centralWidget())
        self.card.reserve(self.scenes)
        self.card.hide()
        self.card.fold_button.toggled.connect(lambda _folded: self.place())
        window.tabs.currentChanged.connect(lambda _index: self.place())
        self._watched = [window.centralWidget()]
        for workbench in (window.workbench, window.digits):
            column = self._column(workbench)
            self._watched.append(column)
            if isinstance(column, QAbstractScrollArea):  # its scroll bar comes and goes
                self._watched.append(column.viewport())
        for widget in self._watched:
            widget.installEventFilter(self)

        for engine in self._engines():
            engine.running_changed.connect(
                lambda running, e=engine: self._running_changed(e, running))

    # ---------------------------------------------------------------- state

    @property
    def is_open(self) -> bool:
        return not self.card.isHidden()

    @property
    def scene(self) -> Scene:
        return self.scenes[self.index]

    def caption_text(self) -> str:
        """The caption the card shows ("" while the lesson is closed or folded)."""
        caption = self.card.caption
        return caption.text() if self.is_open and caption.isVisible() else ""

    def _engines(self) -> tuple[Any, Any]:
        return self.window.session.engine, self.window.digits_session.engine

    # ---------------------------------------------------------------- opening and closing

    def start(self) -> bool:
        """Open the lesson at the scene it was left at (the first one the first time);
        if the playground has unsaved points, ask first. False if the student cancelled."""
        if self.is_open:
            self.card.set_folded(False)
            self.card.raise_()
            return True
        if not self._unsaved_work_settled():
            return False
        self.card.show()
        self.card.raise_()
        for a in self.scene_actions:
            a.setEnabled(True)
        self.show_scene(self.index)
        return True

    def _unsaved_work_settled(self) -> bool:
        """True when the playground's points may be replaced: nothing unsaved, or the
        student saved them, or chose to discard them (Ctrl+Z still brings them back)."""
        window = self.window
        if not window.session.modified:
            return True
        answer = QMessageBox.question(
            window, "Save your points first?",
            "The lesson loads its own datasets into the playground. You edited the "
            "playground's points and did not save them: save them (CSV) before the lesson "
            "starts? (Ctrl+Z brings them back during the lesson too.)",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return bool(window.save_csv())
        return True

    def close(self) -> None:
        """End the lesson; the data, model and panels of the scene stay for free play."""
        self.card.hide()
        for a in self.scene_actions:
            a.setEnabled(False)

    # ---------------------------------------------------------------- moving

    def next(self) -> None:
        if self.index + 1 < len(self.scenes):
            self.show_scene(self.index + 1)

    def back(self) -> None:
        if self.index > 0:
            self.show_scene(self.index - 1)

    def replay(self) -> None:
        self.show_scene(self.index)

    def show_scene(self, index: int) -> None:
        """Build scene ``index`` afresh and show its caption."""
        if not 0 <= index < len(self.scenes):
            raise IndexError(f"there are {len(self.scenes)} scenes, not scene {index + 1}")
        self.index = index
        scene = self.scenes[index]
        self.card.show_scene(index, len(self.scenes), scene)
        self.back_action.setEnabled(index > 0)
        self.next_action.setEnabled(index + 1 < len(self.scenes))
        for engine in self._engines():
            engine.pause()
        self._running_changed(self._run_engine, False)  # a run to a step ends here
        window = self.window
        window.hide_banner()
        window.statusBar().clearMessage()  # a message of the last scene describes it only
        if scene.tab == PLAYGROUND:
            window.tabs.setCurrentWidget(window.workbench)
            engine = self._build_playground(scene)
        else:
            window.tabs.setCurrentWidget(window.digits)
            engine = self._build_digits(scene)
        self._show_panels(scene.panels)
        if scene.setup is not None:
            scene.setup(window)
        if scene.steps:
            engine.step(scene.steps)
        if scene.run_to:
            self._run_to_step(engine, scene.run_to)
        self.place()

    # ---------------------------------------------------------------- placing the card

    @staticmethod
    def _column(workbench: QWidget) -> QWidget:
        """The right-hand pane of a workbench: its column of control groups."""
        splitter = workbench.splitter  # type: ignore[attr-defined]
        return splitter.widget(splitter.count() - 1)

    def card_area(self) -> QRect:
        """Where the card floats (central widget coordinates): the top of the showing
        workbench's controls column, inside its scroll bar."""
        column = self._column(self.window.tabs.currentWidget())
        inner = column.viewport() if isinstance(column, QAbstractScrollArea) else column
        top_left = inner.mapTo(self.window.centralWidget(), QPoint(0, 0))
        return QRect(top_left.x() + MARGIN, top_left.y() + MARGIN,
                     inner.width() - 2 * MARGIN, inner.height() - 2 * MARGIN)

    def place(self) -> None:
        if self.is_open:
            self.card.place(self.card_area())
            self.card.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show,
                            QEvent.Type.LayoutRequest):
            self.place()
        return False

    # ---------------------------------------------------------------- building a scene

    def _build_playground(self, scene: Scene) -> Any:
        window = self.window
        session = window.session
        if scene.preset is not None:
            self._load_preset(scene.preset)
        if scene.spec is not None:
            session.set_model_spec(scene.spec)
        if scene.settings is not None:
            session.engine.set_settings(scene.settings)
        session.engine.reset_parameters()  # θ = 0 (a network: its seeded start)
        session.set_display_unit(scene.display_unit)
        window.boundary.reset_view()
        return session.engine

    def _load_preset(self, name: str) -> None:
        """The preset as the Data group makes it by default (n = 200, its noise, seed 0),
        through the Data group so its boxes show what is loaded; not reloaded when the
        points are that preset, unedited, already."""
        session = self.window.session
        data = self.window.controls.data
        noise = float(datasets.DEFAULT_NOISE[name])
        if session.data.preset == name and session.preset == (name, PRESET_SAMPLES, noise,
                                                               PRESET_SEED):
            return
        for spin, value in ((data.samples_spin, PRESET_SAMPLES), (data.seed_spin, PRESET_SEED),
                            (data.noise_spin, noise)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        data.set_preset(name)

    def _build_digits(self, scene: Scene) -> Any:
        digits, session = self.window.digits, self.window.digits_session
        digits.data.ten_radio.setChecked(True)  # all ten digits (the group sets the task)
        combo = digits.data.source_combo
        combo.setCurrentIndex(combo.findData("bundled"))
        engine = session.engine
        if scene.spec is not None:
            engine.set_model_spec(scene.spec)
        session.apply_defaults(engine)
        engine.reset_parameters()
        return engine

    def _show_panels(self, names: Sequence[str]) -> None:
        """Show the scene's panels (those that exist) and hide the others."""
        panels = self.window.workbench.panels
        panels.hide_all()
        for name in names:
            if name in panels.docks:
                panels.show_panel(name, True)

    # ---------------------------------------------------------------- run to a step

    def _run_to_step(self, engine: Any, step: int) -> None:
        """Run, visibly, and stop exactly at ``step`` (the engine's own stop rule, given
        back as it was once the run ends, so the student's next Run goes on)."""
        settings = engine.settings
        self._stop_after = (settings.max_steps, settings.tolerance)
        self._run_engine = engine
        engine.set_stop(step, settings.tolerance)
        engine.run()

    def _running_changed(self, engine: Any, running: bool) -> None:
        if running or engine is None or engine is not self._run_engine:
            return
        self._run_engine = None  # stopped at the step, or paused by the student
        engine.set_stop(*self._stop_after)
