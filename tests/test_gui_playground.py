"""The main window, driven like a student drives it: clicks, drags and keys at real screen
positions (offscreen), then checks on the session's model and on the drawn pixels."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyle, QStyleOptionSlider

from core import GradientAscent, LogisticRegression
from gui.engine.frames import MAX_CURVE_POINTS

TOLERANCE = 0.06  # data units: a little more than one screen pixel of the boundary view


@pytest.fixture
def window(qtbot, shown_window):
    settle(qtbot, shown_window)
    return shown_window


def settle(qtbot, w, timeout=10000):
    """Wait until the worker is idle and the latest frame shows the current state."""
    s = w.session

    def synced():
        f = s.latest_frame
        if f is None or s.is_busy() or f.data_version != s.data_version or f.preview:
            return False
        with s.lock:
            step = s.trainer.step_count if s.trainer is not None else 0
            current = [p.copy() for p in s.model.parameters]
        return (f.step == step and len(f.parameters) == len(current)
                and all(np.array_equal(a, b) for a, b in zip(f.parameters, current,
                                                               strict=True)))

    qtbot.waitUntil(synced, timeout=timeout)


def viewport_pos(w, x, y) -> QPoint:
    return w.boundary.data_to_viewport(x, y).toPoint()


def click_data(qtbot, w, x, y, button=Qt.MouseButton.LeftButton,
               modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.mouseClick(w.boundary.plot_widget.viewport(), button, modifiers, viewport_pos(w, x, y))


def theta(w) -> np.ndarray:
    return w.session.parameters_copy()[0]


# --------------------------------------------------------------------------- editing


def test_start_state_is_overlap_logistic_theta_zero_and_a_flat_heatmap(window):
    s = window.session
    assert s.preset[0] == "overlap" and s.model_spec.kind == "logistic"
    np.testing.assert_array_equal(theta(window), [0.0, 0.0, 0.0])
    frame = s.latest_frame
    assert frame.probe.boundary is not None
    np.testing.assert_allclose(frame.probe.boundary.image, 0.5)
    assert frame.probe.boundary.image.shape[0] >= 200
    assert s.undo_stack.count() == 0 and s.undo_stack.isClean()


def test_click_adds_points_of_the_right_class_where_clicked(window, qtbot):
    s = window.session
    n = len(s.data)
    qtbot.keyClick(window, Qt.Key.Key_0)
    assert s.active_class == 0
    click_data(qtbot, window, 1.5, -2.0)
    assert len(s.data) == n + 1
    np.testing.assert_allclose(s.data.X[-1], [1.5, -2.0], atol=TOLERANCE)
    assert s.data.y[-1] == 0 and not s.data.test[-1]
    click_data(qtbot, window, -2.5, 3.0, Qt.MouseButton.RightButton)
    np.testing.assert_allclose(s.data.X[-1], [-2.5, 3.0], atol=TOLERANCE)
    assert s.data.y[-1] == 1
    click_data(qtbot, window, 0.5, 0.5, modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert s.data.y[-1] == 1
    qtbot.keyClick(window, Qt.Key.Key_1)
    click_data(qtbot, window, 4.0, 4.0)
    assert s.active_class == 1 and s.data.y[-1] == 1 and len(s.data) == n + 4
    # the new point is drawn, filled with the class-1 colour
    points = window.boundary.points
    qtbot.waitUntil(lambda: np.isclose(points.data["x"], s.data.X[-1, 0]).any(), timeout=3000)
    index = int(np.flatnonzero(np.isclose(points.data["x"], s.data.X[-1, 0]))[0])
    assert points.data["brush"][index].color().getRgb()[:3] == (8, 119, 189)


def test_undo_removes_the_point_and_redo_restores_it(window, qtbot):
    s = window.session
    n = len(s.data)
    click_data(qtbot, window, -1.0, -4.0)
    added = s.data.X[-1].copy()
    assert len(s.data) == n + 1 and "*" in window.windowTitle()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(s.data) == n
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert len(s.data) == n + 1
    np.testing.assert_array_equal(s.data.X[-1], added)


def _drag(qtbot, w, points, button=Qt.MouseButton.LeftButton):
    viewport = w.boundary.plot_widget.viewport()
    first = viewport_pos(w, *points[0])
    qtbot.mousePress(viewport, button, Qt.KeyboardModifier.NoModifier, first)
    for p in points[1:]:
        qtbot.mouseMove(viewport, viewport_pos(w, *p))
        qtbot.wait(5)  # a hand moves over time (Qt compresses back-to-back moves)
    qtbot.mouseRelease(viewport, button, Qt.KeyboardModifier.NoModifier,
                       viewport_pos(w, *points[-1]))


def test_brush_drag_paints_several_points_in_one_undo_step(window, qtbot):
    s = window.session
    n, commands = len(s.data), s.undo_stack.count()
    window.boundary.tool_buttons["brush"].click()
    assert window.boundary.tool == "brush"
    path = [(x, 5.0) for x in np.linspace(-5, 5, 21)]
    _drag(qtbot, window, path)
    added = len(s.data) - n
    assert added >= 5
    assert s.undo_stack.count() == commands + 1
    new = s.data.X[n:]
    assert np.all(np.abs(new[:, 1] - 5.0) < TOLERANCE)
    assert np.all(s.data.y[n:] == s.active_class)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(s.data) == n


def test_eraser_removes_points_under_the_cursor(window, qtbot):
    s = window.session
    click_data(qtbot, window, 5.0, -5.0)
    n = len(s.data)
    window.boundary.tool_buttons["eraser"].click()
    click_data(qtbot, window, 5.0, -5.0)
    assert len(s.data) == n - 1


def test_empty_dataset_disables_training_with_a_message(window, qtbot):
    c = window.controls
    window.boundary.clear_button.click()
    assert len(window.session.data) == 0
    assert not c.training.step_button.isEnabled() and not c.training.run_button.isEnabled()
    assert "both classes" in c.training.train_hint.text() and c.training.train_hint.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the shortcut also refuses, with a message
    assert "both classes" in window.banner_text()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert c.training.step_button.isEnabled() and len(window.session.data) > 0


def test_malformed_csv_keeps_the_dataset_and_says_why(window, tmp_path):
    s = window.session
    before = s.data
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1.0,2.0,0\n3.0,oops,1\n", encoding="utf-8")
    errors = []  # the dialog (gui.documents) says what and where
    window.documents.show_error = lambda title, text: errors.append(text)
    assert not window.open_csv(str(bad))
    assert s.data is before
    assert "bad.csv:3" in errors[0] and "'oops'" in errors[0] and "nothing" in errors[0]
    assert window.banner_text() == ""
    good = tmp_path / "good.csv"
    assert window.save_csv(str(good))
    assert window.open_csv(str(good))
    np.testing.assert_array_equal(s.data.X, before.X)


# --------------------------------------------------------------------------- training


def test_step_changes_theta_exactly_as_core_says(window, qtbot):
    s = window.session
    X, y = s.data.train
    eta = s.learning_rate
    reference = LogisticRegression(2)
    trainer = GradientAscent(reference, X, y, eta)
    qtbot.mouseClick(window.controls.training.step_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    trainer.step(1)
    np.testing.assert_array_equal(theta(window), reference.theta)
    assert s.latest_frame.step == 1
    assert "θ₀" in window.theta.text() and "boundary" in window.theta.text()
    # Space is Step too
    qtbot.keyClick(window, Qt.Key.Key_Space)
    settle(qtbot, window)
    trainer.step(1)
    np.testing.assert_array_equal(theta(window), reference.theta)
    assert s.latest_frame.step == 2
    np.testing.assert_array_equal(s.latest_frame.gradient[0], trainer.gradient[0])


def test_run_then_pause_advances_steps_and_the_ll_curve(window, qtbot):
    s = window.session
    c = window.controls
    c.training.speed_combo.setCurrentIndex(c.training.speed_combo.findData(1000))
    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    assert s.running and c.training.run_button.text().startswith("Pause")
    qtbot.waitUntil(lambda: s.latest_frame.step >= 30, timeout=10000)
    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    assert not s.running and c.training.run_button.text().startswith("Run")
    settle(qtbot, window)
    step = s.latest_frame.step
    assert step >= 30
    xs, ys = window.curves.curve_data()
    assert len(xs) == min(step + 1, MAX_CURVE_POINTS) and xs[-1] == step
    assert ys[-1] > ys[0]  # gradient ascent climbed LL
    assert window.timeline.maximum() == step
    assert f"{step:,}" in window.status_step.text()


def test_enter_runs_and_pauses(window, qtbot):
    s = window.session
    window.boundary.plot_widget.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert s.running
    qtbot.waitUntil(lambda: s.latest_frame.step > 0, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Enter)
    assert not s.running


def test_a_hidden_units_thumbnail_changes_after_training(window, qtbot):
    s = window.session
    c = window.controls
    c.model.network_radio.click()
    assert s.model_spec.kind == "network"
    settle(qtbot, window)
    frame = s.latest_frame
    assert frame.layer_sizes == (2, 4, 1)
    before_unit = frame.probe.unit_images[1][0].copy()
    before_pixels = window.network.grab().toImage()
    c.training.step_n_spin.setValue(300)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    after = s.latest_frame
    assert after.step == 300
    assert not np.allclose(after.probe.unit_images[1][0], before_unit)
    assert window.network.grab().toImage() != before_pixels


def test_clicking_a_unit_shows_it_in_the_boundary_view_and_back(window, qtbot):
    s = window.session
    window.controls.model.network_radio.click()
    settle(qtbot, window)
    net = window.network
    window.network.unit_clicked.emit(1, 2)
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary is not None
                    and s.latest_frame.probe.boundary.unit == (1, 2), timeout=5000)
    assert window.boundary.back_button.isVisible()
    assert "h¹₃" in window.boundary.title.text()
    window.boundary.back_button.click()
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary is not None
                    and s.latest_frame.probe.boundary.unit is None, timeout=5000)
    del net


def test_hover_shows_probability_and_hidden_units(window, qtbot):
    window.controls.model.network_radio.click()
    settle(qtbot, window)
    viewport = window.boundary.plot_widget.viewport()
    qtbot.mouseMove(viewport, viewport_pos(window, 1.0, -1.0))
    qtbot.waitUntil(lambda: "P(Y=1|x)" in window.boundary.readout.text(), timeout=3000)
    text = window.boundary.readout.text()
    assert "h¹ = [" in text
    x, y = (float(v.replace("−", "-")) for v in re.search(
        r"x = \((\S+), (\S+)\)", text).groups())  # the pixel's centre: within a pixel
    assert abs(x - 1.0) < TOLERANCE and abs(y + 1.0) < TOLERANCE


def _slider_x(slider, value) -> int:
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    style = slider.style()
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                  QStyle.SubControl.SC_SliderGroove, slider)
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                  QStyle.SubControl.SC_SliderHandle, slider)
    span = groove.width() - handle.width()
    offset = QStyle.sliderPositionFromValue(slider.minimum(), slider.maximum(), value, span)
    return groove.x() + offset + handle.width() // 2


def test_rewinding_with_the_timeline_restores_the_recorded_theta(window, qtbot):
    s = window.session
    c = window.controls
    c.training.step_n_spin.setValue(60)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    with s.lock:
        recorded = {step: s.trainer.snapshots.at_or_before(step)[1][0].copy()
                    for step in range(61)}
    slider = window.timeline
    assert slider.maximum() == 60
    y = slider.height() // 2
    start = QPoint(_slider_x(slider, 60), y)
    target = QPoint(_slider_x(slider, 25), y)
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=start)
    for x in np.linspace(start.x(), target.x(), 6).astype(int):
        qtbot.mouseMove(slider, QPoint(int(x), y))
    assert slider.isSliderDown()
    qtbot.waitUntil(lambda: s.latest_frame.preview, timeout=3000)  # scrubbing previews
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=target)
    settle(qtbot, window)
    restored = s.latest_frame.step
    assert 15 <= restored <= 35
    np.testing.assert_array_equal(theta(window), recorded[restored])
    # training resumes from there
    qtbot.mouseClick(c.training.step_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert s.latest_frame.step == restored + 1
    assert window.curves.curve_data()[0][-1] == restored + 1


def type_learning_rate(qtbot, controls, text: str) -> None:
    """Type η into the η box and press Enter, as a user does."""
    controls.training.eta_edit.setFocus()
    controls.training.eta_edit.selectAll()
    qtbot.keyClicks(controls.training.eta_edit, text)
    qtbot.keyClick(controls.training.eta_edit, Qt.Key.Key_Return)


def test_huge_learning_rate_stops_with_a_visible_message_and_finite_theta(window, qtbot):
    s = window.session
    c = window.controls
    type_learning_rate(qtbot, c, "1e6")
    assert s.learning_rate == 1e6 and not s.running  # Enter in the box commits, not runs
    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "diverged" in window.banner_text(), timeout=10000)
    assert window.banner_row.isVisible()
    assert "diverged" in window.status_message()
    qtbot.waitUntil(lambda: not s.running, timeout=3000)
    assert not c.training.run_button.isChecked()
    assert np.all(np.isfinite(theta(window)))
    settle(qtbot, window)
    assert np.all(np.isfinite(s.latest_frame.probe.boundary.image))


def _pixel(w, x, y) -> QColor:
    image = w.boundary.plot_widget.viewport().grab().toImage()
    return image.pixelColor(viewport_pos(w, x, y))


def test_heatmap_colours_class_territories_after_training(window, qtbot):
    s = window.session
    window.controls.data.set_preset("blobs")
    settle(qtbot, window)
    a, b = (5.5, 3.5), (-5.5, -3.5)  # far on either side of the blobs' boundary, no points
    assert _pixel(window, *a) == _pixel(window, *b)  # θ = 0: P = 0.5 everywhere, white
    c = window.controls
    c.training.step_n_spin.setValue(200)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert s.latest_frame.accuracy == 1.0
    one, zero = _pixel(window, *a), _pixel(window, *b)
    assert one != zero
    assert one.blue() > one.red() + 60  # class 1 is blue
    assert zero.red() > zero.blue() + 60  # class 0 is orange


def test_screenshot_and_show_test_toggle(window, qtbot, tmp_path):
    path = tmp_path / "shot.png"
    assert window.save_screenshot(str(path)) and path.stat().st_size > 10_000
    points = window.boundary.points
    n_train, n_test = len(window.session.data.train[1]), len(window.session.data.held_out[1])
    assert n_test > 0 and len(points.data) == n_train + n_test
    window.controls.data.show_test_check.setChecked(False)
    assert len(points.data) == n_train
    assert not window.show_test_action.isChecked()
    window.show_test_action.setChecked(True)
    assert window.controls.data.show_test_check.isChecked()
    assert len(points.data) == n_train + n_test


def test_data_to_viewport_round_trip(window):
    p = window.boundary.data_to_viewport(2.0, -3.0)
    scene = window.boundary.plot_widget.mapToScene(p.toPoint())
    back = window.boundary.viewbox.mapSceneToView(QPointF(scene))
    assert abs(back.x() - 2.0) < TOLERANCE and abs(back.y() + 3.0) < TOLERANCE


def test_stop_conditions_pause_the_run(window, qtbot):
    s = window.session
    c = window.controls
    c.training.speed_combo.setCurrentIndex(c.training.speed_combo.findData(None))
    assert c.training.max_check.isChecked()
    c.training.max_spin.setValue(25)
    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "maximum" in window.status_message(), timeout=5000)
    settle(qtbot, window)
    assert s.latest_frame.step == 25 and not s.running
    c.training.max_check.setChecked(False)
    c.training.tol_check.setChecked(True)
    c.training.tol_edit.setFocus()
    c.training.tol_edit.selectAll()
    qtbot.keyClicks(c.training.tol_edit, "1e9")
    qtbot.keyClick(c.training.tol_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Converged" in window.status_message(), timeout=5000)
    assert not s.running and not c.training.run_button.isChecked()


def test_layers_are_edited_in_place_and_the_parameter_count_follows(window):
    c = window.controls
    s = window.session
    assert "2</b> weights + <b>1</b> biases" in c.model.param_label.text()
    c.model.network_radio.click()
    assert s.model_spec.hidden_units == (4,)
    assert "12</b> weights + <b>5</b>" in c.model.param_label.text()
    c.model.layers_editor.add_button.click()
    assert s.model_spec.hidden_units == (4, 4)
    c.model.layers_editor.spin_boxes()[1].setValue(8)
    assert s.model_spec.hidden_units == (4, 8)
    assert "48</b> weights + <b>13</b> biases = <b>61" in c.model.param_label.text()
    c.model.layers_editor.remove_buttons()[0].click()
    assert s.model_spec.hidden_units == (8,)
    assert "24</b> weights + <b>9</b>" in c.model.param_label.text()
    c.model.activation_combo.setCurrentIndex(c.model.activation_combo.findData("relu"))
    c.model.init_combo.setCurrentIndex(c.model.init_combo.findData("zeros"))
    assert s.model_spec.activation == "relu" and s.model_spec.init == "zeros"
    np.testing.assert_array_equal(s.parameters_copy()[0], 0.0)


def test_training_settings_reach_core(window, qtbot):
    """η typed in the box, mini-batches, 'average over examples' and momentum are the
    settings core trains with: a Step equals core's step with the same settings."""
    s = window.session
    c = window.controls
    type_learning_rate(qtbot, c, "0.05")
    c.training.batch_combo.setCurrentIndex(c.training.batch_combo.findData("mini"))
    c.training.batch_spin.setValue(16)
    c.training.average_check.setChecked(True)
    c.training.momentum_spin.setValue(0.5)
    assert s.learning_rate == 0.05 and not s.learning_rate_auto
    X, y = s.data.train
    X_test, y_test = s.data.held_out
    reference = LogisticRegression(2)
    trainer = GradientAscent(reference, X, y, 0.05, batch_size=16, seed=0, X_test=X_test,
                             y_test=y_test, average=True, momentum=0.5)
    c.training.step_n_spin.setValue(3)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    trainer.step(3)
    np.testing.assert_allclose(theta(window), reference.theta, rtol=1e-12, atol=1e-15)


