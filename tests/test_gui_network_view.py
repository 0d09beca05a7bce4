"""NetworkView: items built once, images and links follow the state, real clicks and hovers."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFontMetricsF, QImage  # noqa: E402

from gui.widgets.network_items import PixelImageItem, argb_images  # noqa: E402
from gui.widgets.network_view import BLUE, ORANGE, NetworkView, diverging_lut  # noqa: E402

RES = 12  # side of the unit images in these tests


def grid_state(sizes: tuple[int, ...], seed: int = 0
               ) -> tuple[list[np.ndarray], list[np.ndarray], list[tuple[float, float]]]:
    """A tanh network's weights, unit images over a grid of the plane, and levels."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(-1.0, 1.0, RES)
    gx, gy = np.meshgrid(xs, xs, indexing="ij")  # row index = x₁, column index = x₂
    a = np.stack([gx, gy])[: sizes[0]].reshape(sizes[0], -1)
    weights, images = [], [a.reshape(sizes[0], RES, RES).astype(np.float32)]
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        w = rng.normal(0.0, 1.0, (n_in, n_out))
        weights.append(w)
        a = np.tanh(w.T @ a)
        images.append(a.reshape(n_out, RES, RES).astype(np.float32))
    return weights, images, [(-1.0, 1.0)] * len(sizes)


@pytest.fixture
def view(qtbot) -> NetworkView:
    """A shown 600x350 NetworkView with a (2, 8, 8, 1) tanh network and a state."""
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.set_architecture((2, 8, 8, 1), activation="tanh")
    widget.show()
    qtbot.waitExposed(widget)
    widget.update_state(*grid_state((2, 8, 8, 1)))
    return widget


def viewport_point(view: NetworkView, widget_point: QPoint) -> QPoint:
    """A point of the NetworkView in its viewport's coordinates (where the mouse goes)."""
    return view.viewport().mapFrom(view, widget_point)


def pixel(view: NetworkView, point: QPoint) -> QColor:
    """The colour the widget shows at a point of its own coordinates."""
    image = view.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def distance(color: QColor, rgb: tuple[int, int, int]) -> float:
    """Euclidean RGB distance."""
    return float(np.linalg.norm(np.subtract(color.getRgb()[:3], rgb)))


# ----------------------------------------------------------------------------- items


def test_architecture_creates_thumbnails_and_links_once(qtbot) -> None:
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.show()
    widget.set_architecture((2, 8, 8, 1))
    items = widget.thumbnail_items()
    assert [len(column) for column in items] == [2, 8, 8, 1]
    assert all(isinstance(item, pg.ImageItem) for column in items for item in column)
    assert widget.link_count() == 2 * 8 + 8 * 8 + 8 * 1

    widget.set_architecture((2, 8, 8, 1), activation="relu")  # same sizes: no new items
    again = widget.thumbnail_items()
    assert all(a is b for ca, cb in zip(items, again, strict=True)
               for a, b in zip(ca, cb, strict=True))
    assert "h¹ (8, relu)" in [text for text, _ in widget.captions()]

    widget.set_architecture((2, 4, 1))
    rebuilt = widget.thumbnail_items()
    assert [len(column) for column in rebuilt] == [2, 4, 1]
    assert widget.link_count() == 2 * 4 + 4 * 1
    assert all(item.scene() is None for column in items for item in column)
    old = {id(item) for column in items for item in column}
    assert not any(id(item) in old for column in rebuilt for item in column)


def test_logistic_regression_two_inputs_one_output(qtbot) -> None:
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.set_architecture((2, 1))
    xs = np.linspace(-1, 1, RES, dtype=np.float32)
    inputs = np.stack(np.meshgrid(xs, xs, indexing="ij"))
    widget.update_state([np.array([[1.5], [-0.5]])], [inputs, inputs[:1] * 0.5 + 0.5],
                        [(-1.0, 1.0), (0.0, 1.0)])
    assert widget.link_count() == 2
    assert widget.link_weight(0, 0, 0) == pytest.approx(1.5)
    assert widget.link_weight(0, 1, 0) == pytest.approx(-0.5)
    assert [text for text, _ in widget.captions()] == ["x", "ŷ"]


