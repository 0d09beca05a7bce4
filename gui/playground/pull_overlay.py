"""Each example's pull (issue 12, item 3): an overlay of the boundary view that draws, at
every training point, its term (y − ŷ)·x of the gradient ∂LL/∂θ = Σᵢ (yᵢ − ŷᵢ)·xᵢ.

Logistic regression: an arrow from the point along (y − ŷ)·(x₁, x₂), the point's share of
∂LL/∂(θ₁, θ₂), in its class's colour, the longest scaled to a fixed part of the view. Points
the model already gets right have tiny arrows; the misclassified ones pull hardest, and they
are the ones that move the boundary. A network's pull on θ is backpropagated through its
layers (not a vector of x), so for a network the overlay draws a disc at each point sized by
|y − ŷ| at the output (for a softmax 1 − P(Y=y|x)). A regression has no class to pull
towards: the overlay says so. The numbers come from core.walkthrough.example_pulls.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from core.plane import display_sample
from core.walkthrough import example_pulls
from gui import style

MAX_ARROWS = 5_000  # as many as the point layer draws (an even sample of larger datasets)
LONGEST = 0.14  # the longest arrow, as a fraction of the view's width
HEAD_ANGLE = np.deg2rad(26.0)
HEAD_FRACTION = 0.32  # an arrowhead's length, as a fraction of its arrow (capped below)
HEAD_MAX = 0.025  # ... and of the view's width
DISC_PX = (5.0, 30.0)  # disc diameter for |y − ŷ| = 0 and 1 (networks)
DISC_LEVELS = 20  # |y − ŷ| is drawn in steps of 1/20


def arrow_segments(start: np.ndarray, end: np.ndarray, head_max: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    """x and y of the line pairs that draw arrows from ``start`` to ``end`` (both (n, 2)):
    the shaft, then the two strokes of the head (for ``connect="pairs"``)."""
    d = end - start
    length = np.hypot(d[:, 0], d[:, 1])
    unit = d / np.maximum(length, 1e-300)[:, None]
    head = np.minimum(HEAD_FRACTION * length, head_max)[:, None]
    c, s = np.cos(HEAD_ANGLE), np.sin(HEAD_ANGLE)
    left = np.column_stack((c * unit[:, 0] - s * unit[:, 1], s * unit[:, 0] + c * unit[:, 1]))
    right = np.column_stack((c * unit[:, 0] + s * unit[:, 1], -s * unit[:, 0] + c * unit[:, 1]))
    points = np.stack((start, end, end, end - head * left, end, end - head * right), axis=1)
    return points[..., 0].ravel(), points[..., 1].ravel()


class PullOverlay:
    """Arrows (logistic regression) or discs (networks) over the points of a boundary
    view; off until :meth:`set_enabled`. Call :meth:`apply_frame` with every frame."""

    def __init__(self, plot_item: pg.PlotItem, viewbox: pg.ViewBox, engine: Any) -> None:
        self._viewbox = viewbox
        self._engine = engine
        self.enabled = False
        self._frame: Any = None
        self._drawn: Any = None
        self.index = np.zeros(0, dtype=np.int64)  # the training examples drawn
        self.vectors = np.zeros((0, 2))  # (y − ŷ)·(x₁, x₂) of each, unscaled
        self.scale = 0.0  # data units per unit of (y − ŷ)·x
        self.errors = np.zeros(0)  # |y − ŷ| at the output of each
        self.mode = "off"  # "arrows", "discs", "unavailable"
        self._sample: tuple[Any, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._drawn_points: np.ndarray | None = None  # the X of the picture drawn
        self._drawn_ends = np.zeros((0, 2))  # its arrows (scaled) or disc sizes
        self.underlay = pg.PlotCurveItem(pen=pg.mkPen(255, 255, 255, 230, width=3.6),
                                         connect="pairs")
        self.arrows = [pg.PlotCurveItem(pen=pg.mkPen(style.CLASS_DARK[k], width=1.8),
                                        connect="pairs", antialias=True)
                       for k in range(len(style.CLASS_RGB))]
        self.discs = [pg.ScatterPlotItem(pxMode=True, symbol="o",
                                         pen=pg.mkPen(style.CLASS_DARK[k], width=1.5),
                                         brush=pg.mkBrush(*style.CLASS_RGB[k], 70))
                      for k in range(len(style.CLASS_RGB))]
        for z, item in ((13, self.underlay), *((13.5, a) for a in self.arrows),
                        *((11, d) for d in self.discs)):
            item.setZValue(z)
            item.setVisible(False)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            plot_item.addItem(item)
        self.caption = pg.TextItem("", color=(40, 40, 40), fill=pg.mkBrush(255, 255, 255, 215),
                                   anchor=(0, 1))
        self.caption.setParentItem(viewbox)
        self.caption.setZValue(30)
        self.caption.setVisible(False)
        viewbox.sigResized.connect(self._place_caption)
        viewbox.sigRangeChanged.connect(self._range_changed)
        self._place_caption()

    def set_enabled(self, enabled: bool) -> None:
        """Show (True) or hide the pulls; shown, they follow every frame."""
        self.enabled = bool(enabled)
        self._drawn = None
        if not self.enabled:
            self.mode = "off"
            self._hide_all()
            self.caption.setVisible(False)
        elif self._frame is not None:
            self.apply_frame(self._frame)

    def apply_frame(self, frame: Any) -> None:
        self._frame = frame
        if not self.enabled:
            return
        dataset = self._engine.dataset
        if frame.data_version != dataset.version:
            return  # the frame of the new data comes next
        (x0, x1), _ = self._viewbox.viewRange()
        width = x1 - x0
        key = (frame.seq, dataset.version, width)
        if key == self._drawn:
            return
        self._drawn = key
        if frame.spec.kind == "regression":
            self.mode = "unavailable"
            self._hide_all()
            self._say("Pulls (y − ŷ)·x: not available for a regression here")
            return
        if self._sample is None or self._sample[0] is not dataset:
            index = display_sample(len(dataset.y_train), MAX_ARROWS)
            self._sample = (dataset, index, dataset.X_train[index], dataset.y_train[index])
        _, index, X, y = self._sample
        pulls = example_pulls(frame.model, X, y)
        self.index, self.errors = index, pulls.error
        if pulls.contribution is not None:
            self._draw_arrows(X, y, pulls.contribution[:, 1:3], width)
        else:
            self._draw_discs(X, y, pulls.error, frame.spec.n_classes)

    def _draw_arrows(self, X: np.ndarray, y: np.ndarray, vectors: np.ndarray,
                     width: float) -> None:
        longest = float(np.max(np.hypot(vectors[:, 0], vectors[:, 1]))) if len(y) else 0.0
        scale = LONGEST * width / longest if longest > 0 else 0.0
        if self.mode == "arrows" and self._same_picture(X, scale * vectors, width):
            return  # no arrow would move by half a pixel: nothing to redraw
        self.mode = "arrows"
        self.vectors, self.scale = vectors, scale
        self._drawn_points, self._drawn_ends = X, scale * vectors
        start = X[:, :2]
        xs, ys = arrow_segments(start, start + self.scale * vectors, HEAD_MAX * width)
        self.underlay.setData(xs, ys, connect="pairs")
        self.underlay.setVisible(True)
        per_arrow = 6
        for k, item in enumerate(self.arrows):
            mine = np.repeat(y == k, per_arrow)
            item.setData(xs[mine], ys[mine], connect="pairs")
            item.setVisible(bool(mine.any()))
        for disc in self.discs:
            disc.setVisible(False)
        self._say(f"Each point's pull (y − ŷ)·x on θ: the longest arrow is "
                  f"|y − ŷ|·‖(x₁, x₂)‖ = {longest:.2f}")

    def _draw_discs(self, X: np.ndarray, y: np.ndarray, error: np.ndarray,
                    n_classes: int) -> None:
        # a few sizes only: pyqtgraph renders each distinct size once (its symbol atlas)
        level = np.round(np.clip(error, 0.0, 1.0) * DISC_LEVELS) / DISC_LEVELS
        sizes = DISC_PX[0] + (DISC_PX[1] - DISC_PX[0]) * level
        if (self.mode == "discs" and self._drawn_points is X
                and np.array_equal(sizes, self._drawn_ends)):
            return  # the same discs
        self._drawn_points, self._drawn_ends = X, sizes
        self.mode = "discs"
        self.vectors = np.zeros((0, 2))
        self.scale = 0.0
        self.underlay.setVisible(False)
        for item in self.arrows:
            item.setVisible(False)
        for k, disc in enumerate(self.discs):
            mine = y == k
            disc.setData(X[mine, 0], X[mine, 1], size=sizes[mine])
            disc.setVisible(bool(mine.any()))
        what = "|y − ŷ|" if n_classes == 2 else "1 − P(Y=y|x)"
        self._say(f"Each point's error at the output, {what}, as the disc's size (a "
                  "network's pull on θ is backpropagated, not an arrow of x)")

    def _same_picture(self, X: np.ndarray, ends: np.ndarray, width: float) -> bool:
        """Whether arrows from X to X + ends look as drawn (within half a pixel)."""
        drawn = self._drawn_ends
        if self._drawn_points is not X or drawn.shape != ends.shape or not len(ends):
            return False
        px_per_unit = self._viewbox.width() / max(width, 1e-12)
        return float(np.max(np.abs(ends - drawn))) * px_per_unit < 0.5

    def _hide_all(self) -> None:
        self.underlay.setVisible(False)
        for item in (*self.arrows, *self.discs):
            item.setVisible(False)

    def _say(self, text: str) -> None:
        if self.caption.textItem.toPlainText() != text:
            self.caption.setText(text)
            self._fit_caption()
        self.caption.setVisible(True)

    def _fit_caption(self) -> None:
        """Wrap the caption inside the plot when it is longer than the plot is wide."""
        available = max(self._viewbox.boundingRect().width() - 12, 80)
        document = self.caption.textItem
        document.setTextWidth(-1)
        if document.boundingRect().width() > available:
            self.caption.setTextWidth(available)
        else:
            self.caption.setTextWidth(-1)

    def _range_changed(self, *_: object) -> None:
        """Zooming rescales the arrows (the longest stays a fixed part of the view)."""
        if self.enabled and self._frame is not None:
            self.apply_frame(self._frame)

    def _place_caption(self) -> None:
        rect = self._viewbox.boundingRect()
        self._fit_caption()
        self.caption.setPos(rect.left() + 6, rect.bottom() - 6)


__all__ = ["PullOverlay", "arrow_segments"]
