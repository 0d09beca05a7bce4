"""The landscape panel's plots: LL over two parameters (heatmap, contour lines, the path of
gradient ascent, the current θ and the gradient arrow) and the 1-D profiles beside it.

Every item is created once and updated with setData / setImage.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsLineItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.landscape import contour_segments
from gui.widgets.formulas_text import LOG_LIKELIHOOD
from gui.widgets.formulas_text import tip as formula_tip

FloatArray = NDArray[np.float64]

PATH_RGB = (255, 255, 255)
MARKER_RGB = (214, 0, 28)
ARROW_RGB = (255, 214, 10)
PEAK_RGB = (255, 255, 255)
N_CONTOURS = 9
LL_FORMULA = "LL(θ) = Σᵢ yᵢ log σ(θᵀxᵢ) + (1 − yᵢ) log(1 − σ(θᵀxᵢ))"
GRADIENT_FORMULA = "∂LL/∂θⱼ = Σᵢ (yᵢ − σ(θᵀxᵢ)) xᵢⱼ"


def colour_levels(ll: FloatArray) -> tuple[float, float]:
    """The heatmap's levels: the slice's maximum at the top, the 5th percentile at the
    bottom (LL falls steeply far from the peak; the view's detail is near it)."""
    finite = ll[np.isfinite(ll)]
    if not finite.size:
        return 0.0, 1.0
    hi = float(finite.max())
    lo = float(np.percentile(finite, 5))
    return (lo, hi) if hi > lo else (hi - 1.0, hi)


def contour_levels(lo: float, hi: float, n: int = N_CONTOURS) -> FloatArray:
    """n levels below the peak, each half as far below it as the one before:
    hi − (hi − lo)·2⁻ᵏ, k = 0…n−1 (the hill's shape near its top shows too)."""
    k = np.arange(n, dtype=np.float64)
    return hi - (hi - lo) * 0.5 ** k


def depth_shade(ll: FloatArray, hi: float) -> FloatArray:
    """The heatmap's value: −log(1 + (max LL − LL)), higher where LL is higher, and
    spread evenly over depths 1, 10, 100 … below the peak (LL drops steeply away from it)."""
    return -np.log1p(np.maximum(hi - ll, 0.0))


class LandscapePlot(pg.PlotWidget):
    """LL(θ_a, θ_b) as a heatmap with contour lines and the ascent drawn on it."""

    mouse_left = Signal()  # the mouse left the plot (the hover readout ends)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        item = self.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=False, y=False)
        self.viewbox = item.getViewBox()
        self.viewbox.setMouseEnabled(x=False, y=False)  # a click sets θ; no pan, no zoom
        self.viewbox.setDefaultPadding(0.0)
        self.viewbox.disableAutoRange()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setLookupTable(pg.colormap.get("viridis").getLookupTable(nPts=256))
        self.image.setZValue(-10)
        item.addItem(self.image)
        self.contours = pg.PlotDataItem(connect="pairs",
                                        pen=pg.mkPen(255, 255, 255, 120, width=1))
        item.addItem(self.contours)
        self.path = pg.PlotDataItem(pen=pg.mkPen(*PATH_RGB, width=2))
        item.addItem(self.path)
        self.start = pg.ScatterPlotItem(size=7, symbol="s", pen=pg.mkPen(40, 40, 40),
                                        brush=pg.mkBrush(*PATH_RGB))
        item.addItem(self.start)
        self.peaks = pg.ScatterPlotItem(size=11, symbol="o", pen=pg.mkPen(40, 40, 40),
                                        brush=pg.mkBrush(255, 255, 255, 90))
        item.addItem(self.peaks)
        self.peak = pg.ScatterPlotItem(size=15, symbol="star", pen=pg.mkPen(40, 40, 40),
                                       brush=pg.mkBrush(*PEAK_RGB))
        self.peak.setZValue(11)  # above the current θ: at convergence they meet
        item.addItem(self.peak)
        pen = pg.mkPen(*ARROW_RGB, width=3)
        pen.setCosmetic(True)
        self.arrow_line = QGraphicsLineItem()  # (moved every frame: setLine is cheap)
        self.arrow_line.setPen(pen)
        self.arrow_line.setVisible(False)
        item.addItem(self.arrow_line)
        self.arrow_head = pg.ArrowItem(pen=pg.mkPen(*ARROW_RGB), brush=pg.mkBrush(*ARROW_RGB),
                                       headLen=13, headWidth=9, tailLen=0)
        self.arrow_head.setVisible(False)
        item.addItem(self.arrow_head)
        self.marker = pg.ScatterPlotItem(size=14, symbol="o", pen=pg.mkPen("w", width=2),
                                         brush=pg.mkBrush(*MARKER_RGB))
        self.marker.setZValue(10)
        self.marker.setData([0.0], [0.0])  # moved with setPos (cheaper than setData)
        self.marker.setVisible(False)
        item.addItem(self.marker)
        # what changes about once a second is painted from a cached pixmap, so moving the
        # marker and the arrow every frame repaints only them
        for still in (self.image, self.contours, self.path, self.peaks, self.peak,
                      item.getAxis("left"), item.getAxis("bottom")):
            still.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._arrow: tuple[float, float, float, float] | None = None
        self.viewbox.sigTransformChanged.connect(self._aim_arrow)
        self.viewbox.sigResized.connect(self._aim_arrow)

    # ------------------------------------------------------------------ grid

    def set_axes(self, a_name: str, b_name: str) -> None:
        item = self.getPlotItem()
        item.setLabel("bottom", a_name)
        item.setLabel("left", b_name)

    def set_range(self, a_range: tuple[float, float], b_range: tuple[float, float]) -> None:
        self.viewbox.setRange(xRange=a_range, yRange=b_range, padding=0.0)

    def set_grid(self, a: FloatArray, b: FloatArray, ll: FloatArray,
                 concave: bool) -> None:
        """Draw LL over the grid (shape (len(a), len(b))), its contours and its peaks:
        the highest point (★) and, where the slice is not concave, every local maximum."""
        lo, hi = colour_levels(ll)
        shade = depth_shade(np.clip(np.nan_to_num(ll, nan=lo), lo, hi), hi)
        shown = np.ascontiguousarray(shade, dtype=np.float32)
        da = (a[-1] - a[0]) / max(len(a) - 1, 1)
        db = (b[-1] - b[0]) / max(len(b) - 1, 1)
        self.image.setImage(shown, levels=(float(depth_shade(np.array(lo), hi)), 0.0),
                            autoLevels=False)
        self.image.setRect(QRectF(a[0] - da / 2, b[0] - db / 2, a[-1] - a[0] + da,
                                  b[-1] - b[0] + db))
        segments = contour_segments(ll, a, b, contour_levels(lo, hi))
        self.contours.setData(segments[:, 0], segments[:, 1])

    def set_peaks(self, best: tuple[float, float] | None,
                  others: FloatArray | None = None) -> None:
        self.peak.setData([] if best is None else [best[0]], [] if best is None else [best[1]])
        if others is None or not len(others):
            self.peaks.setData([], [])
        else:
            self.peaks.setData(others[:, 0], others[:, 1])

    def clear_grid(self) -> None:
        self.image.clear()
        self.contours.setData([], [])
        self.set_peaks(None)

    # ------------------------------------------------------------------ ascent

    def set_path(self, a: FloatArray, b: FloatArray) -> None:
        self.path.setData(a, b)
        self.start.setData(a[:1], b[:1])

    def set_current(self, a: float, b: float, arrow: tuple[float, float] | None) -> None:
        """The current θ (a, b) and the arrow from it (a vector in parameter units)."""
        self.marker.setPos(a, b)
        self.marker.setVisible(True)
        if arrow is None or not all(map(math.isfinite, arrow)) or arrow == (0.0, 0.0):
            self._arrow = None
            self.arrow_line.setVisible(False)
            self.arrow_head.setVisible(False)
            return
        tip = (a + arrow[0], b + arrow[1])
        self._arrow = (a, b, *tip)
        self.arrow_line.setLine(a, b, tip[0], tip[1])
        self.arrow_line.setVisible(True)
        self._aim_arrow()

    def marker_position(self) -> tuple[float, float]:
        """The current θ as marked (a, b)."""
        return float(self.marker.pos().x()), float(self.marker.pos().y())

    def _aim_arrow(self, *_: object) -> None:
        """Point the arrow's head along the line as drawn on screen (the axes' scales
        differ)."""
        if self._arrow is None:
            return
        a, b, ta, tb = self._arrow
        p0 = self.viewbox.mapViewToScene(QPointF(a, b))
        p1 = self.viewbox.mapViewToScene(QPointF(ta, tb))
        dx, dy = p1.x() - p0.x(), p1.y() - p0.y()
        if math.hypot(dx, dy) < 4.0:  # too short for a head
            self.arrow_head.setVisible(False)
            return
        self.arrow_head.setStyle(angle=math.degrees(math.atan2(-dy, -dx)))
        self.arrow_head.setPos(ta, tb)
        self.arrow_head.setVisible(True)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self.mouse_left.emit()

    def scene_to_view(self, scene_pos: QPointF) -> QPointF | None:
        """The parameter values (a, b) under a scene point, None outside the plot area."""
        if not self.viewbox.sceneBoundingRect().contains(scene_pos):
            return None
        return self.viewbox.mapSceneToView(scene_pos)


class ProfilePlots(pg.GraphicsLayoutWidget):
    """LL along each shown parameter θⱼ alone (the others at their current values): a
    small plot each, with the current θⱼ and the profile's highest point marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, border=None)
        self.setBackground("w")
        self.setToolTip(formula_tip(
            LOG_LIKELIHOOD, "Each small plot: LL along one θⱼ alone, the others held at "
            "their current values; the red line is θⱼ, the dot the profile's highest point."))
        self.ci.setSpacing(2)
        self.plots: list[pg.PlotItem] = []
        self._curves: list[pg.PlotDataItem] = []
        self._lines: list[pg.InfiniteLine] = []
        self._tops: list[pg.ScatterPlotItem] = []
        self._names: tuple[str, ...] = ()
        self._columns = 0

    def set_names(self, names: tuple[str, ...], tooltips: tuple[str, ...]) -> None:
        """One small plot per name (rebuilt only when the names change)."""
        if names == self._names:
            return
        self._names = names
        self.ci.clear()
        self.plots, self._curves, self._lines, self._tops = [], [], [], []
        self._columns = 0
        for name, tip in zip(names, tooltips, strict=True):
            plot = pg.PlotItem()
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.setTitle(f"<span style='font-size:9pt'>LL along {name}</span>")
            plot.getAxis("left").setWidth(34)
            plot.getAxis("left").setStyle(tickLength=-3)
            plot.getAxis("bottom").setStyle(tickLength=-3)
            plot.setToolTip(tip)
            for axis in ("left", "bottom"):  # their text: a pixmap, not drawn again each time
                plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.titleLabel.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            curve = plot.plot(pen=pg.mkPen(30, 30, 30, width=1.5))
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(*MARKER_RGB, width=1.5))
            plot.addItem(line)
            top = pg.ScatterPlotItem(size=9, symbol="star", pen=pg.mkPen(40, 40, 40),
                                     brush=pg.mkBrush(255, 214, 10))
            plot.addItem(top)
            self.plots.append(plot)
            self._curves.append(curve)
            self._lines.append(line)
            self._tops.append(top)
        self._arrange()

    MIN_PLOT_HEIGHT = 95  # px: fewer rows (more columns) when the panel is low

    def _arrange(self) -> None:
        """Lay the small plots out in as many rows as fit (at most three)."""
        n = len(getattr(self, "plots", ()))  # (resized while being built)
        if not n:
            return
        rows = max(1, min(3, n, self.height() // self.MIN_PLOT_HEIGHT))
        columns = math.ceil(n / rows)
        if columns == self._columns:
            return
        self._columns = columns
        for plot in self.plots:
            if plot.scene() is not None:
                self.ci.removeItem(plot)
        for k, plot in enumerate(self.plots):
            self.ci.addItem(plot, row=k // columns, col=k % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange()

    def set_profile(self, k: int, values: FloatArray, ll: FloatArray) -> None:
        if k >= len(self._curves):
            return
        self._curves[k].setData(values, ll)
        finite = np.isfinite(ll)
        if finite.any():
            best = int(np.nanargmax(ll))
            self._tops[k].setData([values[best]], [ll[best]])
            lo, hi = float(np.min(ll[finite])), float(np.max(ll[finite]))
            (x0, x1), (y0, y1) = self.plots[k].getViewBox().viewRange()
            inside = y0 <= lo and hi <= y1 and (hi - lo) >= 0.7 * (y1 - y0)
            if not inside or (x0, x1) != (values[0], values[-1]):
                # (a new range re-renders the axes' text: the costly part of a repaint)
                pad = 0.06 * (hi - lo) if hi > lo else 1.0
                self.plots[k].setRange(xRange=(values[0], values[-1]),
                                       yRange=(lo - pad, hi + pad), padding=0.0)

    def set_current(self, theta: FloatArray) -> None:
        for line, value in zip(self._lines, theta, strict=False):
            line.setValue(float(value))

    def profile_data(self, k: int) -> tuple[FloatArray, FloatArray]:
        """(θⱼ values, LL) of profile k as drawn (tests)."""
        x, y = self._curves[k].getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (x, y)


class LandscapeLayout:
    """The panel's widgets, laid out in ``owner``: the choice of parameters above, the
    landscape and the profiles side by side, the caption and the hover readout below (or a
    message instead, where there is no landscape to draw)."""

    def __init__(self, owner: QWidget) -> None:
        self.unit_combo = QComboBox()
        self.unit_combo.setToolTip("The network unit whose incoming weights θ⁽ˡ⁾ᵢ,ⱼ are "
                                   "sliced (ŷ: the output unit; hˡⱼ: hidden unit j of "
                                   "layer l)")
        self.a_combo = QComboBox()
        self.a_combo.setToolTip("The parameter along the horizontal axis")
        self.b_combo = QComboBox()
        self.b_combo.setToolTip("The parameter along the vertical axis")
        for combo in (self.unit_combo, self.a_combo, self.b_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit_label = QLabel("unit")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.unit_label, self.unit_combo, QLabel("horizontal"), self.a_combo,
                       QLabel("vertical"), self.b_combo):
            row.addWidget(widget)
        row.addStretch(1)
        self.plot = LandscapePlot()
        self.plot.setMinimumSize(220, 180)
        self.plot.setToolTip(
            f"LL over the two parameters, every other one at its current value:\n"
            f"{LL_FORMULA}\nBrighter is higher. White line: the path of gradient ascent "
            "(□ where it started); red dot: θ now; ★: the highest point of this slice.\n"
            f"Yellow arrow: the gradient ({GRADIENT_FORMULA}) in these two coordinates, "
            "scaled as the caption says; it points uphill and shrinks to zero at the peak."
            "\nClick to set θ there (Ctrl+Z undoes it).")
        self.profiles = ProfilePlots()
        self.profiles.setMinimumWidth(160)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.profiles)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setToolTip("A concave function has a single peak, so gradient ascent "
                                "reaches the maximum from any start (the lecture).")
        self.readout = QLabel("Hover the landscape to read LL; click to set θ there.")
        self.readout.setToolTip("LL at the point under the mouse (exact, not from the grid)")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long readout is cut at the panel's edge: it never widens (and so re-lays out)
        # the panel while the mouse moves
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        content = QWidget()
        v = QVBoxLayout(content)
        v.setContentsMargins(4, 2, 4, 2)
        v.setSpacing(3)
        v.addLayout(row)
        v.addWidget(splitter, 1)
        v.addWidget(self.caption)
        v.addWidget(self.readout)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = CurrentPageStack()
        self.stack.addWidget(content)
        self.stack.addWidget(self.message)
        outer = QVBoxLayout(owner)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        owner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)


class CurrentPageStack(QStackedWidget):
    """A stack as large as the page it shows (Qt's is as large as its largest page): the
    message that replaces the landscape wraps in a narrow dock instead of being cut."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


__all__ = ["GRADIENT_FORMULA", "LL_FORMULA", "LandscapeLayout", "LandscapePlot",
           "ProfilePlots"]