# ----------------------------------------------------------------------------- state


def test_update_state_changes_the_thumbnail_image_and_pixels(view: NetworkView) -> None:
    weights, images, levels = grid_state((2, 8, 8, 1))
    images[1][3] = 1.0  # h¹₄ at the high level
    view.update_state(weights, images, levels)
    item = view.thumbnail_items()[1][3]
    np.testing.assert_array_equal(item.image, images[1][3])
    centre = view.thumbnail_center_in_widget(1, 3)
    high = pixel(view, centre)
    assert distance(high, BLUE) < 12, high.getRgb()

    images = [stack.copy() for stack in images]
    images[1][3] = -1.0  # the low level
    view.update_state(weights, images, levels)
    np.testing.assert_array_equal(item.image, images[1][3])
    low = pixel(view, centre)
    assert distance(low, ORANGE) < 12, low.getRgb()


def test_images_are_shown_with_x1_to_the_right_and_x2_upwards(view: NetworkView) -> None:
    def at(x: float, y: float) -> QColor:
        return pixel(view, view.scene_to_widget(QPointF(x, y)))

    def orange(color: QColor) -> bool:
        return color.red() > color.green() > color.blue()

    def blue(color: QColor) -> bool:
        return color.blue() > color.green() > color.red()

    rect = view.thumbnail_scene_rect(0, 0)
    inset = rect.width() * 0.1
    # x₁ (row index) grows to the right: orange (low) on the left, blue (high) on the right.
    assert orange(at(rect.left() + inset, rect.center().y()))
    assert blue(at(rect.right() - inset, rect.center().y()))
    rect = view.thumbnail_scene_rect(0, 1)
    # x₂ (column index) grows upwards: blue at the top, orange at the bottom.
    assert blue(at(rect.center().x(), rect.top() + inset))
    assert orange(at(rect.center().x(), rect.bottom() - inset))


@pytest.mark.parametrize("levels", [(-1.0, 1.0), (-0.3, 0.7)])
def test_fast_colouring_matches_pyqtgraph(view: NetworkView, levels) -> None:
    weights, images, _ = grid_state((2, 8, 8, 1), seed=3)  # a second state: the lean path
    view.update_state(weights, images, [levels] * 4)
    item = view.thumbnail_items()[2][5]
    np.testing.assert_array_equal(item.image, images[2][5])
    np.testing.assert_array_equal(item.getLevels(), levels)
    reference = pg.ImageItem(axisOrder="col-major")
    reference.setLookupTable(diverging_lut())
    reference.setImage(images[2][5], levels=levels, autoLevels=False)
    reference.render()
    item.render()
    ours = item.qimage.convertToFormat(QImage.Format.Format_RGB32)
    theirs = reference.qimage.convertToFormat(QImage.Format.Format_RGB32)
    assert ours.size() == theirs.size()
    assert ours == theirs


def test_nan_images_fall_back_to_pyqtgraph_and_still_draw(view: NetworkView) -> None:
    weights, images, levels = grid_state((2, 8, 8, 1))
    images[1][2, :, :] = 1.0
    images[1][2, :3, :] = np.nan  # a diverged unit: NaN pixels on the left
    view.update_state(weights, images, levels)
    rect = view.thumbnail_scene_rect(1, 2)
    right = pixel(view, view.scene_to_widget(QPointF(rect.right() - 3, rect.center().y())))
    assert distance(right, BLUE) < 12
    view.update_state(*grid_state((2, 8, 8, 1)))  # back to finite values: fast path again
    assert view.thumbnail_items()[1][2].rendered_pixels() is not None


