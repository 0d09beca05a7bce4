"""The points of the boundary view, the rings around misclassified ones, and the legend that
explains them (one row per class, the boundary line, the sample note of big datasets).

Two scatter items in all (each costs a pixmap blit per frame): every point, filled with its
class's colour (redrawn only when the data change), and on top a ring around every
misclassified point (its predicted class, 1 iff ŷ > 0.5 or the most likely class, is not
its label). Training moves only the rings, usually a small subset of the points: that keeps
a 100,000-point dataset responsive while it trains.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from core import plane
from gui import style
from gui.engine import Frame
from gui.playground.session import MAX_CLASSES, DataState

LARGE_DATASET = 20_000  # above this many points the misclassified rings update at most
LARGE_RING_RATE = 4.0  # this many times a second while training runs
MAX_DRAWN_POINTS = 5_000  # larger datasets draw an even sample of this many (legend says so)

PointSets = list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]


class PassiveLegend(pg.LegendItem):
    """A legend that stays put: clicks and brush strokes over it reach the plane below
    (pyqtgraph's legend would be dragged away instead)."""

    def mouseDragEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        ev.ignore()  # type: ignore[attr-defined]

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        ev.ignore()  # type: ignore[attr-defined]


class PassiveScatter(pg.ScatterPlotItem):
    """Points that let clicks through to the view (so clicking on a point adds or erases)."""

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        ev.ignore()  # type: ignore[attr-defined]


def point_style(kind: str, label: int, wrong: bool) -> dict[str, object]:
    """Training points: filled circles of the class colour; test points: hollow diamonds;
    ``wrong``: the red ring drawn over a misclassified point."""
    rgb = style.CLASS_RGB[label]
    if wrong:  # a ring drawn over a misclassified point
        return {"symbol": "o" if kind == "train" else "d", "size": 13,
                "pen": pg.mkPen(style.MISCLASSIFIED_RGB, width=2.4),
                "brush": pg.mkBrush(None), "pxMode": True}
    if kind == "train":
        return {"symbol": "o", "size": 8, "pen": pg.mkPen(255, 255, 255, 230, width=1.2),
                "brush": pg.mkBrush(*rgb), "pxMode": True}
    return {"symbol": "d", "size": 10, "pen": pg.mkPen(rgb, width=2.2),
            "brush": pg.mkBrush(255, 255, 255, 200), "pxMode": True}


class PointLayer:
    """The points, their rings and the legend of a boundary view's plot."""

    def __init__(self, plot_item: pg.PlotItem, viewbox: pg.ViewBox) -> None:
        self._plot_item = plot_item
        self._drawn: tuple[int, bytes, bytes] | None = None
        self._keys: dict[str, object] = {}
        self._last_rings = 0.0
        self.points = self._add_scatter(z=10)
        self.rings = self._add_scatter(z=12)

        self.legend = PassiveLegend(offset=(8, 8), labelTextColor=(40, 40, 40),
                                    brush=pg.mkBrush(255, 255, 255, 215),
                                    pen=pg.mkPen(200, 200, 200))
        self.legend.setParentItem(viewbox)
        self.legend.setCacheMode(self.legend.CacheMode.DeviceCoordinateCache)
        self.legend_line = pg.PlotDataItem(pen=pg.mkPen(style.CONTOUR_RGB, width=2))
        # "5,000 of 100,000 points drawn": a legend row (no sample) shown for big datasets
        self._sample_note = pg.PlotDataItem(pen=None)
        self._sample_note_text: str | None = None
        self._legend_classes = 0
        self.set_legend_classes(2)

    def _add_scatter(self, z: float) -> pg.ScatterPlotItem:
        item = PassiveScatter(pxMode=True)
        item.setZValue(z)
        # the heatmap under the points changes every frame, the points rarely: repaint
        # them from a pixmap cache
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._plot_item.addItem(item)
        return item

    # ----------------------------------------------------------------- legend

    def set_legend_classes(self, n_classes: int) -> None:
        """One row per class, then the ring, the test diamond and the boundary line (ŷ = 0.5
        for two classes, where the top two tie for more); 0: a regression (points coloured
        by their target y, no rings, no line)."""
        if n_classes == self._legend_classes:
            return
        self._legend_classes = n_classes
        self.legend.clear()
        if n_classes == 0:
            self._legend_samples = [pg.ScatterPlotItem(**point_style("train", 1, False)),
                                    pg.ScatterPlotItem(**point_style("test", 1, False))]
            self.legend.addItem(self._legend_samples[0], "training point, colour = its y")
            self.legend.addItem(self._legend_samples[1], "test point")
            if self._sample_note_text is not None:
                self.legend.addItem(self._sample_note, self._sample_note_text)
            return
        rows = [(f"y = {k} (class {k})", "train", k, False) for k in range(n_classes)]
        rows += [("misclassified", "train", 0, True), ("test point", "test", 1, False)]
        self._legend_samples = []
        for name, kind, label, wrong in rows:
            sample = pg.ScatterPlotItem(**point_style(kind, label, wrong))
            self._legend_samples.append(sample)
            self.legend.addItem(sample, name)
        self.legend.addItem(self.legend_line, "P(Y=1|x) = 0.5" if n_classes == 2
                            else "top two classes tie")
        if self._sample_note_text is not None:
            self.legend.addItem(self._sample_note, self._sample_note_text)

    def legend_labels(self) -> list[str]:
        """The legend's rows, top to bottom (for tests)."""
        return [label.text for _, label in self.legend.items]

    def _show_sample_note(self, total: int, drawn: int) -> None:
        text = (None if drawn >= total else
                f"{drawn:,} of {total:,} points drawn (an even sample)")
        if text == self._sample_note_text:
            return
        if self._sample_note_text is not None:
            self.legend.removeItem(self._sample_note)
        self._sample_note_text = text
        if text is not None:
            self.legend.addItem(self._sample_note, text)

    def sample_note(self) -> str | None:
        """The legend's note when only a sample of the points is drawn (None: all are)."""
        return self._sample_note_text

    # ----------------------------------------------------------------- points

    def forget(self) -> None:
        """Draw everything again at the next redraw (e.g. test points shown or hidden)."""
        self._keys.pop("points", None)
        self._drawn = None
        self._keys.clear()

    def redraw(self, data: DataState, version: int, frame: Frame | None, show_test: bool,
               levels: tuple[float, float] = (-1.0, 1.0)) -> None:
        """Draw the points of ``data`` and ring those the frame's model misclassifies (a
        regression: every point coloured by its target y in ``levels``, no rings)."""
        X_train, y_train = data.train
        X_test, y_test = data.held_out
        if data.regression:
            self._redraw_targets(data, version, show_test, levels)
            return
        if frame is not None and frame.data_version == version:
            p_train, p_test = frame.train_predictions, frame.test_predictions
        else:
            p_train, p_test = y_train, y_test  # unknown yet: drawn as correct until next frame
        key = (version, p_train.tobytes(), p_test.tobytes())
        if key == self._drawn:
            return
        now = time.perf_counter()
        if (frame is not None and frame.running and len(data) > LARGE_DATASET
                and self._drawn is not None and self._drawn[0] == key[0]
                and now - self._last_rings < 1.0 / LARGE_RING_RATE):
            return  # a huge dataset: move the rings a few times a second only
        self._last_rings = now
        self._drawn = key
        # A big dataset draws an even sample (points and their rings): drawing 100,000
        # symbols costs the GUI thread far more than the 50 ms it may keep input waiting.
        sample_key = ("sample", version, show_test)
        if self._keys.get("sample_key") != sample_key:
            n_shown = len(y_train) + (len(y_test) if show_test else 0)
            budget_train = MAX_DRAWN_POINTS * len(y_train) // max(n_shown, 1)
            self._keys["sample_key"] = sample_key
            self._keys["sample"] = (plane.display_sample(len(y_train), budget_train),
                                    plane.display_sample(len(y_test),
                                                         MAX_DRAWN_POINTS - budget_train))
            self._show_sample_note(n_shown, sum(len(i) for i in self._keys["sample"])
                                   if show_test else len(self._keys["sample"][0]))
        i_train, i_test = self._keys["sample"]  # type: ignore[misc]
        sets = [("train", X_train[i_train], y_train[i_train], p_train[i_train])]
        if show_test:
            sets.append(("test", X_test[i_test], y_test[i_test], p_test[i_test]))
        if self._keys.get("points") != (version, show_test):
            self._keys["points"] = (version, show_test)
            self._set_points([(kind, X, y, np.ones(len(y), dtype=bool))
                              for kind, X, y, _ in sets])
        wrong = [(kind, X, y, p != y) for kind, X, y, p in sets]
        ring_key = (version, show_test, b"".join(m.tobytes() for *_, m in wrong))
        if self._keys.get("rings") != ring_key:
            self._keys["rings"] = ring_key
            self._set_rings(wrong)

    def _redraw_targets(self, data: DataState, version: int, show_test: bool,
                        levels: tuple[float, float]) -> None:
        """A regression's points: filled (train) or outlined (test) by the colour of their
        target y on the heatmap's scale; nothing to ring."""
        key = ("regression", version, show_test, levels)
        if self._keys.get("points") == key:
            return
        self._keys.clear()
        self._drawn = None
        self._keys["points"] = key
        self.rings.setData(pos=np.zeros((0, 2)))
        self.rings.setVisible(False)
        parts = [("train", *data.train)] + ([("test", *data.held_out)] if show_test else [])
        colours = style.diverging_lut(256, 0.0)
        pos, symbols, sizes, pens, brushes = [], [], [], [], []
        for kind, X, y in parts:
            index = plane.display_sample(len(y), MAX_DRAWN_POINTS)
            X, y = X[index], y[index]
            low, high = levels
            t = np.clip((y - low) / ((high - low) or 1.0), 0.0, 1.0)
            rgb = colours[np.minimum((t * 255).astype(int), 255)]
            for r, g, b in rgb:
                if kind == "train":
                    pens.append(pg.mkPen(60, 60, 60, 200, width=1.0))
                    brushes.append(pg.mkBrush(int(r), int(g), int(b)))
                else:
                    pens.append(pg.mkPen(int(r), int(g), int(b), width=2.2))
                    brushes.append(pg.mkBrush(255, 255, 255, 200))
            pos.append(X)
            symbols += ["o" if kind == "train" else "d"] * len(y)
            sizes.append(np.full(len(y), 8.0 if kind == "train" else 10.0))
        if not sum(len(p) for p in pos):
            self.points.setData(pos=np.zeros((0, 2)))
            self.points.setVisible(False)
            return
        self.points.setData(pos=np.vstack(pos), symbol=symbols, size=np.concatenate(sizes),
                            pen=pens, brush=brushes)
        self.points.setVisible(True)

    def _set_points(self, sets: PointSets) -> None:
        """One item, per-point styles: filled by class (train) or hollow diamonds (test)."""
        item = self.points
        pos, symbols, sizes, pens, brushes = [], [], [], [], []
        for kind, X, y, mask in sets:
            for label in range(MAX_CLASSES):
                m = mask & (y == label)
                count = int(m.sum())
                if not count:
                    continue
                st = point_style(kind, label, False)
                pos.append(X[m])
                symbols += [st["symbol"]] * count
                sizes.append(np.full(count, st["size"], dtype=float))
                pens += [st["pen"]] * count
                brushes += [st["brush"]] * count
        if not pos:
            item.setData(pos=np.zeros((0, 2)))
            item.setVisible(False)  # an empty item still costs a paint call per frame
            return
        item.setData(pos=np.vstack(pos), symbol=symbols, size=np.concatenate(sizes), pen=pens,
                     brush=brushes)
        item.setVisible(True)

    def _set_rings(self, sets: PointSets) -> None:
        """The misclassified rings: one pen, brush and size for all (set once per item, not
        per point: pyqtgraph styles per-point lists point by point); only the symbol differs
        between train (circle) and test (diamond)."""
        pos = [X[m] for _, X, _, m in sets]
        counts = [len(p) for p in pos]
        if not sum(counts):
            self.rings.setData(pos=np.zeros((0, 2)))
            self.rings.setVisible(False)
            return
        st = point_style("train", 0, True)
        symbol: object = st["symbol"]
        if len(sets) > 1 and counts[1]:
            symbol = ["o"] * counts[0] + ["d"] * counts[1]
        self.rings.setData(pos=np.vstack(pos), symbol=symbol, size=st["size"], pen=st["pen"],
                           brush=st["brush"])
        self.rings.setVisible(True)
