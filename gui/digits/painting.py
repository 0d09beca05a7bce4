"""What the Digits views share: colours, white-ink-on-black pixels, fonts, number formats
and ``PaintedView`` (a widget that paints itself whole and gives tooltips by position).

Every view is one painted widget, no child widgets or graphics items: a call stores the
arrays (and returns at once if they did not change) and asks for one repaint; images are
QImages over numpy memory refilled in place, coloured in one numpy pass (``argb_images``)
and drawn with crisp pixels (no smoothing).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QPainter,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QToolTip, QWidget

from gui.style import BLUE, ORANGE
from gui.widgets.network_items import argb_images

TEXT = QColor(58, 58, 60)  # the style sheet's #3a3a3c
HINT = QColor(110, 110, 115)  # #6e6e73
PAPER = QColor(255, 255, 255)  # the group boxes' background
INK_GRID = QColor(72, 72, 72)  # thin lines between the pixels of a drawing
FRAME = QColor(150, 150, 150)
TRACK = QColor(236, 238, 242)  # a bar's empty track
OTHER_BAR = QColor(160, 164, 172)
FIRST = QColor(*BLUE)
SECOND = QColor(*ORANGE)

# Grey ramp, ARGB32: value v in [0, 1] is drawn as grey floor(256 v) (white ink on black).
GREY_ARGB = (np.uint32(0xFF000000) + np.arange(256, dtype=np.uint32) * np.uint32(0x010101))


def ink_pixels(stack: NDArray[np.float32], out: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """Colour row-major images (n, H, W) with values in [0, 1] into ``out`` (n, H, W), ARGB.

    NaN counts as no ink; values outside [0, 1] are clipped.
    """
    clean = np.nan_to_num(stack, nan=0.0, posinf=1.0, neginf=0.0)
    return argb_images(clean, (0.0, 1.0), GREY_ARGB, out=out, col_major=False)


def pixel_image(pixels: NDArray[np.uint32]) -> QImage:
    """A QImage over (H, W) C-contiguous ARGB32 memory (keep the array alive)."""
    height, width = pixels.shape
    return QImage(pixels.view(np.uint8).data, width, height, pixels.strides[0],
                  QImage.Format.Format_RGB32)


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    """The base font, ``factor`` times as large, optionally bold."""
    font = QFont(base)
    font.setPointSizeF(max(base.pointSizeF() * factor, 6.0))
    font.setBold(bold)
    return font


def probability(p: float) -> str:
    """P as a student reads it: two decimals, three near 0 and 1 (0.998, not 1.00)."""
    return f"{p:.2f}" if 0.005 <= p <= 0.995 else f"{p:.3f}"


def percent(p: float) -> str:
    """A bar's percentage: whole percents, "<1 %" and ">99 %" instead of a false 0 or 100."""
    if 0.0 < p < 0.005:
        return "<1 %"
    if 0.995 < p < 1.0:
        return ">99 %"
    return f"{100.0 * p:.0f} %"


class TextStamps:
    """Texts in one font, each laid out once (a QStaticText) and then drawn in a few
    microseconds instead of the 10–20 µs of laying it out again at every paint."""

    LIMIT = 2048  # texts kept; a full stamp box starts again (numbers change while training)

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.height = QFontMetricsF(self.font).height()
        self._texts: dict[str, tuple[QStaticText, float, float]] = {}

    def _get(self, text: str) -> tuple[QStaticText, float, float]:
        found = self._texts.get(text)
        if found is None:
            if len(self._texts) >= self.LIMIT:
                self._texts.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), self.font)
            size = static.size()
            found = (static, size.width(), size.height())
            self._texts[text] = found
        return found

    def width(self, text: str) -> float:
        """The text's width."""
        return self._get(text)[1]

    def draw(self, painter: QPainter, rect: QRect | QRectF, text: str,
             align: float = 0.0) -> float:
        """Draw one line centred vertically in ``rect``: left (``align`` 0), centred (0.5) or
        right (1); returns its width. The painter's pen gives the colour."""
        static, width, height = self._get(text)
        painter.setFont(self.font)
        painter.drawStaticText(QPointF(rect.x() + (rect.width() - width) * align,
                                       rect.y() + (rect.height() - height) / 2), static)
        return width


class PaintedView(QWidget):
    """A widget that paints itself whole (opaque, white) and gives tooltips by position."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMouseTracking(True)

    def tooltip_at(self, pos: QPoint) -> str:
        """The tooltip for a point of the widget (default: the widget's own)."""
        return self.toolTip()

    def event(self, ev: QEvent) -> bool:  # noqa: D102 (Qt override)
        if ev.type() == QEvent.Type.ToolTip and isinstance(ev, QHelpEvent):
            text = self.tooltip_at(ev.pos())
            if text:
                QToolTip.showText(ev.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(ev)
