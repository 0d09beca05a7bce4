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


def test_a_small_network_keeps_one_column_per_layer(qtbot) -> None:
    # The 2D playground's look: every layer one column of equal squares, input names on
    # the left, links from each thumbnail's right edge to the next thumbnails' left edges.
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.show()
    qtbot.waitExposed(widget)
    sizes = (2, 8, 1)
    widget.set_architecture(sizes, activation="tanh")
    widget.update_state(*grid_state(sizes))
    assert [len(column) for column in widget.thumbnail_items()] == [2, 8, 1]
    side = widget.thumbnail_scene_rect(0, 0).width()
    assert side >= 20
    for layer, n in enumerate(sizes):
        rects = [widget.thumbnail_scene_rect(layer, unit) for unit in range(n)]
        assert {r.left() for r in rects} == {rects[0].left()}
        assert all(r.width() == pytest.approx(side) for r in rects)
        for a, b in zip(rects, rects[1:], strict=False):
            assert b.top() - a.top() == pytest.approx(1.25 * side)
        assert widget.layer_scene_rect(layer).height() == pytest.approx(
            rects[-1].bottom() - rects[0].top())
    for i in range(2):
        for j in range(8):
            line = widget.link_line(0, i, j)
            assert line.p1() == widget.thumbnail_scene_rect(0, i).center() + QPointF(side / 2, 0)
            assert line.p2() == widget.thumbnail_scene_rect(1, j).center() - QPointF(side / 2, 0)
            assert widget.link_drawn(0, i, j)
    assert widget.link_count() == 2 * 8 + 8
    assert [text for text, _ in widget.captions()] == ["x", "h¹ (8, tanh)", "ŷ"]
    assert_laid_out(widget, sizes)


# ----------------------------------------------------------------------------- image input

DIGIT_SIZES = (64, 32, 10)


def digit_state(seed: int = 0, picture: np.ndarray | None = None
                ) -> tuple[list[np.ndarray], list[np.ndarray], list[tuple[float, float]]]:
    """A 64-32-10 network's weights, the input picture (1, 8, 8) and 8x8 receptive fields."""
    rng = np.random.default_rng(seed)
    w1, w2 = rng.normal(0.0, 1.0, (64, 32)), rng.normal(0.0, 1.0, (32, 10))
    if picture is None:
        picture = rng.uniform(0.0, 1.0, (8, 8))
    fields = np.tanh(w1.T).reshape(32, 8, 8)
    outputs = np.tanh(w1 @ w2 / 8.0).T.reshape(10, 8, 8)
    images = [np.asarray(picture, dtype=np.float32)[None], fields.astype(np.float32),
              outputs.astype(np.float32)]
    return [w1, w2], images, [(0.0, 1.0), (-1.0, 1.0), (-1.0, 1.0)]


@pytest.fixture
def digits(qtbot) -> NetworkView:
    """A shown 600x350 NetworkView of a 64-32-10 network in image-input mode, y down."""
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.set_architecture(DIGIT_SIZES, activation="tanh", input_shape=(8, 8), y_up=False)
    widget.show()
    qtbot.waitExposed(widget)
    widget.update_state(*digit_state())
    return widget


