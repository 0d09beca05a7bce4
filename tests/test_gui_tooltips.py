"""Formulas where they are used (issue 12 item 6): every visible control and view of both
tabs has a tooltip, and the key ones show the lecture's formula, written the same way
everywhere (gui/widgets/formulas_text.py)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QSlider,
    QTabWidget,
    QToolTip,
    QWidget,
)

from gui.widgets import formulas_text as ft

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QGraphicsView,
            pg.PlotWidget)


def _name(widget: QWidget) -> str:
    parts, w = [], widget
    while w is not None and len(parts) < 4:
        text = getattr(w, "text", None)
        label = f"'{text()}'" if callable(text) and isinstance(text(), str) else ""
        parts.append(f"{type(w).__name__}{label}")
        w = w.parentWidget()
    return " < ".join(parts)


def _untipped(window) -> list[str]:
    """The visible controls and views without a tooltip."""
    missing = []
    for kind in CONTROLS:
        for widget in window.findChildren(kind):
            if widget.isVisible() and not widget.toolTip().strip():
                missing.append(_name(widget))
    return missing


def _visible(window, kind) -> int:
    return sum(w.isVisible() for w in window.findChildren(kind))


def test_every_visible_control_and_view_of_both_tabs_has_a_tooltip(shown_window, qtbot):
    w = shown_window
    tabs = w.findChild(QTabWidget)
    # the playground with a network (its layer boxes, activation, ...) and every panel open
    w.controls.model.network_radio.click()
    for name in w.workbench.panels.panels:
        w.workbench.panels.show_panel(name)
    qtbot.waitUntil(lambda: w.controls.model.activation_combo.isVisible())
    assert _visible(w, QAbstractButton) > 20 and _visible(w, QGraphicsView) >= 4
    assert _untipped(w) == []
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: w.digits.isVisible())
    assert _visible(w, QAbstractButton) > 20
    assert _untipped(w) == []


def test_the_key_tooltips_show_the_lectures_formulas(shown_window):
    w = shown_window
    t, m = w.controls.training, w.controls.model
    for widget in (t.eta_slider, t.eta_edit, t.step_button, t.run_button, w.timeline):
        assert "θⱼ += η" in widget.toolTip(), _name(widget)
    assert ft.UPDATE == "θⱼ += η · ∂LL(θ)/∂θⱼ"
    assert "σ(θᵀx)" in m.logistic_radio.toolTip()
    assert ft.HIDDEN_UNIT in m.network_radio.toolTip() and ft.OUTPUT in m.network_radio.toolTip()
    assert ft.HIDDEN_UNIT in m.activation_combo.toolTip()
    assert ft.LOG_LIKELIHOOD in w.curves.ll_plot.toolTip()
    assert ft.GRADIENT in w.theta.toolTip()
    assert ft.MOMENTUM in t.momentum_spin.toolTip()
    assert ft.HIDDEN_UNIT in w.workbench.network._canvas.toolTip()
    assert ft.PROBABILITY in w.boundary.plot_widget.toolTip()
    assert ft.SOFTMAX in w.digits.data.ten_radio.toolTip()
    assert ft.OUTPUT in w.digits.data.two_radio.toolTip()
    # one way of writing each: no control spells the update or σ differently
    for widget in w.findChildren(QWidget):
        tip = widget.toolTip()
        assert "∇LL(θ) (Space)" not in tip and "e^(zₖ)" not in tip, _name(widget)


def _tooltip_at(view, pos: QPoint) -> str:
    QToolTip.hideText()
    viewport = view.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos,
                                                viewport.mapToGlobal(pos)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_the_planes_formula_shows_over_its_axes_not_over_the_points(shown_window, qtbot):
    w = shown_window
    plot = w.boundary.plot_widget
    centre = plot.viewport().rect().center()
    assert _tooltip_at(plot, centre) == ""  # over the plane the readout answers the mouse
    axis = w.boundary.plot_item.getAxis("bottom")
    below = plot.mapFromScene(axis.sceneBoundingRect().center())
    assert ft.PROBABILITY in _tooltip_at(plot, below)
