"""A digit drawn the way a student draws it with the mouse, for the lesson's digits scene.

The strokes are a pen's path in a box of height 1 (x to the right, y down), painted with a
round white pen on the black 280×280 board, so the digits workbench sees exactly what a
mouse drawing gives it (``core.digits.preprocess`` then shrinks it to 8×8).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

BOARD = 280
Stroke = list[tuple[float, float]]


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float,
         n: int = 24) -> Stroke:
    """Points on an ellipse from angle ``start`` to ``end`` in degrees (0 = right, 90 =
    down: y points down, so increasing angles turn clockwise on the screen)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, n)]


STROKES: dict[int, list[Stroke]] = {
    # a 3: two bowls open to the left, drawn in one go
    3: [_arc(0.28, 0.25, 0.26, 0.25, -160, 90) + _arc(0.28, 0.74, 0.3, 0.26, -90, 150)],
    # a 2: a hook, the diagonal and the base
    2: [_arc(0.3, 0.27, 0.27, 0.26, -165, 20) + [(0.02, 1.0), (0.62, 1.0)]],
}


def draw_digit(digit: int, size: float = 190.0, pen_width: float = 20.0,
               board: int = BOARD) -> NDArray[np.uint8]:
    """A mouse-like drawing of ``digit`` (one of :data:`STROKES`), white ink on black.

    Parameters
    ----------
    digit : int
        Which digit (a key of :data:`STROKES`).
    size : float
        Height of the digit on the board, in board pixels.
    pen_width : float
        Width of the round pen, in board pixels.
    board : int
        Side of the square board.

    Returns
    -------
    ndarray of uint8, shape (board, board)
        0 (black) … 255 (white ink), row 0 at the top.
    """
    image = QImage(board, board, QImage.Format.Format_Grayscale8)
    image.fill(0)
    strokes = STROKES[digit]
    width = max(x for stroke in strokes for x, _ in stroke) * size
    left, top = (board - width) / 2.0, (board - size) / 2.0
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(255, 255, 255), pen_width, Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    for stroke in strokes:
        path = QPainterPath(QPointF(left + stroke[0][0] * size, top + stroke[0][1] * size))
        for x, y in stroke[1:]:
            path.lineTo(QPointF(left + x * size, top + y * size))
        painter.drawPath(path)
    painter.end()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(board,
                                                                    image.bytesPerLine())
    return rows[:, :board].copy()
