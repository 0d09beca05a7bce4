"""The sigmoid view (issue 12, item 4) and each example's pull (item 3), in the window:
every training point sits at its z = θᵀx, y = 1 above σ(z) and y = 0 below, following the
steps and the timeline; the Pull button draws (y − ŷ)·x at every point."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core import NeuralNetwork, inspection
from core.formulas import sigmoid
from core.specs import ModelSpec
from core.walkthrough import example_pulls
from gui.playground.pull_overlay import arrow_segments
from tests.test_gui_playground import settle


@pytest.fixture
def window(qtbot, shown_window):
    settle(qtbot, shown_window)
    return shown_window


def _show_sigmoid(w, qtbot):
    panel = w.workbench.panels.show_panel("sigmoid")
    qtbot.waitUntil(lambda: panel.isVisible())
    return panel


def _drawn_at(panel, frame) -> bool:
    return panel._drawn_key is not None and panel._drawn_key[0] == frame.seq


def _check_points(panel, theta, X, y) -> None:
    index, z, heights, labels = panel.point_positions()
    np.testing.assert_array_equal(index, np.arange(len(y)))  # every training point
    np.testing.assert_allclose(z, X @ theta[1:] + theta[0], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(labels, y)
    curve = sigmoid(z)
    assert np.all(heights[y == 1] > curve[y == 1]) and np.all(heights[y == 0] < curve[y == 0])
    for k in (0, 1):  # what is drawn: the scatter items' own data
        xs, ys = panel.points[k].getData()
        np.testing.assert_allclose(xs, z[y == k], rtol=0, atol=1e-12)
        np.testing.assert_allclose(ys, heights[y == k])


def test_each_training_point_sits_at_its_theta_x_and_follows_the_steps(window, qtbot):
    s = window.session
    panel = _show_sigmoid(window, qtbot)
    d = s.engine.dataset
    qtbot.waitUntil(lambda: _drawn_at(panel, s.latest_frame), timeout=2000)
    _check_points(panel, s.parameters_copy()[0], d.X_train, d.y_train)  # θ = 0: all at z = 0
    s.step(20)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: _drawn_at(panel, s.latest_frame), timeout=2000)
    theta = s.parameters_copy()[0]
    assert np.abs(theta).max() > 0.1
    _check_points(panel, theta, d.X_train, d.y_train)
    # the costliest point is ringed: the smallest log P(y|x)
    index, z, heights, labels = panel.point_positions()
    log_p = np.where(labels == 1, np.log(sigmoid(z)), np.log(1 - sigmoid(z)))
    worst = int(np.argmin(log_p))
    xs, ys = panel.worst.getData()
    assert xs[0] == pytest.approx(z[worst]) and ys[0] == pytest.approx(heights[worst])
    assert "Costliest" in panel.caption.text()
    # the timeline: a preview of step 5 places the points at θ₅ᵀx
    s.engine.preview(5)
    qtbot.waitUntil(lambda: s.latest_frame.preview and _drawn_at(panel, s.latest_frame),
                    timeout=3000)
    _check_points(panel, s.latest_frame.parameters[0], d.X_train, d.y_train)
    s.engine.preview(None)


def test_a_network_places_points_at_the_output_units_z(window, qtbot):
    s = window.session
    s.set_model_spec(ModelSpec(kind="network", hidden_units=(4,), activation="tanh"))
    s.step(5)
    settle(qtbot, window)
    panel = _show_sigmoid(window, qtbot)
    qtbot.waitUntil(lambda: _drawn_at(panel, s.latest_frame), timeout=2000)
    d = s.engine.dataset
    with s.lock:
        model = inspection.clone_model(s.model)
    _, z, _, _ = panel.point_positions()
    np.testing.assert_allclose(z, inspection.margins(model, d.X_train), rtol=0, atol=1e-12)
    assert "output unit" in panel.plot_item.getAxis("bottom").labelText


def test_softmax_and_regression_say_the_view_is_not_available(window, qtbot):
    s = window.session
    panel = _show_sigmoid(window, qtbot)
    window.boundary.toolbar.pull_button.setChecked(True)
    s.set_active_class(2)
    s.add_point(4.0, 4.0)  # a third class: a softmax network
    qtbot.waitUntil(lambda: s.model_spec.n_classes == 3, timeout=5000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=2000)
    assert "Not available for 3 classes" in panel.message.text()
    assert "exp(zₖ)" in panel.message.text() and "^" not in panel.message.text()
    assert not panel.plot_widget.isVisible()
    assert window.boundary.pull.mode == "discs"  # 1 − P(Y=y|x) at each point
    # the long disc caption wraps inside the plot instead of running off its right edge
    pull = window.boundary.pull
    caption = pull.caption.mapRectToItem(pull._viewbox, pull.caption.boundingRect())
    assert pull.caption.isVisible()
    assert caption.right() <= pull._viewbox.boundingRect().right() + 1, caption
    s.load_preset("regress2d")
    qtbot.waitUntil(lambda: s.model_spec.kind == "regression", timeout=5000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "regression" in panel.message.text(), timeout=2000)
    qtbot.waitUntil(lambda: window.boundary.pull.mode == "unavailable", timeout=2000)
    assert "not available for a regression" in window.boundary.pull.caption.toPlainText()
    s.load_preset("overlap")  # two classes again: the view comes back
    qtbot.waitUntil(lambda: s.model_spec.kind != "regression", timeout=5000)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: panel.plot_widget.isVisible(), timeout=2000)


# --------------------------------------------------------------------------- the pulls


def test_the_pull_button_draws_y_minus_y_hat_times_x_at_every_point(window, qtbot):
    s = window.session
    s.step(3)
    settle(qtbot, window)
    pull = window.boundary.pull
    assert pull.mode == "off" and not pull.underlay.isVisible()
    qtbot.mouseClick(window.boundary.toolbar.pull_button, Qt.MouseButton.LeftButton)
    assert pull.enabled and pull.mode == "arrows"
    d = s.engine.dataset
    theta = s.parameters_copy()[0]
    residual = d.y_train - sigmoid(d.X_train @ theta[1:] + theta[0])
    np.testing.assert_allclose(pull.vectors, residual[:, None] * d.X_train, rtol=0,
                               atol=1e-12)
    # every arrow starts at its point and ends at point + scale·(y − ŷ)·x
    for k, item in enumerate(pull.arrows):
        xs, ys = item.getData()
        mine = d.y_train == k
        start = d.X_train[mine]
        np.testing.assert_allclose(xs[0::6], start[:, 0])
        np.testing.assert_allclose(ys[0::6], start[:, 1])
        end = start + pull.scale * pull.vectors[mine]
        np.testing.assert_allclose(xs[1::6], end[:, 0])
        np.testing.assert_allclose(ys[1::6], end[:, 1])
    lengths = np.hypot(*pull.vectors.T) * pull.scale
    (x0, x1), _ = window.boundary.viewbox.viewRange()
    assert lengths.max() == pytest.approx(0.14 * (x1 - x0))
    # live with training: after a step the arrows are the new θ's
    s.step(1)
    settle(qtbot, window)
    theta = s.parameters_copy()[0]
    residual = d.y_train - sigmoid(d.X_train @ theta[1:] + theta[0])
    qtbot.waitUntil(lambda: np.allclose(pull.vectors, residual[:, None] * d.X_train,
                                        rtol=0, atol=1e-12), timeout=2000)
    qtbot.mouseClick(window.boundary.toolbar.pull_button, Qt.MouseButton.LeftButton)
    assert not pull.underlay.isVisible() and not any(a.isVisible() for a in pull.arrows)


def test_a_networks_pull_is_a_disc_sized_by_its_output_error(window, qtbot):
    s = window.session
    s.set_model_spec(ModelSpec(kind="network", hidden_units=(4,), activation="tanh"))
    s.step(3)
    settle(qtbot, window)
    pull = window.boundary.pull
    pull.set_enabled(True)
    assert pull.mode == "discs"
    d = s.engine.dataset
    with s.lock:
        model = inspection.clone_model(s.model)
    y_hat = model.predict_proba(d.X_train)
    y_hat = y_hat[:, -1] if y_hat.ndim == 2 else y_hat
    np.testing.assert_allclose(pull.errors, np.abs(d.y_train - y_hat), rtol=0, atol=1e-12)
    sizes = [pull.discs[k].data["size"] for k in (0, 1)]
    big = [float(np.max(size)) for size in sizes]
    worst = np.abs(d.y_train - y_hat)
    assert max(big) == pytest.approx(5 + 25 * np.round(worst.max() * 20) / 20)  # 1/20 steps
    everyone = np.concatenate([pull.discs[k].data["size"] for k in (0, 1)])
    level = np.round(worst * 20) / 20
    np.testing.assert_allclose(np.sort(everyone), np.sort(5 + 25 * level))


def test_core_pulls_sum_to_the_gradient_and_arrows_point_from_start_to_end() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 2))
    y = (rng.random(30) < 0.5).astype(np.int64)
    from core import LogisticRegression

    model = LogisticRegression(2)
    model.theta = [0.2, -0.7, 1.1]
    pulls = example_pulls(model, X, y)
    np.testing.assert_allclose(pulls.contribution.sum(axis=0), model.gradient(X, y),
                               rtol=0, atol=1e-12)
    network = NeuralNetwork(2, (3,), "tanh", n_classes=3, seed=1)
    labels = np.arange(30) % 3
    p = network.predict_proba(X)
    np.testing.assert_allclose(example_pulls(network, X, labels).error,
                               1 - p[np.arange(30), labels], atol=1e-12)
    xs, ys = arrow_segments(X[:2], X[:2] + 1.0, 0.1)
    assert xs.shape == (12,) and xs[1] == pytest.approx(X[0, 0] + 1.0)
    assert ys[7] == pytest.approx(X[1, 1] + 1.0)