def test_thumbnails_fill_their_squares_at_any_image_resolution(view: NetworkView) -> None:
    sizes = (2, 8, 8, 1)
    weights, _, levels = grid_state(sizes)
    for res in (RES, 31):
        images = [np.zeros((n, res, res + 5), dtype=np.float32) for n in sizes]
        view.update_state(weights, images, levels)
        for layer, column in enumerate(view.thumbnail_items()):
            for unit, item in enumerate(column):
                shown = item.mapRectToScene(item.boundingRect())
                expected = view.thumbnail_scene_rect(layer, unit)
                for a, b in ((shown.left(), expected.left()), (shown.top(), expected.top()),
                             (shown.width(), expected.width()),
                             (shown.height(), expected.height())):
                    assert a == pytest.approx(b, abs=1e-6)


def test_a_thumbnail_item_still_works_as_a_plain_image_item(view: NetworkView) -> None:
    item = view.thumbnail_items()[2][1]
    item.setImage(np.full((RES, RES), 5.0, dtype=np.float32), levels=(0.0, 1.0),
                  autoLevels=False)
    assert item.rendered_pixels() is None  # pyqtgraph colours it now
    centre = view.thumbnail_center_in_widget(2, 1)
    assert distance(pixel(view, centre), BLUE) < 12
    item.setLevels((10.0, 20.0))
    assert distance(pixel(view, centre), ORANGE) < 12


def test_link_colour_follows_sign_and_width_magnitude(view: NetworkView) -> None:
    weights, images, levels = grid_state((2, 8, 8, 1))
    weights = [np.clip(w, -1.0, 1.0) for w in weights]
    weights[1][:] = 0.1
    weights[1][2, 5] = 2.0
    weights[1][4, 1] = -1.0
    weights[1][6, 6] = 0.0
    view.update_state(weights, images, levels)
    assert view.link_weight(1, 2, 5) == 2.0
    assert view.link_weight(1, 4, 1) == -1.0
    strong, negative, weak = (view.link_pen(1, 2, 5), view.link_pen(1, 4, 1),
                              view.link_pen(1, 6, 6))
    blue_ish, orange_ish = strong.color(), negative.color()
    assert blue_ish.blue() > blue_ish.red()  # positive: blue
    assert orange_ish.red() > orange_ish.blue()  # negative: orange
    assert strong.widthF() == pytest.approx(6.0)  # the largest |weight| gets the widest
    assert weak.widthF() == pytest.approx(0.5)
    assert weak.widthF() < negative.widthF() < strong.widthF()
    # Small weights are paler (closer to white).
    assert distance(weak.color(), (255, 255, 255)) < distance(strong.color(), (255, 255, 255))


# ----------------------------------------------------------------------------- mouse


@pytest.mark.parametrize(("layer", "unit"), [(0, 1), (1, 0), (2, 7), (3, 0)])
def test_click_on_a_thumbnail_emits_unit_clicked(qtbot, view: NetworkView, layer: int,
                                                 unit: int) -> None:
    point = viewport_point(view, view.thumbnail_center_in_widget(layer, unit))
    with qtbot.waitSignal(view.unit_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [layer, unit]


def test_click_between_thumbnails_emits_nothing(qtbot, view: NetworkView) -> None:
    a, b = view.thumbnail_scene_rect(1, 0), view.thumbnail_scene_rect(2, 0)
    gap = view.scene_to_widget(QPointF((a.right() + b.left()) / 2, a.top() - 3))
    with qtbot.assertNotEmitted(view.unit_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_point(view, gap))


@pytest.mark.parametrize(("layer", "unit", "name"), [(1, 2, "h¹₃"), (3, 0, "ŷ"),
                                                     (0, 1, "x₂")])
def test_hovering_a_thumbnail_shows_an_enlarged_preview(qtbot, view: NetworkView, layer: int,
                                                        unit: int, name: str) -> None:
    assert not view.preview_item().isVisible()
    point = viewport_point(view, view.thumbnail_center_in_widget(layer, unit))
    qtbot.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: view.preview_item().isVisible(), timeout=1000)
    assert f"layer {layer}, unit {unit + 1}" in view.hover_text()
    assert view.hover_text().startswith(name)
    preview = view.preview_item()
    np.testing.assert_array_equal(preview.image, view.thumbnail_items()[layer][unit].image)
    shown = preview.mapRectToScene(preview.boundingRect())
    thumb = view.thumbnail_scene_rect(layer, unit)
    assert shown.width() > 2.5 * thumb.width()
    assert shown.height() == pytest.approx(shown.width())
    assert QRectF(0, 0, view.viewport().width(), view.viewport().height()).contains(shown)
    assert not shown.intersects(thumb)  # beside the thumbnail, not over it

    # Far from every thumbnail and link: the preview goes away.
    qtbot.mouseMove(view.viewport(), QPoint(3, view.viewport().height() - 3))
    qtbot.waitUntil(lambda: not view.preview_item().isVisible(), timeout=1000)
    assert view.hover_text() == ""


