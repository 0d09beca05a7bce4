"""The hidden space panel (View → Playground panels → Hidden space): the training points
mapped into two last-layer hidden units, and the output's line there. Checks what is drawn
(the scatter items, the line's ends, the background) against the model."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from test_gui_playground import _slider_x

from core.specs import ModelSpec


@pytest.fixture
def window(shown_window):
    return shown_window


def _train(qtbot, window, preset: str, hidden: tuple[int, ...], steps: int = 300,
           activation: str = "tanh"):
    s = window.session
    window.controls.data.set_preset(preset)
    s.set_model_spec(ModelSpec(kind="network", hidden_units=hidden, activation=activation))
    s.step(steps)
    qtbot.waitUntil(lambda: not s.is_busy() and s.latest_frame.step >= steps
                    and s.latest_frame.data_version == s.data_version, timeout=30000)


def _show(qtbot, window):
    panel = window.workbench.panels.show_panel("hidden_space")
    qtbot.waitExposed(panel)
    _drawn(qtbot, window, panel)
    return panel


def _drawn(qtbot, window, panel):
    """Wait until the panel shows the latest frame."""
    s = window.session
    qtbot.waitUntil(lambda: panel._frame is s.latest_frame
                    and panel._drawn_key is not None
                    and panel._drawn_key[0] == s.latest_frame.seq, timeout=10000)


def _drawn_points(panel) -> list[np.ndarray]:
    """The (h_a, h_b) drawn for each class, in the order of the training points."""
    return [np.column_stack(item.getData()) for item in panel.points]


def _drawn_side(panel, points: np.ndarray) -> np.ndarray:
    """Which side of the drawn line each point is on (the sign of the cross product)."""
    x, y = panel.boundary.getData()
    (ax, bx), (ay, by) = x, y
    cross = (bx - ax) * (points[:, 1] - ay) - (by - ay) * (points[:, 0] - ax)
    assert np.all(cross != 0)
    return (cross > 0).astype(int)


def _background_colours(panel) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The drawn colour (median RGB of a 7×7 patch) near the box's corners of the highest
    and of the lowest z, and those z."""
    vb = panel.plot_widget.getPlotItem().getViewBox()
    (a0, a1), (b0, b1) = vb.viewRange()
    corners = np.array([[a0, b0], [a0, b1], [a1, b0], [a1, b1]])
    z = panel.line.weighted_input(corners)
    image = panel.plot_widget.grab().toImage()
    out = []
    for corner in (corners[np.argmax(z)], corners[np.argmin(z)]):
        centre = np.array([(a0 + a1) / 2, (b0 + b1) / 2])
        inset = corner + 0.04 * (centre - corner)
        pos = panel.plot_widget.mapFromScene(vb.mapViewToScene(QPointF(*inset)))
        patch = [image.pixelColor(pos.x() + dx, pos.y() + dy).getRgb()[:3]
                 for dx in range(-3, 4) for dy in range(-3, 4)]
        out.append(np.median(np.asarray(patch), axis=0))
    return out[0], out[1], float(z.max()), float(z.min())


def _hidden(model, X, units):
    return model.forward(X)[-2][:, list(units)]


def test_the_line_separates_the_mapped_points_as_the_model_predicts(window, qtbot):
    _train(qtbot, window, "xor", (4, 2))
    panel = _show(qtbot, window)
    assert panel.stack.currentIndex() == 0
    frame = window.session.latest_frame
    dataset = window.session.engine.dataset
    model = frame.model
    drawn = _drawn_points(panel)
    predicted = []
    for label in (0, 1):
        X = dataset.X_train[dataset.y_train == label]
        np.testing.assert_allclose(drawn[label], _hidden(model, X, (0, 1)), atol=1e-6)
        predicted.append(model.predict(X))
    points, predicted = np.vstack(drawn), np.concatenate(predicted)
    assert 0 < predicted.sum() < len(predicted), "both classes predicted"
    side = _drawn_side(panel, points)
    if side[predicted == 1][0] == 0:  # the line's direction is arbitrary; its sides are not
        side = 1 - side
    np.testing.assert_array_equal(side, predicted)
    # the background is the output's ŷ = σ(z): blue (class 1) where z > 0, orange below
    blue, orange, z_high, z_low = _background_colours(panel)
    assert z_high > 1 and z_low < -1
    assert blue[2] > blue[0] + 60 and orange[0] > orange[2] + 60, (blue, orange)
    assert "exactly as the network predicts" in panel.caption.text()
    assert panel.crosses.getData()[0].size == 0
    wrong = np.concatenate([model.predict(dataset.X_train[dataset.y_train == c]) != c
                            for c in (0, 1)])
    assert panel.rings.getData()[0].size == wrong.sum()


