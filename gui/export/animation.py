"""The figure of a run, drawn offscreen frame by frame: the decision boundary over the points
(left) and the log-likelihood curve with a marker at the frame's step (right), under a line
saying which step it is.

One renderer for the window's File → Export → Animation and for ``ascent-lab train --plot
/ --animate``. Every graphics item is created once; a frame only calls ``setImage`` and
``setData``. The probabilities come from :func:`core.grid.evaluate_grid` and the boundary
from :mod:`core.plane`, as in the boundary view.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from core import plane
from core.grid import evaluate_grid
from core.policy import build_model
from core.recording import Recording, view_range
from gui import style
from gui.playground.class_heatmap import ClassShading
from gui.playground.point_layer import point_style

RESOLUTION = 200  # grid cells per side of the heatmap (the boundary view's)
MAX_POINTS = 2000  # points drawn (an even sample of more: core.plane.display_sample)
_MINUS = str.maketrans("-", "−")


def _number(value: float, spec: str = ".4g") -> str:
    return "n/a" if not math.isfinite(value) else format(value, spec).translate(_MINUS)


def _axis_style(item: pg.PlotItem) -> None:
    item.hideButtons()
    item.setMenuEnabled(False)
    for axis in ("left", "bottom"):
        item.getAxis(axis).enableAutoSIPrefix(False)
        item.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
        item.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
    item.getAxis("left").setWidth(62)  # room for "−0.69" and the axis name beside it
    item.getAxis("bottom").setHeight(40)


class TrainingFigure:
    """Draws the frames of a :class:`core.recording.Recording` into images of one size.

    Parameters
    ----------
    recording : Recording
        The run (data, the frames' parameters, the whole history).
    size : (int, int)
        Width and height of every image, in pixels.
    view : ((float, float), (float, float)) or None
        The part of the plane shown; None: around the points
        (:func:`core.recording.view_range`).
    target_levels : (float, float) or None
        A regression's colour range of ŷ (default: the targets' range).
    title : str
        What the run is (the preset, say), shown before the step.
    """

    def __init__(self, recording: Recording, size: tuple[int, int] = (960, 480),
                 view: tuple[tuple[float, float], tuple[float, float]] | None = None,
                 target_levels: tuple[float, float] | None = None, title: str = "") -> None:
        self.recording = recording
        self.size = (int(size[0]), int(size[1]))
        self.view = view if view is not None else view_range(
            np.vstack([recording.X_train, recording.X_test]))
        self._title = title
        self._model = build_model(recording.spec)
        self._regression = recording.spec.is_regression
        y = np.asarray(recording.y_train, dtype=np.float64)
        if target_levels is None and self._regression:
            top = float(np.max(np.abs(y))) if y.size else 1.0
            target_levels = (-top or -1.0, top or 1.0)
        self._target_levels = target_levels or (-1.0, 1.0)
        self._n_train = max(len(recording.y_train), 1)
        self._n_test = len(recording.y_test)
        self._shading = ClassShading()
        self._lut = style.diverging_lut(256)
        self._build()
        # the first paint of the points builds their symbol cache and misses the outlines:
        # paint once before the first frame
        if self.n_frames:
            self.render(0)

    # ----------------------------------------------------------------- items (once)

    def _build(self) -> None:
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground("w")
        self.widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.widget.resize(*self.size)
        self.widget.show()  # not on screen: this lays the plots out at the size asked
        layout = self.widget.ci
        layout.setContentsMargins(10, 6, 14, 8)
        self.label = layout.addLabel("", row=0, col=0, colspan=2, color="#26262a", size="11pt")
        self.plane_plot = layout.addPlot(row=1, col=0)
        self.curve_plot = layout.addPlot(row=1, col=1)
        layout.layout.setColumnStretchFactor(0, 1)
        layout.layout.setColumnStretchFactor(1, 1)

        p = self.plane_plot
        _axis_style(p)
        spec = self.recording.spec
        p.setTitle("Regression ŷ(x)" if self._regression else "Decision boundary P(Y=1|x)"
                   if spec.n_classes <= 2 else "Most likely class", color="#3a3a3c",
                   size="10pt")
        p.setLabel("bottom", "x₁", color="#3c3c3c")
        p.setLabel("left", "x₂", color="#3c3c3c")
        vb = p.getViewBox()
        vb.setAspectLocked(True)
        vb.setMouseEnabled(False, False)
        vb.setRange(xRange=self.view[0], yRange=self.view[1], padding=0)
        vb.disableAutoRange()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-10)
        p.addItem(self.image)
        self.contour = pg.PlotCurveItem(pen=pg.mkPen(style.CONTOUR_RGB, width=2),
                                        connect="pairs", antialias=True)
        self.contour.setZValue(5)
        p.addItem(self.contour)
        self.points = pg.ScatterPlotItem(pxMode=True)
        self.points.setZValue(10)
        p.addItem(self.points)
        self._set_points()

        c = self.curve_plot
        _axis_style(c)
        c.setTitle("Log-likelihood per example", color="#3a3a3c", size="10pt")
        c.setLabel("bottom", "step", color="#3c3c3c")
        c.setLabel("left", "LL(θ) / n", color="#3c3c3c")
        c.showGrid(x=True, y=True, alpha=0.15)
        c.getViewBox().setMouseEnabled(False, False)
        history = self.recording.history
        steps = np.asarray(history["steps"], dtype=np.float64)
        train = np.asarray(history["log_likelihood"], dtype=np.float64) / self._n_train
        legend = c.addLegend(offset=(-10, -10), labelTextColor=(40, 40, 40))
        c.plot(steps, train, pen=pg.mkPen(style.TRAIN_CURVE_RGB, width=2), name="train")
        curves = [train]
        if self._n_test:
            test = np.asarray(history["test_log_likelihood"], dtype=np.float64) / self._n_test
            c.plot(steps, test, name="test", pen=pg.mkPen(
                style.TEST_CURVE_RGB, width=2, style=Qt.PenStyle.DashLine))
            curves.append(test)
        del legend
        self.marker_line = pg.InfiniteLine(angle=90, pen=pg.mkPen((8, 119, 189, 160), width=1))
        c.addItem(self.marker_line)
        self.marker = pg.ScatterPlotItem(size=10, pen=pg.mkPen("w", width=1.5),
                                         brush=pg.mkBrush(*style.BLUE), pxMode=True)
        self.marker.setZValue(10)
        c.addItem(self.marker)
        values = np.concatenate(curves)
        values = values[np.isfinite(values)]
        low, high = (float(values.min()), float(values.max())) if values.size else (-1.0, 0.0)
        pad = max((high - low) * 0.06, 1e-3)
        last = float(steps[-1]) if steps.size else 1.0
        c.getViewBox().setRange(xRange=(float(steps[0]) if steps.size else 0.0, max(last, 1.0)),
                                yRange=(low - pad, high + pad), padding=0.02)
        c.getViewBox().disableAutoRange()
        self._train_curve = (steps, train)

    def _set_points(self) -> None:
        r = self.recording
        pos, symbols, sizes, pens, brushes = [], [], [], [], []
        colours = style.diverging_lut(256, 0.0)
        low, high = self._target_levels
        for kind, X, y in (("train", r.X_train, r.y_train), ("test", r.X_test, r.y_test)):
            index = plane.display_sample(len(y), MAX_POINTS)
            X, y = np.asarray(X)[index, :2], np.asarray(y)[index]
            for point, label in zip(X, y, strict=True):
                if self._regression:
                    t = min(max((float(label) - low) / ((high - low) or 1.0), 0.0), 1.0)
                    rgb = colours[min(int(t * 255), 255)]
                    st = point_style(kind, 0, False)
                    st["brush" if kind == "train" else "pen"] = (
                        pg.mkBrush(*rgb) if kind == "train" else pg.mkPen(*rgb, width=2.2))
                else:
                    st = point_style(kind, int(label), False)
                pos.append(point)
                symbols.append(st["symbol"])
                sizes.append(st["size"])
                pens.append(st["pen"])
                brushes.append(st["brush"])
        if pos:
            self.points.setData(pos=np.asarray(pos), symbol=symbols, size=sizes, pen=pens,
                                brush=brushes)

    # ----------------------------------------------------------------- frames

    @property
    def n_frames(self) -> int:
        return self.recording.n_frames

    def _show(self, index: int) -> None:
        """Update the items to frame ``index``."""
        r = self.recording
        for own, saved in zip(self._model.parameters, r.parameters[index], strict=True):
            own[...] = saved
        x_range, y_range = self._shown_range()
        grid = evaluate_grid(self._model, x_range, y_range, RESOLUTION,  # type: ignore[arg-type]
                             with_hidden=False)
        rect = self._rect(x_range, y_range, RESOLUTION)
        if grid.is_regression:
            self.image.setImage(np.ascontiguousarray(grid.probability, dtype=np.float32),
                                levels=self._target_levels, lut=self._lut, autoLevels=False,
                                rect=rect)
            cx = cy = np.zeros(0)
        elif grid.n_classes > 2:
            top = np.ascontiguousarray(grid.probabilities.max(axis=0))
            argb = self._shading.pixels(top, grid.most_likely, (1.0 / grid.n_classes, 1.0))
            rgba = argb.T.copy().view(np.uint8).reshape(argb.shape[1], argb.shape[0], 4)
            self.image.setImage(np.ascontiguousarray(rgba[..., [2, 1, 0, 3]]), lut=None,
                                levels=(0, 255), autoLevels=False, rect=rect)
            cx, cy = plane.tie_segments(grid.probabilities, x_range, y_range)
        else:
            self.image.setImage(np.ascontiguousarray(grid.probability, dtype=np.float32),
                                levels=(0.0, 1.0), lut=self._lut, autoLevels=False, rect=rect)
            cx, cy = plane.contour_segments(grid.probability, 0.5, x_range, y_range)
        self.contour.setData(cx, cy, connect="pairs")
        step = r.steps[index]
        steps, train = self._train_curve
        row = int(np.searchsorted(steps, step, side="right")) - 1
        row = min(max(row, 0), len(steps) - 1) if len(steps) else 0
        self.marker_line.setValue(step)
        if len(steps):
            self.marker.setData([steps[row]], [train[row]])
        self.label.setText(self._caption(step, row))

    def _shown_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The plane plot's range as laid out (the view asked for, widened to the plot's
        aspect ratio): the heatmap fills the whole plot."""
        (x0, x1), (y0, y1) = self.plane_plot.getViewBox().viewRange()
        return (float(x0), float(x1)), (float(y0), float(y1))

    def _caption(self, step: int, row: int) -> str:
        h = self.recording.history
        last = int(self.recording.history["steps"][-1]) if len(h["steps"]) else step
        parts = [self._title] if self._title else []
        parts.append(f"<b>step {step}</b> of {last}")
        if len(h["steps"]):
            parts.append(f"LL = {_number(float(h['log_likelihood'][row]))}")
            accuracy = float(h["accuracy"][row])
            parts.append(f"R² = {_number(accuracy, '.3f')}" if self._regression else
                         f"train accuracy {_number(100 * accuracy, '.1f')} %")
        return " &nbsp;·&nbsp; ".join(parts)

    @staticmethod
    def _rect(x_range: Sequence[float], y_range: Sequence[float], res: int) -> QRectF:
        """Cell centres span the ranges edge to edge: the image extends half a cell beyond."""
        dx = (x_range[1] - x_range[0]) / max(res - 1, 1)
        dy = (y_range[1] - y_range[0]) / max(res - 1, 1)
        return QRectF(x_range[0] - dx / 2, y_range[0] - dy / 2,
                      x_range[1] - x_range[0] + dx, y_range[1] - y_range[0] + dy)

    def render(self, index: int) -> QImage:
        """Frame ``index`` as an RGB32 image of :attr:`size`."""
        self._show(int(index))
        return grab(self.widget, self.size)

    def render_last(self) -> QImage:
        """The final state (``--plot``)."""
        return self.render(self.n_frames - 1)

    def close(self) -> None:
        self.widget.close()
        self.widget.deleteLater()


def grab(widget: QWidget, size: tuple[int, int]) -> QImage:
    """Paint ``widget`` (laid out at ``size``, shown or not) into a new RGB32 image."""
    if (widget.width(), widget.height()) != size:
        widget.resize(*size)
    # graphics layouts settle through posted events: let them, here only
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    widget.render(painter)
    painter.end()
    return image


def rgb_array(image: QImage) -> NDArray[np.uint8]:
    """An image's pixels as a (height, width, 3) uint8 array (a copy)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width = rgb.height(), rgb.width()
    buffer = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    return buffer.reshape(height, rgb.bytesPerLine())[:, :width * 3].reshape(
        height, width, 3).copy()


__all__ = ["RESOLUTION", "TrainingFigure", "grab", "rgb_array"]
