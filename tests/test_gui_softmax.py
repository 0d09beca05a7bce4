"""Three or four classes in the 2D playground: CSV labels 0..3, keys 0–3 and the class
picker, a softmax output (one unit per class), the heatmap of the most likely class shaded
by its probability, and back to the lecture's single σ output with Ctrl+Z. Driven like a
student drives the window: files, keys and clicks at real screen positions (offscreen)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core import datasets
from gui import style
from gui.playground.class_heatmap import ClassShading
from tests.test_gui_playground import settle

CENTRES = np.array([[-3.0, -2.0], [3.0, -2.0], [0.0, 3.5]])


def three_blobs(n=150, seed=0, spread=0.6):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    return CENTRES[y] + rng.normal(0.0, spread, (n, 2)), y


@pytest.fixture
def window(qtbot, shown_window):
    settle(qtbot, shown_window)
    return shown_window


def click_data(qtbot, w, x, y, button=Qt.MouseButton.LeftButton):
    pos = w.boundary.data_to_viewport(x, y).toPoint()
    qtbot.mouseClick(w.boundary.plot_widget.viewport(), button,
                     Qt.KeyboardModifier.NoModifier, pos)


def screen_pixel(w, x, y):
    image = w.boundary.plot_widget.viewport().grab().toImage()
    return image.pixelColor(w.boundary.data_to_viewport(x, y).toPoint())


def heatmap_pixel(w, x, y):
    """The heatmap's own colour at (x, y) (under the points), as (r, g, b)."""
    b = w.session.latest_frame.probe.boundary
    res = b.image.shape[0]
    i = round((x - b.x_range[0]) / (b.x_range[1] - b.x_range[0]) * (res - 1))
    j = round((y - b.y_range[0]) / (b.y_range[1] - b.y_range[0]) * (res - 1))
    argb = int(w.boundary.image.rendered_pixels()[j, i])
    return (argb >> 16) & 255, (argb >> 8) & 255, argb & 255


def class_of_colour(rgb):
    """Which class colour a heatmap colour is a shade of (its direction away from white)."""
    away = 255.0 - np.asarray(rgb, dtype=float)
    assert np.linalg.norm(away) > 40, f"{rgb} is almost white"
    colours = 255.0 - np.asarray(style.CLASS_RGB, dtype=float)
    cosine = colours @ away / (np.linalg.norm(colours, axis=1) * np.linalg.norm(away))
    return int(np.argmax(cosine))


def legend(w):
    return w.boundary.layer.legend_labels()


def test_a_three_class_csv_trains_with_softmax(window, qtbot, tmp_path):
    s = window.session
    path = tmp_path / "blobs3.csv"
    datasets.save_csv(path, *three_blobs())
    assert window.open_csv(str(path))
    assert s.data.n_classes == 3 and len(s.data) == 150
    assert s.model_spec.kind == "network" and s.model_spec.n_classes == 3
    assert "3 classes" in window.status_message()  # logistic is binary: said so
    assert not window.controls.model.logistic_radio.isEnabled()
    assert "y=2" in window.controls.data.data_hint.text()
    settle(qtbot, window)
    c = window.controls
    c.training.step_n_spin.setValue(300)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window, timeout=30000)
    f = s.latest_frame
    assert f.step == 300
    ll = f.history["log_likelihood"]
    assert ll[-1] > ll[0] + 50 and f.accuracy > 0.9 and f.test_accuracy > 0.9
    # one output unit per class, in the frame, the probe's thumbnails and the diagram
    assert f.layer_sizes[0] == 2 and f.layer_sizes[-1] == 3
    assert f.probe.unit_images[-1].shape[0] == 3
    assert len(window.network.thumbnail_items()[-1]) == 3
    net = window.network
    last = len(f.layer_sizes) - 1
    qtbot.mouseMove(net.viewport(), net.viewport().mapFrom(
        net, net.thumbnail_center_in_widget(last, 2)))
    qtbot.waitUntil(lambda: "P(Y=2|x)" in net.hover_text(), timeout=3000)  # class 2, not ŷ₃
    assert "W²" in window.theta.text() and "×3" in window.theta.text()
    # the heatmap: each blob's territory in its class's colour, under the points and out
    # where there are none
    b = f.probe.boundary
    assert b.n_classes == 3 and b.classes is not None and b.contour_x.size > 0
    for label, (x, y) in enumerate(CENTRES):
        assert class_of_colour(heatmap_pixel(window, x, y)) == label
    # (class 2 away from its blob: right of the legend, which covers the top left)
    for label, (x, y) in enumerate([(-5.5, -5.0), (5.5, -5.0), (3.0, 7.5)]):
        colour = screen_pixel(window, x, y)
        assert class_of_colour((colour.red(), colour.green(), colour.blue())) == label
    assert "Decision boundary" in window.boundary.title.text()
    assert "y = 2 (class 2)" in legend(window) and "top two classes tie" in legend(window)
    # the hover readout shows every class's probability
    viewport = window.boundary.plot_widget.viewport()
    qtbot.mouseMove(viewport, window.boundary.data_to_viewport(*CENTRES[2]).toPoint())
    qtbot.waitUntil(lambda: "P(Y=2|x)" in window.boundary.hover_text(), timeout=3000)
    text = window.boundary.hover_text()  # (the label may cut its lines short with "…")
    assert "P(Y=0|x)=" in text and "P(Y=1|x)=" in text and "class 2" in text


