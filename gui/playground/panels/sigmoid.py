"""The sigmoid view (issue 12, item 4): σ(z) with every training point placed at its
z = θᵀx, y = 1 points above the curve and y = 0 points below, the 0.5 threshold marked.

A point's vertical gap to the curve is |y − ŷ| (plus a little spread so that points do not
hide each other), so the squashing shows at a glance, and so does why a confident mistake
(far on the wrong side of z = 0) costs the most: its log P(y|x) = log σ(±z) falls linearly
in |z|. The view follows the engine's frames (training and the timeline): every item is
created once and moved with ``setData``. For a network with one σ output, z is the output
unit's weighted input; a softmax or a regression has no single σ(z), and the view says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGraphicsItem, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core import inspection
from core.formulas import log_sigmoid, sigmoid
from core.plane import display_sample
from gui import style
from gui.widgets.formulas_text import SOFTMAX
from gui.widgets.panel_docks import Panel

MAX_POINTS = 2_000  # a larger training set is drawn as an even sample of this many
RANGES = (6.0, *(m * 10.0 ** e for e in range(1, 7) for m in (1, 2, 5)))
SPREAD = (0.03, 0.13)  # how far above 1 (class 1) or below 0 (class 0) a point sits
TIP = ("σ(z) = 1 / (1 + e^(−z)) squashes z = θᵀx into ŷ = P(Y=1|x). Each training point sits "
       "at its own z = θᵀx: y = 1 above the curve, y = 0 below it (spread a little so that "
       "they do not hide each other). The thin line from a point to the curve is |y − ŷ|; "
       "the point adds log P(y|x) = y log σ(z) + (1 − y) log(1 − σ(z)) to LL, so a "
       "confident mistake (far on the wrong side of z = 0) costs the most. Above the 0.5 "
       "line (z > 0) the model predicts 1")


def spread(n: int) -> np.ndarray:
    """A fixed offset in SPREAD for points 0 … n − 1 (golden-ratio hashing: the same
    point keeps its height from frame to frame)."""
    fraction = (np.arange(n, dtype=np.float64) * 0.6180339887498949) % 1.0
    return SPREAD[0] + (SPREAD[1] - SPREAD[0]) * fraction


def z_range(z_max: float, current: float) -> float:
    """The half-width of the z axis: the smallest of RANGES ≥ 1.05·max|z|, kept while the
    points still fill more than a quarter of it (no jitter of the axis while training)."""
    needed = 1.05 * z_max
    if needed <= current and (needed > current / 4 or current == RANGES[0]):
        return current
    for r in RANGES:
        if r >= needed:
            return r
    return RANGES[-1]


class TextLine(QWidget):
    """One line of grey text, painted (elided) without a layout: a new text every frame
    repaints this line only, never the docks around it (a QLabel would re-layout them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.setFixedHeight(self.fontMetrics().lineSpacing() + 4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # (parents need not repaint)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 (the QLabel name)
        if text != self._text:
            self._text = text
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(self.backgroundRole()))
        painter.setPen(QColor(110, 110, 115))
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight,
                                              self.width() - 4)
        painter.drawText(self.rect().adjusted(2, 0, -2, 0),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()


class SigmoidPanel(Panel):
    """σ(z) with the training points at their z = θᵀx."""

    name = "sigmoid"
    title = "The sigmoid: points at z = θᵀx"
    tooltip = "σ(z) = 1/(1 + e^(−z)) with every training point at its z = θᵀx (y = 1 above, " \
              "y = 0 below) and the 0.5 threshold"
    area = Qt.DockWidgetArea.BottomDockWidgetArea

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.engine = context.session.engine
        self._range = 0.0  # the z axis's half-width (set below)
        self._drawn_key: Any = None
        self._network = False
        self._drawn_version = -1
        self.index = np.zeros(0, dtype=np.int64)  # the training examples drawn
        self.z = np.zeros(0)
        self.heights = np.zeros(0)
        self.labels = np.zeros(0, dtype=np.int64)

        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setToolTip(TIP)
        self.plot_widget.setMinimumHeight(150)
        self.plot_widget.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        item = self.plot_item = self.plot_widget.getPlotItem()
        item.setMouseEnabled(False, False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "z = θᵀx")
        item.setLabel("left", "σ(z)")
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
            item.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
        item.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        style.cache_plot_decorations(item)
        style.make_opaque(self.plot_widget)
        item.setYRange(-0.2, 1.2, padding=0)

        self.threshold = pg.InfiniteLine(pos=0.5, angle=0, pen=pg.mkPen(
            (120, 120, 120), width=1, style=Qt.PenStyle.DashLine))
        self.zero = pg.InfiniteLine(pos=0.0, angle=90, pen=pg.mkPen(
            (170, 170, 170), width=1, style=Qt.PenStyle.DotLine))
        self.threshold_label = pg.TextItem("ŷ = 0.5: predict 1 above", color=(90, 90, 90),
                                           anchor=(1, 0))  # under the line, right of z = 0
        self.curve = pg.PlotCurveItem(pen=pg.mkPen(style.CONTOUR_RGB, width=2.5),
                                      antialias=True)
        self.stems = [pg.PlotCurveItem(pen=pg.mkPen((*style.CLASS_RGB[k], 110), width=1),
                                       connect="pairs") for k in (0, 1)]
        self.points = [pg.ScatterPlotItem(pxMode=True, symbol="o", size=7,
                                          pen=pg.mkPen(255, 255, 255, 200, width=1),
                                          brush=pg.mkBrush(*style.CLASS_RGB[k]))
                       for k in (0, 1)]
        self.worst = pg.ScatterPlotItem(pxMode=True, symbol="o", size=15, brush=pg.mkBrush(None),
                                        pen=pg.mkPen(style.MISCLASSIFIED_RGB, width=2.2))
        for z, graphic in ((1, self.threshold), (1, self.zero), (2, self.threshold_label),
                           (3, self.stems[0]), (3, self.stems[1]), (5, self.curve),
                           (6, self.points[0]), (6, self.points[1]), (7, self.worst)):
            graphic.setZValue(z)
            item.addItem(graphic)
        self.legend = pg.LegendItem(offset=(50, 4), labelTextColor=(40, 40, 40),
                                    brush=pg.mkBrush(255, 255, 255, 215),
                                    pen=pg.mkPen(200, 200, 200))
        self.legend.setParentItem(item.getViewBox())
        # between the classes' rows, left of the curve: where no point is ever drawn
        self.legend.anchor(itemPos=(0, 0), parentPos=(0, 0.2), offset=(36, 0))
        for sample, text in ((self.points[1], "y = 1: above the curve"),
                             (self.points[0], "y = 0: below the curve"),
                             (self.worst, "the costliest point")):
            self.legend.addItem(sample, text)
        item.getViewBox().sigResized.connect(self._fit_legend)
        for still in (self.threshold, self.zero, self.threshold_label, self.curve,
                      self.legend):
            # they move only with the z axis: blit them from a pixmap at every frame
            still.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.getViewBox().disableAutoRange()  # the axes move only when _set_range says
        self._set_range(RANGES[0])

        self.caption = TextLine()
        self.caption.setToolTip("LL = Σᵢ log P(yᵢ|xᵢ), the sum the training climbs, and the "
                                "point that costs the most (ringed in red)")
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.caption)

    # ----------------------------------------------------------------- frames

    def apply_frame(self, frame: Any) -> None:
        dataset = self.engine.dataset
        if frame.data_version != dataset.version:
            return  # the next frame has the new data
        if frame.spec.kind == "regression":
            self._unavailable("Not available for a regression: ŷ = θᵀx is not squashed "
                              "by σ, so there is no σ(z) to place the points on.")
            return
        if frame.spec.n_classes != 2:
            self._unavailable(f"Not available for {frame.spec.n_classes} classes: a softmax "
                              f"output has a z per class, {SOFTMAX}, "
                              "not one σ(z).")
            return
        key = (frame.seq, dataset.version)
        if key == self._drawn_key:
            return
        self._drawn_key = key
        self._available(frame.spec.kind == "network")
        n = len(dataset.y_train)
        index = display_sample(n, MAX_POINTS)
        labels = dataset.y_train[index]
        z = np.asarray(inspection.margins(frame.model, dataset.X_train[index]), dtype=float)
        y_hat = sigmoid(z)
        log_p = np.where(labels == 1, log_sigmoid(z), log_sigmoid(-z))
        worst = int(np.argmin(log_p)) if z.size else -1
        if self._moved(index, z, y_hat, dataset.version):
            heights = np.where(labels == 1, 1.0 + spread(n)[index], -spread(n)[index])
            self.index, self.z, self.heights, self.labels = index, z, heights, labels
            self._drawn_version = dataset.version
            if z.size:
                self._set_range(z_range(float(np.max(np.abs(z))), self._range))
            for k in (0, 1):
                mine = labels == k
                self.points[k].setData(z[mine], heights[mine])
                stems_x = np.repeat(z[mine], 2)
                stems_y = np.column_stack((heights[mine], y_hat[mine])).ravel()
                self.stems[k].setData(stems_x, stems_y, connect="pairs")
            if z.size:
                self.worst.setData([z[worst]], [heights[worst]])
        if z.size:
            sample = "" if index.size == n else f" (drawn: {index.size:,} of {n:,})"
            self.caption.setText(
                f"LL = Σ log P(yᵢ|xᵢ) = {_num(frame.log_likelihood, 2)}{sample}. Costliest: "
                f"y = {labels[worst]} at z = {_num(float(z[worst]), 2)}, ŷ = "
                f"{float(y_hat[worst]):.3f}, log P(y|x) = {_num(float(log_p[worst]), 2)}")
        else:
            self.worst.setData([], [])
            self.caption.setText("No training points.")

    def point_positions(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The drawn points: (training index, z, height, label) (for tests and readers)."""
        return self.index, self.z, self.heights, self.labels

    # ----------------------------------------------------------------- helpers

    def _moved(self, index: np.ndarray, z: np.ndarray, y_hat: np.ndarray,
               version: int) -> bool:
        """Whether any point (or the end of its line on the curve) would move by half a
        pixel or more: a smaller change is not drawn (training that has slowed down then
        costs nothing per frame)."""
        if (version != self._drawn_version or z.shape != self.z.shape
                or not np.array_equal(index, self.index)):
            return True
        if not z.size:
            return False
        box = self.plot_item.getViewBox()
        if box.width() <= 1 or box.height() <= 1:
            return True  # not laid out yet: no pixels to compare
        px_per_z = box.width() / (2.04 * self._range)
        px_per_y = box.height() / 1.4
        dz = float(np.max(np.abs(z - self.z)))
        ds = float(np.max(np.abs(y_hat - sigmoid(self.z))))
        return dz * px_per_z >= 0.5 or ds * px_per_y >= 0.5

    def _set_range(self, half_width: float) -> None:
        if half_width == self._range:
            return
        self._range = half_width
        z = np.linspace(-half_width, half_width, 401)
        self.curve.setData(z, sigmoid(z))
        self.plot_item.getViewBox().disableAutoRange()
        self.plot_item.setXRange(-half_width, half_width, padding=0.02)
        self.threshold_label.setPos(half_width * 0.98, 0.5)

    def _fit_legend(self, *_: object) -> None:
        """The legend only where it fits between the rows of points (a short plot: the
        plot's tooltip says the same)."""
        self.legend.setVisible(self.plot_item.getViewBox().height() >= 200)

    def _available(self, network: bool) -> None:
        if network != self._network:
            self._network = network
            self.plot_item.setLabel("bottom", "z = θᵀh, the output unit's weighted input"
                                    if network else "z = θᵀx")
        if not self.message.isHidden():
            self.message.setVisible(False)
            self.plot_widget.setVisible(True)

    def _unavailable(self, text: str) -> None:
        self._drawn_key = None
        self.message.setText(text)
        self.message.setVisible(True)
        self.plot_widget.setVisible(False)
        self.caption.setText("")


def _num(value: float, digits: int = 3) -> str:
    if not np.isfinite(value):
        return "—"
    return f"{value:.{digits}f}".replace("-", "−")


__all__ = ["SigmoidPanel", "spread", "z_range"]
