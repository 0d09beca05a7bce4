"""The log-likelihood curve (train and test; with a prior also the objective LL − penalty)
and the accuracy against step.

Items are created once; each frame only calls ``setData`` when the history changed.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui import style
from gui.engine import Frame
from gui.widgets import formulas_text as ft

LL_TIP = ft.tip(ft.LOG_LIKELIHOOD, "Divided by n so that the training set (solid) and the "
                "test set (dashed, never trained on) share one axis; gradient ascent climbs it.")
GAUSSIAN_LL_TIP = ft.tip(ft.GAUSSIAN_LL, "A regression's log-likelihood, divided by n: "
                         "training set solid, test set dashed; gradient ascent climbs it.")
ACCURACY_TIP = ft.tip(ft.ACCURACY, "The share of points classified right (class 1 iff "
                      "ŷ > 0.5; with more classes the most likely one).")
R2_TIP = ft.tip("R² = 1 − Σᵢ (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾)² / Σᵢ (y⁽ⁱ⁾ − ȳ)²", "A regression's share of the "
                "targets' variance explained (1: perfect, 0: no better than the mean).")
LEFT_AXIS_WIDTH = 72  # px: "−0.69315" and the axis name


def _plot(title: str, left: str) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    item = widget.getPlotItem()
    item.setTitle(title or None, color="#3a3a3c", size="10pt")  # None: no title row
    item.setLabel("left", left)
    item.showGrid(x=True, y=True, alpha=0.15)
    item.hideButtons()
    item.setMenuEnabled(False)
    style.cache_plot_decorations(item)
    style.make_opaque(widget)
    # the same width for both plots' left axes, so that their x axes line up
    item.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
    for axis in ("left", "bottom"):
        item.getAxis(axis).enableAutoSIPrefix(False)
        item.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
        item.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
    return widget


class CurvesView(QWidget):
    """LL(θ) and accuracy per step; a vertical line marks the step being shown."""

    MAX_RATE = 8.0  # plot redraws per second while running (LL and accuracy alternate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ll_plot = _plot("Log-likelihood per example", "LL(θ) / n")
        self.acc_plot = _plot("", "accuracy")
        self._regression = False
        self.acc_plot.getPlotItem().setLabel("bottom", "step")
        self.acc_plot.setXLink(self.ll_plot)
        self.acc_plot.getPlotItem().setYRange(-0.04, 1.06, padding=0)
        self._acc_bottom = -0.04
        self.acc_plot.getPlotItem().getAxis("left").setTicks(
            [[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        self.acc_plot.getPlotItem().getViewBox().setMouseEnabled(y=False)
        self.acc_plot.getPlotItem().getViewBox().enableAutoRange(axis="y", enable=False)
        # one row (train, test): it fits the short plot of a small window
        legend = self.ll_plot.getPlotItem().addLegend(offset=(-10, -10), colCount=3,
                                                      labelTextColor=(40, 40, 40))
        train_pen = pg.mkPen(style.TRAIN_CURVE_RGB, width=2)
        test_pen = pg.mkPen(style.TEST_CURVE_RGB, width=2,
                            style=pg.QtCore.Qt.PenStyle.DashLine)
        self.ll_train = pg.PlotDataItem(pen=train_pen, name="train")
        self.ll_test = pg.PlotDataItem(pen=test_pen, name="test")
        self.acc_train = pg.PlotDataItem(pen=train_pen)
        self.acc_test = pg.PlotDataItem(pen=test_pen)
        for item in (self.ll_train, self.ll_test):
            item.setClipToView(True)
            self.ll_plot.addItem(item)
        # the MAP objective LL − λ‖θ‖² per example: added to the plot (and its legend) only
        # while a prior is on (it then differs from LL)
        self.objective = pg.PlotDataItem(
            pen=pg.mkPen(style.OBJECTIVE_CURVE_RGB, width=2, style=pg.QtCore.Qt.PenStyle.DotLine),
            name="objective")
        self.objective.setClipToView(True)
        self.objective.setToolTip("The objective gradient ascent climbs with a prior: "
                                  "LL(θ) − λ‖θ‖² (− λ‖θ‖₁), per training example")
        self._objective_shown = False
        for item in (self.acc_train, self.acc_test):
            item.setClipToView(True)
            self.acc_plot.addItem(item)
        del legend
        marker_pen = pg.mkPen((8, 119, 189, 140), width=1)
        self.ll_marker = pg.InfiniteLine(angle=90, pen=marker_pen)
        self.acc_marker = pg.InfiniteLine(angle=90, pen=marker_pen)
        self.ll_plot.addItem(self.ll_marker)
        self.acc_plot.addItem(self.acc_marker)
        self.ll_plot.setToolTip(LL_TIP)
        self.acc_plot.setToolTip(ACCURACY_TIP)
        self._drawn: dict[str, tuple[int, int, float]] = {}
        self._next = "ll"
        self._last_draw = 0.0
        self._x_max = 0.0
        self._y_range = (0.0, 0.0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.ll_plot, 3)
        layout.addWidget(self.acc_plot, 2)
        self.acc_plot.setMinimumHeight(92)  # room for its axis name and the step axis
        self.ll_plot.setMinimumHeight(92)

    def apply_frame(self, frame: Frame) -> None:
        h = frame.history
        last = float(h["log_likelihood"][-1]) if frame.history_length else float("nan")
        key = (frame.history_length, int(h["steps"][-1]) if frame.history_length else -1, last)
        stale = [part for part in ("ll", "acc") if self._drawn.get(part) != key]
        if frame.running:
            # The curves change slowly: while training runs, one of the two plots is
            # redrawn at a time, MAX_RATE times a second in all (the boundary and the
            # diagram every frame).
            now = time.perf_counter()
            if not stale or now - self._last_draw < 1.0 / self.MAX_RATE:
                if frame.preview:
                    self._set_markers(frame.step)
                return
            self._last_draw = now
            part = self._next if self._next in stale else stale[0]
            self._next = "acc" if part == "ll" else "ll"
            stale = [part]
        has_test = bool(np.any(np.isfinite(h["test_log_likelihood"])))
        steps = h["steps"]
        if "ll" in stale:
            self._drawn["ll"] = key
            self.ll_train.setData(steps, h["ll_per_example"])
            if has_test:
                self.ll_test.setData(steps, h["test_ll_per_example"])
            else:
                self.ll_test.setData([], [])
            last_step = float(steps[-1]) if steps.shape[0] else 0.0
            x_max = self.nice_limit(last_step)
            if x_max != self._x_max:  # the axis only changes when the curve outgrows it
                self._x_max = x_max
                self.ll_plot.getPlotItem().setXRange(0.0, x_max, padding=0.02)
            objective = self._show_objective(h, frame.n_train)
            self._fit_y(h["ll_per_example"], h["test_ll_per_example"] if has_test else None,
                        objective)
            self.ll_marker.setValue(frame.step)
        regression = frame.spec.kind == "regression"
        if regression != self._regression:  # a regression records R² in the accuracy column
            self._regression = regression
            self.acc_plot.getPlotItem().setLabel("left", "R²" if regression else "accuracy")
            self.ll_plot.setToolTip(GAUSSIAN_LL_TIP if regression else LL_TIP)
            self.acc_plot.setToolTip(R2_TIP if regression else ACCURACY_TIP)
        if "acc" in stale:
            self._drawn["acc"] = key
            self.acc_train.setData(steps, h["accuracy"])
            if has_test:
                self.acc_test.setData(steps, h["test_accuracy"])
            else:
                self.acc_test.setData([], [])
            self.acc_marker.setValue(frame.step)
            self._fit_accuracy(h["accuracy"], h["test_accuracy"] if has_test else None)
        if not frame.running:
            self._set_markers(frame.step)

    def _fit_accuracy(self, train: np.ndarray, test: np.ndarray | None) -> None:
        """Accuracy lives in [0, 1]; a regression's R² can be negative (worse than the
        mean), down to −1 shown (lower values are clipped by the view)."""
        low = 0.0
        if self._regression:
            values = np.concatenate([train, test]) if test is not None else train
            finite = values[np.isfinite(values)]
            if finite.size:
                low = max(min(float(finite.min()), 0.0), -1.0)
        bottom = low - 0.04 * (1.0 - low)
        if bottom != self._acc_bottom:
            self._acc_bottom = bottom
            self.acc_plot.getPlotItem().setYRange(bottom, 1.06, padding=0)

    @property
    def accuracy_label(self) -> str:
        """The accuracy plot's axis name: "accuracy", or "R²" for a regression."""
        return "R²" if self._regression else "accuracy"

    def _set_markers(self, step: int) -> None:
        self.ll_marker.setValue(step)
        self.acc_marker.setValue(step)

    def _show_objective(self, h: dict[str, np.ndarray], n_train: int) -> np.ndarray | None:
        """Draw the MAP objective per example when it differs from LL (a prior is on);
        returns it, or None when it is not shown."""
        ll, objective = h["log_likelihood"], h.get("objective")
        shown = objective is not None and objective.shape == ll.shape and bool(
            np.any(np.abs(objective - ll) > 1e-12 * (1.0 + np.abs(ll))))
        if shown != self._objective_shown:
            self._objective_shown = shown
            if shown:
                self.ll_plot.addItem(self.objective)
            else:
                self.ll_plot.removeItem(self.objective)
        if not shown or objective is None:
            return None
        per_example = objective / max(n_train, 1)
        self.objective.setData(h["steps"], per_example)
        return per_example

    @property
    def objective_shown(self) -> bool:
        """Whether the MAP objective's curve is on the plot."""
        return self._objective_shown

    def _fit_y(self, train: np.ndarray, test: np.ndarray | None,
               objective: np.ndarray | None = None) -> None:
        """Set the LL axis range only when the curves leave it or shrink well inside it
        (re-rendering the axis' text is the costly part of redrawing a plot)."""
        values = np.concatenate([v for v in (train, test, objective) if v is not None])
        values = values[np.isfinite(values)]
        if values.size == 0:
            return
        lo, hi = float(values.min()), float(values.max())
        span = max(hi - lo, 1e-3)
        cur_lo, cur_hi = self._y_range
        inside = cur_lo <= lo and hi <= cur_hi
        if inside and (hi - lo) > 0.35 * (cur_hi - cur_lo):
            return
        self._y_range = (lo - 0.08 * span, hi + 0.08 * span)
        self.ll_plot.getPlotItem().setYRange(*self._y_range, padding=0)

    @staticmethod
    def nice_limit(step: float) -> float:
        """The x-axis end: 10, 20, 50, 100, 200, 500 … at or above ``step``."""
        if step <= 10:
            return 10.0
        exponent = math.floor(math.log10(step))
        for m in (1.0, 2.0, 5.0, 10.0):
            if m * 10**exponent >= step:
                return m * 10**exponent
        return 10.0 ** (exponent + 1)

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The training LL curve as drawn (x, y)."""
        x, y = self.ll_train.getData()
        return (np.zeros(0) if x is None else x), (np.zeros(0) if y is None else y)
