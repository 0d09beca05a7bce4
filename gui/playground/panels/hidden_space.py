"""The hidden space panel: the points and the plane as the output unit sees them.

A two-class network's output is logistic regression on its last hidden layer h:
ŷ = σ(z), z = Σⱼ wⱼhⱼ + b. Drawn in the space of two chosen units (h_a, h_b) of that
layer, its boundary z = 0 is a straight line, however curved it is in the plane: the
hidden layers bend the plane (the grey grid: lines of the visible plane, mapped) until a
line separates the classes. The background is σ(z) over the panel, as the boundary view
shows ŷ over the plane.

What the line means (docs/decisions.md, "The hidden space's line"): with exactly two
last-layer units it is the output's boundary itself, and it separates the drawn points
exactly as the model predicts. With more, the other units k are held at their mean c_k over
the drawn points: the line w_a h_a + w_b h_b + b + Σ_k w_k c_k = 0 is a slice through the
boundary, and the points the model predicts on the other side of it (their other units are
away from the mean) are marked with a cross and counted.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.hidden_space import HiddenLine, output_line, warped_grid
from core.network import NeuralNetwork
from gui import style
from gui.widgets import formulas_text as ft
from gui.widgets.network_items import subscript, superscript
from gui.widgets.panel_docks import Panel

MAX_POINTS = 2_000  # larger datasets are drawn as an even sample of this many
GRID_LINES = 11  # lines of the plane per direction
GRID_RESOLUTION = 48  # points along each line
GRADIENT_REACH = 6.0  # the background's colours run from σ(−6) to σ(6) across the line
GRADIENT_STOPS = 25  # colour stops of that gradient (one per ½ of z)
MAX_RATE = 10.0  # redraws per second while training runs (every frame when it stops)
# the box of hidden space a bounded activation fills (a little margin around it)
BOUNDED = {"tanh": (-1.08, 1.08), "sigmoid": (-0.08, 1.08)}


def unit_name(layer: int, unit: int) -> str:
    """h⁽layer⁾ of unit ``unit`` (0-based), as the network diagram names it: h²₁."""
    return f"h{superscript(layer)}{subscript(unit + 1)}"


def why_no_hidden_space(model: Any) -> str:
    """Why the view cannot be drawn for ``model`` ("" when it can)."""
    regression = getattr(model, "regression", False) or getattr(model, "n_classes", 2) == 0
    hidden = tuple(getattr(model, "hidden_units", ()) or ()) \
        if isinstance(model, NeuralNetwork) else ()
    if not hidden:
        if regression:
            return ("<b>Linear regression has no hidden layer.</b> ŷ = θᵀx works on x₁, x₂ "
                    "themselves. Add a hidden layer (Model) and two classes to see the "
                    "features a network learns.")
        return ("<b>Logistic regression has no hidden layer:</b> its features are x₁, x₂ "
                "themselves, and its boundary θᵀx = 0 is already the straight line on the "
                "left. Choose a network (Model) to see the space its hidden units learn: "
                "there its output is logistic regression again.")
    if regression:
        return ("<b>A regression has no boundary to draw.</b> Its output ŷ = Σⱼ hⱼθ⁽ŷ⁾ⱼ "
                "is a plane over the hidden units, not a line between two classes. This "
                "view needs two classes (one σ output).")
    if model.n_classes != 2:
        return (f"<b>{model.n_classes} classes: the output is a softmax.</b> Each class k "
                "has its own zₖ = Σⱼ hⱼθ⁽ŷ⁾ⱼ,ₖ, so no single line separates them. This "
                "view needs two classes (one σ output, ŷ = σ(z)).")
    if hidden[-1] < 2:
        return ("<b>The last hidden layer has one unit:</b> the output sees one number h "
                "and its boundary is a threshold on it. Give the last hidden layer 2 or "
                "more units to see a plane of hidden units.")
    return ""


class Caption(QWidget):
    """Two lines of grey text, word-wrapped, painted: a new text (the ✕ count changes every
    frame) repaints this strip only, where a QLabel's would re-lay out the dock host."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 2)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setToolTip(text)  # all of it, should a narrow dock cut it
            self._fit()
            self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as the text needs at this width (2 to 4 lines): the height changes, and
        the dock re-lays out, only when the number of lines does."""
        metrics = self.fontMetrics()
        needed = metrics.boundingRect(QRect(0, 0, max(self.width(), 1), 10_000),
                                      int(Qt.TextFlag.TextWordWrap), self._text).height()
        lines = min(max(-(-needed // metrics.lineSpacing()), 2), 4)
        height = lines * metrics.lineSpacing() + 2
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setPen(QColor(110, 110, 115))  # the style sheet's hint colour, #6e6e73
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                          | Qt.TextFlag.TextWordWrap), self._text)


def _set_points(scatter: pg.ScatterPlotItem, points: np.ndarray) -> None:
    """Show these (n, 2) points (an empty item stays untouched: setData costs)."""
    if points.shape[0] or len(scatter.data):
        scatter.setData(points[:, 0], points[:, 1])


def _plot() -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    item = widget.getPlotItem()
    item.hideButtons()
    item.setMenuEnabled(False)
    item.getViewBox().setMouseEnabled(x=False, y=False)
    item.getViewBox().setAspectLocked(False)
    for axis in ("left", "bottom"):
        item.getAxis(axis).enableAutoSIPrefix(False)
        item.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
        item.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
    style.cache_plot_decorations(item)
    style.make_opaque(widget)
    return widget


class HiddenSpacePanel(Panel):
    """Points, the warped grid and the output's line in the space of two hidden units."""

    name = "hidden_space"
    title = "Hidden space"
    tooltip = ("The data in the space of two last-layer hidden units: the output "
               f"{ft.OUTPUT} is logistic regression on h, so its boundary is a line there")
    area = Qt.DockWidgetArea.BottomDockWidgetArea

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.units = (0, 1)
        self._layer = 0  # the last hidden layer's number (1-based), 0 before a network
        self._width = 0
        self._drawn_key: Any = None
        self._last_draw = 0.0
        self._frame: Any = None
        self._sample: tuple[int, np.ndarray, np.ndarray] | None = None
        self._range: tuple[tuple[float, float], tuple[float, float]] | None = None
        #: what is drawn: the line (None when none), and per drawn point its (h_a, h_b),
        #: its label, the model's prediction and the line's side (1: z > 0)
        self.line: HiddenLine | None = None
        self.hidden = np.zeros((0, 2))
        self.labels = np.zeros(0, dtype=np.int64)
        self.predicted = np.zeros(0, dtype=np.int64)
        self.side = np.zeros(0, dtype=np.int64)

        self.combo_a = QComboBox()
        self.combo_b = QComboBox()
        for combo, axis in ((self.combo_a, "horizontal"), (self.combo_b, "vertical")):
            combo.setToolTip(ft.tip(ft.HIDDEN_UNIT, f"The unit of the last hidden layer on "
                                    f"the {axis} axis."))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.activated.connect(self._combo_chosen)
        self.caption = Caption()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Units"))
        top.addWidget(self.combo_a)
        top.addWidget(QLabel("and"))
        top.addWidget(self.combo_b)
        top.addStretch(1)

        self.plot_widget = _plot()
        self.plot_widget.setToolTip(ft.tip(
            ft.OUTPUT, "The output is logistic regression on the hidden units h, so its "
            "boundary is a straight line here; grey: the plane's grid, bent by the layers."))
        self.plot_widget.setMinimumSize(180, 160)
        item = self.plot_widget.getPlotItem()
        self._lut = style.diverging_lut(256)
        self.background = QGraphicsRectItem()
        self.background.setPen(QPen(Qt.PenStyle.NoPen))
        self.background.setZValue(-10)
        item.addItem(self.background)
        self.grid = pg.PlotCurveItem(pen=pg.mkPen(90, 90, 100, 150, width=1),
                                     connect="finite")
        self.boundary = pg.PlotCurveItem(pen=pg.mkPen(style.CONTOUR_RGB, width=2.5))
        self.boundary.setZValue(5)
        for curve in (self.grid, self.boundary):
            item.addItem(curve)
        self.points = [self._scatter(symbol="o", size=8, z=10,
                                     pen=pg.mkPen(255, 255, 255, 230, width=1.2),
                                     brush=pg.mkBrush(*rgb))
                       for rgb in style.CLASS_RGB[:2]]
        self.rings = self._scatter(symbol="o", size=13, z=12,
                                   pen=pg.mkPen(style.MISCLASSIFIED_RGB, width=2.2),
                                   brush=pg.mkBrush(None))
        self.crosses = self._scatter(symbol="x", size=9, z=13, pen=pg.mkPen(None),
                                     brush=pg.mkBrush(30, 30, 30))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setMargin(12)
        view = QWidget()
        v = QVBoxLayout(view)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addLayout(top)
        v.addWidget(self.caption)
        v.addWidget(self.plot_widget, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(view)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(self.stack)

    def _scatter(self, z: float, **kwargs: Any) -> pg.ScatterPlotItem:
        scatter = pg.ScatterPlotItem(pxMode=True, **kwargs)
        scatter.setZValue(z)
        self.plot_widget.getPlotItem().addItem(scatter)
        return scatter

    # ---------------------------------------------------------------- choosing units

    def set_units(self, a: int, b: int) -> None:
        """Show units a and b (0-based) of the last hidden layer; the same unit twice
        swaps the pair instead."""
        a, b = int(a), int(b)
        if a == b:
            a, b = (b, self.units[0]) if a == self.units[1] else (self.units[1], a)
        if self._width and not (0 <= a < self._width and 0 <= b < self._width):
            raise ValueError(f"units must be below {self._width}, got {(a, b)}")
        self.units = (a, b)
        self._sync_combos()
        self._redraw()

    def _combo_chosen(self) -> None:
        a, b = self.combo_a.currentIndex(), self.combo_b.currentIndex()
        if a == b:  # the unit chosen is on the other axis: they swap
            a, b = (a, self.units[0]) if self.sender() is self.combo_a else (self.units[1], b)
        self.set_units(a, b)

    def _sync_combos(self) -> None:
        for combo, unit in ((self.combo_a, self.units[0]), (self.combo_b, self.units[1])):
            combo.blockSignals(True)
            combo.setCurrentIndex(unit)
            combo.blockSignals(False)

    def _set_architecture(self, layer: int, width: int) -> None:
        if (layer, width) == (self._layer, self._width):
            return
        self._layer, self._width = layer, width
        names = [unit_name(layer, j) for j in range(width)]
        for combo in (self.combo_a, self.combo_b):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.blockSignals(False)
        if max(self.units) >= width:
            self.units = (0, 1)
        self._sync_combos()
        self._range = None

    # ---------------------------------------------------------------- frames

    def apply_frame(self, frame: Any) -> None:
        self._frame = frame
        if frame.running and time.perf_counter() - self._last_draw < 1.0 / MAX_RATE:
            return  # the next frame (and the last one, when training stops) draws
        self._redraw()

    def panel_shown(self, shown: bool) -> None:
        if not shown:
            self._drawn_key = None

    def _redraw(self) -> None:
        frame = self._frame
        if frame is None:
            return
        dataset = self.context.session.engine.dataset
        view = self.context.session.view_range
        key = (frame.seq, self.units, dataset.version, view)
        if key == self._drawn_key:
            return
        self._drawn_key = key
        self._last_draw = time.perf_counter()
        model = frame.model
        why = why_no_hidden_space(model)
        if why:
            self.line = None
            if self.message.text() != why:
                self.message.setText(why)
            self.stack.setCurrentIndex(1)
            return
        self.stack.setCurrentIndex(0)
        self._set_architecture(len(model.hidden_units), model.hidden_units[-1])
        X, y = self._points(dataset)
        self._draw(model, X, y, view)

    def _points(self, dataset: Any) -> tuple[np.ndarray, np.ndarray]:
        """The training points drawn (an even sample of a large dataset), cached."""
        if self._sample is None or self._sample[0] != dataset.version:
            X, y = dataset.X_train, dataset.y_train
            if X.shape[0] > MAX_POINTS:
                index = np.linspace(0, X.shape[0] - 1, MAX_POINTS).astype(np.int64)
                X, y = X[index], y[index]
            self._sample = (dataset.version, np.asarray(X, dtype=np.float64),
                            np.asarray(y).astype(np.int64))
        return self._sample[1], self._sample[2]

    def _draw(self, model: NeuralNetwork, X: np.ndarray, y: np.ndarray,
              view: tuple[tuple[float, float], tuple[float, float]]) -> None:
        a, b = self.units
        activations = model.forward(X)
        hidden_all = activations[-2]
        others = [k for k in range(hidden_all.shape[1]) if k not in (a, b)]
        hold = hidden_all[:, others].mean(axis=0) if others and len(X) else \
            np.zeros(len(others))
        line = output_line(model, (a, b), hold=hold if others else None)
        h = hidden_all[:, [a, b]]
        predicted = (activations[-1][:, 0] > 0.5).astype(np.int64)
        side = (line.weighted_input(h) > 0).astype(np.int64)
        self.line, self.hidden, self.labels = line, h, y
        self.predicted, self.side = predicted, side

        constant_x1, constant_x2 = warped_grid(model, view[0], view[1], GRID_LINES,
                                               GRID_RESOLUTION, (a, b))
        lines = np.concatenate([constant_x1, constant_x2])
        lines = np.concatenate([lines, np.full((lines.shape[0], 1, 2), np.nan)], axis=1)
        flat = lines.reshape(-1, 2)
        self.grid.setData(flat[:, 0], flat[:, 1])

        a_range, b_range = self._box(model.activation, h)
        self._draw_background(line, a_range, b_range)
        ends = line.segment(a_range, b_range)
        if ends is None:
            self.boundary.setData([], [])
        else:
            self.boundary.setData(ends[:, 0], ends[:, 1])
        for label, scatter in enumerate(self.points):
            _set_points(scatter, h[y == label])
        _set_points(self.rings, h[predicted != y])
        off = side != predicted
        _set_points(self.crosses, h[off])
        self._set_caption(line, others, int(off.sum()), len(X))

    def _box(self, activation: str, h: np.ndarray
             ) -> tuple[tuple[float, float], tuple[float, float]]:
        """The part of hidden space shown: a bounded activation's whole range, else the
        points' (kept while they stay inside and fill more than a third of it)."""
        if activation in BOUNDED:
            box = (BOUNDED[activation], BOUNDED[activation])
        else:
            low = np.minimum(h.min(axis=0), 0.0) if len(h) else np.zeros(2)
            high = np.maximum(h.max(axis=0), 0.0) if len(h) else np.ones(2)
            span = np.maximum(high - low, 1e-3)
            new = ((float(low[0] - 0.08 * span[0]), float(high[0] + 0.08 * span[0])),
                   (float(low[1] - 0.08 * span[1]), float(high[1] + 0.08 * span[1])))
            old = self._range
            keep = old is not None and all(
                o[0] <= n[0] and n[1] <= o[1] and (n[1] - n[0]) > (o[1] - o[0]) / 3
                for o, n in zip(old, new, strict=True))
            box = old if keep and old is not None else new
        if box != self._range:
            self._range = box
            self.plot_widget.getPlotItem().setRange(xRange=box[0], yRange=box[1],
                                                    padding=0)
        return box

    def _draw_background(self, line: HiddenLine, a_range: tuple[float, float],
                         b_range: tuple[float, float]) -> None:
        """σ(z) of the line's z over the box: the output's ŷ, logistic regression on h.

        z is linear in (h_a, h_b), so σ(z) changes only across the line: a linear gradient
        from z = −Z to z = +Z along the line's normal, with a stop per step of z, is exact
        up to the stops and far cheaper to paint than an image."""
        self.background.setRect(QRectF(a_range[0], b_range[0], a_range[1] - a_range[0],
                                       b_range[1] - b_range[0]))
        w = np.nan_to_num(line.weights)
        norm2 = float(w @ w)
        offset = line.offset if np.isfinite(line.offset) else 0.0
        if norm2 == 0.0:  # z is the same everywhere
            self.background.setBrush(QBrush(self._shade(offset)))
            return
        at_zero = -offset * w / norm2  # a point of the line z = 0
        step = GRADIENT_REACH * w / norm2  # from there to z = ±Z
        gradient = QLinearGradient(QPointF(*(at_zero - step)), QPointF(*(at_zero + step)))
        for t in np.linspace(0.0, 1.0, GRADIENT_STOPS):
            gradient.setColorAt(float(t), self._shade(GRADIENT_REACH * (2.0 * t - 1.0)))
        self.background.setBrush(QBrush(gradient))

    def _shade(self, z: float) -> QColor:
        """The boundary view's colour of ŷ = σ(z)."""
        y_hat = 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))
        r, g, b = self._lut[min(int(y_hat * len(self._lut)), len(self._lut) - 1)]
        return QColor(int(r), int(g), int(b))

    def _set_caption(self, line: HiddenLine, others: list[int], off: int, n: int) -> None:
        """Axis names and the line's formula (for more than 2 units: what the slice is)."""
        a, b = (unit_name(self._layer, u) for u in line.units)
        item = self.plot_widget.getPlotItem()
        if item.getAxis("bottom").labelText != a or item.getAxis("left").labelText != b:
            item.setLabel("bottom", a)
            item.setLabel("left", b)
        if not others:
            text = (f"ŷ = σ(z), z = θ⁽ŷ⁾₀ + θ⁽ŷ⁾{subscript(line.units[0] + 1)}{a} + "
                    f"θ⁽ŷ⁾{subscript(line.units[1] + 1)}{b}: logistic regression on h. The "
                    "line z = 0 splits the points exactly as the network predicts; grey: "
                    "the plane's grid, bent.")
        else:
            held = ", ".join(unit_name(self._layer, k) for k in others[:3]) + \
                (" …" if len(others) > 3 else "")
            text = (f"A slice: z = 0 with {held} held at the mean. ✕: {off} of {n} points "
                    "the network predicts on the other side (their other units differ).")
        self.caption.set_text(text)