def test_more_units_show_a_slice_and_mark_the_points_it_gets_wrong(window, qtbot):
    _train(qtbot, window, "circles", (3,), steps=400)
    panel = _show(qtbot, window)
    assert panel.combo_a.count() == 3
    # choose h¹₃ on the horizontal axis with the keyboard: passing h¹₂, which the vertical
    # axis shows, swaps the pair
    panel.combo_a.setFocus()
    qtbot.keyClick(panel.combo_a, Qt.Key.Key_Down)
    assert panel.units == (1, 0) and panel.combo_b.currentText() == "h¹₁"
    qtbot.keyClick(panel.combo_a, Qt.Key.Key_Down)
    assert panel.units == (2, 0) and panel.combo_a.currentText() == "h¹₃"
    _drawn(qtbot, window, panel)
    frame, dataset = window.session.latest_frame, window.session.engine.dataset
    model = frame.model
    X, y = dataset.X_train, dataset.y_train
    hidden = model.forward(X)[-2]
    drawn = _drawn_points(panel)
    for label in (0, 1):
        np.testing.assert_allclose(drawn[label], hidden[y == label][:, [2, 0]], atol=1e-6)
    # the line is the output's boundary with h¹₂ held at its mean over the points
    held = hidden.copy()
    held[:, 1] = hidden[:, 1].mean()
    w, b = model.weights[-1][:, 0], model.biases[-1][0]
    ends_x, ends_y = panel.boundary.getData()
    ends = np.zeros((2, 3))
    ends[:, 2], ends[:, 0], ends[:, 1] = ends_x, ends_y, hidden[:, 1].mean()
    np.testing.assert_allclose(ends @ w + b, 0.0, atol=1e-9)
    # the crosses are exactly the points the model predicts on the other side of it
    order = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)])
    predicted = model.predict(X)[order]
    slice_side = ((held @ w + b) > 0).astype(int)[order]
    off = np.vstack(drawn)[slice_side != predicted]
    crosses = np.column_stack(panel.crosses.getData())
    assert crosses.shape == off.shape
    np.testing.assert_allclose(np.sort(crosses, axis=0), np.sort(off, axis=0), atol=1e-6)
    assert f"{len(off)} of {len(X)} points" in panel.caption.text()


def test_the_panel_follows_training_and_the_timeline(window, qtbot):
    _train(qtbot, window, "xor", (2,), steps=50)
    panel = _show(qtbot, window)
    before = _drawn_points(panel)[1].copy()
    s = window.session
    s.step(200)
    qtbot.waitUntil(lambda: not s.is_busy() and s.latest_frame.step >= 250, timeout=20000)
    _drawn(qtbot, window, panel)
    after = _drawn_points(panel)[1]
    assert not np.allclose(before, after)
    # dragging the timeline back shows the points of the step previewed
    slider = window.timeline
    y = slider.height() // 2
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=QPoint(_slider_x(slider, 250), y))
    for value in (200, 120, 60, 30):
        qtbot.mouseMove(slider, QPoint(_slider_x(slider, value), y))
    qtbot.waitUntil(lambda: s.latest_frame.preview and s.latest_frame.step <= 60,
                    timeout=10000)
    _drawn(qtbot, window, panel)
    X = s.engine.dataset.X_train[s.engine.dataset.y_train == 1]
    np.testing.assert_allclose(_drawn_points(panel)[1],
                               _hidden(s.latest_frame.model, X, (0, 1)), atol=1e-6)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton,
                       pos=QPoint(_slider_x(slider, 30), y))


def test_models_without_a_hidden_space_say_why(window, qtbot):
    s = window.session
    panel = _show(qtbot, window)  # the start: logistic regression
    assert panel.stack.currentIndex() == 1 and "no hidden layer" in panel.message.text()
    assert panel.message.isVisible()

    for spec, words in ((ModelSpec(kind="network", hidden_units=(4, 1)), "one unit"),
                        (ModelSpec(kind="network", hidden_units=(4,), n_classes=3),
                         "softmax")):
        if spec.n_classes == 3:
            s.add_point(0.0, 0.0, 2)
            qtbot.waitUntil(lambda: s.model_spec.n_classes == 3, timeout=10000)
        else:
            s.set_model_spec(spec)
        qtbot.waitUntil(lambda w=words: w in panel.message.text()
                        and panel.stack.currentIndex() == 1, timeout=10000)

    combo = window.controls.data.preset_combo
    combo.setCurrentIndex(combo.findData("regress2d"))
    qtbot.waitUntil(lambda: s.regression and panel.stack.currentIndex() == 1
                    and "regression" in panel.message.text().lower(), timeout=10000)
    s.set_model_spec(ModelSpec(kind="network", hidden_units=(3, 2)))
    qtbot.waitUntil(lambda: "no boundary" in panel.message.text(), timeout=10000)


def test_a_hidden_panel_draws_nothing(window, qtbot):
    _train(qtbot, window, "xor", (2,), steps=20)
    panel = _show(qtbot, window)
    window.workbench.panels.show_panel("hidden_space", False)
    s = window.session
    s.step(30)
    qtbot.waitUntil(lambda: not s.is_busy() and s.latest_frame.step >= 50, timeout=10000)
    assert panel._drawn_key is None and panel._frame.step < 50
    window.workbench.panels.show_panel("hidden_space")
    _drawn(qtbot, window, panel)  # brought up to date at once


def test_a_long_caption_in_a_narrow_panel_shows_whole(window, qtbot):
    """The slice caption wraps to three lines in a narrow dock: the strip grows to hold
    them (it used to cut the third line off)."""
    from PySide6.QtCore import QRect

    _train(qtbot, window, "circles", (3,), steps=50)
    panel = _show(qtbot, window)
    dock = window.workbench.panels.docks["hidden_space"]
    dock.setFloating(True)
    dock.resize(330, 520)
    qtbot.waitUntil(lambda: panel.width() < 340)
    caption = panel.caption
    assert "A slice" in caption.text()
    metrics = caption.fontMetrics()
    needed = metrics.boundingRect(QRect(0, 0, caption.width(), 10_000),
                                  int(Qt.TextFlag.TextWordWrap), caption.text()).height()
    assert needed > 2 * metrics.lineSpacing(), "the test needs a caption of 3+ lines"
    qtbot.waitUntil(lambda: caption.height() >= needed)
