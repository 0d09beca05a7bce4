"""The decision-boundary view: P(Y=1|x) as a heatmap, the 0.5 contour, the points; editing.

Every graphics item is created once and updated with ``setImage``/``setData``. The view
computes nothing: images, contours, predictions and the hover readout come from the
Session (which gets them from ``core``).
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import plane
from gui import style
from gui.engine import Frame
from gui.playground.probe import DEFAULT_VIEW
from gui.playground.session import Session
from gui.widgets.network_items import PixelImageItem, argb_images

TOOLS = ("point", "brush", "eraser")
BRUSH_SPACING_PX = 14.0  # a brush drag adds a point every this many screen pixels
ERASER_RADIUS_PX = 18.0
LARGE_DATASET = 20_000  # above this many points the misclassified rings update at most
LARGE_RING_RATE = 4.0  # this many times a second while training runs
MAX_DRAWN_POINTS = 5_000  # larger datasets draw an even sample of this many (legend says so)
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def unit_name(layer: int, unit: int, n_layers: int) -> str:
    """x₁, h²₃, ŷ … (1-based, as in the lecture)."""
    if layer == 0:
        return f"x{str(unit + 1).translate(_SUB)}"
    if layer == n_layers - 1:
        return "ŷ"
    return f"h{str(layer).translate(_SUP)}{str(unit + 1).translate(_SUB)}"


def _fmt(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}".replace("-", "−")


class PassiveScatter(pg.ScatterPlotItem):
    """Points that let clicks through to the view (so clicking on a point adds or erases)."""

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        ev.ignore()  # type: ignore[attr-defined]


class PassiveLegend(pg.LegendItem):
    """A legend that stays put: clicks and brush strokes over it reach the plane below
    (pyqtgraph's legend would be dragged away instead)."""

    def mouseDragEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        ev.ignore()  # type: ignore[attr-defined]

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        ev.ignore()  # type: ignore[attr-defined]


class EditViewBox(pg.ViewBox):
    """A ViewBox that turns clicks and brush/eraser drags into edit signals.

    With the point tool a left drag pans; the wheel always zooms.
    """

    clicked = Signal(float, float, object, object)  # x, y, button, modifiers
    stroke = Signal(str, float, float, object, object)  # phase, x, y, button, modifiers

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.tool = "point"

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph override)
        button = ev.button()  # type: ignore[attr-defined]
        if button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            ev.accept()  # type: ignore[attr-defined]
            p = self.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
            self.clicked.emit(p.x(), p.y(), button, ev.modifiers())  # type: ignore[attr-defined]
            return
        super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev: object, axis: object = None) -> None:  # noqa: N802
        button = ev.button()  # type: ignore[attr-defined]
        if self.tool in ("brush", "eraser") and button in (Qt.MouseButton.LeftButton,
                                                            Qt.MouseButton.RightButton):
            ev.accept()  # type: ignore[attr-defined]
            mods = ev.modifiers()  # type: ignore[attr-defined]
            if ev.isStart():  # type: ignore[attr-defined]
                start = self.mapSceneToView(ev.buttonDownScenePos())  # type: ignore[attr-defined]
                self.stroke.emit("start", start.x(), start.y(), button, mods)
            p = self.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
            self.stroke.emit("move", p.x(), p.y(), button, mods)
            if ev.isFinish():  # type: ignore[attr-defined]
                self.stroke.emit("finish", p.x(), p.y(), button, mods)
            return
        super().mouseDragEvent(ev, axis)


