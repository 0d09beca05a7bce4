"""A gallery of misclassified test digits, updated live; click one to load it onto the
board.

One painted widget (see ``painting.py``): the thumbnails are QImages over one ARGB buffer
made once per image shape and refilled in place, drawn with crisp pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from gui.digits.painting import (
    FIRST,
    FRAME,
    HINT,
    PAPER,
    TEXT,
    PaintedView,
    TextStamps,
    ink_pixels,
    pixel_image,
    scaled_font,
)


class _GalleryLayout:
    """Where each thumbnail, caption and the "+N more" go, for one size and content."""

    GAP = 6
    MARGIN = 4

    def __init__(self, view: GalleryView, count: int, total: int, caption_w: int) -> None:
        small = QFontMetrics(view.caption_font())
        self.header = QRect(self.MARGIN, 2, view.width() - 2 * self.MARGIN, small.height())
        side_px = max(view.image_shape())
        caption_h = small.height()
        top = self.header.bottom() + 5
        room_w = view.width() - 2 * self.MARGIN + self.GAP
        room_h = view.height() - top - self.MARGIN + self.GAP
        need = count + (1 if total > count else 0)
        # Whole screen pixels per image pixel (crisp). The largest scale that shows them all;
        # below 4 (32 px for 8×8) fewer larger thumbnails and "+N more" read better, unless
        # not even two fit.
        for scale in range(8, 1, -1):
            side = scale * side_px
            cell_w = max(side, caption_w) + self.GAP
            cell_h = side + caption_h + self.GAP
            cols = max(1, room_w // cell_w)
            capacity = cols * max(0, room_h // cell_h)
            if capacity >= need or (scale <= 4 and capacity >= min(need, 2)):
                break
        self.side = side
        self.shown = count if capacity >= need else max(capacity - 1, 0)
        self.more = total - self.shown
        used_cols = max(1, min(cols, self.shown + (1 if self.more else 0)))
        left = self.MARGIN + max(0, (room_w - used_cols * cell_w) // 2)
        self.cells: list[QRect] = []  # image and caption, one per slot (+ the "+N more")
        self.images: list[QRect] = []
        for i in range(self.shown + (1 if self.more else 0)):
            row, col = divmod(i, cols)
            cell = QRect(left + col * cell_w, top + row * cell_h, cell_w - self.GAP,
                         cell_h - self.GAP)
            self.cells.append(cell)
            self.images.append(QRect(cell.left() + (cell.width() - side) // 2, cell.top(),
                                     side, side))


class GalleryView(PaintedView):
    """A gallery of misclassified test digits (click one to load it onto the board).

    ``show(images, true, predicted, keys)``: images (m, 8, 8) in [0, 1] (white ink on
    black, crisp pixels), each captioned "true → predicted"; up to ``max_shown`` (24) fit
    the widget, then "+N more". Hovering one enlarges it; clicking it emits
    ``picked(key)`` with the caller's key for that image (e.g. its test index).
    """

    picked = Signal(int)
    EMPTY_MESSAGE = "No mistakes on the test split"

    def __init__(self, parent: QWidget | None = None, max_shown: int = 24) -> None:
        super().__init__(parent)
        self._max = max(1, int(max_shown))
        self._shape = (8, 8)
        self._pixels = np.zeros((self._max, 8, 8), dtype=np.uint32)
        self._images = [pixel_image(self._pixels[i]) for i in range(self._max)]
        self._stored: tuple[NDArray[np.float32], NDArray[np.int64], NDArray[np.int64]] | None
        self._stored = None
        self._keys: tuple[int, ...] = ()
        self._names: tuple[str, ...] | None = None
        self._total = 0
        self._captions: list[str] = []
        self._message = ""
        self._hover = -1
        self._pressed = -1
        self._layout: _GalleryLayout | None = None
        self._layout_key: tuple[object, ...] = ()
        self._stamps: TextStamps | None = None
        self.setToolTip("Test digits the model gets wrong right now (never trained on), "
                        "captioned true → predicted, ŷ = argmax P(Y = k | x). They change as "
                        "gradient ascent trains. Click one to load it onto the drawing board.")
        self.clear()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(160, 120)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(220, 260)

    # -- data --------------------------------------------------------------------------

    def show(self, images: ArrayLike | None = None,
             true: ArrayLike | None = None, predicted: ArrayLike | None = None,
             keys: Sequence[int] | None = None, labels: Sequence[str] | None = None) -> None:
        """Show the misclassified images (m, H, W) with their true and predicted classes
        and a key each (what ``picked`` emits); ``labels`` names the classes (default:
        their numbers). ``show()`` without arguments makes the widget visible, as for any
        QWidget."""
        if images is None:
            super().show()
            return
        stack = np.asarray(images, dtype=np.float32)
        if stack.size == 0:
            self.clear()
            return
        if stack.ndim != 3:
            raise ValueError(f"images must be (m, H, W), got shape {stack.shape}")
        truth = np.asarray(true, dtype=np.int64).reshape(-1)
        guess = np.asarray(predicted, dtype=np.int64).reshape(-1)
        ids = tuple(int(k) for k in (keys if keys is not None else range(len(stack))))
        m = stack.shape[0]
        if not (len(truth) == len(guess) == len(ids) == m):
            raise ValueError(f"{m} images, {len(truth)} true, {len(guess)} predicted and "
                             f"{len(ids)} keys")
        names = None if labels is None else tuple(map(str, labels))
        n = min(m, self._max)
        stored = self._stored
        if (stored is not None and not self._message and m == self._total
                and names == self._names and ids[:n] == self._keys
                and np.array_equal(stack[:n], stored[0]) and np.array_equal(truth[:n], stored[1])
                and np.array_equal(guess[:n], stored[2])):
            return
        self._set_shape(int(stack.shape[1]), int(stack.shape[2]))
        self._stored = (stack[:n].copy(), truth[:n].copy(), guess[:n].copy())
        ink_pixels(stack[:n], self._pixels[:n])
        self._keys = ids[:n]
        self._names = names
        self._total = m
        self._captions = [f"{self._name(t)} → {self._name(p)}"
                          for t, p in zip(truth[:n], guess[:n], strict=True)]
        self._message = ""
        self.update()

    def clear(self, message: str = EMPTY_MESSAGE) -> None:
        """No thumbnails: the message instead."""
        self._stored = None
        self._keys = ()
        self._total = 0
        self._captions = []
        self._message = message
        self._hover = self._pressed = -1
        self.unsetCursor()
        self.update()

    def _name(self, k: int) -> str:
        names = self._names
        return names[k] if names is not None and 0 <= k < len(names) else str(k)

    def _set_shape(self, height: int, width: int) -> None:
        if (height, width) == self._shape:
            return
        self._shape = (height, width)
        self._pixels = np.zeros((self._max, height, width), dtype=np.uint32)
        self._images = [pixel_image(self._pixels[i]) for i in range(self._max)]

    # -- reading it back ---------------------------------------------------------------

    def image_shape(self) -> tuple[int, int]:
        """(H, W) of the images."""
        return self._shape

    def caption_font(self) -> QFont:
        """The captions' font."""
        return scaled_font(self.font(), 0.92)

    def _caption_stamps(self) -> TextStamps:
        font = self.caption_font()
        if self._stamps is None or self._stamps.font != font:
            self._stamps = TextStamps(font)
        return self._stamps

    def shown_count(self) -> int:
        """How many thumbnails fit and are drawn."""
        return self._current_layout().shown

    def more_text(self) -> str:
        """"+N more" when not every mistake is shown, else ""."""
        more = self._current_layout().more
        return f"+{more} more" if more else ""

    def header_text(self) -> str:
        """The line above the thumbnails, or the message when there is nothing to show."""
        if self._message:
            return self._message
        s = "" if self._total == 1 else "s"
        return f"{self._total} test mistake{s} (true → predicted)"

    def captions(self) -> list[str]:
        """The captions of the thumbnails shown ("7 → 1")."""
        return self._captions[: self.shown_count()]

    def keys(self) -> tuple[int, ...]:
        """The keys of the thumbnails shown."""
        return self._keys[: self.shown_count()]

    def thumbnail_rect(self, i: int) -> QRect:
        """Where thumbnail i is drawn, in widget coordinates."""
        return QRect(self._current_layout().images[i])

    # -- painting ----------------------------------------------------------------------

    def _current_layout(self) -> _GalleryLayout:
        stamps = self._caption_stamps()
        caption_w = int(max([stamps.width(c) for c in self._captions] + [10.0])) + 1
        key = (self.width(), self.height(), self.font().key(), self._shape,
               len(self._captions), self._total, caption_w)
        if self._layout is None or key != self._layout_key:
            self._layout = _GalleryLayout(self, len(self._captions), self._total, caption_w)
            self._layout_key = key
            if self._hover >= self._layout.shown:
                self._hover = -1
        return self._layout

    def paintEvent(self, ev: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        small = self.caption_font()
        if self._message:
            painter.setPen(HINT)
            painter.drawText(self.rect().adjusted(12, 8, -12, -8),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self._message)
            painter.end()
            return
        lay = self._current_layout()
        metrics = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(HINT)
        header = self.header_text()
        if metrics.horizontalAdvance(header) > lay.header.width():  # drop the explanation
            header = metrics.elidedText(header.split(" (")[0], Qt.TextElideMode.ElideRight,
                                        lay.header.width())
        left_v = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(lay.header, left_v, header)
        for i in range(lay.shown):
            painter.drawImage(lay.images[i], self._images[i])  # no smoothing: crisp pixels
        painter.setPen(QPen(FRAME, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects([image.adjusted(-1, -1, 0, 0) for image in lay.images[: lay.shown]])
        painter.setPen(TEXT)
        stamps = self._caption_stamps()
        for i in range(lay.shown):
            image, cell = lay.images[i], lay.cells[i]
            caption = QRect(cell.left() - 3, image.bottom() + 1, cell.width() + 6,
                            metrics.height())
            stamps.draw(painter, caption, self._captions[i], 0.5)
        if lay.more:
            painter.setPen(HINT)
            painter.drawText(lay.cells[lay.shown], int(Qt.AlignmentFlag.AlignCenter),
                             f"+{lay.more}\nmore")
        if 0 <= self._hover < lay.shown:
            self._paint_preview(painter, lay, self._hover)
        painter.end()

    def _paint_preview(self, painter: QPainter, lay: _GalleryLayout, i: int) -> None:
        """The hovered thumbnail outlined, and enlarged on a card beside it."""
        image = lay.images[i]
        painter.setPen(QPen(FIRST, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(image.adjusted(-2, -2, 1, 1))
        font = scaled_font(self.font(), 1.0, bold=True)
        metrics = QFontMetrics(font)
        height, width = self._shape
        truth, guess = self._stored[1][i], self._stored[2][i]  # type: ignore[index]
        title = f"true {self._name(int(truth))} → predicted {self._name(int(guess))}"
        pad = 5
        room = self.height() - 2 * pad - metrics.height() - 6
        scale = max(1, min(12, room // max(height, width),
                           max(2 * lay.side, 96) // max(height, width)))
        side_w, side_h = scale * width, scale * height
        card_w = max(side_w, metrics.horizontalAdvance(title)) + 2 * pad
        card_h = metrics.height() + 4 + side_h + 2 * pad
        x = image.right() + 8
        if x + card_w > self.width() - 2:
            x = image.left() - 8 - card_w
        x = max(2, x)
        y = int(np.clip(image.center().y() - card_h // 2, 2, max(self.height() - card_h - 2, 2)))
        card = QRect(x, y, card_w, card_h)
        painter.setPen(QPen(FRAME, 1))
        painter.setBrush(PAPER)
        painter.drawRoundedRect(card, 4, 4)
        painter.setFont(font)
        painter.setPen(TEXT)
        painter.drawText(QRect(x + pad, y + pad, card_w - 2 * pad, metrics.height()),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), title)
        target = QRect(x + (card_w - side_w) // 2, y + pad + metrics.height() + 4, side_w, side_h)
        painter.drawImage(target, self._images[i])

    # -- mouse -------------------------------------------------------------------------

    def index_at(self, pos: QPoint) -> int:
        """The thumbnail (image or caption) under a widget point, or -1."""
        if self._message:
            return -1
        lay = self._current_layout()
        for i in range(lay.shown):
            if lay.cells[i].contains(pos) or lay.images[i].contains(pos):
                return i
        return -1

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        index = self.index_at(ev.position().toPoint())
        if index != self._hover:
            self._hover = index
            if index >= 0:
                self.setCursor(Qt.CursorShape.PointingHandCursor)
            else:
                self.unsetCursor()
            self.update()
        super().mouseMoveEvent(ev)

    def leaveEvent(self, ev: QEvent) -> None:  # noqa: N802 (Qt override)
        if self._hover >= 0:
            self._hover = -1
            self.update()
        super().leaveEvent(ev)

    def mousePressEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if ev.button() == Qt.MouseButton.LeftButton:
            self._pressed = self.index_at(ev.position().toPoint())
        super().mousePressEvent(ev)

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if ev.button() == Qt.MouseButton.LeftButton:
            index = self.index_at(ev.position().toPoint())
            if index >= 0 and index == self._pressed:
                self.picked.emit(self._keys[index])
            self._pressed = -1
        super().mouseReleaseEvent(ev)

    def tooltip_at(self, pos: QPoint) -> str:
        index = self.index_at(pos)
        if index < 0:
            return self.toolTip()
        truth, guess = self._stored[1][index], self._stored[2][index]  # type: ignore[index]
        return (f"Test digit #{self._keys[index]}: truly “{self._name(int(truth))}”, the model "
                f"guesses “{self._name(int(guess))}”. Click to load it onto the board.")