def test_hovering_a_link_shows_its_value(qtbot, view: NetworkView) -> None:
    weights, images, levels = grid_state((2, 8, 8, 1))
    weights[2][3, 0] = -0.84
    view.update_state(weights, images, levels)
    line = view.link_line(2, 3, 0)  # h²₄ → ŷ: the links into ŷ only meet at ŷ
    point = viewport_point(view, view.scene_to_widget(line.pointAt(0.4)))
    qtbot.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: view.hover_text() != "", timeout=1000)
    assert view.hover_text().splitlines() == ["θ⁽³⁾₄,₁ = −0.84", "h²₄ → ŷ"]
    assert not view.preview_item().isVisible()

    weights[2][3, 0] = 0.5  # the card follows the live value
    view.update_state(weights, images, levels)
    assert view.hover_text().startswith("θ⁽³⁾₄,₁ = 0.50")


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("change", "message"), [
    (lambda w, i, lv: (w[:2], i, lv), "expected 3 weight matrices"),
    (lambda w, i, lv: ([w[0].T, w[1], w[2]], i, lv),
     r"weights\[0\] has shape \(8, 2\), expected \(2, 8\)"),
    (lambda w, i, lv: ([w[0], w[1][:, :4], w[2]], i, lv),
     r"weights\[1\] has shape \(8, 4\), expected \(8, 8\)"),
    (lambda w, i, lv: (w, i[:3], lv), "expected 4 unit image stacks"),
    (lambda w, i, lv: (w, [i[0], i[1][:5], i[2], i[3]], lv),
     r"unit_images\[1\] has shape \(5, 12, 12\), expected \(8, H, W\)"),
    (lambda w, i, lv: (w, [i[0], i[1], i[2], i[3][0]], lv), r"unit_images\[3\]"),
    (lambda w, i, lv: (w, i, lv[:2]), "expected 4 \\(low, high\\) levels"),
    (lambda w, i, lv: (w, i, [lv[0], (0.0, 1.0, 2.0), lv[2], lv[3]]), r"levels\[1\]"),
])
def test_wrong_shapes_raise_a_clear_value_error(view: NetworkView, change, message) -> None:
    state = grid_state((2, 8, 8, 1))
    with pytest.raises(ValueError, match=message):
        view.update_state(*change(*state))


def test_update_before_architecture_and_bad_architecture_raise(qtbot) -> None:
    widget = NetworkView()
    qtbot.addWidget(widget)
    with pytest.raises(ValueError, match="before set_architecture"):
        widget.update_state(*grid_state((2, 1)))
    with pytest.raises(ValueError, match="layer_sizes"):
        widget.set_architecture((2,))
    with pytest.raises(ValueError, match="layer_sizes"):
        widget.set_architecture((2, 0, 1))
    with pytest.raises(ValueError, match="3 input names given for 2 inputs"):
        widget.set_architecture((2, 1), input_names=("a", "b", "c"))


