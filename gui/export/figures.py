"""PNG and SVG images of one view of the window, or of the whole window, at a chosen size.

PNG: plot views (pyqtgraph) through pyqtgraph's ``ImageExporter``, other views and the whole
window painted with ``QWidget.render`` into a QImage. SVG: every view painted into a
``QSvgGenerator`` (QtSvg), which keeps lines and text as vectors. (pyqtgraph 0.14's
``SVGExporter`` cannot read the path data Qt 6.11's SVG generator writes: it fails on every
plot here, see docs/decisions.md.)

A size other than the one on screen: the view is laid out for a moment at the size asked
divided by ``scale`` (1 by default) and drawn magnified by ``scale``: at 2, a 1600 × 900
image is the view laid out at 800 × 450 with text and lines twice as large (for slides and
print). The whole window keeps its layout and shape: it is drawn scaled to the width asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QEventLoop, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

FORMATS = ("png", "svg")
MIN_SIDE, MAX_SIDE = 16, 8192
MAX_SCALE = 4.0
HEATMAP_WAIT = 3.0  # seconds a figure of another shape waits for the engine's heatmap


@dataclass(frozen=True)
class FigureTarget:
    """A view that can be exported: its name in the dialog and its widget; ``plot`` is set
    for a pyqtgraph plot (exported with pyqtgraph's exporters); ``fixed_shape`` for the
    whole window (its aspect ratio is kept)."""

    name: str
    widget: QWidget
    plot: pg.PlotWidget | None = None
    fixed_shape: bool = False
    ready: Callable[[], bool] | None = None  # laid out anew: drawn once this says so

    def screen_size(self) -> tuple[int, int]:
        return max(self.widget.width(), 1), max(self.widget.height(), 1)


def figure_targets(window: Any) -> list[FigureTarget]:
    """The views of the workbench showing that are visible, then the whole window."""
    targets: list[FigureTarget] = []
    if window.tabs.currentWidget() is window.digits:
        d = window.digits
        candidates = [
            FigureTarget("Drawing board", d.board), FigureTarget("Input (8×8)", d.input_view),
            FigureTarget("Guesses", d.guesses), FigureTarget("Network diagram", d.network),
            FigureTarget("Log-likelihood curve", d.curves.ll_plot, d.curves.ll_plot),
            FigureTarget("Accuracy curve", d.curves.acc_plot, d.curves.acc_plot),
            FigureTarget("Confusion matrix", d.confusion), FigureTarget("Mistakes", d.gallery)]
    else:
        w = window.workbench
        candidates = [
            FigureTarget("Plane view (decision boundary)", w.boundary.plot_widget,
                         w.boundary.plot_widget, ready=heatmap_fills_view(w.boundary)),
            FigureTarget("Log-likelihood curve", w.curves.ll_plot, w.curves.ll_plot),
            FigureTarget("Accuracy curve", w.curves.acc_plot, w.curves.acc_plot),
            FigureTarget("Network diagram", w.network), FigureTarget("θ panel", w.theta)]
    targets += [t for t in candidates if t.widget.isVisible()]
    targets.append(FigureTarget("Whole window", window, fixed_shape=True))
    return targets


def heatmap_fills_view(boundary: Any) -> Callable[[], bool]:
    """Whether the boundary view's heatmap was computed for the range it shows: another
    shape shows more of the plane, which the engine's next frame fills (a figure drawn
    before has blank strips at the sides)."""

    def ready() -> bool:
        drawn = getattr(boundary, "_boundary", None)
        if drawn is None:
            return True
        (x0, x1), (y0, y1) = boundary.viewbox.viewRange()
        return bool(np.allclose((*drawn.x_range, *drawn.y_range), (x0, x1, y0, y1),
                                rtol=1e-9, atol=1e-12))

    return ready


def _wait_until(ready: Callable[[], bool], seconds: float = HEATMAP_WAIT) -> None:
    """Let the engine deliver frames until ``ready()`` (at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)


