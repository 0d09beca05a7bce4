"""Small icons painted with QPainter, so that no button depends on a font having a symbol.

Glyphs such as ▶ ⏸ ● ⚠ ✕ are missing from many fonts (⏸ shows as an empty box with
DejaVu Sans) or turn into colour emoji on some systems. Buttons show these icons instead;
the standard ones (close, warning, error) come from the Qt style.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

SIZE = 32  # painted at 32 px; Qt scales the pixmap down to the button's icon size


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    return pixmap, painter


def play_icon(rgb: tuple[int, int, int] = (255, 255, 255)) -> QIcon:
    """A right-pointing triangle (Run)."""
    pixmap, painter = _canvas()
    path = QPainterPath(QPointF(8, 5))
    path.lineTo(27, 16)
    path.lineTo(8, 27)
    path.closeSubpath()
    painter.fillPath(path, QColor(*rgb))
    painter.end()
    return QIcon(pixmap)


def pause_icon(rgb: tuple[int, int, int] = (255, 255, 255)) -> QIcon:
    """Two upright bars (Pause)."""
    pixmap, painter = _canvas()
    painter.setBrush(QColor(*rgb))
    painter.drawRoundedRect(QRectF(7, 5, 7, 22), 1.5, 1.5)
    painter.drawRoundedRect(QRectF(18, 5, 7, 22), 1.5, 1.5)
    painter.end()
    return QIcon(pixmap)


def dot_icon(rgb: tuple[int, int, int]) -> QIcon:
    """A filled circle in a class's colour, with a thin darker rim."""
    pixmap, painter = _canvas()
    painter.setBrush(QColor(*rgb))
    painter.setPen(QColor(*rgb).darker(130))
    painter.drawEllipse(QRectF(6, 6, 20, 20))
    painter.end()
    return QIcon(pixmap)


def standard_icon(which: str) -> QIcon:
    """The style's own icon: "close", "warning", "error" or "info"."""
    pixmaps = {"close": QStyle.StandardPixmap.SP_TitleBarCloseButton,
               "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
               "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
               "info": QStyle.StandardPixmap.SP_MessageBoxInformation}
    style = QApplication.style()
    return style.standardIcon(pixmaps[which])


__all__ = ["dot_icon", "pause_icon", "play_icon", "standard_icon"]
