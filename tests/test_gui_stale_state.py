"""No readout or message outlives the state it describes: the banner, the hover readout,
the preset box and the gradient shown on the θ panel follow the state they describe."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from core import inspection
from gui.playground.data_controls import YOURS
from gui.playground.theta_panel import _short
from tests.test_gui_playground import click_data, settle


@pytest.fixture
def window(qtbot, shown_window):
    settle(qtbot, shown_window)
    return shown_window


def test_the_one_class_banner_goes_once_the_other_class_is_added(window, qtbot):
    s = window.session
    s.clear_points()
    s.set_active_class(1)
    click_data(qtbot, window, 2.0, 2.0)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # Step (its button is disabled)
    qtbot.waitUntil(lambda: "Only one class" in window.banner_text(), timeout=2000)
    click_data(qtbot, window, -2.0, -2.0, Qt.MouseButton.RightButton)  # class 0
    qtbot.waitUntil(lambda: window.banner_text() == "", timeout=2000)
    # a banner about something else stays
    window.show_message("error", "Could not save the dataset")
    click_data(qtbot, window, -2.5, -2.0, Qt.MouseButton.RightButton)
    assert "Could not save" in window.banner_text()


def test_the_hover_readout_follows_the_model_after_the_mouse_left(window, qtbot):
    s = window.session
    view = window.boundary
    viewport = view.plot_widget.viewport()
    pixel = view.data_to_viewport(2.0, -1.0).toPoint()
    qtbot.mouseMove(viewport, pixel)
    qtbot.waitUntil(lambda: "P(Y=1|x) = 0.500" in view.readout.text(), timeout=3000)
    at = view.viewbox.mapSceneToView(view.plot_widget.mapToScene(pixel))
    x, y = at.x(), at.y()
    qtbot.mouseMove(window.curves, QPoint(10, 10))  # the mouse leaves the plane
    qtbot.waitUntil(lambda: view._hover is None, timeout=2000)
    assert "P(Y=1|x) = 0.500" in view.readout.text()
    window.controls.training.step_n_spin.setValue(20)
    qtbot.mouseClick(window.controls.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    p = inspection.readout(s.latest_frame.model, (x, y)).probability
    assert abs(p - 0.5) > 0.01
    qtbot.waitUntil(lambda: f"P(Y=1|x) = {p:.3f}" in view.readout.text(), timeout=2000)


def test_the_preset_box_says_your_points_when_they_are_not_the_preset(window, qtbot):
    s = window.session
    combo = window.controls.data.preset_combo
    assert combo.currentText() == "Overlap (lecture)"
    window.controls.data.split_slider.setValue(30)  # the same points: still the preset
    assert combo.currentText() == "Overlap (lecture)"
    s.clear_points()
    for x, label in ((-2.0, 0), (2.0, 1), (0.5, 1)):
        s.add_point(x, x, label)
    assert combo.currentText() == YOURS
    window.preset_actions["xor"].trigger()
    assert combo.currentText() == "XOR" and s.data.preset == "xor"
    s.undo_stack.undo()  # the hand-placed points are back
    assert len(s.data) == 3 and combo.currentText() == YOURS
    s.undo_stack.redo()
    assert combo.currentText() == "XOR"
    combo.setCurrentIndex(combo.findData("spiral"))
    assert s.data.preset == "spiral" and combo.findText(YOURS) < 0
    window.controls.data.regenerate_button.click()
    assert s.data.preset == "spiral"


def expected_gradient(s, step):
    """∂LL/∂θ over the training set at the snapshot of ``step``."""
    with s.lock:
        shown, params = s.trainer.snapshots.at_or_before(step)
        model = inspection.clone_model(s.model)
        X, y = s.trainer.X.copy(), s.trainer.y.copy()
    for own, saved in zip(model.parameters, params, strict=True):
        own[...] = saved
    _, gradient, _ = model._log_likelihood_and_gradient(X, y)
    return shown, gradient, inspection.gradient_weight_norms(model, gradient)


@pytest.mark.parametrize("kind", ["logistic", "network"])
def test_the_gradient_on_the_theta_panel_is_rewound_with_the_timeline(window, qtbot, kind):
    s = window.session
    if kind == "network":
        window.controls.model.network_radio.click()
        settle(qtbot, window)
    c = window.controls
    c.training.step_n_spin.setValue(40)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    live = s.latest_frame
    assert not live.gradient_at_step
    with s.lock:
        last_step = [g.copy() for g in s.trainer.gradient]
    for a, b in zip(live.gradient, last_step, strict=True):
        np.testing.assert_array_equal(a, b)

    # drag the timeline back to step 10: the panel shows the gradient at θ₁₀
    slider = window.timeline
    slider.setSliderDown(True)
    slider.setValue(10)
    qtbot.waitUntil(lambda: s.latest_frame.preview and s.latest_frame.step == 10, timeout=5000)
    shown, gradient, norms = expected_gradient(s, 10)
    f = s.latest_frame
    assert shown == 10 and f.gradient_at_step
    for a, b in zip(f.gradient, gradient, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(f.gradient_norms, norms, rtol=1e-12)
    assert not np.allclose(f.gradient_norms, live.gradient_norms)
    panel = window.theta
    qtbot.waitUntil(lambda: "at this θ" in panel.text(), timeout=2000)
    if kind == "network":
        assert all(_short(n, 3) in panel.text() for n in norms)
    else:
        assert f"{gradient[0][1]:.3f}".replace("-", "−") in panel.text()

    # release: rewound to step 10, the same gradient stays until the next step
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: not s.latest_frame.preview and s.latest_frame.step == 10,
                    timeout=5000)
    settle(qtbot, window)
    f = s.latest_frame
    assert f.gradient_at_step
    np.testing.assert_allclose(f.gradient_norms, norms, rtol=1e-12)
    qtbot.mouseClick(c.training.step_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    f = s.latest_frame
    assert f.step == 11 and not f.gradient_at_step
    # the step from θ₁₀ used exactly the gradient shown at θ₁₀
    np.testing.assert_allclose(f.gradient_norms, norms, rtol=1e-9)
    qtbot.waitUntil(lambda: "last step" in panel.text(), timeout=2000)