class BoundaryView(QWidget):
    """Heatmap + contour + points, with the editing toolbar and the hover readout."""

    tool_changed = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._show_test = True
        self._frame: Frame | None = None
        self._drawn_points: tuple[int, bytes, bytes] | None = None
        self._item_keys: dict[str, object] = {}
        self._last_rings = 0.0
        self._hover: tuple[float, float] | None = None
        self._last_paint: QPointF | None = None
        self._sizes: tuple[int, ...] = (2, 1)

        # --- toolbar --------------------------------------------------------------
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        self.title = QLabel("<b>Decision boundary</b> &nbsp;P(Y=1|x)")
        bar.addWidget(QLabel("Add:"))
        self.class_buttons = []
        self.class_group = QButtonGroup(self)
        for label in (0, 1):
            b = QToolButton()
            b.setCheckable(True)
            rgb = style.CLASS_RGB[label]
            b.setText(f"● y = {label}")
            b.setStyleSheet(f"QToolButton {{ color: rgb{rgb}; font-weight: 600; "
                            "padding: 2px 6px; }"
                            "QToolButton:checked { background: #e4ecf6; border: 1px solid #7a9cc6;"
                            " border-radius: 3px; }")
            b.setToolTip(f"Active class {label} (key {label}): left click adds class {label}, "
                         f"right click or Shift+click adds class {1 - label}")
            self.class_group.addButton(b, label)
            self.class_buttons.append(b)
            bar.addWidget(b)
        self.class_group.idClicked.connect(session.set_active_class)
        session.active_class_changed.connect(self._show_active_class)
        bar.addSpacing(8)
        self.tool_buttons: dict[str, QToolButton] = {}
        self.tool_group = QButtonGroup(self)
        tips = {
            "point": "Point tool: click adds a point (right click: the other class); "
                     "drag pans, wheel zooms",
            "brush": "Brush: drag to paint several points (one drag = one undo step); "
                     "right drag or Shift paints the other class",
            "eraser": "Eraser: click or drag to remove the points under the circle",
        }
        for i, tool in enumerate(TOOLS):
            b = QToolButton()
            b.setText(tool.capitalize())
            b.setCheckable(True)
            b.setToolTip(tips[tool])
            self.tool_group.addButton(b, i)
            self.tool_buttons[tool] = b
            bar.addWidget(b)
        self.tool_buttons["point"].setChecked(True)
        self.tool_group.idClicked.connect(lambda i: self.set_tool(TOOLS[i]))
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Remove every point (undo with Ctrl+Z)")
        self.clear_button.clicked.connect(session.clear_points)
        bar.addWidget(self.clear_button)
        self.fit_button = QToolButton()
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Reset the view to −6 … 6 on both axes")
        self.fit_button.clicked.connect(self.reset_view)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)

        unit_bar = QHBoxLayout()
        unit_bar.setContentsMargins(0, 0, 0, 0)
        unit_bar.addWidget(self.title)
        self.unit_label = QLabel("")
        self.unit_label.setObjectName("hint")
        self.back_button = QPushButton("Show ŷ again")
        self.back_button.setToolTip("Show P(Y=1|x) again instead of the selected unit")
        self.back_button.clicked.connect(lambda: session.set_display_unit(None))
        unit_bar.addWidget(self.unit_label, 1)
        unit_bar.addWidget(self.back_button)
        self.back_button.setVisible(False)

        # --- plot -----------------------------------------------------------------
        self.viewbox = EditViewBox()
        self.plot_widget = pg.PlotWidget(viewBox=self.viewbox, background="w")
        self.plot_widget.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.setLabel("bottom", "x₁")
        self.plot_item.setLabel("left", "x₂")
        self.plot_item.showGrid(x=False, y=False)
        self.plot_item.hideButtons()
        for axis in ("left", "bottom"):
            self.plot_item.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
            self.plot_item.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
        style.cache_plot_decorations(self.plot_item)
        style.make_opaque(self.plot_widget)
        self.viewbox.setAspectLocked(True)
        self.viewbox.disableAutoRange()
        self.viewbox.setRange(xRange=DEFAULT_VIEW[0], yRange=DEFAULT_VIEW[1], padding=0)
        self.plot_widget.setToolTip("")

        # The heatmap's colours are computed in one numpy pass into an opaque RGB32 image
        # (PixelImageItem), which Qt draws without converting it; pyqtgraph's own path
        # rebuilds a colour table and an RGBX image at every frame. 512 entries: with ≤256
        # pyqtgraph (still used for NaN images) makes an Indexed8 image, ~4x slower to draw.
        self.image = PixelImageItem(style.diverging_lut(512))
        self.image.setZValue(-10)
        self.image.setImage(np.full((2, 2), 0.5, dtype=np.float32), levels=(0.0, 1.0),
                            autoLevels=False, rect=self._rect(DEFAULT_VIEW[0], DEFAULT_VIEW[1], 2))
        self.plot_item.addItem(self.image)

        self.contour = pg.PlotCurveItem(pen=pg.mkPen(style.CONTOUR_RGB, width=2),
                                        connect="pairs", antialias=True)
        self.contour.setZValue(5)
        self.plot_item.addItem(self.contour)

        # Points filled by class (changed only when the data change) and, on top, a ring
        # around every misclassified point (outline = the predicted class is the other
        # one). Training moves only the rings, usually a small subset of the points: that
        # keeps a 100,000-point dataset responsive while it trains.
        # Two items in all (each costs a pixmap blit per frame): every point, and the rings.
        self.points = self._add_scatter(z=10)
        self.rings = self._add_scatter(z=12)

        self.cursor = QGraphicsEllipseItem()
        self.cursor.setPen(QPen(QColor(40, 40, 40, 180), 0))
        self.cursor.setBrush(QBrush(QColor(40, 40, 40, 25)))
        self.cursor.setZValue(20)
        self.cursor.setVisible(False)
        self.plot_item.addItem(self.cursor)

        self.legend = PassiveLegend(offset=(8, 8), labelTextColor=(40, 40, 40),
                                    brush=pg.mkBrush(255, 255, 255, 215),
                                    pen=pg.mkPen(200, 200, 200))
        self.legend.setParentItem(self.viewbox)
        self.legend.setCacheMode(self.legend.CacheMode.DeviceCoordinateCache)
        self._legend_samples = []
        for name, kind, label, wrong in (("y = 0 (class 0)", "train", 0, False),
                                         ("y = 1 (class 1)", "train", 1, False),
                                         ("misclassified", "train", 0, True),
                                         ("test point", "test", 1, False)):
            sample = pg.ScatterPlotItem(**self._point_style(kind, label, wrong))
            self._legend_samples.append(sample)
            self.legend.addItem(sample, name)
        self.legend_line = pg.PlotDataItem(pen=pg.mkPen(style.CONTOUR_RGB, width=2))
        self.legend.addItem(self.legend_line, "P(Y=1|x) = 0.5")
        # "5,000 of 100,000 points drawn": a legend row (no sample) shown for big datasets
        self._sample_note = pg.PlotDataItem(pen=None)
        self._sample_note_text: str | None = None

        self.readout = QLabel(" ")
        self.readout.setObjectName("readout")
        self.readout.setWordWrap(True)
        self.readout.setMinimumHeight(36)
        self.readout.setToolTip("The model at the mouse position: x, P(Y=1|x) and every "
                                "hidden unit hⱼ there")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(unit_bar)
        layout.addLayout(bar)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)

        self.plot_widget.viewport().installEventFilter(self)
        self.viewbox.clicked.connect(self._on_click)
        self.viewbox.stroke.connect(self._on_stroke)
        self.viewbox.sigRangeChanged.connect(self._on_range_changed)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        session.data_changed.connect(self._redraw_points)
        self._show_active_class(session.active_class)
        self._redraw_points()

    # ----------------------------------------------------------------- styling

    def _add_scatter(self, z: float) -> pg.ScatterPlotItem:
        item = PassiveScatter(pxMode=True)
        item.setZValue(z)
        # the heatmap under the points changes every frame, the points rarely: repaint
        # them from a pixmap cache
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot_item.addItem(item)
        return item

    @staticmethod
    def _point_style(kind: str, label: int, wrong: bool) -> dict[str, object]:
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

    @staticmethod
    def _rect(x_range: tuple[float, float], y_range: tuple[float, float], res: int) -> QRectF:
        """Cell centres span the ranges edge to edge: the image extends half a cell beyond."""
        dx = (x_range[1] - x_range[0]) / max(res - 1, 1)
        dy = (y_range[1] - y_range[0]) / max(res - 1, 1)
        return QRectF(x_range[0] - dx / 2, y_range[0] - dy / 2,
                      x_range[1] - x_range[0] + dx, y_range[1] - y_range[0] + dy)

    # ----------------------------------------------------------------- public

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(tool)
        self.viewbox.tool = tool
        self.tool_buttons[tool].setChecked(True)
        self.cursor.setVisible(False)
        self.tool_changed.emit(tool)

    @property
    def tool(self) -> str:
        return self.viewbox.tool

    def set_show_test(self, show: bool) -> None:
        self._show_test = bool(show)
        self._drawn_points = None
        self._item_keys.clear()
        self._redraw_points()

    def reset_view(self) -> None:
        self.viewbox.setRange(xRange=DEFAULT_VIEW[0], yRange=DEFAULT_VIEW[1], padding=0)

    def data_to_viewport(self, x: float, y: float) -> QPointF:
        """Widget coordinates (in ``plot_widget.viewport()``) of a data point (for tests)."""
        scene = self.viewbox.mapViewToScene(QPointF(x, y))
        return QPointF(self.plot_widget.mapFromScene(scene))

    def pixels_per_unit(self) -> float:
        (x0, x1), _ = self.viewbox.viewRange()
        width = self.viewbox.sceneBoundingRect().width()
        return width / max(x1 - x0, 1e-12)

    def apply_frame(self, frame: Frame) -> None:
        self._frame = frame
        self._sizes = frame.layer_sizes
        b = frame.probe.boundary if frame.probe is not None else None
        if b is not None:
            res = b.image.shape[0]
            pixels = (argb_images(b.image[None], b.levels, self.image.argb_lut)[0]
                      if bool(np.isfinite(b.image).all()) else None)
            self.image.show_image(b.image, b.levels, pixels)
            self.image.setRect(self._rect(b.x_range, b.y_range, res))
            self.contour.setData(b.contour_x, b.contour_y, connect="pairs")
            if b.unit is None:
                self.unit_label.setText("")
                self.back_button.setVisible(False)
                self.title.setText("<b>Decision boundary</b> &nbsp;P(Y=1|x)")
            else:
                name = unit_name(b.unit[0], b.unit[1], len(frame.layer_sizes))
                self.title.setText(f"<b>Unit {name}</b> over the plane")
                self.unit_label.setText(
                    f"Showing {name} (colours {_fmt(b.levels[0], 2)} … {_fmt(b.levels[1], 2)}); "
                    "the line is still P(Y=1|x) = 0.5")
                self.back_button.setVisible(True)
        # The rings show the predictions of the model whose heatmap is on screen: move
        # them together with the heatmap (a frame without a new heatmap keeps both).
        if b is not None or not frame.running:
            self._redraw_points()
        if self._hover is not None:
            self._update_readout(*self._hover)

    # ----------------------------------------------------------------- points

    def _redraw_points(self) -> None:
        data = self.session.data
        frame = self._frame
        X_train, y_train = data.train
        X_test, y_test = data.held_out
        version = self.session.data_version
        if frame is not None and frame.data_version == version:
            p_train, p_test = frame.train_predictions, frame.test_predictions
        else:
            p_train, p_test = y_train, y_test  # unknown yet: drawn as correct until next frame
        key = (version, p_train.tobytes(), p_test.tobytes())
        if key == self._drawn_points:
            return
        now = time.perf_counter()
        if (frame is not None and frame.running and len(data) > LARGE_DATASET
                and self._drawn_points is not None and self._drawn_points[0] == key[0]
                and now - self._last_rings < 1.0 / LARGE_RING_RATE):
            return  # a huge dataset: move the rings a few times a second only
        self._last_rings = now
        self._drawn_points = key
        # A big dataset draws an even sample (points and their rings): drawing 100,000
        # symbols costs the GUI thread far more than the 50 ms it may keep input waiting.
        sample_key = ("sample", version, self._show_test)
        if self._item_keys.get("sample_key") != sample_key:
            n_shown = len(y_train) + (len(y_test) if self._show_test else 0)
            budget_train = MAX_DRAWN_POINTS * len(y_train) // max(n_shown, 1)
            self._item_keys["sample_key"] = sample_key
            self._item_keys["sample"] = (plane.display_sample(len(y_train), budget_train),
                                         plane.display_sample(len(y_test),
                                                                MAX_DRAWN_POINTS - budget_train))
            self._show_sample_note(n_shown, sum(len(i) for i in self._item_keys["sample"])
                                   if self._show_test else len(self._item_keys["sample"][0]))
        i_train, i_test = self._item_keys["sample"]  # type: ignore[misc]
        sets = [("train", X_train[i_train], y_train[i_train], p_train[i_train])]
        if self._show_test:
            sets.append(("test", X_test[i_test], y_test[i_test], p_test[i_test]))
        if self._item_keys.get("points") != (version, self._show_test):
            self._item_keys["points"] = (version, self._show_test)
            self._set_points(self.points, [(kind, X, y, np.ones(len(y), dtype=bool))
                                           for kind, X, y, _ in sets], rings=False)
        wrong = [(kind, X, y, p != y) for kind, X, y, p in sets]
        ring_key = (version, self._show_test, b"".join(m.tobytes() for *_, m in wrong))
        if self._item_keys.get("rings") != ring_key:
            self._item_keys["rings"] = ring_key
            self._set_rings(wrong)

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

    def _set_points(self, item: pg.ScatterPlotItem,
                    sets: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                    rings: bool) -> None:
        """One item, per-point styles: filled by class (train) or hollow diamonds (test);
        rings are red circles (train) or diamonds (test) around misclassified points."""
        pos, symbols, sizes, pens, brushes = [], [], [], [], []
        for kind, X, y, mask in sets:
            for label in (0, 1):
                m = mask & (y == label)
                count = int(m.sum())
                if not count:
                    continue
                st = self._point_style(kind, label, rings)
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

    def _set_rings(self, sets: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]) -> None:
        """The misclassified rings: one pen, brush and size for all (set once per item, not
        per point: pyqtgraph styles per-point lists point by point); only the symbol differs
        between train (circle) and test (diamond)."""
        pos = [X[m] for _, X, _, m in sets]
        counts = [len(p) for p in pos]
        if not sum(counts):
            self.rings.setData(pos=np.zeros((0, 2)))
            self.rings.setVisible(False)
            return
        st = self._point_style("train", 0, True)
        symbol: object = st["symbol"]
        if len(sets) > 1 and counts[1]:
            symbol = ["o"] * counts[0] + ["d"] * counts[1]
        self.rings.setData(pos=np.vstack(pos), symbol=symbol, size=st["size"], pen=st["pen"],
                           brush=st["brush"])
        self.rings.setVisible(True)

    def _show_active_class(self, label: int) -> None:
        self.class_buttons[label].setChecked(True)

    # ----------------------------------------------------------------- editing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """pyqtgraph drops the second click of a double click; here it is one more click."""
        if (event.type() == QEvent.Type.MouseButtonDblClick
                and watched is self.plot_widget.viewport()
                and event.button() in (Qt.MouseButton.LeftButton,  # type: ignore[attr-defined]
                                       Qt.MouseButton.RightButton)):
            scene = self.plot_widget.mapToScene(event.position().toPoint())  # type: ignore[attr-defined]
            if self.viewbox.sceneBoundingRect().contains(scene):
                p = self.viewbox.mapSceneToView(scene)
                self._on_click(p.x(), p.y(), event.button(),  # type: ignore[attr-defined]
                               event.modifiers())  # type: ignore[attr-defined]
                return True
        return super().eventFilter(watched, event)

    def _label_for(self, button: object, modifiers: object) -> int:
        other = (button == Qt.MouseButton.RightButton
                 or bool(modifiers & Qt.KeyboardModifier.ShiftModifier))  # type: ignore[operator]
        return 1 - self.session.active_class if other else self.session.active_class

    def _eraser_radius(self) -> float:
        return ERASER_RADIUS_PX / max(self.pixels_per_unit(), 1e-9)

    def _on_click(self, x: float, y: float, button: object, modifiers: object) -> None:
        if self.tool == "eraser":
            self.session.erase_near(x, y, self._eraser_radius())
        else:
            self.session.add_point(x, y, self._label_for(button, modifiers))

    def _on_stroke(self, phase: str, x: float, y: float, button: object, modifiers: object
                   ) -> None:
        if phase == "start":
            self.session.begin_stroke()
            self._last_paint = None
        if phase in ("start", "move"):
            if self.tool == "eraser":
                self.session.stroke_erase(x, y, self._eraser_radius())
            else:
                screen = self.data_to_viewport(x, y)
                last = self._last_paint
                if last is None or (screen - last).manhattanLength() >= BRUSH_SPACING_PX:
                    self._last_paint = screen
                    self.session.stroke_add(x, y, self._label_for(button, modifiers))
            self._move_cursor(x, y)
        elif phase == "finish":
            self.session.end_stroke("Erase" if self.tool == "eraser" else "Brush stroke")
            self._last_paint = None

    def _on_range_changed(self, *_: object) -> None:
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        self.session.set_view_range((x0, x1), (y0, y1))

    # ----------------------------------------------------------------- hover

    def _move_cursor(self, x: float, y: float) -> None:
        if self.tool == "point":
            self.cursor.setVisible(False)
            return
        r = self._eraser_radius() if self.tool == "eraser" else 0.5 * BRUSH_SPACING_PX / max(
            self.pixels_per_unit(), 1e-9)
        self.cursor.setRect(QRectF(x - r, y - r, 2 * r, 2 * r))
        self.cursor.setVisible(True)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.viewbox.sceneBoundingRect().contains(scene_pos):
            self._hover = None
            self.cursor.setVisible(False)
            return
        p = self.viewbox.mapSceneToView(scene_pos)
        self._hover = (p.x(), p.y())
        self._move_cursor(p.x(), p.y())
        self._update_readout(p.x(), p.y())

    def leaveEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        self._hover = None
        self.cursor.setVisible(False)
        super().leaveEvent(event)  # type: ignore[arg-type]

    def _update_readout(self, x: float, y: float) -> None:
        r = self.session.readout(x, y)
        if r is None:
            return
        text = (f"x = ({_fmt(x, 2)}, {_fmt(y, 2)})   P(Y=1|x) = {r.probability:.3f}   "
                f"prediction ŷ > 0.5: class {int(r.probability > 0.5)}")
        lines = [text]
        for layer, values in enumerate(r.hidden, start=1):
            shown = " ".join(_fmt(float(v), 2) for v in values[:12])
            more = " …" if len(values) > 12 else ""
            lines.append(f"h{str(layer).translate(_SUP)} = [{shown}{more}]")
        if len(lines) > 3:
            lines = lines[:3] + [f"… {len(r.hidden) - 2} more layers (hover the diagram)"]
        self.readout.setText("\n".join(lines))

    def hover_text(self) -> str:
        return self.readout.text()
