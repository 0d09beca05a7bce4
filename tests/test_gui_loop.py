"""The loop panel (issue 12, item 2): the lecture's gradient ascent one example at a time,
driven through the window's buttons. Step example rings the example on the plane and shows
its numbers; θ moves only at Finish pass, which is one engine step equal to a fresh
GradientAscent step (1e-12)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core import GradientAscent, LogisticRegression, inspection
from core.specs import ModelSpec
from tests.test_gui_playground import settle


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}".replace("-", "−")


@pytest.fixture
def loop(qtbot, shown_window):
    settle(qtbot, shown_window)
    panel = shown_window.workbench.panels.show_panel("loop")
    qtbot.waitUntil(lambda: panel.isVisible())
    return shown_window, panel


def _start(w):
    """The engine's θ, training data and η now."""
    s = w.session
    with s.lock:
        model = inspection.clone_model(s.model)
    d = s.engine.dataset
    return model, d.X_train.copy(), d.y_train.copy(), s.engine.learning_rate


def _dark_pixels_around(w, x, y, radius_px=13, width=4) -> int:
    """How many near-black pixels lie on a ring of ``radius_px`` around (x, y) on screen."""
    image = w.boundary.plot_widget.viewport().grab().toImage()
    center = w.boundary.data_to_viewport(x, y)
    dpr = image.devicePixelRatio()
    count = 0
    for angle in np.linspace(0, 2 * np.pi, 48, endpoint=False):
        for r in range(radius_px - width // 2, radius_px + width // 2 + 1):
            px = int(round((center.x() + r * np.cos(angle)) * dpr))
            py = int(round((center.y() + r * np.sin(angle)) * dpr))
            if 0 <= px < image.width() and 0 <= py < image.height():
                c = image.pixelColor(px, py)
                count += max(c.red(), c.green(), c.blue()) < 70
    return count


def test_step_example_rings_that_point_and_shows_its_numbers(loop, qtbot):
    w, panel = loop
    model, X, y, _ = _start(w)
    before = _dark_pixels_around(w, *X[2])
    for _ in range(3):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.walk is not None and panel.walk.position == 3
    assert panel.highlight is not None
    np.testing.assert_allclose(panel.highlight.position, X[2])
    w.boundary.plot_widget.viewport().repaint()
    assert _dark_pixels_around(w, *X[2]) > before + 40, "a dark ring is drawn around it"
    z = float(X[2] @ model.theta[1:] + model.theta[0])
    y_hat = 1 / (1 + np.exp(-z))
    text = panel.numbers.text()
    assert "Example 3</b> of" in text and f"y = <b>{y[2]}</b>" in text
    assert f"θᵀx = {_num(z)}" in text and f"ŷ = σ(θᵀx) = {_num(y_hat)}" in text
    assert f"y − ŷ = <b>{_num(y[2] - y_hat)}</b>" in text
    running = sum((y[i] - 1 / (1 + np.exp(-(X[i] @ model.theta[1:] + model.theta[0]))))
                  * np.array([1.0, *X[i]]) for i in range(3))
    for value in running:  # the running gradient[j] over the three examples
        assert _num(float(value), 4) in text
    assert "← 3 of 160" in panel.code.text()
    assert "background:#fff1c2" in panel.code.text().split("gradient[j] +=")[0].rsplit(
        "<tr>", 1)[1], "the accumulate line is highlighted"
    # hiding the panel removes the ring; showing it brings it back
    w.workbench.panels.show_panel("loop", False)
    assert not panel.highlight.ring.isVisible()
    w.workbench.panels.show_panel("loop")
    qtbot.waitUntil(lambda: panel.highlight.ring.isVisible(), timeout=2000)


def test_theta_moves_only_at_finish_pass_by_one_gradient_ascent_step(loop, qtbot):
    w, panel = loop
    s = w.session
    s.step(3)  # from a θ that is not 0
    settle(qtbot, w)
    model, X, y, eta = _start(w)
    step = s.latest_frame.step
    for _ in range(5):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    settle(qtbot, w)
    np.testing.assert_array_equal(s.parameters_copy()[0], model.theta)  # θ unchanged
    assert s.latest_frame.step == step and panel.walk.position == 5
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    # the whole pass's gradient is core's gradient at the start θ
    np.testing.assert_allclose(panel.walk.gradient[0], model.gradient(X, y), rtol=0, atol=1e-12)
    qtbot.waitUntil(lambda: s.latest_frame.step == step + 1, timeout=5000)
    settle(qtbot, w)
    twin = LogisticRegression(2)
    twin.theta = model.theta
    GradientAscent(twin, X, y, eta).step(1)
    np.testing.assert_allclose(s.parameters_copy()[0], twin.theta, rtol=0, atol=1e-12)
    np.testing.assert_allclose(panel.walk.model.theta, twin.theta, rtol=0, atol=1e-12)
    # one recorded step: on the LL curve and the timeline
    assert s.latest_frame.history["steps"][-1] == step + 1
    assert w.workbench.timeline.slider.maximum() == step + 1
    assert "θ updated by one gradient-ascent step" in panel.status.text()
    assert "background:#fff1c2" in panel.code.text().split("θⱼ += η")[0].rsplit(
        "<tr>", 1)[1], "the update line is highlighted"
    # the next Step example starts a new pass from the new θ
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.walk.position == 1 and not panel.walk.done
    np.testing.assert_allclose(panel.walk.gradient[0],
                               twin.gradient(X[:1], y[:1]), rtol=0, atol=1e-12)


def test_a_network_pass_is_one_step_too(loop, qtbot):
    w, panel = loop
    s = w.session
    s.set_model_spec(ModelSpec(kind="network", hidden_units=(3,), activation="tanh"))
    settle(qtbot, w)
    model, X, y, eta = _start(w)
    step = s.latest_frame.step
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert "W⁽¹⁾" in panel.numbers.text() and "z (output) =" in panel.numbers.text()
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.latest_frame.step == step + 1, timeout=5000)
    settle(qtbot, w)
    GradientAscent(model, X, y, eta).step(1)
    for p, q in zip(s.parameters_copy(), model.parameters, strict=True):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_finish_pass_is_off_with_mini_batches_and_says_why(loop, qtbot):
    w, panel = loop
    s = w.session
    s.engine.set_batch_size(16)
    qtbot.waitUntil(lambda: not panel.finish_button.isEnabled(), timeout=2000)
    assert "mini-batches of 16" in panel.finish_button.toolTip()
    assert "mini-batches of 16" in panel.status.text()
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)  # stepping still works
    assert panel.walk is not None and panel.walk.position == 1
    theta = s.parameters_copy()[0]
    panel.finish_pass()  # refused, θ unchanged
    qtbot.wait(100)
    np.testing.assert_array_equal(s.parameters_copy()[0], theta)
    s.engine.set_batch_size(None)
    qtbot.waitUntil(lambda: panel.finish_button.isEnabled(), timeout=2000)


