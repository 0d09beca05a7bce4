"""PNG and SVG images of one view of the window, or of the whole window, at a chosen size.

Plot views (pyqtgraph) go through pyqtgraph's exporters (``ImageExporter``, and
``SVGExporter`` for a true vector SVG); other views and the whole window are painted with
``QWidget.render`` into a QImage or a ``QSvgGenerator`` (QtSvg).

A size other than the one on screen: the view is laid out at the size asked divided by a
scale s = max(1, min(W / w, H / h)) for a moment and drawn scaled by s, so a bigger image of
the same shape is the view magnified (text stays in proportion) and another shape is laid out
anew. The whole window keeps its shape: it is drawn scaled.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

FORMATS = ("png", "svg")
MIN_SIDE, MAX_SIDE = 16, 8192


@dataclass(frozen=True)
class FigureTarget:
    """A view that can be exported: its name in the dialog and its widget; ``plot`` is set
    for a pyqtgraph plot (exported with pyqtgraph's exporters); ``fixed_shape`` for the
    whole window (its aspect ratio is kept)."""

    name: str
    widget: QWidget
    plot: pg.PlotWidget | None = None
    fixed_shape: bool = False

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
                         w.boundary.plot_widget),
            FigureTarget("Log-likelihood curve", w.curves.ll_plot, w.curves.ll_plot),
            FigureTarget("Accuracy curve", w.curves.acc_plot, w.curves.acc_plot),
            FigureTarget("Network diagram", w.network), FigureTarget("θ panel", w.theta)]
    targets += [t for t in candidates if t.widget.isVisible()]
    targets.append(FigureTarget("Whole window", window, fixed_shape=True))
    return targets


def _scale(target: FigureTarget, size: tuple[int, int]) -> tuple[float, tuple[int, int]]:
    """(s, the size to lay the view out at)."""
    w0, h0 = target.screen_size()
    if target.fixed_shape:
        return size[0] / w0, (w0, h0)
    s = max(1.0, min(size[0] / w0, size[1] / h0))
    return s, (max(1, round(size[0] / s)), max(1, round(size[1] / s)))


def _settle() -> None:
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


def export_figure(target: FigureTarget, path: str | Path, size: tuple[int, int]) -> None:
    """Write ``target`` as PNG or SVG (by ``path``'s suffix) of ``size`` pixels.

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
    scale, layout_size = _scale(target, size)
    with _laid_out(target.widget, layout_size):
        if target.plot is not None:
            _export_plot(target.plot, path, size, kind)
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
    painter.scale(scale, scale)
    widget.render(painter)
    painter.end()
    return image


def _export_widget_svg(widget: QWidget, path: Path, size: tuple[int, int],
                       scale: float) -> None:
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(*size))
    generator.setViewBox(QRect(0, 0, *size))
    generator.setTitle(widget.windowTitle() or "Ascent Lab")
    generator.setDescription("Exported from Ascent Lab")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"cannot write {path}")
    painter.scale(scale, scale)
    widget.render(painter)
    painter.end()
    if not path.exists():
        raise OSError(f"cannot write {path}")


def _export_plot(plot: pg.PlotWidget, path: Path, size: tuple[int, int], kind: str) -> None:
    from pyqtgraph.exporters import ImageExporter, SVGExporter

    item = plot.getPlotItem()
    exporter = ImageExporter(item) if kind == "png" else SVGExporter(item)
    params = exporter.parameters()
    # width and height are linked to the item's shape: set both, neither adjusting the other
    params.param("width").setValue(size[0], blockSignal=exporter.widthChanged)
    params.param("height").setValue(size[1], blockSignal=exporter.heightChanged)
    if kind == "png":
        params.param("antialias").setValue(True)
        image = exporter.export(toBytes=True)
        if image is None or not image.save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
    else:
        exporter.export(fileName=str(path))
        if not path.exists():
            raise OSError(f"cannot write {path}")


__all__ = ["FORMATS", "FigureTarget", "check_size", "export_figure", "figure_targets",
           "render_widget"]
