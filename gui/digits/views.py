"""The Digits workbench's views of one drawing: the input pixels and the top guesses.

The test confusion matrix is in ``confusion.py``, the gallery of mistakes in
``gallery.py``; all four are importable from here. Views only draw the arrays they are
given; they are redrawn up to 60 times a second while training runs (the guesses on every
mouse move of a stroke), so each is one painted widget (see ``painting.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QEvent, QLine, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from gui.digits.painting import (
    FIRST,
    FRAME,
    HINT,
    INK_GRID,
    OTHER_BAR,
    PAPER,
    SECOND,
    TEXT,
    TRACK,
    PaintedView,
    TextStamps,
    ink_pixels,
    percent,
    pixel_image,
    probability,
    scaled_font,
)
from gui.widgets.network_items import subscript

__all__ = ["ConfusionView", "GalleryView", "GuessesView", "InputView"]

# --------------------------------------------------------------------------------------
# InputView
# --------------------------------------------------------------------------------------


class InputView(PaintedView):
    """The downsampled drawing exactly as the model sees it, drawn as pixels.

    ``show_features(x, shape=(8, 8))``: values in [0, 1], row-major (row 0 at the top),
    white ink on black like the drawing board, a thin grid between the pixels and a caption
    below. Hovering a pixel names it (x₁ … x₆₄, row, column, value).
    """

    MARGIN = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shape = (8, 8)
        self._values: NDArray[np.float32] | None = None  # None: cleared
        self._pixels = np.zeros((1, 8, 8), dtype=np.uint32)
        self._image = pixel_image(self._pixels[0])
        self._caption = ""
        self._message = "draw a digit"
        self._hover = -1
        self.setToolTip("x, the model's input: your drawing downsampled to 8×8 pixels, exactly "
                        "the 64 numbers x₁ … x₆₄ the model sees (0 = no ink, 1 = full ink, "
                        "row by row from the top left). Hover a pixel for its value.")
        self.clear()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(128, 124 + self.fontMetrics().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 200 + self.fontMetrics().height())

    # -- data --------------------------------------------------------------------------

    def show_features(self, features: ArrayLike, shape: tuple[int, int] = (8, 8),
                      caption: str | None = None) -> None:
        """Show the features (H·W values in [0, 1], row-major) as an H×W image.

        ``caption`` defaults to "x: 64 features, 8×8"; "" shows none.
        """
        values = np.asarray(features, dtype=np.float32).reshape(-1)
        height, width = int(shape[0]), int(shape[1])
        if height < 1 or width < 1 or values.size != height * width:
            raise ValueError(f"{values.size} features do not fill a {height}×{width} image")
        if caption is None:
            caption = f"x: {values.size} features, {height}×{width}"
        if (self._values is not None and (height, width) == self._shape
                and caption == self._caption and np.array_equal(values, self._values)):
            return
        self._set_shape(height, width)
        self._values = values.copy()
        ink_pixels(values.reshape(1, height, width), self._pixels)
        self._caption = caption
        self.update()

    def clear(self, message: str = "draw a digit") -> None:
        """An empty grid with a hint in it."""
        if self._values is None and message == self._message and self._caption:
            return
        self._values = None
        self._message = message
        self._pixels.fill(0xFF000000)
        height, width = self._shape
        self._caption = f"x: {height * width} features, {height}×{width}"
        self.update()

    def _set_shape(self, height: int, width: int) -> None:
        if (height, width) == self._shape:
            return
        self._shape = (height, width)
        self._pixels = np.zeros((1, height, width), dtype=np.uint32)
        self._image = pixel_image(self._pixels[0])
        self._hover = -1

    # -- reading it back ---------------------------------------------------------------

    def features(self) -> NDArray[np.float32] | None:
        """The values shown (a copy), None when cleared."""
        return None if self._values is None else self._values.copy()

    def pixel_rect(self, row: int, col: int) -> QRect:
        """Where pixel (row, col) is drawn, in widget coordinates."""
        grid, cell = self._grid()
        return QRect(grid.left() + col * cell, grid.top() + row * cell, cell, cell)

    def hover_text(self) -> str:
        """What the caption says about the hovered pixel ("" when none is hovered)."""
        if self._hover < 0:
            return ""
        row, col = divmod(self._hover, self._shape[1])
        text = f"x{subscript(self._hover + 1)} · row {row + 1}, col {col + 1}"
        if self._values is not None:
            text += f" · {self._values[self._hover]:.2f}"
        return text

    # -- geometry and painting ---------------------------------------------------------

    def _grid(self) -> tuple[QRect, int]:
        """The pixels' rectangle and the side of one pixel (a whole number of screen px)."""
        height, width = self._shape
        caption_h = self.fontMetrics().height() + 4
        room_w = self.width() - 2 * self.MARGIN
        room_h = self.height() - 2 * self.MARGIN - caption_h
        cell = max(1, min(room_w // width, room_h // height))
        grid = QRect(0, 0, cell * width, cell * height)
        grid.moveLeft((self.width() - grid.width()) // 2)
        grid.moveTop(self.MARGIN + max(0, (room_h - grid.height()) // 2))
        return grid, cell

    def _index_at(self, pos: QPoint) -> int:
        grid, cell = self._grid()
        if not grid.contains(pos):
            return -1
        row = min((pos.y() - grid.top()) // cell, self._shape[0] - 1)
        col = min((pos.x() - grid.left()) // cell, self._shape[1] - 1)
        return int(row * self._shape[1] + col)

    def paintEvent(self, ev: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        grid, cell = self._grid()
        painter.drawImage(grid, self._image)  # no smoothing: crisp square pixels
        height, width = self._shape
        if cell >= 4:
            painter.setPen(QPen(INK_GRID, 1))
            painter.drawLines(
                [QLine(grid.left() + i * cell, grid.top(), grid.left() + i * cell, grid.bottom())
                 for i in range(1, width)]
                + [QLine(grid.left(), grid.top() + j * cell, grid.right(), grid.top() + j * cell)
                   for j in range(1, height)])
        painter.setPen(QPen(FRAME, 1))
        painter.drawRect(grid.adjusted(-1, -1, 0, 0))
        if self._values is None:
            painter.setPen(QColor(170, 170, 170))
            painter.drawText(grid, int(Qt.AlignmentFlag.AlignCenter), self._message)
        elif self._hover >= 0:
            row, col = divmod(self._hover, width)
            painter.setPen(QPen(SECOND, 2))
            painter.drawRect(QRect(grid.left() + col * cell, grid.top() + row * cell,
                                   cell, cell).adjusted(1, 1, 0, 0))
        line = self.hover_text() or self._caption
        if line:
            painter.setPen(TEXT if self._hover >= 0 else HINT)
            top = grid.bottom() + 3
            rect = QRect(0, top, self.width(), self.height() - top)
            text = self.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight,
                                                 self.width() - 4)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                             text)
        painter.end()

    # -- mouse -------------------------------------------------------------------------

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        index = self._index_at(ev.position().toPoint())
        if index != self._hover:
            self._hover = index
            self.update()
        super().mouseMoveEvent(ev)

    def leaveEvent(self, ev: QEvent) -> None:  # noqa: N802 (Qt override)
        if self._hover >= 0:
            self._hover = -1
            self.update()
        super().leaveEvent(ev)

    def tooltip_at(self, pos: QPoint) -> str:
        index = self._index_at(pos)
        if index < 0 or self._values is None:
            return self.toolTip()
        row, col = divmod(index, self._shape[1])
        n = self._values.size
        return (f"x{subscript(index + 1)} = {self._values[index]:.2f}: pixel at row {row + 1}, "
                f"column {col + 1}, feature {index + 1} of the {n} the model sees "
                f"(0 = no ink, 1 = full ink)")


# --------------------------------------------------------------------------------------
# GuessesView
# --------------------------------------------------------------------------------------


class _GuessLayout:
    """Where GuessesView draws each part, for one size, font and set of labels."""

    def __init__(self, view: GuessesView, labels: tuple[str, ...]) -> None:
        base = view.font()
        self.big = TextStamps(scaled_font(base, 1.75, bold=True))
        self.normal = TextStamps(base)
        self.bold = TextStamps(scaled_font(base, 1.0, bold=True))
        self.small = TextStamps(scaled_font(base, 0.92))
        self.message = TextStamps(scaled_font(base, 1.35))
        big_h = QFontMetrics(self.big.font).height()
        normal_h = QFontMetrics(self.normal.font).height()
        small = QFontMetrics(self.small.font)
        width, height, margin = view.width(), view.height(), 6
        self.first = QRect(margin, 2, width - 2 * margin, big_h)
        self.second = QRect(margin, self.first.bottom() + 1, width - 2 * margin, normal_h)
        self.formula = QRect(margin, self.second.bottom() + 3, width - 2 * margin,
                             small.height())
        top = self.formula.bottom() + 5
        k = max(len(labels), 1)
        row_h = min(24.0, max(8.0, (height - top - 3) / k))
        bar_h = max(4.0, round(row_h * 0.62))
        label_w = max([QFontMetrics(self.bold.font).horizontalAdvance(t) for t in labels]
                      + [8]) + 8
        pct_w = small.horizontalAdvance(">99 %") + 8
        track_left = margin + label_w
        self.track_width = max(float(width - margin - pct_w - track_left), 10.0)
        self.rows: list[tuple[QRectF, QRectF, QRectF]] = []
        for i in range(len(labels)):
            y = top + i * row_h
            self.rows.append((
                QRectF(margin, y, label_w - 6, row_h),
                QRectF(track_left, y + (row_h - bar_h) / 2, self.track_width, bar_h),
                QRectF(track_left + self.track_width, y, pct_w, row_h),
            ))
        self.tracks = [track for _, track, _ in self.rows]


class GuessesView(PaintedView):
    """The first and second guesses with their probabilities, and a bar per class.

    ``show(probabilities, labels)`` with K = len(labels) classes: the first guess large
    ("7  ·  P = 0.93"), the second below it, one bar per class (first in blue, second in
    orange). K = 2 is the lecture's binary case: one number P(Y=1|x) = σ(θᵀx) decides.
    Called on every mouse move of a stroke: a call costs a few microseconds.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._p = np.zeros(0)
        self._labels: tuple[str, ...] = ()
        self._bar_labels: tuple[str, ...] = ()
        self._first_i = self._second_i = -1
        self._message = ""
        self._first = self._second = self._formula = ""
        self._layout: _GuessLayout | None = None
        self._layout_key: tuple[object, ...] = ()
        self.setToolTip("The model's guesses for your drawing: P(Y = k | x) for each class k "
                        "(the output layer; they add up to 1). The first guess is the class "
                        "with the largest probability, ŷ = argmax P(Y = k | x); the second is "
                        "the runner-up.")
        self.clear()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(170, 168)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(220, 260)

    # -- data --------------------------------------------------------------------------

    def show(self, probabilities: ArrayLike | None = None,
             labels: Sequence[str] | None = None) -> None:
        """Show P(Y = k | x) for each class k (K = len(labels) ≥ 2, in label order).

        ``show()`` without arguments makes the widget visible, as for any QWidget.
        """
        if probabilities is None:
            super().show()
            return
        p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
        names = tuple(map(str, labels if labels is not None else range(p.size)))
        if p.size < 2 or len(names) != p.size:
            raise ValueError(f"{p.size} probabilities for {len(names)} labels (need K ≥ 2)")
        if not self._message and names == self._labels and np.array_equal(p, self._p):
            return
        if not np.isfinite(p).all():
            self._set_labels(names)
            self._p = np.zeros_like(p)
            self._show_message("No guess: the model's output is not a number")
            return
        self._set_labels(names)
        self._p = p.copy()
        self._message = ""
        order = np.argsort(-p, kind="stable")
        first, second = int(order[0]), int(order[1])
        self._first_i, self._second_i = first, second
        self._first = f"{names[first]}  ·  P = {probability(p[first])}"
        self._second = f"second: {names[second]}  ·  P = {probability(p[second])}"
        if p.size == 2:
            self._formula = f"P(Y=1 | x) = σ(θᵀx) = {probability(p[1])}"
        self.update()

    def clear(self, message: str = "Draw a digit",
              labels: Sequence[str] | None = None) -> None:
        """No guess: the message instead of the first guess, empty bars (one per label,
        when ``labels`` are given: the classes of the task now)."""
        if labels is not None:
            self._set_labels(tuple(str(t) for t in labels))
            self._p = np.zeros(len(self._labels))
        else:
            self._p = np.zeros_like(self._p)
        self._show_message(message)

    def _show_message(self, message: str) -> None:
        self._message = message
        self._first_i = self._second_i = -1
        self._first = self._second = ""
        if len(self._labels) == 2:
            self._formula = "P(Y=1 | x) = σ(θᵀx)"
        self.update()

    def _set_labels(self, names: tuple[str, ...]) -> None:
        if names == self._labels:
            return
        self._labels = names
        if len(names) == 2:
            self._bar_labels = tuple(f"{t} (Y={k})" for k, t in enumerate(names))
        else:
            self._bar_labels = names
            self._formula = "P(Y = k | x) for each class k"

    # -- reading it back ---------------------------------------------------------------

    def first_text(self) -> str:
        """The first guess as shown ("7  ·  P = 0.93"), or the message when cleared."""
        return self._first or self._message

    def second_text(self) -> str:
        """The second guess as shown ("second: 1  ·  P = 0.04"), "" when cleared."""
        return self._second

    def formula_text(self) -> str:
        """The small line above the bars (for K = 2: P(Y=1 | x) = σ(θᵀx) = …)."""
        return self._formula

    def bar_lengths(self) -> NDArray[np.float64]:
        """Each class's bar length in pixels (probability × the track's length)."""
        return self._p * self._current_layout().track_width

    def bar_rect(self, k: int) -> QRectF:
        """The full track of class k's bar, in widget coordinates."""
        return QRectF(self._current_layout().rows[k][1])

    # -- painting ----------------------------------------------------------------------

    def _current_layout(self) -> _GuessLayout:
        key = (self.width(), self.height(), self.font().key(), self._bar_labels)
        if self._layout is None or key != self._layout_key:
            self._layout = _GuessLayout(self, self._bar_labels)
            self._layout_key = key
        return self._layout

    def paintEvent(self, ev: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        lay = self._current_layout()
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        if self._first_i >= 0:
            p, names = self._p, self._labels
            x = 0.0
            for text, colour in ((names[self._first_i], FIRST),
                                 (f"  ·  P = {probability(p[self._first_i])}", TEXT)):
                painter.setPen(colour)
                x += lay.big.draw(painter, lay.first.translated(int(x), 0), text)
            x = 0.0
            for text, colour, stamps in (("second: ", HINT, lay.normal),
                                         (names[self._second_i], SECOND, lay.bold),
                                         (f"  ·  P = {probability(p[self._second_i])}", TEXT,
                                          lay.normal)):
                painter.setPen(colour)
                x += stamps.draw(painter, lay.second.translated(int(x), 0), text)
        else:
            painter.setPen(HINT)
            area = lay.first.adjusted(0, 0, 0, lay.second.height())
            if lay.message.width(self._message) <= area.width():
                lay.message.draw(painter, area, self._message)
            else:  # a narrow window: wrapped, in the normal size
                painter.setFont(lay.normal.font)
                painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft
                                           | Qt.AlignmentFlag.AlignVCenter
                                           | Qt.TextFlag.TextWordWrap), self._message)
        painter.setPen(HINT)
        lay.small.draw(painter, lay.formula, self._formula)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRects(lay.tracks)
        bars: list[QRectF] = []
        values = self._p.tolist() if self._p.size == len(lay.rows) else [0.0] * len(lay.rows)
        ranked = self._first_i >= 0
        for k, (label_rect, track, pct_rect) in enumerate(lay.rows):
            value = values[k]
            if k == self._first_i or k == self._second_i:
                colour = FIRST if k == self._first_i else SECOND
                if value > 0:
                    painter.fillRect(QRectF(track.left(), track.top(),
                                            max(value * track.width(), 1.0), track.height()),
                                     colour)
                painter.setPen(colour)
                lay.bold.draw(painter, label_rect, self._bar_labels[k], 1.0)
                painter.setPen(TEXT)
            else:
                if value > 0:
                    bars.append(QRectF(track.left(), track.top(),
                                       max(value * track.width(), 1.0), track.height()))
                painter.setPen(TEXT)
                lay.normal.draw(painter, label_rect, self._bar_labels[k], 1.0)
                painter.setPen(HINT)
            lay.small.draw(painter, pct_rect, percent(value) if ranked else "—", 1.0)
        if bars:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(OTHER_BAR)
            painter.drawRects(bars)
        painter.end()

    def tooltip_at(self, pos: QPoint) -> str:
        if self._first_i < 0:
            return self.toolTip()
        for k, (label_rect, _track, _pct) in enumerate(self._current_layout().rows):
            if label_rect.top() <= pos.y() < label_rect.bottom():
                rank = {self._first_i: " (first guess)", self._second_i: " (second guess)"}
                return (f"P(Y = {k} | x) = {self._p[k]:.4f}: the model's probability that "
                        f"this drawing is “{self._labels[k]}”{rank.get(k, '')}")
        return self.toolTip()


from gui.digits.confusion import ConfusionView  # noqa: E402  (re-exported)
from gui.digits.gallery import GalleryView  # noqa: E402  (re-exported)
