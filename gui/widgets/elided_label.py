"""A one-line label that never asks for more width than it gets: text that does not fit
ends in "…" and the whole text is its tooltip. For texts that change with the state (the
unit shown), so that a longer text never widens a pane or squeezes its neighbours."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Plain text, one line, elided on the right."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        self.setToolTip(text if self.fontMetrics().horizontalAdvance(text) > self.width()
                        else "")

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, super().minimumSizeHint().height())

    def elided(self) -> str:
        """The text as drawn."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.elided())
        painter.end()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.setToolTip(self.text() if self.fontMetrics().horizontalAdvance(self.text())
                        > self.width() else "")


__all__ = ["ElidedLabel"]
