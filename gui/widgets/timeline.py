"""The timeline: a slider over every recorded step. Dragging previews a past step;
releasing rewinds there (training resumes from that step), as one undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from gui.engine import Frame, TrainingEngine
from gui.engine.engine import Checkpoint
from gui.widgets import formulas_text as ft


class RewindEdit(QUndoCommand):
    """Rewinding to a step; undo brings back the steps the rewind dropped."""

    def __init__(self, engine: TrainingEngine, before: Checkpoint, step: int) -> None:
        super().__init__(f"Rewind to step {step:,}")
        self._engine = engine
        self._before = before
        self._step = step
        self._done = True  # pushed after the rewind happened

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._engine.rewind(self._step)

    def undo(self) -> None:
        if not self._engine.restore(self._before):
            self._engine.message.emit("warning", "The model or the data changed since that "
                                                 "rewind, so its steps cannot come back.")


class Timeline(QWidget):
    """Slider and label; with an ``undo_stack`` a rewind is an undoable edit."""

    def __init__(self, engine: TrainingEngine, undo_stack: QUndoStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.undo_stack = undo_stack
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip(ft.tip(ft.UPDATE, "Position k is θ after k updates: drag to "
                                      "look at any recorded step, release to rewind there "
                                      "(Ctrl+Z brings the dropped steps back)."))
        self.label = QLabel("step 0")
        # a fixed size: a changing number must not re-layout the column (and short, so
        # that the slider keeps its room in a narrow window)
        self.label.setFixedSize(
            self.label.fontMetrics().horizontalAdvance("step 10,000,000") + 8,
            self.label.fontMetrics().height() + 4)
        self.label.setToolTip("The step shown; while you drag, the step previewed (in "
                              "italics): release to rewind there")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Timeline")
        title.setMinimumWidth(title.sizeHint().width())
        row.addWidget(title)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        self.slider.setMinimumWidth(100)
        self.slider.sliderPressed.connect(self._pressed)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(self._released)

    def _pressed(self) -> None:
        if self.engine.running:
            self.engine.pause()
        self.engine.message.emit("info", "Release to rewind to that step (Ctrl+Z undoes it).")

    def _moved(self, value: int) -> None:
        if self.slider.isSliderDown():
            self.engine.preview(value)
            self.label.setText(f"<i>step {value:,}</i>")
        else:  # keyboard or a click on the groove
            self.rewind(value)

    def _released(self) -> None:
        self.rewind(self.slider.value())

    def rewind(self, step: int) -> int:
        """Rewind the engine to ``step`` (undoable when there is an undo stack)."""
        before = self.engine.checkpoint() if self.undo_stack is not None else None
        restored = self.engine.rewind(step)
        dropped = before is not None and restored < before.trainer.step_count
        if before is not None and self.undo_stack is not None and dropped:
            self.undo_stack.push(RewindEdit(self.engine, before, restored))
        # the hint shown while dragging is answered (it must not outlive the drag)
        self.engine.message.emit("info", f"Rewound to step {restored:,}; Ctrl+Z brings the "
                                         "dropped steps back." if dropped else "")
        return restored

    def show_frame(self, frame: Frame) -> None:
        if frame.preview or self.slider.isSliderDown():
            return
        self.slider.blockSignals(True)
        self.slider.setRange(0, frame.step)
        self.slider.setValue(frame.step)
        self.slider.blockSignals(False)
        self.label.setText(f"step {frame.step:,}")
