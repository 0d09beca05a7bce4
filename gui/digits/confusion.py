"""The confusion matrix on the test split, updated live while training runs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QEvent, QLine, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from gui.digits.painting import (
    FRAME,
    HINT,
    PAPER,
    TEXT,
    PaintedView,
    TextStamps,
    pixel_image,
    scaled_font,
)
from gui.style import BLUE, ORANGE


def cell_colours(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """RGB (K, K, 3) of each cell: its share of its row, white → blue on the diagonal
    (correct), white → orange off it (mistakes; any mistake is tinted, the square root
    makes a few visible), white when empty."""
    k = matrix.shape[0]
    totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
    diagonal = np.eye(k, dtype=bool)
    strength = np.where(diagonal, share, 0.18 + 0.82 * np.sqrt(share))
    strength[matrix <= 0] = 0.0
    base = np.where(diagonal[..., None], np.asarray(BLUE, float), np.asarray(ORANGE, float))
    return 255.0 + (base - 255.0) * strength[..., None]


class _ConfusionLayout:
    """Fonts, stamps and geometry for one size, font and set of labels."""

    MARGIN = 4

    def __init__(self, view: QWidget, k: int, labels: tuple[str, ...]) -> None:
        base = view.font()
        self.bold = TextStamps(scaled_font(base, 1.0, bold=True))
        self.small = TextStamps(scaled_font(base, 0.92))
        self.bold_metrics = QFontMetrics(self.bold.font)
        small_h = QFontMetrics(self.small.font).height()
        width, height, margin = view.width(), view.height(), self.MARGIN
        self.width, self.height = width, height
        self.title = QRect(margin, 2, width - 2 * margin, self.bold_metrics.height())
        self.head_top = self.title.bottom() + 3
        label_w = max([self.bold_metrics.horizontalAdvance(t) for t in labels] + [6]) + 6
        head = self.head_top + 2 * small_h + 2  # title, "predicted", column labels
        side = small_h + 2 + label_w  # "true" (rotated), row labels
        k = max(k, 1)
        cell = max(1, min((width - side - 2 * margin) // k, (height - head - margin) // k))
        self.left = side + max(margin, (width - side - cell * k) // 2)
        self.top, self.cell, self.size = head, cell, cell * k
        self.axis_x = self.left - label_w - small_h - 2
        self.row_labels_x = self.axis_x + small_h
        self.column_labels_top = self.head_top + small_h
        self.small_h = small_h
        count = QFont(base)
        count.setPixelSize(int(np.clip(cell * 0.5, 8, 14)))
        self.counts_fit = QFontMetrics(count).height() <= cell + 3
        self.count = TextStamps(count)
        count.setBold(True)
        self.count_bold = TextStamps(count)
        self.labels = labels
        self.short_labels = [self.bold_metrics.elidedText(t, Qt.TextElideMode.ElideRight, cell)
                             for t in labels]
        self.frame: QPixmap | None = None  # axis names and class labels, drawn once
        self.lines = ([QLine(self.left + i * cell, head, self.left + i * cell, head + self.size - 1)
                       for i in range(1, k)]
                      + [QLine(self.left, head + i * cell, self.left + self.size - 1,
                               head + i * cell) for i in range(1, k)])

    def frame_pixmap(self, ratio: float) -> QPixmap:
        """The axis names ("predicted", "true") and class labels on a transparent pixmap."""
        if self.frame is not None and self.frame.devicePixelRatio() == ratio:
            return self.frame
        self.frame = QPixmap(QSize(self.width, self.height) * ratio)
        self.frame.setDevicePixelRatio(ratio)
        self.frame.fill(Qt.GlobalColor.transparent)
        painter = QPainter(self.frame)
        left, top, cell, size = self.left, self.top, self.cell, self.size
        painter.setPen(HINT)
        self.small.draw(painter, QRect(left, self.head_top, size, self.small_h), "predicted", 0.5)
        painter.save()
        painter.translate(self.axis_x + self.small_h, top + size / 2)
        painter.rotate(-90)
        self.small.draw(painter, QRectF(-size / 2, -self.small_h, size, self.small_h), "true",
                        0.5)
        painter.restore()
        painter.setPen(TEXT)
        for i, name in enumerate(self.labels):
            self.bold.draw(painter, QRect(left + i * cell, self.column_labels_top, cell,
                                          self.small_h + 2), self.short_labels[i], 0.5)
            self.bold.draw(painter, QRect(self.row_labels_x, top + i * cell,
                                          left - self.row_labels_x - 4, cell), name, 1.0)
        painter.end()
        return self.frame


class ConfusionView(PaintedView):
    """A confusion matrix on the test split that updates live.

    ``show(matrix, labels)``: counts (K, K), rows = true class, columns = predicted. Each
    cell is coloured by its share of its row (diagonal blue, mistakes orange, empty white),
    with its count when it fits; the title gives the test accuracy (trace / sum). Clicking a
    cell emits ``cell_clicked(true, predicted)``.
    """

    cell_clicked = Signal(int, int)
    EMPTY_MESSAGE = "No test data: hold out a test split to see the confusion matrix"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix = np.zeros((0, 0))
        self._labels: tuple[str, ...] = ()
        self._message = ""
        self._title = self._count = ""
        self._hover: tuple[int, int] | None = None
        self._pressed: tuple[int, int] | None = None
        self._cache: QPixmap | None = None
        self._layout: _ConfusionLayout | None = None
        self._layout_key: tuple[object, ...] = ()
        self._cells = np.zeros((0, 0), dtype=np.uint32)  # the cells' colours, ARGB
        self.setToolTip("Confusion matrix on the test split (digits never trained on): row = "
                        "true class y, column = the model's guess ŷ = argmax P(Y = k | x). "
                        "Diagonal (blue) = correct, off the diagonal (orange) = mistakes; a "
                        "cell's colour is its share of its row. Click a cell to pick those "
                        "test digits.")
        self.clear()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(190, 200)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(280, 300)

    # -- data --------------------------------------------------------------------------

    def show(self, matrix: ArrayLike | None = None,
             labels: Sequence[str] | None = None) -> None:
        """Show the counts (K, K): rows = true class, columns = predicted class.

        An empty matrix (no test data, or all zeros) shows a message. ``show()`` without
        arguments makes the widget visible, as for any QWidget.
        """
        if matrix is None:
            super().show()
            return
        counts = np.asarray(matrix, dtype=np.float64)
        if counts.size == 0:
            counts = np.zeros((0, 0))
        if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
            raise ValueError(f"a confusion matrix is square, got shape {counts.shape}")
        names = tuple(map(str, labels if labels is not None else range(counts.shape[0])))
        if len(names) != counts.shape[0]:
            raise ValueError(f"{len(names)} labels for a {counts.shape[0]}-class matrix")
        if (not self._message and names == self._labels
                and counts.shape == self._matrix.shape and np.array_equal(counts, self._matrix)):
            return
        total = float(counts.sum()) if np.isfinite(counts).all() else 0.0
        if total <= 0:
            self._labels = names
            self.clear()
            return
        self._matrix = counts.copy()
        self._labels = names
        self._message = ""
        correct = float(np.trace(counts))
        self._title = f"Test accuracy {100.0 * correct / total:.1f} %"
        self._count = f"{correct:,.0f} of {total:,.0f} correct"
        if self._hover is not None and max(self._hover) >= counts.shape[0]:
            self._hover = None
        self._cache = None
        self.update()

    def clear(self, message: str = EMPTY_MESSAGE) -> None:
        """No matrix: the message instead."""
        self._matrix = np.zeros((0, 0))
        self._message = message
        self._title = "Test accuracy —"
        self._count = ""
        self._hover = None
        self._cache = None
        self.update()

    # -- reading it back ---------------------------------------------------------------

    def accuracy_text(self) -> str:
        """The title line ("Test accuracy 94.3 %"), without the count beside it."""
        return self._title

    def count_text(self) -> str:
        """The count beside the title ("425 of 450 correct"), "" without a matrix."""
        return self._count

    def message(self) -> str:
        """The message shown instead of a matrix ("" when a matrix is shown)."""
        return self._message

    def cell_rect(self, true: int, predicted: int) -> QRect:
        """Where cell (true, predicted) is drawn, in widget coordinates."""
        lay = self._current_layout()
        return QRect(lay.left + predicted * lay.cell, lay.top + true * lay.cell, lay.cell,
                     lay.cell)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """The (true, predicted) cell under a widget point, or None."""
        k = self._matrix.shape[0]
        if k == 0:
            return None
        lay = self._current_layout()
        col = (pos.x() - lay.left) // lay.cell if pos.x() >= lay.left else -1
        row = (pos.y() - lay.top) // lay.cell if pos.y() >= lay.top else -1
        if 0 <= row < k and 0 <= col < k:
            return int(row), int(col)
        return None

    # -- geometry and painting ---------------------------------------------------------

    def _current_layout(self) -> _ConfusionLayout:
        key = (self.width(), self.height(), self.font().key(), self._labels)
        if self._layout is None or key != self._layout_key:
            self._layout = _ConfusionLayout(self, len(self._labels), self._labels)
            self._layout_key = key
            self._cache = None
        return self._layout

    def paintEvent(self, ev: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        lay = self._current_layout()
        ratio = self.devicePixelRatioF()
        if self._cache is None or self._cache.devicePixelRatio() != ratio:
            self._cache = QPixmap(self.size() * ratio)
            self._cache.setDevicePixelRatio(ratio)
            cache_painter = QPainter(self._cache)
            self._paint_static(cache_painter, lay)
            cache_painter.end()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._cache)
        if self._hover is not None:
            rect = self.cell_rect(*self._hover)
            painter.setPen(QPen(TEXT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_static(self, painter: QPainter, lay: _ConfusionLayout) -> None:
        painter.fillRect(self.rect(), PAPER)
        painter.setPen(TEXT)
        title = lay.bold_metrics.elidedText(self._title, Qt.TextElideMode.ElideRight,
                                            lay.title.width())
        title_w = lay.bold.draw(painter, lay.title, title) + lay.small.width("   ")
        if self._count and title_w + lay.small.width(self._count) <= lay.title.width():
            painter.setPen(HINT)  # the count only where it fits
            lay.small.draw(painter, lay.title.adjusted(int(title_w), 0, 0, 0), self._count)
        k = self._matrix.shape[0]
        if k == 0:
            painter.setFont(self.font())
            painter.setPen(HINT)
            area = self.rect().adjusted(12, lay.title.bottom() + 6, -12, -8)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self._message)
            return
        left, top, cell, size = lay.left, lay.top, lay.cell, lay.size
        painter.drawPixmap(0, 0, lay.frame_pixmap(self.devicePixelRatioF()))
        # cells: one image of K×K colours drawn with crisp pixels, then the counts
        colours = cell_colours(self._matrix)
        rgb = np.rint(colours).astype(np.uint32)
        self._cells = np.ascontiguousarray(
            np.uint32(0xFF000000) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])
        painter.drawImage(QRect(left, top, size, size), pixel_image(self._cells))
        if lay.counts_fit:
            counts = np.rint(self._matrix).astype(np.int64)
            dark = (colours @ np.array([0.299, 0.587, 0.114]) < 150).tolist()
            rows, cols = np.nonzero(counts | np.eye(k, dtype=np.int64))
            for i, j, n in zip(rows.tolist(), cols.tolist(), counts[rows, cols].tolist(),
                               strict=True):
                text, stamps = str(n), lay.count_bold if i == j else lay.count
                if stamps.width(text) > cell - 2:
                    continue
                painter.setPen(PAPER if dark[i][j] else HINT if n == 0 else TEXT)
                stamps.draw(painter, QRect(left + j * cell, top + i * cell, cell, cell), text,
                            0.5)
        painter.setPen(QPen(QColor(222, 224, 229), 1))
        painter.drawLines(lay.lines)
        painter.setPen(QPen(FRAME, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRect(left - 1, top - 1, size + 1, size + 1))

    # -- mouse -------------------------------------------------------------------------

    def resizeEvent(self, ev: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        self._cache = None
        super().resizeEvent(ev)

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        cell = self.cell_at(ev.position().toPoint())
        if cell != self._hover:
            self._hover = cell
            self.setCursor(Qt.CursorShape.PointingHandCursor if cell else
                           Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(ev)

    def leaveEvent(self, ev: QEvent) -> None:  # noqa: N802 (Qt override)
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(ev)

    def mousePressEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if ev.button() == Qt.MouseButton.LeftButton:
            self._pressed = self.cell_at(ev.position().toPoint())
        super().mousePressEvent(ev)

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if ev.button() == Qt.MouseButton.LeftButton:
            cell = self.cell_at(ev.position().toPoint())
            if cell is not None and cell == self._pressed:
                self.cell_clicked.emit(*cell)
            self._pressed = None
        super().mouseReleaseEvent(ev)

    def tooltip_at(self, pos: QPoint) -> str:
        cell = self.cell_at(pos)
        if cell is None:
            return self.toolTip()
        i, j = cell
        n = int(round(self._matrix[i, j]))
        row = float(self._matrix[i].sum())
        share = f"{100.0 * n / row:.1f} %" if row > 0 else "—"
        true, guess = self._labels[i], self._labels[j]
        if i == j:
            return (f"True {true}, predicted {guess}: {n} of the {row:,.0f} test “{true}”s "
                    f"classified correctly ({share})")
        return (f"True {true}, predicted {guess}: {n} test “{true}”{'' if n == 1 else 's'} "
                f"mistaken for “{guess}” ({share} of the row). Click to pick them.")
