"""The drawing board: white ink on black, drawn with the mouse or a pen.

The ink is a 280×280 grayscale image (a digit drawn at a comfortable size); the model sees
it only after ``core.digits.preprocess`` turns it into 8×8 features. Every mouse move of a
stroke emits ``ink_changed`` (the guesses follow the pen); a finished stroke emits
``stroke_finished(before, after)`` so the workbench can make it one undo step.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

SIZE = 280
DEFAULT_BRUSH = 18


class DrawingBoard(QWidget):
    """A square canvas of ink in [0, 1]; left button draws, right button (or the eraser
    mode) erases."""

    ink_changed = Signal()
    stroke_finished = Signal(object, object)  # ink before, ink after: uint8 (H, W)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage(SIZE, SIZE, QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self.brush = DEFAULT_BRUSH
        self.erasing = False
        self._last: QPointF | None = None
        self._before: NDArray[np.uint8] | None = None
        self._stroke_erases = False
        self._pressure = 1.0
        self.version = 0  # grows with every change of the ink
        self._has_ink = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Draw a digit: left button draws, right button erases "
                        "(Ctrl+Z undoes a stroke). The model sees the 8×8 picture beside it.")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(SIZE, SIZE)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(160, 160)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return width

    # ------------------------------------------------------------------ the ink

    def ink_uint8(self) -> NDArray[np.uint8]:
        """A copy of the ink, 0 (black) … 255 (white), shape (SIZE, SIZE)."""
        bits = self._image.constBits()
        rows = np.frombuffer(bits, dtype=np.uint8).reshape(SIZE, self._image.bytesPerLine())
        return rows[:, :SIZE].copy()

    def ink(self) -> NDArray[np.float32]:
        """The ink in [0, 1], shape (SIZE, SIZE), row 0 at the top."""
        return self.ink_uint8().astype(np.float32) / 255.0

    def has_ink(self) -> bool:
        return self._has_ink

    def set_ink(self, ink: NDArray[np.floating] | NDArray[np.uint8]) -> None:
        """Show this ink (shape (SIZE, SIZE); [0, 1] floats or uint8); a smaller or larger
        image is scaled to the board."""
        array = np.asarray(ink)
        if array.dtype != np.uint8:
            array = np.round(np.clip(np.asarray(array, dtype=np.float64), 0, 1) * 255)
        array = np.ascontiguousarray(array, dtype=np.uint8)
        height, width = array.shape
        image = QImage(array.data, width, height, width, QImage.Format.Format_Grayscale8)
        if (width, height) != (SIZE, SIZE):
            image = image.scaled(SIZE, SIZE, Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.FastTransformation)
        self._image = image.convertToFormat(QImage.Format.Format_Grayscale8).copy()
        self._changed(bool(array.any()))

    def clear(self) -> None:
        self.set_ink(np.zeros((SIZE, SIZE), dtype=np.uint8))

    # ------------------------------------------------------------------ geometry

    def board_rect(self) -> QRectF:
        """Where the board is drawn in the widget (a centred square)."""
        side = float(min(self.width(), self.height()))
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_board(self, point: QPointF) -> QPointF:
        """Widget coordinates → ink pixels."""
        rect = self.board_rect()
        scale = SIZE / max(rect.width(), 1.0)
        return QPointF((point.x() - rect.x()) * scale, (point.y() - rect.y()) * scale)

    def from_board(self, x: float, y: float) -> QPointF:
        """Ink pixels → widget coordinates (tests drive the board with these)."""
        rect = self.board_rect()
        scale = rect.width() / SIZE
        return QPointF(rect.x() + x * scale, rect.y() + y * scale)

    # ------------------------------------------------------------------ drawing

    def _begin(self, point: QPointF, erase: bool) -> None:
        self._before = self.ink_uint8()
        self._stroke_erases = erase or self.erasing
        self._last = self.to_board(point)
        self._draw_to(self._last)

    def _draw_to(self, target: QPointF) -> None:
        if self._last is None:
            return
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(0, 0, 0) if self._stroke_erases else QColor(255, 255, 255)
        width = self.brush * (2.0 if self._stroke_erases else self._pressure)
        painter.setPen(QPen(colour, max(width, 1.0), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        if target == self._last:
            painter.drawPoint(target)
        else:
            painter.drawLine(self._last, target)
        painter.end()
        self._last = target
        self._changed(True if not self._stroke_erases else bool(self.ink_uint8().any()))

    def _changed(self, has_ink: bool) -> None:
        self._has_ink = has_ink
        self.version += 1
        self.update()
        self.ink_changed.emit()

    def _end(self) -> None:
        before, self._before = self._before, None
        self._last = None
        self._pressure = 1.0
        if before is not None:
            after = self.ink_uint8()
            if not np.array_equal(before, after):
                self.stroke_finished.emit(before, after)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self._begin(event.position(), event.button() == Qt.MouseButton.RightButton)
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._last is not None:
            self._draw_to(self.to_board(event.position()))
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._last is not None:
            self._draw_to(self.to_board(event.position()))
            self._end()
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt override)
        """A pen: pressure thins or thickens the stroke (0.4 … 1.3 × the brush)."""
        self._pressure = 0.4 + 0.9 * float(event.pressure())
        event.ignore()  # Qt then sends the matching mouse event, which draws

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        rect = self.board_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(rect, self._image)
        painter.setPen(QPen(QColor(120, 120, 120), 1.0))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if not self.has_ink():
            painter.setPen(QColor(150, 150, 150))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "draw a digit here")
        painter.end()
