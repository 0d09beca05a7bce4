"""Colours, lookup tables and the style sheet shared by the playground's views."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# Class colours: class 0 orange, class 1 blue (TensorFlow Playground's), and for 3 or 4
# classes class 2 bluish green (Okabe–Ito's) and class 3 purple, which stay apart from the
# others and from the red rings with red-green or blue-yellow colour blindness (simulated
# CIELAB ΔE ≥ 15 for every pair; the purple is darker than the blue).
ORANGE = (245, 147, 34)
BLUE = (8, 119, 189)
GREEN = (0, 158, 115)
PURPLE = (136, 34, 136)
WHITE = (255, 255, 255)
CLASS_RGB = (ORANGE, BLUE, GREEN, PURPLE)
CLASS_DARK = ((168, 88, 0), (3, 70, 118), (0, 105, 76), (90, 20, 90))
MISCLASSIFIED_RGB = (214, 0, 28)
CONTOUR_RGB = (40, 40, 40)
BACKGROUND_RGB = (251, 251, 252)  # the window's background, #fbfbfc
TRAIN_CURVE_RGB = (30, 30, 30)
TEST_CURVE_RGB = (200, 60, 60)
OBJECTIVE_CURVE_RGB = (0, 130, 95)  # the MAP objective with a prior (bluish green)

def make_opaque(view: object) -> None:
    """A graphics view paints every pixel of its viewport: tell Qt, so that updating the
    plot does not repaint every parent widget underneath it first."""
    from PySide6.QtCore import Qt

    view.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # type: ignore[attr-defined]
    view.viewport().setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)  # type: ignore[attr-defined]


def cache_plot_decorations(plot_item: object) -> None:
    """Blit axes (and the title/legend) from a pixmap cache instead of re-rendering their
    text whenever the plot area next to them repaints (their QPicture replay of glyphs is
    the largest cost of a frame offscreen)."""
    from PySide6.QtWidgets import QGraphicsItem

    cache = QGraphicsItem.CacheMode.DeviceCoordinateCache
    for axis in plot_item.axes.values():  # type: ignore[attr-defined]
        axis["item"].setCacheMode(cache)
    title = getattr(plot_item, "titleLabel", None)
    if title is not None:
        title.setCacheMode(cache)


SHOW_TINT = 0.18  # how far the heatmap's ends are pulled towards white (points stay visible)


def diverging_lut(n: int = 256, tint: float = SHOW_TINT) -> NDArray[np.uint8]:
    """Orange (0) – white (0.5) – blue (1) lookup table, shape (n, 3), uint8.

    ``tint`` pulls both ends a little towards white so the class-coloured points stay
    readable on top of the heatmap.
    """
    t = np.linspace(0.0, 1.0, int(n))[:, None]
    mid = np.asarray(WHITE, dtype=np.float64)
    lo = np.asarray(ORANGE, dtype=np.float64) * (1 - tint) + mid * tint
    hi = np.asarray(BLUE, dtype=np.float64) * (1 - tint) + mid * tint
    lut = np.where(t < 0.5, lo + (mid - lo) * (t / 0.5), mid + (hi - mid) * ((t - 0.5) / 0.5))
    return np.ascontiguousarray(np.rint(lut).astype(np.uint8))


def class_shade_lut(n: int = 256, tint: float = SHOW_TINT) -> NDArray[np.uint8]:
    """White to each class's colour, shape (classes, n, 3), uint8: the heatmap of more than
    two classes shades the most likely class's colour by its probability (white where all
    classes tie, the colour, pulled ``tint`` towards white like the two-class table, where
    it is certain)."""
    t = np.linspace(0.0, 1.0, int(n))[None, :, None]
    white = np.asarray(WHITE, dtype=np.float64)
    full = np.asarray(CLASS_RGB, dtype=np.float64) * (1 - tint) + white * tint
    lut = white + (full[:, None, :] - white) * t
    return np.ascontiguousarray(np.rint(lut).astype(np.uint8))


STYLE_SHEET = """
QMainWindow { background: #fbfbfc; }
QGroupBox {
    font-weight: 600; border: 1px solid #d9dbe0; border-radius: 6px;
    margin-top: 14px; padding: 8px 6px 6px 6px; background: #ffffff;
}
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #3a3a3c; }
QPushButton {
    background: #ffffff; border: 1px solid #c7c9cf; border-radius: 4px; padding: 4px 10px;
}
QPushButton:hover { background: #f0f4fa; border-color: #8aa9cf; }
QPushButton:pressed, QPushButton:checked { background: #dce8f7; border-color: #5b87bd; }
QPushButton:disabled { color: #a0a0a5; border-color: #e0e0e4; }
QPushButton#run { font-weight: 600; color: #ffffff; background: #0877bd; border-color: #0866a3; }
QPushButton#run:checked { background: #c0392b; border-color: #a93226; }
QPushButton#run:disabled { background: #9bbfd8; border-color: #9bbfd8; }
QFrame#banner { background: #fdecea; border: 1px solid #e79a92; border-radius: 5px; }
QFrame#banner[level="info"] { background: #e8f1fb; border-color: #a9c8ea; }
QLabel#bannerText { color: #8a1c13; font-weight: 600; padding: 2px 2px; }
QFrame#banner[level="info"] QLabel#bannerText { color: #124a7c; }
QLabel#readout { color: #3a3a3c; font-family: "DejaVu Sans Mono", monospace; }
QLabel#theta { font-family: "DejaVu Sans Mono", monospace; }
QLabel#hint { color: #6e6e73; }
QStatusBar QLabel { padding: 0 8px; font-family: "DejaVu Sans Mono", monospace; }
QScrollArea { border: none; }
"""