def test_model_widgets_follow_a_model_set_from_elsewhere(window, qtbot):
    from core.specs import ModelSpec

    config = ModelSpec(kind="network", hidden_units=(8, 8, 3), activation="tanh", seed=5)
    window.session.set_model_spec(config)
    c = window.controls
    assert c.model.network_radio.isChecked() and not c.model.logistic_radio.isChecked()
    assert c.model.layers_editor.units() == (8, 8, 3)
    assert c.model.activation_combo.currentData() == "tanh"
    assert c.model.model_seed_spin.value() == 5
    assert c.model.model_spec() == config
    assert c.model.network_box.isVisibleTo(window)
    # 2·8 + 8·8 + 8·3 + 3·1 weights, 8 + 8 + 3 + 1 biases
    assert "<b>107</b> weights + <b>20</b> biases" in c.model.param_label.text()


def test_speed_menu_follows_a_speed_set_from_a_script(window):
    """Session.set_speed from elsewhere (a script, a benchmark) shows in the Speed menu."""
    c, s = window.controls, window.session
    s.set_speed(None)
    assert c.training.speed_combo.currentText() == "max" and s.speed is None
    s.set_speed(300)
    assert c.training.speed_combo.currentText() == "300 steps/s" and s.speed == 300
    # and the menu still sets it
    c.training.speed_combo.setCurrentIndex(c.training.speed_combo.findData(10))
    assert s.speed == 10