def test_image_input_is_one_picture_with_row_0_at_the_top(digits: NetworkView) -> None:
    rng = np.random.default_rng(7)
    picture = (rng.uniform(size=(8, 8)) > 0.5).astype(np.float32)
    picture[0, 0], picture[0, 7], picture[7, 0] = 1.0, 0.0, 0.0  # not symmetric
    digits.update_state(*digit_state(picture=picture))

    items = digits.thumbnail_items()
    assert [len(column) for column in items] == [1, 32, 10]  # one picture, not 64 thumbnails
    np.testing.assert_array_equal(items[0][0].image, picture)
    area = digits.layer_scene_rect(0)
    assert area.width() == pytest.approx(area.height())
    assert area.width() >= 100  # a picture, not a thumbnail
    cell = digits.thumbnail_scene_rect(0, 0)  # input 0 = image[0, 0]: the top-left pixel
    assert cell.topLeft() == area.topLeft()
    assert cell.width() == pytest.approx(area.width() / 8)
    assert digits.thumbnail_scene_rect(0, 7).topRight() == area.topRight()  # image[0, 7]
    assert digits.thumbnail_scene_rect(0, 56).bottomLeft() == area.bottomLeft()  # image[7, 0]

    image = digits.grab().toImage()
    ratio = image.devicePixelRatio()
    for unit in range(64):
        point = digits.thumbnail_center_in_widget(0, unit)
        shown = image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))
        expected = BLUE if picture.ravel()[unit] == 1.0 else ORANGE
        assert distance(shown, expected) < 12, (unit, shown.getRgb())
    top_left = pixel(digits, digits.scene_to_widget(area.topLeft() + QPointF(2, 2)))
    assert distance(top_left, BLUE) < 12  # image[0, 0] = 1: blue at the top-left corner


def test_image_thumbnails_with_y_down_show_row_0_at_the_top(digits: NetworkView) -> None:
    weights, images, levels = digit_state()
    images[1][4] = -1.0
    images[1][4, 0, :] = 1.0  # h¹₅: row 0 high, the rest low
    digits.update_state(weights, images, levels)
    rect = digits.thumbnail_scene_rect(1, 4)
    inset = rect.height() / 16
    top = pixel(digits, digits.scene_to_widget(QPointF(rect.center().x(), rect.top() + inset)))
    bottom = pixel(digits, digits.scene_to_widget(QPointF(rect.center().x(),
                                                          rect.bottom() - inset)))
    assert distance(top, BLUE) < 12, top.getRgb()
    assert distance(bottom, ORANGE) < 12, bottom.getRgb()


def test_a_picture_with_y_up_has_x_to_the_right_and_y_upwards(qtbot) -> None:
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(600, 350)
    widget.set_architecture((12, 3, 1), input_shape=(4, 3))  # 4 x-values, 3 y-values
    widget.show()
    qtbot.waitExposed(widget)
    picture = np.zeros((1, 4, 3), dtype=np.float32)
    picture[0, 0, 2] = 1.0  # smallest x, largest y: the top-left pixel
    rng = np.random.default_rng(0)
    widget.update_state([rng.normal(size=(12, 3)), rng.normal(size=(3, 1))],
                        [picture, np.zeros((3, 5, 5), np.float32),
                         np.zeros((1, 5, 5), np.float32)], [(0.0, 1.0)] * 3)
    area = widget.layer_scene_rect(0)
    assert area.width() / area.height() == pytest.approx(4 / 3)
    assert widget.thumbnail_scene_rect(0, 2).topLeft() == area.topLeft()  # input 2 = [0, 2]
    assert distance(pixel(widget, widget.thumbnail_center_in_widget(0, 2)), BLUE) < 12
    assert distance(pixel(widget, widget.thumbnail_center_in_widget(0, 0)), ORANGE) < 12


def test_big_layers_keep_readable_thumbnails(digits: NetworkView) -> None:
    area = QRectF(0, 0, digits.viewport().width(), digits.viewport().height())
    for layer, n in enumerate(DIGIT_SIZES[1:], start=1):
        rects = [digits.thumbnail_scene_rect(layer, unit) for unit in range(n)]
        for k, rect in enumerate(rects):
            assert rect.width() >= 24, rect  # 32 units in 350 px: not a few pixels
            assert rect.width() == pytest.approx(rect.height())
            assert area.contains(rect)
            assert not any(rect.intersects(other) for other in rects[k + 1:])
        assert digits.layer_scene_rect(layer).contains(rects[-1])
    picture = digits.layer_scene_rect(0)
    hidden, output = digits.layer_scene_rect(1), digits.layer_scene_rect(2)
    assert picture.right() < hidden.left() and hidden.right() < output.left()
    metrics = QFontMetricsF(digits.caption_font())
    spans = [(rect.center().x(), metrics.horizontalAdvance(text.splitlines()[0]))
             for text, rect in digits.captions()]
    for (x_a, w_a), (x_b, w_b) in zip(spans, spans[1:], strict=False):
        assert x_a + w_a / 2 < x_b - w_b / 2


