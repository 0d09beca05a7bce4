"""Editing one weight by hand: click a link of the network diagram, type its value.

A small line edit floats over the diagram at the link (Enter or leaving the box sets the
weight, Escape cancels); the edit is a :class:`WeightEdit` on the playground's undo stack,
which sets the parameter through the engine (``TrainingEngine.set_parameter``) and undoes
by bringing back the whole training state from before it (a checkpoint, as a rewind's undo).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import QLineEdit, QWidget

from core import inspection
from gui.engine import TrainingEngine
from gui.engine.engine import Checkpoint


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def weight_name(layer: int, i: int, j: int) -> str:
    """θ⁽ˡ⁾ᵢ,ⱼ as the diagram's hover card names it (1-based)."""
    return f"θ⁽{_sup(layer + 1)}⁾{_sub(i + 1)},{_sub(j + 1)}"


def parse_number(text: str) -> float | None:
    """A finite number typed by hand (decimal comma and true minus read too), or None."""
    try:
        value = float(text.strip().replace(",", ".").replace("−", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class WeightEdit(QUndoCommand):
    """Setting one weight by hand; undo brings back the state before it."""

    def __init__(self, engine: TrainingEngine, link: tuple[int, int, int], value: float,
                 before: Checkpoint | None) -> None:
        super().__init__(f"Set {weight_name(*link)} = {value:g}")
        self._engine = engine
        self._link = link
        self._value = value
        self._before = before

    def redo(self) -> None:
        with self._engine.lock:
            index, position = inspection.weight_position(self._engine.model, *self._link)
        self._engine.set_parameter(index, position, self._value)

    def undo(self) -> None:
        if self._before is None or not self._engine.restore(self._before):
            self._engine.message.emit("warning", "The model or the data changed since that "
                                                 "weight was set, so it cannot be undone.")


class WeightEditor(QLineEdit):
    """The floating box that takes a weight's new value."""

    committed = Signal(int, int, int, float)  # layer, i, j, value

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setVisible(False)
        self.setFixedWidth(96)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._link: tuple[int, int, int] | None = None
        self._opened_text = ""
        # Enter (the window's Enter shortcut then takes the focus away) or leaving the box
        self.editingFinished.connect(self._commit)

    @property
    def link(self) -> tuple[int, int, int] | None:
        """The link being edited (None: closed)."""
        return self._link

    def open_at(self, link: tuple[int, int, int], value: float, at: QPoint) -> None:
        """Show the box at ``at`` (parent coordinates) with the weight's current value."""
        self._link = link
        self.setToolTip(f"{weight_name(*link)}: type a new weight and press Enter "
                        "(Escape cancels; Ctrl+Z undoes it)")
        self.setPlaceholderText(weight_name(*link))
        self._opened_text = f"{value:.4g}"
        self.setText(self._opened_text)
        self.setStyleSheet("")
        parent = self.parentWidget()
        x = max(0, min(at.x() - self.width() // 2, (parent.width() if parent else 0)
                       - self.width()))
        y = max(0, at.y() - self.sizeHint().height() // 2)
        self.move(x, y)
        self.setVisible(True)
        self.raise_()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.selectAll()

    def close_editor(self) -> None:
        self._link = None
        self.setVisible(False)

    def _commit(self) -> None:
        link = self._link
        value = parse_number(self.text())
        if link is None:
            return
        if self.text().strip() == self._opened_text:  # nothing typed: nothing to set
            self.close_editor()
            return
        if value is None:
            if not self.hasFocus() and not self.isActiveWindow():
                self.close_editor()
                return
            self.setFocus()
            self.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }")
            self.setToolTip(f"{self.text()!r} is not a number: type one such as 0.5 or −2 "
                            "(Escape cancels)")
            return
        self.setStyleSheet("")
        self.close_editor()
        self.committed.emit(*link, value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.close_editor()
            return
        super().keyPressEvent(event)
