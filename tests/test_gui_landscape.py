"""The log-likelihood landscape panel (View → Playground panels), driven through the real
window: clicking sets θ (one undo step), hovering reads LL, the marker and the path follow
training and the timeline, logistic regression's slice has one peak, a network's works."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication
from test_gui_playground import settle

from core.landscape import local_maxima, log_likelihood_slice, log_likelihoods_at
from core.specs import ModelSpec


def _open(qtbot, window, steps: int = 0):
    s = window.session
    window.resize(1400, 900)  # room to dock the panel under the views (else it floats)
    qtbot.waitUntil(lambda: window.height() == 900)
    if steps:
        s.step(steps)
        qtbot.waitUntil(lambda: s.latest_frame.step >= steps, timeout=30000)
    panel = window.workbench.panels.show_panel("landscape")
    qtbot.waitExposed(panel.plot)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: panel._grid is not None and panel._job is not None
                    and panel._job.done, timeout=20000)
    return panel


def _pixel(panel, a: float, b: float) -> QPoint:
    """Where the parameter point (a, b) is on the landscape's viewport."""
    scene = panel.plot.viewbox.mapViewToScene(QPointF(a, b))
    return panel.plot.mapFromScene(scene)


def _marker(panel) -> tuple[float, float]:
    return panel.plot.marker_position()


def test_clicking_the_landscape_sets_theta_and_ctrl_z_undoes_it(shown_window, qtbot):
    window = shown_window
    s = window.session
    panel = _open(qtbot, window, steps=50)
    assert window.workbench.panels.is_showing("landscape")
    with s.lock:
        before = s.model.parameters[0].copy()
    (a_lo, a_hi), (b_lo, b_hi) = panel._ranges[1], panel._ranges[2]
    target = (a_lo + 0.3 * (a_hi - a_lo), b_lo + 0.7 * (b_hi - b_lo))
    pos = _pixel(panel, *target)
    clicked = panel.plot.viewbox.mapSceneToView(panel.plot.mapToScene(pos))
    count = s.undo_stack.count()
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    with s.lock:
        after = s.model.parameters[0].copy()
    # θ₁ and θ₂ are the clicked values (within a pixel of the target), θ₀ is unchanged
    assert after[1] == clicked.x() and after[2] == clicked.y()
    pixel = (a_hi - a_lo) / panel.plot.viewbox.width()
    assert abs(after[1] - target[0]) < 2 * pixel and abs(after[2] - target[1]) < 4 * pixel
    assert after[0] == before[0]
    assert s.undo_stack.count() == count + 1  # both parameters: one undo step
    assert s.undo_stack.undoText().startswith("Set θ₁ = ")
    settle(qtbot, window)
    assert _marker(panel) == (after[1], after[2])  # the marker moved there
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with s.lock:
        np.testing.assert_array_equal(s.model.parameters[0], before)
    settle(qtbot, window)
    assert _marker(panel) == (before[1], before[2])


def test_hover_reads_the_log_likelihood_there(shown_window, qtbot):
    window = shown_window
    s = window.session
    panel = _open(qtbot, window, steps=30)
    centre = panel.plot.viewport().rect().center()
    qtbot.mouseMove(panel.plot.viewport(), centre + QPoint(3, 3))  # the mouse enters
    qtbot.mouseMove(panel.plot.viewport(), centre)
    settle(qtbot, window)  # (and the plot's layout is final: the axes take their room)
    (a_lo, a_hi), (b_lo, b_hi) = panel._ranges[1], panel._ranges[2]
    pos = _pixel(panel, 0.6 * a_lo + 0.4 * a_hi, 0.5 * (b_lo + b_hi))
    qtbot.wait(100)  # (pyqtgraph passes on mouse moves at most 60 times a second)
    qtbot.mouseMove(panel.plot.viewport(), pos)
    qtbot.waitUntil(lambda: panel.readout.text().startswith("LL = "), timeout=3000)
    settle(qtbot, window)
    point = panel.plot.viewbox.mapSceneToView(panel.plot.mapToScene(pos))
    d = s.engine.dataset
    with s.lock:
        model = s.model
        expected = log_likelihoods_at(model, d.X_train, d.y_train, [1, 2],
                                      [[point.x(), point.y()]])[0]
    assert panel.log_likelihood_at(point.x(), point.y()) == expected
    assert f"LL = <b>{expected:.3g}</b>".replace("-", "−") in panel.readout.text()
    assert "θ₁ = " in panel.readout.text() and "θ₂ = " in panel.readout.text()
    QApplication.sendEvent(panel.plot, QEvent(QEvent.Type.Leave))  # the mouse leaves
    assert not panel.readout.text().startswith("LL = ")


def test_the_marker_follows_training_steps(shown_window, qtbot):
    window = shown_window
    s = window.session
    panel = _open(qtbot, window)
    for steps in (5, 40):
        s.step(steps)
        settle(qtbot, window)
        theta = s.latest_frame.parameters[0]
        assert _marker(panel) == (theta[1], theta[2])
        assert panel.path.last_step == s.latest_frame.step
        x, y = panel.plot.path.getData()
        assert (x[-1], y[-1]) == (theta[1], theta[2])


