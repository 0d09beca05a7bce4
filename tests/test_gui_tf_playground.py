"""TensorFlow Playground's extras in the playground, driven through the window: engineered
input features, a prior (L2/L1), a linear activation, a discretized output, editing one
weight, and regression."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from test_gui_playground import settle


def _click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def _step_n(qtbot, window, n):
    c = window.controls
    c.training.step_n_spin.setValue(n)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.latest_frame.step >= n, timeout=20000)
    settle(qtbot, window)


def test_squared_features_make_logistic_regression_a_circle_on_circles(shown_window, qtbot):
    window = shown_window
    s, c = window.session, window.controls
    c.data.set_preset("circles")
    settle(qtbot, window)
    assert s.model_spec.kind == "logistic" and s.model_spec.features == ()
    _click(qtbot, c.features.checks["x1sq"])
    _click(qtbot, c.features.checks["x2sq"])
    assert s.model_spec.features == ("x1sq", "x2sq") and s.model_spec.n_features == 4
    settle(qtbot, window)
    assert s.latest_frame.layer_sizes == (4, 1)
    assert window.network._input_names == ("x₁", "x₂", "x₁²", "x₂²")
    _step_n(qtbot, window, 300)
    frame = s.latest_frame
    assert frame.accuracy >= 0.95
    # the boundary is a closed curve: a loop of segments, each end shared by two
    b = frame.probe.boundary
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary is not None, timeout=5000)
    b = s.latest_frame.probe.boundary
    ends = np.round(np.column_stack([b.contour_x, b.contour_y]), 6)
    assert len(ends) > 40
    _, counts = np.unique(ends, axis=0, return_counts=True)
    assert np.all(counts == 2)
    (x0, x1), (y0, y1) = b.x_range, b.y_range
    assert x0 < b.contour_x.min() and b.contour_x.max() < x1
    assert y0 < b.contour_y.min() and b.contour_y.max() < y1
    text = window.theta.text()
    assert "x₁²" in text and "x₂²" in text and "θ₄" in text
    window.grab().save("/tmp/tfp/features-circles.png")
    # and off again: back to the lecture's two inputs
    _click(qtbot, c.features.checks["x1sq"])
    _click(qtbot, c.features.checks["x2sq"])
    assert s.model_spec.features == () and s.model_spec.n_features == 2


def test_a_feature_thumbnail_fills_its_colour_range_and_shows_in_the_boundary_view(
        shown_window, qtbot):
    window = shown_window
    s = window.session
    window.controls.features.set_chosen(["sin1"])
    settle(qtbot, window)
    frame = s.latest_frame
    inputs = frame.probe.unit_images[0]
    assert inputs.shape[0] == 3
    low, high = frame.probe.unit_levels[0]
    assert np.abs(inputs[2]).max() > 0.9 * high  # sin x₁ rescaled into the inputs' range
    window.network.unit_clicked.emit(0, 2)
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary is not None
                    and s.latest_frame.probe.boundary.unit == (0, 2), timeout=5000)
    b = s.latest_frame.probe.boundary
    assert b.levels[1] <= 1.0 + 1e-6 and b.image.min() >= -1.0 - 1e-6


def test_a_prior_typed_in_the_training_group_reaches_the_trainer_and_its_curve_shows(
        shown_window, qtbot):
    window = shown_window
    s, t = window.session, window.controls.training
    assert "Gaussian prior" in t.l2_edit.toolTip() and "biases" in t.l2_edit.toolTip()
    window.controls.data.set_preset("xor")
    window.controls.model.network_radio.click()
    settle(qtbot, window)
    assert not window.curves.objective_shown
    t.l2_edit.setFocus()
    t.l2_edit.selectAll()
    qtbot.keyClicks(t.l2_edit, "0.05")
    qtbot.keyClick(t.l2_edit, Qt.Key.Key_Return)
    assert s.settings.l2 == 0.05 and s.settings.l1 == 0.0
    with s.lock:
        assert s.trainer.l2 == 0.05 and s.trainer.l1 == 0.0
    _step_n(qtbot, window, 200)
    h = s.latest_frame.history
    assert np.all(h["objective"][1:] < h["log_likelihood"][1:])
    assert window.curves.objective_shown
    x, y = window.curves.objective.getData()
    assert len(x) > 10 and np.all(y[1:] < window.curves.ll_train.getData()[1][1:])
    window.grab().save("/tmp/tfp/regularized.png")
    t.set_prior_text("-1", "0.01")  # refused: L2 stays, L1 is used
    assert s.settings.l2 == 0.05 and s.settings.l1 == 0.01
    assert t.l2_edit.text() == "0.05"
    t.set_prior_text("0", "0")
    with s.lock:
        assert s.trainer.l2 == 0.0 and s.trainer.l1 == 0.0


def test_the_prior_reaches_the_training_process(shown_window, qtbot):
    window = shown_window
    s = window.session
    window.controls.data.set_preset("xor")
    window.controls.model.network_radio.click()
    window.controls.training.set_prior_text("0.1")
    settle(qtbot, window)
    s.set_speed(None)
    s.run()
    qtbot.waitUntil(lambda: s.latest_frame.step > 50, timeout=20000)
    s.pause()
    settle(qtbot, window)
    with s.lock:
        trainer = s.trainer
        objective = trainer.history.objective[-1]
        assert objective == trainer.objective(trainer.history.log_likelihood[-1])
        assert objective < trainer.history.log_likelihood[-1]
    assert s.trains_in_process


def test_linear_activation_is_offered_and_keeps_the_network_linear(shown_window, qtbot):
    window = shown_window
    s, m = window.session, window.controls.model
    m.network_radio.click()
    combo = m.activation_combo
    assert combo.findData("linear") >= 0
    combo.setCurrentIndex(combo.findData("linear"))
    assert s.model_spec.activation == "linear" and s.model_spec.kind == "network"
    _step_n(qtbot, window, 50)
    b = s.latest_frame.probe.boundary or window.boundary._boundary
    assert b is not None
    # a linear network's logit is affine in x: its 0.5 contour is one straight line
    points = np.column_stack([b.contour_x, b.contour_y])
    if len(points) > 2:
        centred = points - points.mean(axis=0)
        assert np.linalg.svd(centred, compute_uv=False)[1] < 1e-2 * len(points)


def _distinct_colours(window) -> set[int]:
    return {int(v) for v in np.unique(window.boundary.heatmap_pixels())}


def test_discretize_shows_the_predicted_class_only(shown_window, qtbot):
    window = shown_window
    s, view = window.session, window.boundary
    window.controls.data.set_preset("moons")
    window.controls.model.network_radio.click()
    _step_n(qtbot, window, 100)
    shaded = _distinct_colours(window)
    assert len(shaded) > 20
    qtbot.mouseClick(view.toolbar.discrete_button, Qt.MouseButton.LeftButton)
    assert view.discrete
    lut = view.image.argb_lut
    assert _distinct_colours(window) == {int(lut[0]), int(lut[-1])}
    window.grab().save("/tmp/tfp/discretized.png")
    # the class colours still follow training, and a new frame stays discrete
    _step_n(qtbot, window, 120)
    assert _distinct_colours(window) <= {int(lut[0]), int(lut[-1])}
    # three classes: each pixel is one of the three full class colours
    qtbot.keyClick(window, Qt.Key.Key_2)
    from test_gui_playground import click_data
    click_data(qtbot, window, 5.0, 5.0)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.boundary._boundary is not None
                    and window.boundary._boundary.n_classes == 3, timeout=5000)
    full = view.shading.argb_lut.reshape(-1, view.shading.shades)[:, -1]
    assert _distinct_colours(window) <= {int(c) for c in full[:3]}
    qtbot.mouseClick(view.toolbar.discrete_button, Qt.MouseButton.LeftButton)
    assert not view.discrete and len(_distinct_colours(window)) > 20
    assert s.model_spec.n_classes == 3


def test_typing_a_weight_on_a_link_changes_the_model_and_ctrl_z_undoes_it(
        shown_window, qtbot):
    window = shown_window
    s, net = window.session, window.network
    window.controls.data.set_preset("xor")
    window.controls.model.network_radio.click()
    _step_n(qtbot, window, 50)
    with s.lock:
        before = [p.copy() for p in s.model.parameters]
        ll_before = s.trainer.history.log_likelihood[-1]
    step = s.latest_frame.step
    old_heatmap = s.latest_frame.probe.boundary
    old_image = (old_heatmap or window.boundary._boundary).image.copy()
    clicked = []
    net.link_clicked.connect(lambda *a: clicked.append(a))
    qtbot.mouseClick(net.viewport(), Qt.MouseButton.LeftButton,
                     pos=net.link_position(0, 1, 2, along=0.3))
    assert clicked == [(0, 1, 2)]
    editor = window.workbench.weight_editor
    assert editor.isVisible() and editor.link == (0, 1, 2)
    assert float(editor.text()) == float(f"{before[0][1, 2]:.4g}")
    editor.selectAll()
    qtbot.keyClicks(editor, "-7.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert not editor.isVisible()
    with s.lock:
        after = [p.copy() for p in s.model.parameters]
        assert after[0][1, 2] == -7.5
        assert s.trainer.step_count == step
        assert s.trainer.history.log_likelihood[-1] != ll_before  # LL of the edited θ
    changed = [a != b for a, b in zip(before, after, strict=True)]
    assert sum(int(np.sum(c)) for c in changed) == 1
    settle(qtbot, window)
    frame = s.latest_frame
    assert frame.weights[0][1, 2] == -7.5 and frame.gradient_at_step
    assert not np.allclose(window.boundary._boundary.image, old_image)
    assert s.undo_stack.undoText().startswith("Set θ⁽¹⁾₂,₃ = -7.5")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with s.lock:
        for a, b in zip(before, s.model.parameters, strict=True):
            np.testing.assert_array_equal(a, b)
        assert s.trainer.history.log_likelihood[-1] == ll_before
    settle(qtbot, window)
    np.testing.assert_array_equal(s.latest_frame.weights[0], before[0])
    # redo, then train on from the edited weight (in the training process too)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    with s.lock:
        assert s.model.parameters[0][1, 2] == -7.5
    s.set_speed(None)
    s.run()
    qtbot.waitUntil(lambda: s.latest_frame.step > step + 20, timeout=20000)
    s.pause()
    settle(qtbot, window)
    with s.lock:
        w = s.model.parameters[0][1, 2]
    assert w != -7.5 and abs(w + 7.5) < 5  # trained on from −7.5, not from the old value


def test_a_weight_typed_wrong_is_refused_and_escape_cancels(shown_window, qtbot):
    window = shown_window
    s, net = window.session, window.network
    window.controls.model.network_radio.click()
    _step_n(qtbot, window, 20)
    count = s.undo_stack.count()
    qtbot.mouseClick(net.viewport(), Qt.MouseButton.LeftButton,
                     pos=net.link_position(1, 0, 0, along=0.3))
    editor = window.workbench.weight_editor
    assert editor.link == (1, 0, 0)
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible() and s.undo_stack.count() == count
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible() and s.undo_stack.count() == count
