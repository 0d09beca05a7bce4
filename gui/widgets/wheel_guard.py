"""The mouse wheel changes a setting only when the user chose that widget first.

Scrolling a panel full of spin boxes, combo boxes and sliders must scroll the panel: a
wheel turn that happens to pass over "hidden layer 3" must not turn 8 units into 2 and
re-initialise the network. One application-wide event filter (installed by
``gui.__main__.application`` and by the main window) gives every spin box, combo box and
slider, including ones created later, the ``Qt.StrongFocus`` policy (the wheel no longer
focuses them) and hands wheel events over an unfocused one to the scroll area around it
(or to its parent when there is none). Scroll bars keep the wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARD_NAME = "ascent-lab-wheel-guard"


def is_guarded(widget: object) -> bool:
    """Spin boxes, combo boxes and sliders (not scroll bars): a wheel turn edits them."""
    return (isinstance(widget, (QAbstractSpinBox, QComboBox, QAbstractSlider))
            and not isinstance(widget, QScrollBar))


def _owner(widget: QWidget) -> QWidget | None:
    """The guarded widget ``widget`` is part of (itself, or a spin box's line edit ...)."""
    w: QWidget | None = widget
    for _ in range(3):
        if w is None:
            return None
        if is_guarded(w):
            return w
        if w.isWindow():  # a combo box's open list is a window of its own: it scrolls
            return None
        w = w.parentWidget()
    return None


def guard_focus(widget: QWidget) -> None:
    """The wheel must not give this widget (or its parts) the keyboard focus."""
    for w in (widget, *widget.findChildren(QWidget)):
        if w.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    w = widget.parentWidget()
    while w is not None:
        if isinstance(w, QAbstractScrollArea) and w.viewport().isAncestorOf(widget):
            return w
        w = w.parentWidget()
    return None


class WheelGuard(QObject):
    """The event filter (one per application; see :func:`install`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(GUARD_NAME)
        self.redirected = 0  # wheel events handed on (tests)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.Polish and is_guarded(watched):
            guard_focus(watched)  # type: ignore[arg-type]
        elif kind == QEvent.Type.Wheel and isinstance(watched, QWidget):
            owner = _owner(watched)
            if owner is not None and not owner.hasFocus() and owner.isEnabled():
                self._hand_on(owner, event)  # type: ignore[arg-type]
                return True
        return False

    def _hand_on(self, owner: QWidget, event: QWheelEvent) -> None:
        """Scroll the scroll area around ``owner`` instead (or let its parent have it)."""
        self.redirected += 1
        area = _scroll_area_around(owner)
        target = area.viewport() if area is not None else owner.parentWidget()
        if target is None:
            event.accept()
            return
        global_pos = event.globalPosition()
        local = QPointF(target.mapFromGlobal(global_pos))
        forwarded = QWheelEvent(local, global_pos, event.pixelDelta(), event.angleDelta(),
                                event.buttons(), event.modifiers(), event.phase(),
                                event.inverted(), event.source())
        QApplication.sendEvent(target, forwarded)
        event.accept()


def install(app: QApplication | None = None) -> WheelGuard:
    """Install the guard on the application once (later calls return the same one) and
    guard the widgets that exist already."""
    app = app if app is not None else QApplication.instance()  # type: ignore[assignment]
    if app is None:
        raise RuntimeError("create the QApplication first")
    guard = app.findChild(QObject, GUARD_NAME)
    if not isinstance(guard, WheelGuard):
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    for top in app.topLevelWidgets():
        for w in (top, *top.findChildren(QWidget)):
            if is_guarded(w):
                guard_focus(w)
    return guard


__all__ = ["WheelGuard", "guard_focus", "install", "is_guarded"]
