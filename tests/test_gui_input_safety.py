"""Input that must not change a setting by accident or show a number that is not in use:
the mouse wheel over settings, η typed out of range, a hidden layer of 0 units."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QScrollBar,
)

from gui.widgets.training_controls import format_eta


@pytest.fixture
def window(qtbot, shown_window):
    return shown_window


def wheel(widget, up: bool = False) -> None:
    """One notch of the wheel over the middle of ``widget``."""
    pos = QPointF(widget.rect().center())
    glob = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QWheelEvent(pos, glob, QPoint(), QPoint(0, 120 if up else -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def scroll_area_of(widget) -> QScrollArea:
    w = widget.parentWidget()
    while not isinstance(w, QScrollArea):
        w = w.parentWidget()
    return w


def hidden_layers(window, qtbot, units=(8, 8, 8)):
    s = window.session
    window.controls.model.network_radio.click()
    s.set_model_spec(s.model_spec.replace(hidden_units=units))
    qtbot.waitUntil(lambda: window.controls.model.layers_editor.units() == units)


def test_the_wheel_over_an_unfocused_layer_box_scrolls_the_panel(window, qtbot):
    window.resize(1024, 640)  # the side panel scrolls
    qtbot.waitUntil(lambda: window.height() == 640)
    hidden_layers(window, qtbot)
    s = window.session
    spin = window.controls.model.layers_editor.spin_boxes()[2]
    area = scroll_area_of(spin)
    area.ensureWidgetVisible(spin)
    qtbot.wait(20)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "at 1024x640 the side panel scrolls"
    spec, version = s.model_spec, s.latest_frame.model_version
    for _ in range(2):
        before = bar.value()
        up = before == bar.maximum()
        spin.clearFocus()
        wheel(spin, up=up)
        assert spin.value() == 8
        assert bar.value() != before, "the panel scrolled instead"
    assert s.model_spec == spec and s.model_spec.hidden_units == (8, 8, 8)
    qtbot.wait(50)
    assert s.latest_frame.model_version == version  # the network was not re-initialised

    # a spin box the user chose (focus) still takes the wheel
    window.activateWindow()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, up=True)
    assert spin.value() == 9 and s.model_spec.hidden_units == (8, 8, 9)


def test_no_setting_in_either_tab_takes_the_wheel_without_focus(window, qtbot):
    hidden_layers(window, qtbot)
    window.controls.model.layers_editor.add_button.click()  # a box created later
    window.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    window.tabs.setCurrentIndex(0)
    guarded = [w for kind in (QAbstractSpinBox, QComboBox, QAbstractSlider)
               for w in window.findChildren(kind) if not isinstance(w, QScrollBar)]
    assert len(guarded) > 30
    wheel_focus = [w for w in guarded if w.focusPolicy() == Qt.FocusPolicy.WheelFocus]
    assert wheel_focus == []

    # Digits: the model's seed and the source, unfocused, keep their values
    window.tabs.setCurrentIndex(1)
    digits = window.digits
    digits.model.network_radio.setChecked(True)
    qtbot.wait(20)
    seed, combo = digits.model.model_seed_spin, digits.data.source_combo
    spec = window.digits_session.engine.model_spec
    for widget in (seed, combo, digits.training.speed_combo, digits.brush_slider,
                   digits.timeline.slider):
        before = widget.value() if hasattr(widget, "value") else widget.currentIndex()
        widget.clearFocus()
        wheel(widget)
        wheel(widget, up=True)
        after = widget.value() if hasattr(widget, "value") else widget.currentIndex()
        assert after == before, type(widget).__name__
    assert window.digits_session.engine.model_spec == spec
# --------------------------------------------------------------------------- η and units


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.mark.parametrize("text", ["1e400", "-1", "0", "abc", "nan", "inf", "-0.5"])
def test_an_eta_that_cannot_be_used_is_refused_aloud_and_the_box_shows_eta_in_use(
        window, qtbot, text):
    s = window.session
    training = window.controls.training
    window.activateWindow()
    eta = s.learning_rate
    type_into(qtbot, training.eta_edit, text)
    qtbot.waitUntil(lambda: window.banner_text() != "", timeout=2000)
    assert "η" in window.banner_text() and "positive" in window.banner_text()
    assert s.learning_rate == eta
    assert training.eta_edit.text() == format_eta(eta)


def test_a_usable_eta_is_taken_and_shown_as_used(window, qtbot):
    s = window.session
    training = window.controls.training
    window.activateWindow()
    type_into(qtbot, training.eta_edit, "0.0250")
    qtbot.waitUntil(lambda: s.learning_rate == 0.025, timeout=2000)
    assert training.eta_edit.text() == "0.025" and window.banner_text() == ""
    type_into(qtbot, training.eta_edit, "2e-3")
    qtbot.waitUntil(lambda: s.learning_rate == 0.002, timeout=2000)
    assert training.eta_edit.text() == "0.002"


def test_a_tolerance_that_cannot_be_used_is_refused_aloud(window, qtbot):
    s = window.session
    training = window.controls.training
    training.tol_check.setChecked(True)
    window.activateWindow()
    type_into(qtbot, training.tol_edit, "-1")
    qtbot.waitUntil(lambda: window.banner_text() != "", timeout=2000)
    assert "tolerance" in window.banner_text()
    assert s.settings.tolerance == 1e-6 and training.tol_edit.text() == "1e-06"


@pytest.mark.parametrize("text", ["0", "99"])
def test_a_hidden_layer_of_0_units_is_refused_aloud(window, qtbot, text):
    hidden_layers(window, qtbot)
    s = window.session
    spin = window.controls.model.layers_editor.spin_boxes()[2]
    window.activateWindow()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.banner_text() != "", timeout=2000)
    assert "hidden layer needs at least 1 unit" in window.banner_text()
    assert spin.value() == 8 and s.model_spec.hidden_units == (8, 8, 8)