def test_the_path_follows_a_timeline_rewind(shown_window, qtbot):
    window = shown_window
    s = window.session
    panel = _open(qtbot, window, steps=120)
    x, _ = panel.plot.path.getData()
    assert len(x) == 121 and panel.path.last_step == 120
    restored = s.engine.rewind(40)
    settle(qtbot, window)
    theta = s.latest_frame.parameters[0]
    x, y = panel.plot.path.getData()
    assert panel.path.last_step == restored and len(x) == restored + 1
    assert (x[-1], y[-1]) == (theta[1], theta[2]) == _marker(panel)
    with s.lock:
        start = s.trainer.snapshots.at_or_before(0)[1][0]
        past = s.trainer.snapshots.at_or_before(20)[1][0].copy()
    assert (x[0], y[0]) == (start[1], start[2])
    # scrubbing the timeline moves the marker to that step; the path stays whole
    s.engine.preview(20)
    qtbot.waitUntil(lambda: s.latest_frame.preview, timeout=5000)
    qtbot.waitUntil(lambda: _marker(panel) == (past[1], past[2]), timeout=5000)
    assert len(panel.plot.path.getData()[0]) == restored + 1
    s.engine.preview(None)
    settle(qtbot, window)
    assert _marker(panel) == (theta[1], theta[2])


def test_logistic_regression_has_a_single_peak_near_the_trained_theta(shown_window, qtbot):
    window = shown_window
    s = window.session
    panel = _open(qtbot, window, steps=600)
    qtbot.waitUntil(lambda: panel._grid_theta is not None and np.array_equal(
        panel._grid_theta, np.concatenate(s.latest_frame.parameters)), timeout=20000)
    a, b, ll = panel._grid
    assert int(local_maxima(ll).sum()) == 1
    i, j = np.unravel_index(int(np.argmax(ll)), ll.shape)
    theta = s.latest_frame.parameters[0]
    cell = (a[1] - a[0], b[1] - b[0])
    assert abs(a[i] - theta[1]) <= 1.5 * cell[0] and abs(b[j] - theta[2]) <= 1.5 * cell[1]
    assert 0 < i < len(a) - 1 and 0 < j < len(b) - 1  # the peak is inside the view
    assert "One peak" in panel.caption.text() and "concave" in panel.caption.text()
    # the grid is the model's LL (core), the others held at their current values
    with s.lock:
        d = s.engine.dataset
        expected = log_likelihood_slice(s.model, d.X_train, d.y_train, (1, 2), a[::7], b[::7])
    np.testing.assert_allclose(ll[::7, ::7], expected, rtol=1e-12)
    # a profile per θⱼ, each with its highest point near the trained θⱼ
    for k in range(3):
        values, profile = panel.profiles.profile_data(k)
        assert len(values) == len(profile) > 20
        assert abs(values[int(np.argmax(profile))] - theta[k]) < 2 * (values[1] - values[0])


def test_a_network_slice_through_one_units_weights(shown_window, qtbot):
    window = shown_window
    s = window.session
    s.set_model_spec(ModelSpec(kind="network", hidden_units=(4,), activation="tanh"))
    panel = _open(qtbot, window, steps=60)
    assert panel.unit_combo.isVisible() and panel.unit_combo.currentText() == "ŷ"
    assert "One peak" in panel.caption.text()  # the output unit: concave with h fixed
    panel.set_unit(0, 1)  # hidden unit h¹₂: θ⁽¹⁾₁,₂ against θ⁽¹⁾₂,₂
    assert panel.a_combo.currentText().startswith("θ⁽¹⁾₁,₂ (x₁)")
    assert panel.b_combo.currentText().startswith("θ⁽¹⁾₂,₂ (x₂)")
    qtbot.waitUntil(lambda: panel._grid is not None, timeout=20000)
    a, b, ll = panel._grid
    assert ll.shape == (31, 31) and np.all(np.isfinite(ll))
    frame = s.latest_frame
    d = s.engine.dataset
    # W1[0, 1] and W1[1, 1]: flat indices 1 and 5 of [W1 (2×4), b1, W2, b2]
    expected = log_likelihood_slice(frame.model, d.X_train, d.y_train, (1, 5), a[::6],
                                    b[::6])
    np.testing.assert_allclose(ll[::6, ::6], expected, rtol=1e-9)
    assert "not concave" in panel.caption.text()
    assert len(panel.profiles.plots) == 3  # bias and two weights of h¹₂
    # clicking sets that unit's two weights
    pos = _pixel(panel, a[0] + 0.5 * (a[-1] - a[0]), b[0] + 0.75 * (b[-1] - b[0]))
    clicked = panel.plot.viewbox.mapSceneToView(panel.plot.mapToScene(pos))
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    with s.lock:
        assert s.model.parameters[0][0, 1] == clicked.x()
        assert s.model.parameters[0][1, 1] == clicked.y()


def test_softmax_and_regression_do_not_break_the_panel(shown_window, qtbot):
    window = shown_window
    s = window.session
    panel = _open(qtbot, window, steps=10)
    s.add_point(4.5, 4.5, label=2)  # three classes: a softmax
    assert s.model_spec.n_classes == 3
    settle(qtbot, window)
    qtbot.waitUntil(lambda: panel._grid is not None and panel.stack.currentIndex() == 0,
                    timeout=20000)
    units = [panel.unit_combo.itemText(k) for k in range(panel.unit_combo.count())]
    assert units[:3] == ["ŷ₁", "ŷ₂", "ŷ₃"] and panel.unit_combo.currentText() == "ŷ₁"
    assert "One peak" in panel.caption.text()
    window.controls.data.set_preset("regress2d")
    settle(qtbot, window)
    qtbot.waitUntil(lambda: panel.stack.currentIndex() == 1, timeout=5000)
    assert "not available" in panel.message.text()
    # in a narrow dock the message wraps inside the panel instead of being cut at both ends
    assert panel.minimumSizeHint().width() < 300
    panel.stack.setCurrentIndex(0)
    assert panel.minimumSizeHint().width() > panel.message.minimumSizeHint().width()
