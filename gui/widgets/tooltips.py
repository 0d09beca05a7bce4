"""Tooltips for views that answer the mouse themselves: the view keeps its tooltip (the
formula it stands for) but shows it only where it would not cover the view's own hover
feedback (the boundary view's plane, the network diagram's unit previews)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip, QWidget


class TooltipOnlyWhere(QObject):
    """An event filter on ``widget``: its ToolTip events pass only where ``allowed(pos)``
    (pos in ``widget``'s coordinates) is true; elsewhere no tooltip shows."""

    def __init__(self, widget: QWidget, allowed: Callable[[QPoint], bool]) -> None:
        super().__init__(widget)
        self._allowed = allowed
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if not self._allowed(event.pos()):
                QToolTip.hideText()
                event.accept()  # handled: an ignored one would go on to the parents
                return True
        return False