def test_a_long_run_rewinds_to_the_middle_and_ctrl_z_brings_it_back(window, qtbot):
    """The timeline keeps its promise on long runs: after 40,000 steps, dragging the
    timeline to the middle restores a step within N/1,000 of it (the old snapshot store
    had dropped everything between step 0 and the last 500), and Ctrl+Z undoes the
    rewind."""
    s = window.session
    window.controls.data.samples_spin.setValue(40)
    settle(qtbot, window)
    n = 40_000
    s.step(n)
    qtbot.waitUntil(lambda: not s.is_busy(), timeout=60000)
    settle(qtbot, window)
    slider = window.timeline
    qtbot.waitUntil(lambda: slider.maximum() == n, timeout=5000)
    y = slider.height() // 2
    start, target = QPoint(_slider_x(slider, n), y), QPoint(_slider_x(slider, n // 2), y)
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(slider, target)
    wanted = slider.value()
    assert abs(wanted - n // 2) < n // 50
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=target)
    settle(qtbot, window)
    restored = s.latest_frame.step
    assert wanted - n / 1000 <= restored <= wanted
    qtbot.waitUntil(lambda: window.curves.curve_data()[0][-1] == restored, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert s.latest_frame.step == n and s.latest_frame.history_length == n + 1
    assert len(s.data) == 40  # undoing the rewind left the points alone
    assert not window.session.modified  # a rewind is no edit of the points (the title's
    assert "*" in window.windowTitle()  # mark says the session, its training too, changed)


def test_a_csv_of_huge_finite_values_is_refused_and_the_points_stay(window, tmp_path):
    s = window.session
    before = s.data
    huge = tmp_path / "huge.csv"
    huge.write_text("x1,x2,label\n1e300,2e300,0\n-1e300,5e299,1\n3e300,-1e300,1\n",
                    encoding="utf-8")
    errors = []  # the dialog (gui.documents) says what and where
    window.documents.show_error = lambda title, text: errors.append(text)
    assert not window.open_csv(str(huge))
    assert s.data is before
    assert "too large" in errors[0] and "x1" in errors[0] and window.banner_text() == ""


def test_a_new_preset_starts_fresh_and_says_how_to_get_own_points_back(window, qtbot):
    """After training on XOR, choosing another preset starts at step 0 with θ fresh (not the
    old network's weights, which "step 0" would misrepresent); replacing hand-made points
    says that Ctrl+Z brings them back."""
    s = window.session
    c = window.controls
    c.data.set_preset("xor")
    c.training.step_n_spin.setValue(30)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert np.any(theta(window) != 0)
    c.data.set_preset("circles")
    settle(qtbot, window)
    assert s.latest_frame.step == 0
    np.testing.assert_array_equal(theta(window), 0.0)  # logistic regression: θ = 0 again
    click_data(qtbot, window, 1.0, 1.0)  # now the points are the student's own
    c.data.set_preset("moons")
    assert "Ctrl+Z brings your points back" in window.status_message()


def test_undo_after_a_rewind_shows_the_gradient_at_the_theta_it_brings_back(window, qtbot):
    s = window.session
    engine = s.engine
    s.step(60)
    qtbot.waitUntil(lambda: s.latest_frame.step >= 60, timeout=10000)
    engine.rewind(15)
    settle(qtbot, window)
    checkpoint = engine.checkpoint()  # as an edit after the rewind takes one
    engine.set_parameter(0, (1,), 3.0)
    settle(qtbot, window)
    assert engine.restore(checkpoint)  # what Ctrl+Z of that edit does
    settle(qtbot, window)
    frame = s.latest_frame
    assert frame.step == 15 and frame.gradient_at_step
    d = engine.dataset
    with s.lock:
        expected = s.model.gradient(d.X_train, d.y_train)  # ∂LL/∂θ at the restored θ
    np.testing.assert_allclose(frame.gradient[0], expected, rtol=1e-9, atol=1e-9)


def test_a_message_about_ctrl_z_goes_when_another_edit_changes_what_ctrl_z_does(
        window, qtbot):
    s = window.session
    s.step(40)
    qtbot.waitUntil(lambda: s.latest_frame.step >= 40, timeout=10000)
    window.workbench.timeline.rewind(10)
    assert "Ctrl+Z brings the dropped steps back" in window.status_message()
    click_data(qtbot, window, 1.0, 1.0)  # a new point: Ctrl+Z would now remove it
    assert window.status_message() == ""