@pytest.mark.parametrize(("layer", "unit"), [(1, 0), (1, 13), (1, 31), (2, 0), (2, 9),
                                             (0, 0), (0, 63)])
def test_click_on_a_unit_of_a_big_network(qtbot, digits: NetworkView, layer: int,
                                          unit: int) -> None:
    point = viewport_point(digits, digits.thumbnail_center_in_widget(layer, unit))
    with qtbot.waitSignal(digits.unit_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(digits.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [layer, unit]


def test_click_between_wrapped_thumbnails_emits_nothing(qtbot, digits: NetworkView) -> None:
    a, b = digits.thumbnail_scene_rect(1, 0), digits.thumbnail_scene_rect(1, 1)
    assert b.left() == a.left()  # 0 and 1 share a sub-column
    gap = digits.scene_to_widget(QPointF(a.center().x(), (a.bottom() + b.top()) / 2))
    with qtbot.assertNotEmitted(digits.unit_clicked):
        qtbot.mouseClick(digits.viewport(), Qt.MouseButton.LeftButton,
                         pos=viewport_point(digits, gap))


def test_hovering_a_wrapped_unit_and_an_input_pixel(qtbot, digits: NetworkView) -> None:
    point = viewport_point(digits, digits.thumbnail_center_in_widget(1, 20))
    qtbot.mouseMove(digits.viewport(), point)
    qtbot.waitUntil(lambda: digits.preview_item().isVisible(), timeout=1000)
    assert digits.hover_text().startswith("h¹₂₁  ·  layer 1, unit 21")
    preview = digits.preview_item()
    np.testing.assert_array_equal(preview.image, digits.thumbnail_items()[1][20].image)
    shown = preview.mapRectToScene(preview.boundingRect())
    assert not shown.intersects(digits.thumbnail_scene_rect(1, 20))

    weights, images, levels = digit_state()
    point = viewport_point(digits, digits.thumbnail_center_in_widget(0, 10))  # row 2, col 3
    qtbot.mouseMove(digits.viewport(), point)
    qtbot.waitUntil(lambda: digits.hover_text().startswith("x₁₁"), timeout=1000)
    value = float(images[0][0, 1, 2])
    assert digits.hover_text().splitlines() == [
        "x₁₁  ·  layer 0, unit 11", f"pixel row 2, column 3 = {value:.2f}"]
    assert not digits.preview_item().isVisible()


def test_only_the_strongest_links_leave_the_picture(digits: NetworkView) -> None:
    weights, _, _ = digit_state()
    per_unit = 192 // 32
    assert digits.link_count() == per_unit * 32 + 32 * 10
    for j in (0, 17, 31):
        drawn = {i for i in range(64) if digits.link_drawn(0, i, j)}
        assert drawn == set(np.argsort(-np.abs(weights[0][:, j]))[:per_unit].tolist())
        hidden = next(i for i in range(64) if i not in drawn)
        assert digits.link_pen(0, hidden, j).style() == Qt.PenStyle.NoPen
        assert digits.link_weight(0, hidden, j) == pytest.approx(weights[0][hidden, j])
    assert all(digits.link_drawn(1, i, j) for i in range(32) for j in range(10))
    # Links leave the picture at its right edge.
    line = digits.link_line(0, int(np.argmax(np.abs(weights[0][:, 5]))), 5)
    assert line.p1().x() == pytest.approx(digits.layer_scene_rect(0).right())


def test_hovering_a_link_out_of_the_picture(qtbot, digits: NetworkView) -> None:
    weights, images, levels = digit_state()
    weights[0] *= 0.01  # thin links: none is nearer the pointer than the wide one
    weights[0][27, 3] = -3.0  # x₂₈ → h¹₄ is drawn, the strongest link of all
    digits.update_state(weights, images, levels)
    line = digits.link_line(0, 27, 3)
    point = viewport_point(digits, digits.scene_to_widget(line.pointAt(0.3)))
    qtbot.mouseMove(digits.viewport(), point)
    qtbot.waitUntil(lambda: digits.hover_text() != "", timeout=1000)
    assert digits.hover_text().splitlines() == ["θ⁽¹⁾₂₈,₄ = −3.00", "x₂₈ → h¹₄"]


def test_switching_between_the_modes_rebuilds_the_items(qtbot, digits: NetworkView) -> None:
    digits.set_architecture(DIGIT_SIZES, activation="tanh")  # 64 input thumbnails
    assert [len(column) for column in digits.thumbnail_items()] == [64, 32, 10]
    assert digits.link_count() == 64 * 32 + 32 * 10
    weights, images, levels = digit_state()
    images[0] = np.zeros((64, 8, 8), dtype=np.float32)
    digits.update_state(weights, images, levels)
    digits.set_architecture((2, 8, 8, 1))
    digits.update_state(*grid_state((2, 8, 8, 1)))
    assert [len(column) for column in digits.thumbnail_items()] == [2, 8, 8, 1]
    assert_laid_out(digits, (2, 8, 8, 1))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"input_shape": (8, 7)}, r"input_shape \(8, 7\) does not hold 64 inputs"),
    ({"input_shape": (0, 64)}, "does not hold"),
])
def test_bad_input_shape_raises(qtbot, kwargs, message) -> None:
    widget = NetworkView()
    qtbot.addWidget(widget)
    with pytest.raises(ValueError, match=message):
        widget.set_architecture(DIGIT_SIZES, **kwargs)