def test_a_pass_ends_when_theta_changes_under_it(loop, qtbot):
    w, panel = loop
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.highlight.ring.isVisible()
    qtbot.mouseClick(w.controls.training.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.walk is None, timeout=5000)
    assert not panel.highlight.ring.isVisible()
    assert "starts again" in panel.status.text()
    assert "No pass under way" in panel.numbers.text()


def test_the_loop_says_it_is_not_for_a_regression(loop, qtbot):
    w, panel = loop
    s = w.session
    s.load_preset("regress2d")
    qtbot.waitUntil(lambda: s.model_spec.kind == "regression", timeout=5000)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not panel.step_button.isEnabled(), timeout=2000)
    assert "not available for a regression" in panel.numbers.text()
    panel.step_example()  # never crashes
    assert panel.walk is None
    # only the reason shows, wrapped: a narrow dock does not cut it behind the pseudocode
    assert panel.code.isHidden() and panel.step_button.isHidden()
    assert "not available for a regression" in panel.status.text()
    assert panel.status.isVisible() and panel.minimumSizeHint().width() < 200
    s.load_preset("overlap")
    qtbot.waitUntil(lambda: s.model_spec.kind != "regression", timeout=5000)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: panel.code.isVisible() and panel.step_button.isEnabled())


def test_a_note_about_the_data_goes_when_the_data_change(loop, qtbot):
    w, panel = loop
    s = w.session
    s.clear_points()
    settle(qtbot, w)
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert "empty" in panel.status.text() and panel.walk is None
    s.add_point(1.0, 1.0, 1)
    s.add_point(-1.0, -1.0, 0)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: "empty" not in panel.status.text(), timeout=2000)
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.walk is not None and len(panel.walk) == 2
    np.testing.assert_allclose(panel.highlight.position, s.engine.dataset.X_train[0])


def test_after_finish_pass_the_numbers_describe_the_pass_not_the_last_example(loop, qtbot):
    w, panel = loop
    s = w.session
    step = s.latest_frame.step
    for _ in range(5):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert "Example 5" in panel.numbers.text()
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.latest_frame.step == step + 1, timeout=5000)
    settle(qtbot, w)
    text = panel.numbers.text()
    assert "Example 5" not in text, "example 5's terms belong to the old θ"
    assert f"All {len(panel.walk)} examples added" in text
    assert panel.highlight is None or panel.highlight.position is None


def test_a_narrow_loop_panel_puts_the_numbers_under_the_code(loop, qtbot):
    from PySide6.QtWidgets import QBoxLayout

    w, panel = loop
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    dock = w.workbench.panels.docks["loop"]
    dock.setFloating(True)
    dock.resize(1200, 400)
    qtbot.waitUntil(lambda: panel.width() > 1000)
    assert panel._layout.direction() == QBoxLayout.Direction.LeftToRight
    dock.resize(480, 600)
    qtbot.waitUntil(lambda: panel.width() < 500)
    assert panel._layout.direction() == QBoxLayout.Direction.TopToBottom
    # the whole table fits: the numbers label is no wider than the panel
    qtbot.waitUntil(lambda: panel.numbers.width() >= panel.numbers.sizeHint().width() - 2)
    assert panel.numbers.width() <= panel.width()


def test_a_softmax_example_puts_y_minus_y_hat_on_a_line_of_its_own():
    """Three vectors (z, ŷ, y − ŷ) on one line were cut off in a docked panel."""
    from core.network import NeuralNetwork
    from core.walkthrough import ExampleWalkthrough
    from gui.playground.panels.loop import example_html

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 2)), np.arange(12) % 3
    walk = ExampleWalkthrough(NeuralNetwork(2, (3,), "tanh", n_classes=3, seed=1), X, y, 0.1)
    added = walk.step_example()
    head = example_html(walk, added, ["x₁", "x₂"]).split("<table")[0]
    lines = head.split("<br>")
    assert any(line.startswith("y − ŷ = ") for line in lines), lines
    assert all(line.count("(") <= 4 for line in lines), lines