def _scale(target: FigureTarget, size: tuple[int, int], scale: float
           ) -> tuple[float, tuple[int, int]]:
    """(the magnification, the size to lay the view out at)."""
    w0, h0 = target.screen_size()
    if target.fixed_shape:
        return size[0] / w0, (w0, h0)
    s = min(max(float(scale), 1.0), MAX_SCALE)
    return s, (max(1, round(size[0] / s)), max(1, round(size[1] / s)))


def _settle() -> None:
    """Let the layouts follow a resize now (graphics layouts settle through posted events,
    nested ones in a few rounds)."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


@contextmanager
def _laid_out(widget: QWidget, size: tuple[int, int]) -> Iterator[None]:
    """``widget`` resized to ``size`` for the duration (its layout puts it back after)."""
    old = widget.size()
    if (old.width(), old.height()) == size:
        yield
        return
    widget.resize(*size)
    _settle()
    try:
        yield
    finally:
        widget.resize(old)
        _settle()


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = int(size[0]), int(size[1])
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValueError(f"the size must be {MIN_SIDE} … {MAX_SIDE} pixels a side, got "
                         f"{width} × {height}")
    return width, height


def export_figure(target: FigureTarget, path: str | Path, size: tuple[int, int],
                  scale: float = 1.0) -> None:
    """Write ``target`` as PNG or SVG (by ``path``'s suffix) of ``size`` pixels, its text and
    lines magnified by ``scale`` (1 … 4; the whole window: scaled to the width).

    Raises ValueError for another suffix or size, OSError when the file cannot be written.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(f"a figure is saved as .png or .svg, not {path.suffix or 'nothing'}")
    size = check_size(size)
    if target.fixed_shape:
        w0, h0 = target.screen_size()
        size = (size[0], max(1, round(size[0] * h0 / w0)))
    scale, layout_size = _scale(target, size, scale)
    on_screen = target.screen_size()
    with _laid_out(target.widget, layout_size):
        if target.ready is not None and layout_size != on_screen:
            _wait_until(target.ready)
        if target.plot is not None and kind == "png":
            _export_png_of_plot(target.plot, path, size)
        elif kind == "svg":
            _export_widget_svg(target.widget, path, size, scale)
        else:
            image = render_widget(target.widget, size, scale)
            if not image.save(str(path), "PNG"):
                raise OSError(f"cannot write {path}")


def render_widget(widget: QWidget, size: tuple[int, int], scale: float) -> QImage:
    """``widget`` painted at ``scale`` into a new RGB32 image of ``size``."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform
                           | QPainter.RenderHint.TextAntialiasing)
    try:
        painter.scale(scale, scale)
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
    return image


def _export_widget_svg(widget: QWidget, path: Path, size: tuple[int, int],
                       scale: float) -> None:
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(*size))
    generator.setViewBox(QRect(0, 0, *size))
    generator.setResolution(96)  # its width in mm is then the size in CSS pixels (1/96 in)
    generator.setTitle(widget.windowTitle() or "Ascent Lab")
    generator.setDescription("Exported from Ascent Lab")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"cannot write {path}")
    try:
        painter.scale(scale, scale)
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
    if not path.exists():
        raise OSError(f"cannot write {path}")


def _export_png_of_plot(plot: pg.PlotWidget, path: Path, size: tuple[int, int]) -> None:
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(plot.getPlotItem())
    params = exporter.parameters()
    # width and height are linked to the item's shape: set both, neither adjusting the other
    params.param("width").setValue(size[0], blockSignal=exporter.widthChanged)
    params.param("height").setValue(size[1], blockSignal=exporter.heightChanged)
    params.param("antialias").setValue(True)
    image = exporter.export(toBytes=True)
    if image is None or not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")


__all__ = ["FORMATS", "FigureTarget", "check_size", "export_figure", "figure_targets",
           "render_widget"]