def test_image_mode_wants_the_input_picture(digits: NetworkView) -> None:
    weights, images, levels = digit_state()
    images[0] = np.zeros((64, 8, 8), dtype=np.float32)
    with pytest.raises(ValueError, match=r"unit_images\[0\] has shape \(64, 8, 8\), expected "
                                         r"\(1, 8, 8\) \(the input picture\)"):
        digits.update_state(weights, images, levels)


def test_y_down_colouring_matches_pyqtgraph_and_fills_the_squares(digits: NetworkView) -> None:
    weights, images, levels = digit_state(seed=4)  # a second state: the lean path
    images[1] = np.random.default_rng(1).uniform(-1, 1, (32, 6, 9)).astype(np.float32)
    digits.update_state(weights, images, levels)
    digits.update_state(digit_state(seed=5)[0], images, levels)  # new weights, same images
    item = digits.thumbnail_items()[1][7]
    np.testing.assert_array_equal(item.image, images[1][7])
    assert item.rendered_pixels() is not None
    reference = pg.ImageItem(axisOrder="row-major")
    reference.setLookupTable(diverging_lut())
    reference.setImage(images[1][7], levels=levels[1], autoLevels=False)
    reference.render()
    item.render()
    assert item.qimage.size().width() == 9 and item.qimage.size().height() == 6
    assert item.qimage.convertToFormat(QImage.Format.Format_RGB32) == \
        reference.qimage.convertToFormat(QImage.Format.Format_RGB32)
    for layer, column in enumerate(digits.thumbnail_items()):
        for index, shown_item in enumerate(column):
            shown = shown_item.mapRectToScene(shown_item.boundingRect())
            expected = (digits.layer_scene_rect(0) if layer == 0
                        else digits.thumbnail_scene_rect(layer, index))
            for a, b in ((shown.left(), expected.left()), (shown.top(), expected.top()),
                         (shown.width(), expected.width()),
                         (shown.height(), expected.height())):
                assert a == pytest.approx(b, abs=1e-6)
