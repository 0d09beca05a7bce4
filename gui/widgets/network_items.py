"""Graphics pieces of the network diagram (``NetworkView``): colours, pens and items.

Speed (the diagram is redrawn up to 60 times a second): ``NetworkView`` colours each
layer's images in one numpy pass (``argb_images``) and hands the pixels to the thumbnails'
ImageItems (``PixelImageItem``); ``LinksItem`` paints every link, grouped by pen (one
``drawLines`` per pen), into a cached pixmap that is redrawn only when some link changes
pen. ``DecorItem`` (frames, captions, names) and ``CardItem`` (hover card) are static
between re-layouts. Nothing here knows about the network's meaning: the items only take
arrays, rectangles and texts.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QStyleOptionGraphicsItem,
    QWidget,
)

ORANGE = (245, 147, 34)
WHITE = (255, 255, 255)
BLUE = (8, 119, 189)

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def diverging_lut(n: int = 256) -> NDArray[np.uint8]:
    """Lookup table orange(0) – white(0.5) – blue(1), shape (n, 3), uint8."""
    t = np.linspace(0.0, 1.0, int(n))[:, None]
    lo, mid, hi = (np.asarray(c, dtype=np.float64) for c in (ORANGE, WHITE, BLUE))
    lut = np.where(t < 0.5, lo + (mid - lo) * (t / 0.5), mid + (hi - mid) * ((t - 0.5) / 0.5))
    return np.ascontiguousarray(np.rint(lut).astype(np.uint8))


def superscript(n: int) -> str:
    """``12`` → ``¹²``."""
    return str(int(n)).translate(_SUP)


def subscript(n: int) -> str:
    """``12`` → ``₁₂``."""
    return str(int(n)).translate(_SUB)


def format_value(value: float) -> str:
    """A weight as a student reads it: two decimals and a true minus sign."""
    text = f"{value:.2f}" if abs(value) < 1000 else f"{value:.3g}"
    return text.replace("-", "−")


def argb_images(stack: NDArray[np.float32], levels: tuple[float, float],
                argb_lut: NDArray[np.uint32], out: NDArray[np.uint32] | None = None,
                col_major: bool = True) -> NDArray[np.uint32]:
    """Colour a stack of images at once: ARGB32, shape (n, H, W).

    The images are col-major (n, W, H), or row-major (n, H, W) if ``col_major`` is False.
    Values are scaled to the table size and truncated, as pyqtgraph does; NaN must have
    been ruled out by the caller. ``out`` (C-contiguous, uint32) receives the pixels.
    """
    low, high = levels
    n = argb_lut.shape[0]
    rows_first = stack.transpose(0, 2, 1) if col_major else stack
    scaled = np.subtract(rows_first, np.float32(low), order="C")
    scaled *= np.float32(n / ((high - low) or 1.0))
    np.clip(scaled, 0, n - 1, out=scaled)
    return np.take(argb_lut, scaled.astype(np.intp), out=out, mode="clip")


class PixelImageItem(pg.ImageItem):
    """An ImageItem that draws ARGB pixels its owner keeps current (a whole layer at once).

    pyqtgraph colours each image on its own and rebuilds a Qt colour table from the lookup
    table at every render (about 0.15 ms per image), and ``setImage`` costs about 20 µs of
    bookkeeping; 51 thumbnails at 60 frames a second cannot afford either. ``NetworkView``
    colours each layer in one numpy pass (``argb_images``) into a buffer that lives as long
    as the image shape. ``show_image`` sets an image the pyqtgraph way and binds the item to
    its slice of the buffer (a QImage over that memory); afterwards ``swap_image`` only
    replaces the float image and levels while the owner refills the buffer in place.
    Anything else (NaN, or a direct ``setImage``/``setLevels``/``setLookupTable``) goes
    through pyqtgraph unchanged. Image, levels and lookup table stay those of a plain
    ImageItem (tests compare the pixels with pyqtgraph's). The canvas is raster-painted, so
    Qt reads the memory at every paint (no texture cache to go stale).
    """

    def __init__(self, lut: NDArray[np.uint8], axis_order: str = "col-major") -> None:
        self._pixels: NDArray[np.uint32] | None = None  # (H, W) ARGB32 being shown
        self._pixels_image: QImage | None = None  # a QImage over that memory
        self._pixels_rect = QRectF()
        super().__init__(axisOrder=axis_order)
        self.setLookupTable(lut)
        rgb = lut.astype(np.uint32)
        self.argb_lut = (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
                         ).astype(np.uint32)

    def _drop_pixels(self) -> None:
        self._pixels = None
        self._pixels_image = None

    def setImage(self, image: np.ndarray | None = None, autoLevels: bool | None = None,  # noqa: N802, N803
                 **kwargs: object) -> None:
        """As ImageItem.setImage (pyqtgraph colours the image again)."""
        self._drop_pixels()
        super().setImage(image, autoLevels, **kwargs)

    def setLevels(self, levels: object, update: bool = True) -> None:  # noqa: N802
        """As ImageItem.setLevels (pyqtgraph colours the image again)."""
        self._drop_pixels()
        super().setLevels(levels, update)

    def setLookupTable(self, lut: object, update: bool = True) -> None:  # noqa: N802
        """As ImageItem.setLookupTable (pyqtgraph colours the image again)."""
        self._drop_pixels()
        super().setLookupTable(lut, update)

    def pixel_shape(self, image_shape: tuple[int, ...]) -> tuple[int, int]:
        """(H, W) of the pixels of an image of this shape ((W, H) col-major, else (H, W))."""
        a, b = int(image_shape[0]), int(image_shape[1])
        return (b, a) if self.axisOrder == "col-major" else (a, b)

    def show_image(self, image: NDArray[np.float32], levels: tuple[float, float],
                   pixels: NDArray[np.uint32] | None) -> None:
        """Show an image with these levels, drawn as ``pixels`` (H, W) if given.

        The image is (W, H) for a col-major item (the default), (H, W) for a row-major one.
        ``pixels`` must be C-contiguous ARGB32 and stay alive: the item draws that memory.
        """
        self.setImage(image, levels=levels, autoLevels=False)
        if pixels is None:
            return
        want = self.pixel_shape(image.shape)
        if pixels.shape != want or pixels.dtype != np.uint32 or not pixels.flags.c_contiguous:
            raise ValueError(f"pixels must be C-contiguous uint32 of shape {want}")
        height, width = pixels.shape
        qimage = QImage(pixels.view(np.uint8).data, width, height, pixels.strides[0],
                        QImage.Format.Format_RGB32)
        self._pixels = pixels
        self._pixels_image = qimage
        self._pixels_rect = QRectF(0.0, 0.0, float(width), float(height))
        self.qimage = qimage
        self._renderRequired = False
        self._unrenderable = False

    def swap_image(self, image: NDArray[np.float32], levels: NDArray[np.float64]) -> bool:
        """Replace the image and levels, keeping the bound pixels (refilled by the owner).

        What ``setImage`` does for a same-shape image with explicit levels, without a
        repaint request (the owner repaints once for all thumbnails). False, and nothing
        changed, if no pixels of that shape are bound: call ``show_image`` instead.
        """
        pixels = self._pixels
        if pixels is None or pixels.shape != self.pixel_shape(image.shape):
            return False
        self.image = image
        self._imageHasNans = None
        self._imageNanLocations = None
        self.levels = levels
        return True

    def rendered_pixels(self) -> NDArray[np.uint32] | None:
        """The ARGB pixels drawn for the current image, if bound by show_image."""
        return self._pixels

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        """As ImageItem.boundingRect, without its Python cost while pixels are bound."""
        if self._pixels is None:
            return super().boundingRect()
        return self._pixels_rect

    def render(self) -> None:
        """Use the given pixels, or let pyqtgraph colour the image."""
        image = self._pixels_image
        if image is None:
            super().render()
            return
        self.qimage = image
        self._renderRequired = False
        self._unrenderable = False

    def paint(self, painter: QPainter, *args: object) -> None:
        """As ImageItem.paint for bound pixels, minus the bookkeeping."""
        image = self._pixels_image
        if image is None or self.paintMode is not None or self.border is not None:
            super().paint(painter, *args)
            return
        painter.drawImage(self._pixels_rect, image)


class DecorItem(QGraphicsObject):
    """Thumbnail frames, layer captions and input names: static between re-layouts."""

    def __init__(self) -> None:
        super().__init__()
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._rect = QRectF()
        self._frames: list[QRectF] = []
        self._texts: list[tuple[QRectF, int, str, QFont, QColor]] = []
        self._hovered: QRectF | None = None
        self._frame_pen = QPen(QColor(170, 170, 170), 1.0)
        self._hover_pen = QPen(QColor(40, 40, 40), 2.0)
        self._selected_pen = QPen(QColor(20, 110, 200), 2.5)
        self._selected: QRectF | None = None
        self._value_frames: list[tuple[QRectF, QColor]] = []

    def set_content(self, rect: QRectF, frames: list[QRectF],
                    texts: list[tuple[QRectF, int, str, QFont, QColor]]) -> None:
        """Frames around thumbnails and (rect, alignment flags, text, font, colour) texts."""
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self._frames = frames
        self._texts = texts
        self.update()

    def set_value_frames(self, frames: list[tuple[QRectF, QColor]]) -> None:
        """Thick coloured frames around some thumbnails (a unit's value for one input)."""
        self._value_frames = frames
        self.update()

    def set_selected(self, rect: QRectF | None) -> None:
        """A blue frame around the unit the workbench shows (e.g. on the plane), or None."""
        if rect == self._selected:
            return
        self._selected = rect
        self.update()

    def set_hovered(self, rect: QRectF | None) -> None:
        """The thumbnail frame drawn darker, or None."""
        if rect == self._hovered:
            return
        self._hovered = rect
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._frame_pen)
        painter.drawRects([r.adjusted(-0.5, -0.5, 0.5, 0.5) for r in self._frames])
        for rect, colour in self._value_frames:
            # 3 px, 2.5 px out; thinner and closer around small thumbnails, so that the
            # frames of neighbours (a quarter side apart) never overlap
            room = min(rect.width(), rect.height()) / 8.0
            width = min(max(room, 1.0), 3.0)
            out = min(max(room - width / 2, width / 2), 2.5)
            painter.setPen(QPen(colour, width))
            painter.drawRect(rect.adjusted(-out, -out, out, out))
        for rect, flags, text, font, color in self._texts:
            painter.setFont(font)
            painter.setPen(color)
            painter.drawText(rect, flags, text)
        if self._selected is not None:
            painter.setPen(self._selected_pen)
            painter.drawRect(self._selected.adjusted(-3, -3, 3, 3))
        if self._hovered is not None:
            painter.setPen(self._hover_pen)
            painter.drawRect(self._hovered.adjusted(-1, -1, 1, 1))


class CardItem(QGraphicsObject):
    """A small floating card: a text and optionally room below it for an image."""

    PAD = 5.0

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self._font = font
        self._text = ""
        self._text_rect = QRectF()
        self._rect = QRectF()

    def set_content(self, text: str, extra: QSizeF | None = None) -> QRectF:
        """Set the text (and the room for an image); returns the area left for the image."""
        extra = extra or QSizeF(0, 0)
        metrics = QFontMetricsF(self._font)
        text_rect = metrics.boundingRect(QRectF(0, 0, 1000, 1000),
                                         int(Qt.AlignmentFlag.AlignLeft), text)
        width = max(text_rect.width(), extra.width()) + 2 * self.PAD
        gap = self.PAD if extra.height() > 0 else 0.0
        height = text_rect.height() + gap + extra.height() + 2 * self.PAD
        self.prepareGeometryChange()
        self._text = text
        self._text_rect = QRectF(self.PAD, self.PAD, width - 2 * self.PAD, text_rect.height())
        self._rect = QRectF(0, 0, width, height)
        self.update()
        return QRectF(self.PAD + (width - 2 * self.PAD - extra.width()) / 2,
                      self._text_rect.bottom() + gap, extra.width(), extra.height())

    def text(self) -> str:
        """The text shown."""
        return self._text

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor(120, 120, 120), 1.0))
        painter.setBrush(QColor(255, 255, 255, 240))
        painter.drawRoundedRect(self._rect, 4, 4)
        painter.setFont(self._font)
        painter.setPen(QColor(30, 30, 30))
        painter.drawText(self._text_rect, int(Qt.AlignmentFlag.AlignLeft), self._text)


