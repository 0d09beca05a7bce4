"""The network drawn as TensorFlow Playground draws it, updated live while training runs.

Inputs → hidden layers → output, left to right. Every unit is a thumbnail of its activation
over the plane; every weight is a link coloured by its sign (blue positive, orange negative,
the ends of the app's orange(0)–white(0.5)–blue(1) colormap) and thickened by its magnitude.
Hovering a thumbnail shows a larger preview, hovering a link shows θ⁽ˡ⁾ᵢ,ⱼ, clicking a
thumbnail emits ``unit_clicked(layer, unit)``.

Speed (redrawn up to 60 times a second): the graphics items (``gui.widgets.network_items``)
are created once per architecture. ``update_state`` colours each layer's images in one numpy
pass and hands the pixels to the thumbnails' ImageItems, and gives one array of link styles
to a single item that paints every link into a cached pixmap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen, QTransform
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.widgets.network_items import (
    BLUE,
    LINK_HIT_TOLERANCE,
    LINK_LEVELS,
    LINK_MAX_WIDTH,
    LINK_SPAN_MAX,
    LINK_SPAN_MIN,
    ORANGE,
    THUMB_MAX,
    THUMB_MIN,
    UNIT_GAP,
    WHITE,
    CardItem,
    DecorItem,
    DiagramCanvas,
    LinksItem,
    PixelImageItem,
    argb_images,
    diverging_lut,
    format_value,
    link_pens,
    subscript,
    superscript,
)

_DEFAULT_INPUT_NAMES: tuple[str, ...] = ("x₁", "x₂")


class NetworkView(QWidget):
    """The network as a diagram: unit thumbnails, weighted links, captions, hover and click.

    ``layer`` in this API is an index into ``layer_sizes`` (0 = inputs), ``unit`` a 0-based
    unit index; weight links are addressed by ``(layer, i, j)`` = ``weights[layer][i, j]``,
    from unit i of layer ``layer`` to unit j of layer ``layer + 1``. Shown to the student
    1-based, as in the lecture: θ⁽ˡ⁺¹⁾ᵢ₊₁,ⱼ₊₁ and h¹₁ … .
    """

    unit_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = DiagramCanvas(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._canvas)

        self._caption_font = QFont(self.font())
        self._caption_font.setPointSizeF(9.5)
        self._small_font = QFont(self.font())
        self._small_font.setPointSizeF(8.5)
        self._lut = diverging_lut()
        self._pens = link_pens()
        self._half_widths = np.array([pen.widthF() / 2 for pen in self._pens])

        self._sizes: tuple[int, ...] = ()
        self._input_names: tuple[str, ...] = ()
        self._activation = "sigmoid"
        self._thumbs: list[list[PixelImageItem]] = []
        self._image_shapes: list[tuple[int, int] | None] = []
        # Per layer: the thumbnails' ARGB32 pixels (units, H, W), refilled in place.
        self._pixel_buffers: list[NDArray[np.uint32] | None] = []
        self._levels: list[tuple[float, float]] = []
        self._offsets: list[int] = [0]  # first link index of each weight layer
        self._weights = np.zeros(0)
        self._style = np.zeros(0, dtype=np.intp)  # pen index of every link
        self._lines: list[QLineF] = []
        self._segments = np.zeros((0, 4))
        # Layout (scene px): thumbnail side, column left edges, column top edges, unit pitch.
        self._side = 0.0
        self._col_x: NDArray[np.float64] = np.zeros(0)
        self._col_y: NDArray[np.float64] = np.zeros(0)
        self._pitch = 0.0
        self._caption_rects: list[tuple[QRectF, str]] = []
        self._hover: tuple[str, int, int, int] | None = None
        self._pressed: tuple[int, int] | None = None

        self._links = LinksItem()
        self._links.setZValue(0)
        self._decor = DecorItem()
        self._decor.setZValue(2)
        self._card = CardItem(self._small_font)
        self._card.setZValue(10)
        self._card.setVisible(False)
        self._preview = PixelImageItem(self._lut)
        self._preview.setZValue(11)
        self._preview.setVisible(False)
        for item in (self._links, self._decor, self._card, self._preview):
            self._canvas.addItem(item)

        self._canvas.resized.connect(self._relayout)
        self._canvas.mouse_moved.connect(self._on_mouse_moved)
        self._canvas.mouse_pressed.connect(self._on_mouse_pressed)
        self._canvas.mouse_released.connect(self._on_mouse_released)
        self._canvas.mouse_left.connect(lambda: self._set_hover(None))

    # ----------------------------------------------------------------- public API

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, 350)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 120)

    def set_architecture(self, layer_sizes: Sequence[int],
                         input_names: Sequence[str] = _DEFAULT_INPUT_NAMES,
                         activation: str = "sigmoid") -> None:
        """Show a network of these layer sizes, e.g. (2, 8, 8, 1).

        Graphics items are rebuilt only when the sizes change; a new activation or new
        input names only change the captions.
        """
        sizes = tuple(int(n) for n in layer_sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer_sizes needs an input and an output layer of at least one "
                             f"unit each, got {tuple(layer_sizes)}")
        names = tuple(str(n) for n in input_names)
        if len(names) != sizes[0]:
            if input_names is not _DEFAULT_INPUT_NAMES:
                raise ValueError(f"{len(names)} input names given for {sizes[0]} inputs")
            names = tuple(f"x{subscript(i + 1)}" for i in range(sizes[0]))
        if sizes != self._sizes:
            self._rebuild(sizes)
        self._input_names = names
        self._activation = str(activation)
        self._relayout()

    def update_state(self, weights: Sequence[np.ndarray], unit_images: Sequence[np.ndarray],
                     levels: Sequence[tuple[float, float]]) -> None:
        """Show new weights, unit images (each layer's (units, H, W)) and colour ranges."""
        sizes = self._sizes
        if not sizes:
            raise ValueError("update_state called before set_architecture")
        n_layers = len(sizes)
        expected = f"for layer_sizes {sizes}"
        if len(weights) != n_layers - 1:
            raise ValueError(f"expected {n_layers - 1} weight matrices {expected}, "
                             f"got {len(weights)}")
        if len(unit_images) != n_layers:
            raise ValueError(f"expected {n_layers} unit image stacks (inputs, hidden layers "
                             f"and output) {expected}, got {len(unit_images)}")
        if len(levels) != n_layers:
            raise ValueError(f"expected {n_layers} (low, high) levels {expected}, "
                             f"got {len(levels)}")
        mats = []
        for layer, w in enumerate(weights):
            mat = np.asarray(w, dtype=np.float64)
            want = (sizes[layer], sizes[layer + 1])
            if mat.shape != want:
                raise ValueError(f"weights[{layer}] has shape {mat.shape}, expected {want} "
                                 f"{expected}")
            mats.append(mat.ravel())
        stacks = []
        for layer, img in enumerate(unit_images):
            stack = np.asarray(img)
            if stack.ndim != 3 or stack.shape[0] != sizes[layer] or min(stack.shape) < 1:
                raise ValueError(f"unit_images[{layer}] has shape {stack.shape}, expected "
                                 f"({sizes[layer]}, H, W) {expected}")
            stacks.append(np.ascontiguousarray(stack, dtype=np.float32))
        new_levels = []
        for layer, pair in enumerate(levels):
            values = np.asarray(pair, dtype=np.float64).ravel()
            if values.shape != (2,):
                raise ValueError(f"levels[{layer}] must be a (low, high) pair, got {pair!r}")
            new_levels.append(self._safe_levels(float(values[0]), float(values[1])))

        relayout = False
        for layer, stack in enumerate(stacks):
            shape = (int(stack.shape[1]), int(stack.shape[2]))
            if shape != self._image_shapes[layer]:
                self._image_shapes[layer] = shape
                relayout = True
            lv = new_levels[layer]
            column = self._thumbs[layer]
            if np.isnan(stack.min()):  # a diverged unit: pyqtgraph draws NaN transparent
                for unit, item in enumerate(column):
                    item.setImage(stack[unit], levels=lv, autoLevels=False)
                continue
            pixels = self._pixel_buffers[layer]
            if pixels is None or pixels.shape != (stack.shape[0], *shape[::-1]):
                pixels = np.empty((stack.shape[0], *shape[::-1]), dtype=np.uint32)
                self._pixel_buffers[layer] = pixels  # items bind it in show_image below
            argb_images(stack, lv, column[0].argb_lut, out=pixels)
            lv_array = np.array(lv)
            for unit, item in enumerate(column):
                if not item.swap_image(stack[unit], lv_array):
                    item.show_image(stack[unit], lv, pixels[unit])
        self._levels = new_levels
        self._weights = np.concatenate(mats) if mats else np.zeros(0)
        self._restyle_links()
        if relayout:
            self._place_thumbnails()
        self._refresh_hover()
        self._canvas.viewport().update()  # every thumbnail changed: one repaint for all

    def thumbnail_items(self) -> list[list[pg.ImageItem]]:
        """The ImageItem of every unit, per layer (inputs first)."""
        return [list(column) for column in self._thumbs]

    def link_count(self) -> int:
        """How many links (weights) are drawn."""
        return len(self._lines)

    def link_weight(self, layer: int, i: int, j: int) -> float:
        """The value shown for weights[layer][i, j]."""
        return float(self._weights[self._link_index(layer, i, j)])

    def link_pen(self, layer: int, i: int, j: int) -> QPen:
        """A copy of the pen the link weights[layer][i, j] is drawn with."""
        return QPen(self._pens[int(self._style[self._link_index(layer, i, j)])])

    def link_line(self, layer: int, i: int, j: int) -> QLineF:
        """The link's segment in scene coordinates."""
        return QLineF(self._lines[self._link_index(layer, i, j)])

    def thumbnail_scene_rect(self, layer: int, unit: int) -> QRectF:
        """The unit's thumbnail in scene coordinates."""
        self._check_unit(layer, unit)
        return QRectF(self._col_x[layer], self._col_y[layer] + unit * self._pitch,
                      self._side, self._side)

    def thumbnail_center_in_widget(self, layer: int, unit: int) -> QPoint:
        """The centre of the unit's thumbnail in this widget's coordinates."""
        return self.scene_to_widget(self.thumbnail_scene_rect(layer, unit).center())

    def scene_to_widget(self, point: QPointF) -> QPoint:
        """A scene point in this widget's coordinates."""
        return self.viewport().mapTo(self, self._canvas.mapFromScene(point))

    def viewport(self) -> QWidget:
        """The widget that receives the mouse (send test clicks and moves here)."""
        return self._canvas.viewport()

    def graphics_view(self) -> pg.GraphicsView:
        """The pyqtgraph view everything is drawn in."""
        return self._canvas

    def captions(self) -> list[tuple[str, QRectF]]:
        """Each layer's caption and the scene rectangle it is drawn in (inputs first)."""
        return [(text, QRectF(rect)) for rect, text in self._caption_rects]

    def caption_font(self) -> QFont:
        """The font of the layer captions."""
        return QFont(self._caption_font)

    def hover_text(self) -> str:
        """The text of the floating card (link value or unit name), "" when none shows."""
        return self._card.text() if self._card.isVisible() else ""

    def preview_item(self) -> pg.ImageItem:
        """The enlarged image shown while a thumbnail is hovered."""
        return self._preview

    # ----------------------------------------------------------------- building

    def _rebuild(self, sizes: tuple[int, ...]) -> None:
        """New thumbnails and link arrays for a new architecture."""
        self._set_hover(None)
        self._pressed = None
        for column in self._thumbs:
            for item in column:
                self._canvas.removeItem(item)
        self._sizes = sizes
        self._thumbs = []
        for n in sizes:
            column = []
            for _ in range(n):
                item = PixelImageItem(self._lut)
                item.setZValue(1)
                self._canvas.addItem(item)
                column.append(item)
            self._thumbs.append(column)
        self._image_shapes = [None] * len(sizes)
        self._pixel_buffers = [None] * len(sizes)
        self._levels = [(0.0, 1.0)] * len(sizes)
        counts = [a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        self._pens = link_pens(max(counts))
        self._half_widths = np.array([pen.widthF() / 2 for pen in self._pens])
        self._offsets = [0, *np.cumsum(counts).tolist()]
        n_links = self._offsets[-1]
        self._weights = np.zeros(n_links)
        self._style = np.zeros(n_links, dtype=np.intp)
        self._lines = [QLineF() for _ in range(n_links)]
        self._segments = np.zeros((n_links, 4))
        self._restyle_links(force=True)

    @staticmethod
    def _safe_levels(low: float, high: float) -> tuple[float, float]:
        """Levels the image can be drawn with (NaN or empty ranges would break the colours)."""
        if not (np.isfinite(low) and np.isfinite(high)):
            return (0.0, 1.0)
        if high <= low:
            pad = 1e-6 * max(1.0, abs(low))
            return (low - pad, low + pad) if high == low else (high, low)
        return (low, high)

    def _restyle_links(self, force: bool = False) -> None:
        """Pen of every link from the weights; groups handed to the links item if changed."""
        w = self._weights
        if w.size == 0:
            self._links.set_groups([])
            return
        mags = np.abs(w)
        mags[~np.isfinite(mags)] = 0.0
        top = float(mags.max())
        if top > 0.0:
            level = np.rint(mags * ((LINK_LEVELS - 1) / top)).astype(np.intp)
        else:
            level = np.zeros(w.size, dtype=np.intp)
        style = 2 * level + (w < 0)
        if not force and np.array_equal(style, self._style):
            return  # every link keeps its pen: nothing to repaint
        self._style = style
        order = np.argsort(self._style, kind="stable")
        keys = self._style[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]).tolist()
        ends = [*starts[1:], int(keys.size)]
        order_list = order.tolist()
        lines = self._lines
        groups = [(self._pens[int(keys[s])], [lines[k] for k in order_list[s:e]])
                  for s, e in zip(starts, ends, strict=True)]
        self._links.set_groups(groups)

    # ----------------------------------------------------------------- layout

    def _captions(self, mode: int) -> list[str]:
        """Layer captions: 0 one line "h¹ (8, tanh)", 1 two lines, 2 just "h¹"."""
        out = []
        last = len(self._sizes) - 1
        for layer, n in enumerate(self._sizes):
            if layer == 0:
                out.append("x")
            elif layer == last:
                out.append("ŷ")
            else:
                name = f"h{superscript(layer)}"
                detail = f"{n}, {self._activation}"
                out.append((f"{name} ({detail})", f"{name}\n{detail}", name)[mode])
        return out

    def _relayout(self) -> None:
        """Place everything for the current viewport size."""
        if not self._sizes:
            return
        vp = self._canvas.viewport()
        width, height = float(vp.width()), float(vp.height())
        sizes = self._sizes
        n_cols = len(sizes)
        most = max(sizes)
        caption_metrics = QFontMetricsF(self._caption_font)
        small_metrics = QFontMetricsF(self._small_font)
        line_h = caption_metrics.height()
        names_w = max(small_metrics.horizontalAdvance(s) for s in self._input_names) + 8
        left, right, bottom = 6.0 + names_w, 8.0, 6.0
        avail_w = max(width - left - right, 1.0)

        chosen = None
        for mode in (0, 1, 2):
            top = 6.0 + line_h * (2 if mode == 1 else 1) + 6.0
            avail_h = max(height - top - bottom, 1.0)
            side_v = avail_h / (most + (most - 1) * UNIT_GAP)
            side_h = avail_w / (n_cols + (n_cols - 1) * LINK_SPAN_MIN)
            side = float(np.clip(min(side_v, side_h), THUMB_MIN, THUMB_MAX))
            col_pitch = (avail_w - side) / (n_cols - 1) if n_cols > 1 else 0.0
            col_pitch = min(col_pitch, side * (1.0 + LINK_SPAN_MAX))
            captions = self._captions(mode)
            widest = max(caption_metrics.boundingRect(
                QRectF(0, 0, 1000, 1000), int(Qt.AlignmentFlag.AlignHCenter), c).width()
                for c in captions)
            chosen = (mode, top, avail_h, side, col_pitch, captions)
            if n_cols == 1 or widest <= col_pitch - 14:  # a clear gap between captions
                break
        assert chosen is not None
        mode, top, avail_h, side, col_pitch, captions = chosen

        total_w = side + (n_cols - 1) * col_pitch
        x0 = left + (avail_w - total_w) / 2
        self._side = side
        self._pitch = side * (1.0 + UNIT_GAP)
        self._col_x = x0 + col_pitch * np.arange(n_cols, dtype=np.float64)
        heights = np.array([n * side + (n - 1) * side * UNIT_GAP for n in sizes])
        self._col_y = top + (avail_h - heights) / 2

        texts: list[tuple[QRectF, int, str, QFont, QColor]] = []
        self._caption_rects = []
        caption_h = line_h * (2 if mode == 1 else 1)
        caption_y = float(self._col_y.min()) - 6.0 - caption_h  # just above the tallest column
        cap_w = max(col_pitch, side + 12)
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        for layer, caption in enumerate(captions):
            cx = self._col_x[layer] + side / 2
            x = float(np.clip(cx - cap_w / 2, 2.0, max(width - cap_w - 2.0, 2.0)))
            rect = QRectF(x, caption_y, cap_w, caption_h)
            self._caption_rects.append((rect, caption))
            texts.append((rect, flags, caption, self._caption_font, QColor(40, 40, 40)))
        name_flags = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for unit, name in enumerate(self._input_names):
            y = self._col_y[0] + unit * self._pitch
            texts.append((QRectF(self._col_x[0] - names_w - 2, y, names_w - 2, side),
                          name_flags, name, self._small_font, QColor(70, 70, 70)))
        frames = [self.thumbnail_scene_rect(layer, unit)
                  for layer, n in enumerate(sizes) for unit in range(n)]
        self._decor.set_content(QRectF(0, 0, width, height), frames, texts)

        self._place_links()
        self._place_thumbnails()
        self._refresh_hover()

    def _place_links(self) -> None:
        """Link segments from each unit's right edge to the next units' left edges."""
        segments = []
        side = self._side
        for layer in range(len(self._sizes) - 1):
            n_in, n_out = self._sizes[layer], self._sizes[layer + 1]
            y_in = self._col_y[layer] + np.arange(n_in) * self._pitch + side / 2
            y_out = self._col_y[layer + 1] + np.arange(n_out) * self._pitch + side / 2
            seg = np.empty((n_in * n_out, 4))
            seg[:, 0] = self._col_x[layer] + side
            seg[:, 1] = np.repeat(y_in, n_out)
            seg[:, 2] = self._col_x[layer + 1]
            seg[:, 3] = np.tile(y_out, n_in)
            segments.append(seg)
        self._segments = np.concatenate(segments) if segments else np.zeros((0, 4))
        for line, (ax, ay, bx, by) in zip(self._lines, self._segments.tolist(), strict=True):
            line.setLine(ax, ay, bx, by)
        pad = LINK_MAX_WIDTH + 2.0  # the widest stroke and the hover highlight
        if self._segments.shape[0]:
            xs, ys = self._segments[:, 0::2], self._segments[:, 1::2]
            bounds = QRectF(QPointF(xs.min() - pad, ys.min() - pad),
                            QPointF(xs.max() + pad, ys.max() + pad))
        else:
            bounds = QRectF()
        self._links.set_bounds(bounds)  # as small as possible: it is the cache pixmap's size
        self._links.update()  # the groups hold these very QLineF objects

    def _place_thumbnails(self) -> None:
        """Scale each ImageItem onto its thumbnail square, x₂ (column index) pointing up."""
        for layer, column in enumerate(self._thumbs):
            shape = self._image_shapes[layer] or (1, 1)
            for unit, item in enumerate(column):
                rect = self.thumbnail_scene_rect(layer, unit)
                item.setTransform(self._image_transform(rect, shape))

    @staticmethod
    def _image_transform(rect: QRectF, shape: tuple[int, int]) -> QTransform:
        """Image pixel (i, j) → rect, i to the right and j upwards."""
        return QTransform(rect.width() / shape[0], 0.0, 0.0, -rect.height() / shape[1],
                          rect.left(), rect.bottom())

    # ----------------------------------------------------------------- hit testing

    def _link_index(self, layer: int, i: int, j: int) -> int:
        if not 0 <= layer < len(self._sizes) - 1:
            raise IndexError(f"no weight layer {layer} in {self._sizes}")
        if not (0 <= i < self._sizes[layer] and 0 <= j < self._sizes[layer + 1]):
            raise IndexError(f"no link ({layer}, {i}, {j}) in {self._sizes}")
        return self._offsets[layer] + i * self._sizes[layer + 1] + j

    def _link_address(self, index: int) -> tuple[int, int, int]:
        layer = int(np.searchsorted(self._offsets, index, side="right")) - 1
        i, j = divmod(index - self._offsets[layer], self._sizes[layer + 1])
        return layer, i, j

    def _check_unit(self, layer: int, unit: int) -> None:
        if not (0 <= layer < len(self._sizes) and 0 <= unit < self._sizes[layer]):
            raise IndexError(f"no unit ({layer}, {unit}) in {self._sizes}")

    def _unit_at(self, pos: QPointF) -> tuple[int, int] | None:
        """The (layer, unit) whose thumbnail contains the scene point."""
        if not self._sizes:
            return None
        x, y = pos.x(), pos.y()
        layer = int(np.searchsorted(self._col_x, x, side="right")) - 1
        if layer < 0 or x > self._col_x[layer] + self._side:
            return None
        rel = y - self._col_y[layer]
        unit = int(rel // self._pitch) if rel >= 0 else -1
        if 0 <= unit < self._sizes[layer] and rel - unit * self._pitch <= self._side:
            return layer, unit
        return None

    def _link_at(self, pos: QPointF) -> int | None:
        """The link whose stroke is nearest the scene point, within a few pixels."""
        seg = self._segments
        if seg.shape[0] == 0:
            return None
        p = np.array([pos.x(), pos.y()])
        a, ab = seg[:, :2], seg[:, 2:] - seg[:, :2]
        t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12),
                    0.0, 1.0)
        dist = np.hypot(*(a + t[:, None] * ab - p).T)
        score = dist - self._half_widths[self._style]
        best = int(np.argmin(score))
        return best if score[best] <= LINK_HIT_TOLERANCE else None

    # ----------------------------------------------------------------- mouse

    def _on_mouse_moved(self, pos: QPointF) -> None:
        unit = self._unit_at(pos)
        if unit is not None:
            self._set_hover(("unit", unit[0], unit[1], 0), pos)
            return
        if self._preview.isVisible() and self._card.sceneBoundingRect().contains(pos):
            return  # over the preview card: keep it
        link = self._link_at(pos)
        self._set_hover(("link", link, 0, 0) if link is not None else None, pos)

    def _on_mouse_pressed(self, pos: QPointF, button: int) -> None:
        left = button == Qt.MouseButton.LeftButton.value
        self._pressed = self._unit_at(pos) if left else None

    def _on_mouse_released(self, pos: QPointF, button: int) -> None:
        pressed, self._pressed = self._pressed, None
        if pressed is not None and button == Qt.MouseButton.LeftButton.value \
                and self._unit_at(pos) == pressed:
            self.unit_clicked.emit(*pressed)

    def _set_hover(self, hover: tuple[str, int, int, int] | None,
                   pos: QPointF | None = None) -> None:
        """Show the preview for a unit, the value card for a link, or nothing."""
        if hover == self._hover:
            if hover is not None and hover[0] == "link" and pos is not None:
                self._place_card_near(pos)
            return
        self._hover = hover
        self._refresh_hover(pos)

    def _refresh_hover(self, pos: QPointF | None = None) -> None:
        """Redraw the hover feedback (after a move, a new state or a re-layout)."""
        hover = self._hover
        if hover is None or not self._sizes:
            self._card.setVisible(False)
            self._preview.setVisible(False)
            self._decor.set_hovered(None)
            self._links.set_highlight(None)
            return
        if hover[0] == "unit":
            self._show_preview(hover[1], hover[2])
            return
        index = hover[1]
        layer, i, j = self._link_address(index)
        self._decor.set_hovered(None)
        self._preview.setVisible(False)
        text = (f"θ⁽{superscript(layer + 1)}⁾{subscript(i + 1)},{subscript(j + 1)} = "
                f"{format_value(float(self._weights[index]))}\n"
                f"{self._unit_name(layer, i)} → {self._unit_name(layer + 1, j)}")
        self._card.set_content(text)
        pen = QPen(self._pens[int(self._style[index])])
        color = pen.color()
        color.setAlpha(255)
        pen.setColor(color)
        pen.setWidthF(max(pen.widthF(), 2.0))
        self._links.set_highlight((pen, self._lines[index]))
        if pos is not None or not self._card.isVisible():
            self._place_card_near(pos if pos is not None else self._lines[index].center())
        self._card.setVisible(True)

    def _place_card_near(self, pos: QPointF) -> None:
        """Put the value card beside the pointer, inside the view."""
        rect = self._card.boundingRect()
        vp = self._canvas.viewport()
        x = pos.x() + 14
        if x + rect.width() > vp.width() - 2:
            x = pos.x() - 14 - rect.width()
        y = float(np.clip(pos.y() + 14, 2, max(vp.height() - rect.height() - 2, 2)))
        self._card.setPos(max(x, 2.0), y)

    def _show_preview(self, layer: int, unit: int) -> None:
        """Enlarged image of the unit beside its thumbnail, titled with its name."""
        item = self._thumbs[layer][unit]
        thumb = self.thumbnail_scene_rect(layer, unit)
        self._decor.set_hovered(thumb)
        self._links.set_highlight(None)
        vp = self._canvas.viewport()
        side = float(np.clip(3 * self._side, 110, 170))
        side = min(side, max(vp.height() - 50.0, 40.0))
        title = f"{self._unit_name(layer, unit)}  ·  layer {layer}, unit {unit + 1}"
        image_rect = self._card.set_content(title, QSizeF(side, side))
        card = self._card.boundingRect()
        x = thumb.right() + 10
        if x + card.width() > vp.width() - 2:
            x = thumb.left() - 10 - card.width()
        y = float(np.clip(thumb.center().y() - card.height() / 2, 2,
                          max(vp.height() - card.height() - 2, 2)))
        self._card.setPos(max(x, 2.0), y)
        self._card.setVisible(True)
        image_rect.translate(self._card.pos())
        if item.image is not None:
            self._preview.show_image(item.image, self._levels[layer], item.rendered_pixels())
            shape = (int(item.image.shape[0]), int(item.image.shape[1]))
            self._preview.setTransform(self._image_transform(image_rect, shape))
            self._preview.setVisible(True)
        else:
            self._preview.setVisible(False)

    def _unit_name(self, layer: int, unit: int) -> str:
        """x₁, h¹₃, ŷ … as in the lecture."""
        if layer == 0:
            return self._input_names[unit]
        if layer == len(self._sizes) - 1:
            return "ŷ" if self._sizes[layer] == 1 else f"ŷ{subscript(unit + 1)}"
        return f"h{superscript(layer)}{subscript(unit + 1)}"


__all__ = ["BLUE", "ORANGE", "WHITE", "NetworkView", "diverging_lut", "format_value", "subscript",
           "superscript"]
