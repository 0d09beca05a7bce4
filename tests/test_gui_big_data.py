"""A 100,000-point dataset: the window keeps working while it trains (behaviour, not timings;
the timings are in benchmarks/latency.py)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gui.playground.boundary_view import MAX_DRAWN_POINTS

N = 100_000


@pytest.fixture
def big_window(qtbot, shown_window):
    w = shown_window
    w.controls.data.samples_spin.setValue(N)  # the overlap preset with 100,000 points
    qtbot.waitUntil(lambda: len(w.session.data) == N, timeout=10000)
    qtbot.waitUntil(lambda: w.session.latest_frame is not None
                    and w.session.latest_frame.data_version == w.session.data_version,
                    timeout=10000)
    return w


def test_run_click_and_pause_with_100000_points(big_window, qtbot):
    w = big_window
    s = w.session
    c = w.controls
    # an even sample is drawn, and the legend says so
    assert len(w.boundary.points.data) <= 1.01 * MAX_DRAWN_POINTS  # (about: an even sample)
    assert w.boundary.sample_note() is not None and "100,000" in w.boundary.sample_note()
    c.training.speed_combo.setCurrentIndex(c.training.speed_combo.findData(None))  # max speed
    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    assert s.running
    qtbot.waitUntil(lambda: s.latest_frame.step >= 3, timeout=20000)

    # a click while it trains adds a point where it was clicked, and it is drawn
    p = w.boundary.data_to_viewport(4.5, -4.5).toPoint()
    qtbot.mouseClick(w.boundary.plot_widget.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, p)
    assert len(s.data) == N + 1
    np.testing.assert_allclose(s.data.X[-1], [4.5, -4.5], atol=0.06)
    points = w.boundary.points
    qtbot.waitUntil(lambda: np.isclose(points.data["x"], s.data.X[-1, 0]).any(), timeout=5000)

    # training goes on with the new point, and the hover readout answers meanwhile
    assert s.running
    step = s.latest_frame.step
    qtbot.waitUntil(lambda: s.latest_frame.data_version == s.data_version
                    and s.latest_frame.step >= step + 3, timeout=20000)
    before = w.boundary.hover_text()
    pixel = w.boundary.data_to_viewport(-2.0, 1.0).toPoint()
    qtbot.mouseMove(w.boundary.plot_widget.viewport(), pixel)
    at = w.boundary.viewbox.mapSceneToView(w.boundary.plot_widget.mapToScene(pixel))
    where = f"x = ({at.x():.2f}, {at.y():.2f})".replace("-", "−")  # that pixel's centre
    qtbot.waitUntil(lambda: w.boundary.hover_text() != before
                    and where in w.boundary.hover_text(), timeout=5000)

    qtbot.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
    assert not s.running
    qtbot.waitUntil(lambda: not s.is_busy() and not s.latest_frame.running, timeout=10000)
    paused = s.latest_frame.step
    qtbot.wait(200)
    assert s.latest_frame.step == paused
    assert np.isfinite(s.latest_frame.log_likelihood)