class DiagramCanvas(pg.GraphicsView):
    """The pyqtgraph view (scene coordinates = viewport pixels) reporting mouse and size."""

    resized = Signal()
    mouse_moved = Signal(QPointF)
    mouse_pressed = Signal(QPointF, int)
    mouse_released = Signal(QPointF, int)
    mouse_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        # Raster painting: thumbnails are QImages over numpy memory refilled in place.
        super().__init__(parent, useOpenGL=False, background="w")
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _scene_pos(self, ev: QMouseEvent) -> QPointF:
        return self.mapToScene(ev.position().toPoint())

    def resizeEvent(self, ev: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(ev)
        self.resized.emit()

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseMoveEvent(ev)
        self.mouse_moved.emit(self._scene_pos(ev))

    def mousePressEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mousePressEvent(ev)
        self.mouse_pressed.emit(self._scene_pos(ev), int(ev.button().value))

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(ev)
        self.mouse_released.emit(self._scene_pos(ev), int(ev.button().value))

    def leaveEvent(self, ev: object) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(ev)
        self.mouse_left.emit()



def image_transform(rect: QRectF, shape: tuple[int, int], y_up: bool) -> QTransform:
    """The transform that draws an image of this shape onto ``rect``.

    y_up (col-major (W, H) image): pixel (i, j) with i to the right and j upwards; else
    (row-major (H, W) image): pixel (r, c) with row 0 at the top.
    """
    if y_up:
        return QTransform(rect.width() / shape[0], 0.0, 0.0, -rect.height() / shape[1],
                          rect.left(), rect.bottom())
    return QTransform(rect.width() / shape[1], 0.0, 0.0, rect.height() / shape[0],
                      rect.left(), rect.top())


class HoverCard:
    """The diagram's floating card: a text, or a title over an enlarged image (the preview),
    placed next to what is hovered and kept inside the view."""

    def __init__(self, canvas: DiagramCanvas, font: QFont, lut: NDArray[np.uint8]) -> None:
        self._canvas = canvas
        self._lut = lut
        self.card = CardItem(font)
        self.card.setZValue(10)
        self.card.setVisible(False)
        canvas.addItem(self.card)
        self.preview = self._new_preview("col-major")

    def _new_preview(self, axis_order: str) -> PixelImageItem:
        preview = PixelImageItem(self._lut, axis_order)
        preview.setZValue(11)
        preview.setVisible(False)
        self._canvas.addItem(preview)
        return preview

    def set_axis_order(self, axis_order: str) -> None:
        """The previews' image layout ("col-major" or "row-major", as the thumbnails')."""
        if self.preview.axisOrder != axis_order:
            self._canvas.removeItem(self.preview)
            self.preview = self._new_preview(axis_order)

    def text(self) -> str:
        """The text shown, "" when hidden."""
        return self.card.text() if self.card.isVisible() else ""

    def hide(self) -> None:
        self.card.setVisible(False)
        self.preview.setVisible(False)

    def over_preview(self, pos: QPointF) -> bool:
        """Whether the scene point is on a shown preview card."""
        return self.preview.isVisible() and self.card.sceneBoundingRect().contains(pos)

    def show_text_near(self, text: str, pos: QPointF | None, fallback: QPointF) -> None:
        """A text card beside the pointer (``pos``; if None, stay or go to ``fallback``)."""
        self.preview.setVisible(False)
        self.card.set_content(text)
        if pos is not None or not self.card.isVisible():
            self.follow(pos if pos is not None else fallback)
        self.card.setVisible(True)

    def follow(self, pos: QPointF) -> None:
        """Put the card beside the pointer, inside the view."""
        rect = self.card.boundingRect()
        vp = self._canvas.viewport()
        x = pos.x() + 14
        if x + rect.width() > vp.width() - 2:
            x = pos.x() - 14 - rect.width()
        y = float(np.clip(pos.y() + 14, 2, max(vp.height() - rect.height() - 2, 2)))
        self.card.setPos(max(x, 2.0), y)

    def show_text_beside(self, text: str, anchor: QRectF) -> None:
        """A text card right of the anchor (left if no room), without preview."""
        self.preview.setVisible(False)
        self.card.set_content(text)
        self._place_beside(anchor)

    def show_preview_beside(self, title: str, anchor: QRectF, item: PixelImageItem,
                            levels: tuple[float, float], side: float, y_up: bool) -> None:
        """The item's image enlarged to ``side`` under a title, beside the anchor."""
        vp = self._canvas.viewport()
        side = min(side, max(vp.height() - 50.0, 40.0))
        image_rect = self.card.set_content(title, QSizeF(side, side))
        self._place_beside(anchor)
        image_rect.translate(self.card.pos())
        if item.image is None:
            self.preview.setVisible(False)
            return
        self.preview.show_image(item.image, levels, item.rendered_pixels())
        shape = (int(item.image.shape[0]), int(item.image.shape[1]))
        self.preview.setTransform(image_transform(image_rect, shape, y_up))
        self.preview.setVisible(True)

    def _place_beside(self, anchor: QRectF) -> None:
        card = self.card.boundingRect()
        vp = self._canvas.viewport()
        x = anchor.right() + 10
        if x + card.width() > vp.width() - 2:
            x = anchor.left() - 10 - card.width()
        y = float(np.clip(anchor.center().y() - card.height() / 2, 2,
                          max(vp.height() - card.height() - 2, 2)))
        self.card.setPos(max(x, 2.0), y)
        self.card.setVisible(True)
