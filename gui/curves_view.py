"""The log-likelihood curve (train and test) and the accuracy against step.

Items are created once; each frame only calls ``setData`` when the history changed.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui import style
from gui.session import Frame


def _plot(title: str, left: str) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    item = widget.getPlotItem()
    item.setTitle(title, color="#3a3a3c", size="10pt")
    item.setLabel("left", left)
    item.showGrid(x=True, y=True, alpha=0.15)
    item.hideButtons()
    item.setMenuEnabled(False)
    for axis in ("left", "bottom"):
        item.getAxis(axis).enableAutoSIPrefix(False)
        item.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
        item.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
    return widget


class CurvesView(QWidget):
    """LL(θ) and accuracy per step; a vertical line marks the step being shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ll_plot = _plot("Log-likelihood per example, LL(θ) / n", "LL / n")
        self.acc_plot = _plot("", "accuracy")
        self.acc_plot.getPlotItem().setLabel("bottom", "step")
        self.acc_plot.setXLink(self.ll_plot)
        self.acc_plot.getPlotItem().setYRange(0.0, 1.02, padding=0)
        self.acc_plot.getPlotItem().getViewBox().setMouseEnabled(y=False)
        self.acc_plot.getPlotItem().getViewBox().enableAutoRange(axis="y", enable=False)
        legend = self.ll_plot.getPlotItem().addLegend(offset=(-10, -10),
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
        for item in (self.acc_train, self.acc_test):
            item.setClipToView(True)
            self.acc_plot.addItem(item)
        del legend
        marker_pen = pg.mkPen((8, 119, 189, 140), width=1)
        self.ll_marker = pg.InfiniteLine(angle=90, pen=marker_pen)
        self.acc_marker = pg.InfiniteLine(angle=90, pen=marker_pen)
        self.ll_plot.addItem(self.ll_marker)
        self.acc_plot.addItem(self.acc_marker)
        self.ll_plot.setToolTip("The lecture's objective LL(θ) = Σᵢ log P(yᵢ | xᵢ, θ), divided "
                                "by the number of points so that train and test share one "
                                "axis. Gradient ascent climbs it. Solid: training set (what θ "
                                "is fitted to); dashed: test set (held out, never trained on).")
        self.acc_plot.setToolTip("Fraction of points classified correctly (ŷ > 0.5 ⇒ class 1)")
        self._drawn: tuple[int, int, float] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.ll_plot, 3)
        layout.addWidget(self.acc_plot, 2)

    def apply_frame(self, frame: Frame) -> None:
        h = frame.history
        last = float(h["log_likelihood"][-1]) if frame.history_length else float("nan")
        key = (frame.history_length, int(h["steps"][-1]) if frame.history_length else -1, last)
        if key != self._drawn:
            self._drawn = key
            steps = h["steps"]
            self.ll_train.setData(steps, h["ll_per_example"])
            self.acc_train.setData(steps, h["accuracy"])
            has_test = bool(np.any(np.isfinite(h["test_log_likelihood"])))
            if has_test:
                self.ll_test.setData(steps, h["test_ll_per_example"])
                self.acc_test.setData(steps, h["test_accuracy"])
            else:
                self.ll_test.setData([], [])
                self.acc_test.setData([], [])
            last_step = float(steps[-1]) if steps.shape[0] else 0.0
            self.ll_plot.getPlotItem().setXRange(0.0, max(last_step, 10.0), padding=0.02)
            self.ll_plot.getPlotItem().getViewBox().enableAutoRange(axis="y")
        self.ll_marker.setValue(frame.step)
        self.acc_marker.setValue(frame.step)

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The training LL curve as drawn (x, y)."""
        x, y = self.ll_train.getData()
        return (np.zeros(0) if x is None else x), (np.zeros(0) if y is None else y)
