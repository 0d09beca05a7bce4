"""Regression in the 2D playground (issue 10): the regression presets make the model a
regression (linear output, Gaussian LL), the heatmap shows ŷ, the curves R²; a
classification preset brings logistic regression back. Driven through the window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from test_gui_playground import settle

from core.grid import evaluate_grid
from core.regression import LinearRegression
from gui import style
from gui.playground.probe import BOUNDARY_RESOLUTION
from gui.widgets.network_items import argb_images


def _choose_preset(qtbot, window, name):
    combo = window.controls.data.preset_combo
    combo.setCurrentIndex(combo.findData(name))
    settle(qtbot, window)


def _squared_error(session):
    X, y = session.data.train
    with session.lock:
        y_hat = session.model.predict(X)
    return float(np.sum((y - y_hat) ** 2))


def test_the_preset_box_lists_the_regressions_after_a_separator(shown_window):
    combo = shown_window.controls.data.preset_combo
    i1, i2 = combo.findData("regress1d"), combo.findData("regress2d")
    assert i1 > 0 and i2 == i1 + 1
    assert combo.itemText(i1) == "Regression 1D (y = f(x₁))"
    assert combo.itemText(i2) == "Regression 2D"
    assert combo.itemText(i1 - 1) == "" and combo.itemData(i1 - 1) is None  # the separator


def test_regress2d_then_steps_lower_the_squared_error_and_back_to_logistic(shown_window,
                                                                          qtbot):
    window = shown_window
    s, c = window.session, window.controls
    assert s.model_spec.kind == "logistic"
    _choose_preset(qtbot, window, "regress2d")
    assert s.regression and s.data.y.dtype == np.float64 and 0 < s.data.test.sum() < len(s.data)
    assert s.model_spec.kind == "regression" and s.model_spec.hidden_units == ()
    assert isinstance(s.model, LinearRegression)
    assert c.model.logistic_radio.text().startswith("Linear regression")
    assert c.model.logistic_radio.isChecked()
    before = _squared_error(s)
    c.training.step_n_spin.setValue(20)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.latest_frame.step >= 20, timeout=20000)
    settle(qtbot, window)
    after = _squared_error(s)
    assert after < 0.8 * before
    frame = s.latest_frame
    assert window.curves.accuracy_label == "R²"
    assert 0.0 < frame.accuracy <= 1.0  # R² of the training set
    assert "ŷ =" in window.theta.text() and "θ₂" in window.theta.text()
    assert window.status.accuracy.text().startswith("train R² 0.")
    assert not any(b.isEnabled() for b in window.boundary.toolbar.class_buttons)
    # the heatmap is ŷ over the plane, on the targets' symmetric scale, with no contour
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary is not None, timeout=5000)
    b = s.latest_frame.probe.boundary
    assert b.regression and b.contour_x.size == 0
    top = float(np.abs(s.data.y).max())
    assert b.levels == (-top, top)
    grid = evaluate_grid(s.latest_frame.model, b.x_range, b.y_range, BOUNDARY_RESOLUTION)
    np.testing.assert_allclose(b.image, grid.prediction, rtol=1e-5, atol=1e-5)
    # the pixels drawn are that ŷ through the orange–white–blue scale
    window.boundary._draw_heatmap(b)
    drawn = window.boundary.heatmap_pixels()
    assert np.array_equal(window.boundary.image.lut, style.diverging_lut(512))
    expected = argb_images(grid.prediction[None], (-top, top),
                           window.boundary.image.argb_lut)[0]
    assert drawn.shape == expected.shape
    assert np.mean(drawn == expected) > 0.99
    # a linear network when the network radio is chosen, and linear regression again
    qtbot.mouseClick(c.model.network_radio, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, c.model.network_radio.height() // 2))
    assert s.model_spec.kind == "regression" and s.model_spec.hidden_units != ()
    qtbot.mouseClick(c.model.logistic_radio, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, c.model.logistic_radio.height() // 2))
    assert s.model_spec.kind == "regression" and s.model_spec.hidden_units == ()
    window.grab().save("/tmp/regress.png")
    # a classification preset restores logistic regression
    _choose_preset(qtbot, window, "moons")
    assert not s.regression and s.data.y.dtype == np.int64
    assert s.model_spec.kind == "logistic"
    assert c.model.logistic_radio.text().startswith("Logistic regression")
    assert window.curves.accuracy_label == "accuracy"
    qtbot.waitUntil(lambda: "acc" in window.status.accuracy.text(), timeout=5000)
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary is not None
                    and not s.latest_frame.probe.boundary.regression, timeout=5000)


def test_the_readout_shows_y_hat_and_clicks_add_no_point(shown_window, qtbot):
    window = shown_window
    s = window.session
    _choose_preset(qtbot, window, "regress1d")
    assert s.model_spec.kind == "regression"
    messages = []
    s.message.connect(lambda kind, text: messages.append((kind, text)))
    view = window.boundary
    n = len(s.data)
    at = view.data_to_viewport(1.0, 2.0).toPoint()
    qtbot.mouseMove(view.plot_widget.viewport(), at)
    qtbot.waitUntil(lambda: "ŷ =" in view.readout.text(), timeout=5000)
    shown = float(view.readout.text().split("ŷ =")[1].split()[0])
    with s.lock:
        x = view.viewbox.mapSceneToView(view.plot_widget.mapToScene(at))
        expected = float(s.latest_frame.model.predict([[x.x(), x.y()]])[0])
    assert abs(shown - expected) < 2e-3
    qtbot.mouseClick(view.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert len(s.data) == n  # no point without a real target
    assert messages and "Regression" in messages[-1][1]