def test_key_2_and_a_click_make_three_classes_and_ctrl_z_goes_back(window, qtbot):
    s = window.session
    n = len(s.data)
    assert s.model_spec.kind == "logistic" and s.model_spec.n_classes == 2
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert s.active_class == 2 and window.boundary.class_buttons[2].isChecked()
    click_data(qtbot, window, 4.5, 4.5)
    assert len(s.data) == n + 1 and s.data.y[-1] == 2
    assert s.model_spec.kind == "network" and s.model_spec.n_classes == 3
    settle(qtbot, window)
    assert s.latest_frame.layer_sizes[-1] == 3 and len(window.network.thumbnail_items()[-1]) == 3
    qtbot.waitUntil(lambda: "y = 2 (class 2)" in legend(window), timeout=3000)
    points = window.boundary.points
    index = int(np.flatnonzero(np.isclose(points.data["x"], s.data.X[-1, 0]))[0])
    assert points.data["brush"][index].color().getRgb()[:3] == style.GREEN
    # right click adds the paired class: 2 ↔ 3 (four classes)
    click_data(qtbot, window, -4.5, 4.5, Qt.MouseButton.RightButton)
    assert s.data.y[-1] == 3 and s.model_spec.n_classes == 4
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert s.model_spec.n_classes == 3
    # back to two classes, the lecture's logistic regression and its single σ output
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(s.data) == n and s.data.n_classes == 2
    assert s.model_spec.kind == "logistic" and s.model_spec.n_classes == 2
    settle(qtbot, window)
    assert s.latest_frame.layer_sizes == (2, 1)
    assert s.latest_frame.probe.boundary.n_classes == 2
    qtbot.waitUntil(lambda: "P(Y=1|x) = 0.5" in legend(window), timeout=3000)
    assert "y = 2 (class 2)" not in legend(window)
    assert window.controls.model.logistic_radio.isEnabled()
    # the picker and keys 0, 1 and 3
    window.boundary.class_buttons[3].click()
    assert s.active_class == 3
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert s.active_class == 1 and window.boundary.class_buttons[1].isChecked()


def test_a_network_stays_a_network_when_the_classes_go_back_to_two(window, qtbot):
    s = window.session
    window.controls.model.network_radio.click()
    assert s.model_spec.kind == "network"
    s.add_point(1.0, 1.0, 3)  # class 3 without class 2: four outputs all the same
    assert s.model_spec.n_classes == 4 and s.model_spec.hidden_units == (4,)
    settle(qtbot, window)
    assert s.latest_frame.layer_sizes == (2, 4, 4)
    s.undo_stack.undo()
    assert s.model_spec.kind == "network" and s.model_spec.n_classes == 2
    settle(qtbot, window)
    assert s.latest_frame.layer_sizes == (2, 4, 1)


def test_five_classes_are_refused_and_the_points_stay(window, tmp_path):
    s = window.session
    before = s.data
    X = np.random.default_rng(0).normal(size=(10, 2))
    path = tmp_path / "five.csv"
    datasets.save_csv(path, X, np.arange(10) % 5)
    errors = []  # the dialog (gui.documents) says what and where
    window.documents.show_error = lambda title, text: errors.append(text)
    assert not window.open_csv(str(path))
    assert s.data is before and s.model_spec.n_classes == 2
    assert "up to 4 classes" in errors[0] and "nothing was changed" in errors[0]
    assert window.banner_text() == ""


def test_class_shading_goes_from_white_at_a_tie_to_the_class_colour():
    shading = ClassShading()
    top = np.array([[1 / 3, 1.0, 1.0, 1.0, 2 / 3]], dtype=np.float32).T  # (W=5, H=1)
    classes = np.array([[0, 0, 1, 2, 2]], dtype=np.int8).T
    pixels = shading.pixels(top, classes, (1 / 3, 1.0))
    assert pixels.shape == (1, 5) and pixels.dtype == np.uint32
    rgb = [((int(p) >> 16) & 255, (int(p) >> 8) & 255, int(p) & 255) for p in pixels[0]]
    assert rgb[0] == (255, 255, 255)
    for pixel, label in zip(rgb[1:4], (0, 1, 2), strict=True):
        tinted = np.asarray(style.CLASS_RGB[label]) * (1 - style.SHOW_TINT) + 255 * style.SHOW_TINT
        np.testing.assert_allclose(pixel, tinted, atol=1.5)
    assert class_of_colour(rgb[4]) == 2 and sum(rgb[4]) > sum(rgb[3])  # lighter: less sure