# ----------------------------------------------------------------------------- layout


def assert_laid_out(view: NetworkView, sizes: tuple[int, ...]) -> None:
    """Square thumbnails inside the viewport, not overlapping, captions fully visible."""
    area = QRectF(0, 0, view.viewport().width(), view.viewport().height())
    rects = [view.thumbnail_scene_rect(layer, unit)
             for layer, n in enumerate(sizes) for unit in range(n)]
    for rect in rects:
        assert rect.width() == pytest.approx(rect.height())
        assert area.contains(rect), (rect, area)
    for a, b in zip(rects, rects[1:], strict=False):
        assert not a.intersects(b)
    metrics = QFontMetricsF(view.caption_font())
    for text, rect in view.captions():
        assert area.contains(rect), (text, rect)
        for line in text.splitlines():
            assert metrics.horizontalAdvance(line) <= rect.width(), (text, rect)
    # Neighbouring captions do not run into each other.
    spans = [(rect.center().x(), max(metrics.horizontalAdvance(line)
                                     for line in text.splitlines()))
             for text, rect in view.captions()]
    for (x_a, w_a), (x_b, w_b) in zip(spans, spans[1:], strict=False):
        assert x_a + w_a / 2 < x_b - w_b / 2


@pytest.mark.parametrize("sizes", [(2, 1), (2, 3, 1), (2, 8, 8, 1), (2, *[16] * 8, 1),
                                   (2, *[8] * 6, 1)])
def test_layout_fits_one_to_eight_hidden_layers(qtbot, sizes: tuple[int, ...]) -> None:
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_architecture(sizes, activation="relu")
    assert_laid_out(widget, sizes)


def test_resize_lays_out_again(qtbot, view: NetworkView) -> None:
    before = view.thumbnail_scene_rect(2, 7)
    view.resize(900, 500)
    qtbot.waitUntil(lambda: view.thumbnail_scene_rect(2, 7) != before, timeout=1000)
    assert view.thumbnail_scene_rect(2, 7).width() > before.width()
    assert_laid_out(view, (2, 8, 8, 1))
    # Links still start at the thumbnails' right edges.
    line = view.link_line(1, 0, 0)
    assert line.p1().x() == pytest.approx(view.thumbnail_scene_rect(1, 0).right())


def test_a_row_major_pixel_item_draws_as_pyqtgraph(qtbot) -> None:
    stack = np.random.default_rng(2).uniform(-1, 1, (3, 5, 7)).astype(np.float32)  # (n, H, W)
    item = PixelImageItem(diverging_lut(), "row-major")
    pixels = argb_images(stack, (-0.5, 0.8), item.argb_lut, col_major=False)
    assert pixels.shape == (3, 5, 7)
    item.show_image(stack[1], (-0.5, 0.8), pixels[1])
    assert item.swap_image(stack[2], np.array([-0.5, 0.8]))
    assert not item.swap_image(stack[2].T.copy(), np.array([-0.5, 0.8]))  # other shape
    item.show_image(stack[1], (-0.5, 0.8), pixels[1])
    reference = pg.ImageItem(axisOrder="row-major")
    reference.setLookupTable(diverging_lut())
    reference.setImage(stack[1], levels=(-0.5, 0.8), autoLevels=False)
    reference.render()
    item.render()
    assert item.qimage.width() == 7 and item.qimage.height() == 5
    assert item.qimage.convertToFormat(QImage.Format.Format_RGB32) == \
        reference.qimage.convertToFormat(QImage.Format.Format_RGB32)
    with pytest.raises(ValueError, match=r"shape \(5, 7\)"):
        item.show_image(stack[0], (-0.5, 0.8), np.ascontiguousarray(pixels[0].T))
