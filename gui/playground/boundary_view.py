"""The decision-boundary view: P(Y=1|x) as a heatmap, the 0.5 contour, the points; editing.

With more than two classes the heatmap shows the most likely class's colour, shaded by its
probability, and the lines where the two most likely classes tie. Every graphics item is
created once and updated with ``setImage``/``setData``. The view computes nothing but
colours: images, contours, predictions and the hover readout come from the Session (which
gets them from ``core``). The toolbar and the points (with their legend) are in
boundary_toolbar.py and point_layer.py.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui import style
from gui.engine import Frame
from gui.playground.boundary_toolbar import TOOLS, BoundaryToolbar, paired_class
from gui.playground.class_heatmap import ClassShading
from gui.playground.point_layer import MAX_DRAWN_POINTS, PointLayer
from gui.playground.probe import DEFAULT_VIEW, Boundary
from gui.playground.pull_overlay import PullOverlay
from gui.playground.session import Session
from gui.widgets import formulas_text as ft
from gui.widgets.elided_label import ElidedLabel
from gui.widgets.network_items import PixelImageItem, argb_images
from gui.widgets.tooltips import TooltipOnlyWhere

BRUSH_SPACING_PX = 14.0  # a brush drag adds a point every this many screen pixels
ERASER_RADIUS_PX = 18.0
READOUT_LINES = 3  # the hover readout's fixed height, in lines
READOUT_TIP = ("The model at the mouse position: x, P(Y=1|x) and the class predicted (1 iff "
               "P(Y=1|x) > 0.5; with more classes P(Y=k|x) for every class and the most "
               "likely) and every hidden unit hⱼ there")
TITLE_TWO = "<b>Decision boundary</b> &nbsp;P(Y=1|x)"
TITLE_REGRESSION = "<b>Regression</b> &nbsp;ŷ(x)"
TITLE_MORE = "<b>Decision boundary</b> &nbsp;most likely class"
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
        self._hover: tuple[float, float] | None = None
        self._readout_at: tuple[float, float] | None = None  # where the readout's text is
        self._last_paint: QPointF | None = None
        self._sizes: tuple[int, ...] = (2, 1)
        self._boundary: Boundary | None = None  # the heatmap drawn (frames may omit it)
        self._discrete = False

        # --- toolbar --------------------------------------------------------------
        self.title = QLabel(TITLE_TWO)
        # as wide as its widest text from the start: a new title never widens the pane
        self.title.setMinimumWidth(max(QLabel(t).sizeHint().width() for t in (
            TITLE_TWO, TITLE_MORE, "<b>Unit h⁸₃₂</b> over the plane")))
        self.toolbar = BoundaryToolbar(session)
        tb = self.toolbar
        self.class_buttons, self.class_group = tb.class_buttons, tb.class_group
        self.tool_buttons, self.tool_group = tb.tool_buttons, tb.tool_group
        self.clear_button, self.fit_button = tb.clear_button, tb.fit_button
        tb.tool_chosen.connect(self.set_tool)
        tb.fit_clicked.connect(self.reset_view)
        tb.discrete_button.toggled.connect(self.set_discrete)

        unit_bar = QHBoxLayout()
        unit_bar.setContentsMargins(0, 0, 0, 0)
        unit_bar.addWidget(self.title)
        # What the unit shown is: elided, and the back button's room is kept while it is
        # hidden, so that clicking a unit never widens this pane (and squeezes the diagram).
        self.unit_label = ElidedLabel("")
        self.unit_label.setObjectName("hint")
        self.back_button = QPushButton("Show ŷ again")
        self.back_button.setToolTip("Show P(Y=1|x) again instead of the selected unit")
        self.back_button.clicked.connect(lambda: session.set_display_unit(None))
        policy = self.back_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.back_button.setSizePolicy(policy)
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
        # the formula shows over the axes; over the plane the readout answers the mouse
        self.plot_widget.setToolTip(ft.tip(ft.PROBABILITY, "The plane: the colour is ŷ at "
                                           "every x, the black line ŷ = 0.5 (θᵀx = 0); click "
                                           "to add points, hover for the values."))
        TooltipOnlyWhere(self.plot_widget.viewport(), lambda pos: not self.viewbox
                         .sceneBoundingRect().contains(self.plot_widget.mapToScene(pos)))

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

        # the points, the rings around misclassified ones and the legend (point_layer.py)
        self.layer = PointLayer(self.plot_item, self.viewbox)
        self.points, self.rings, self.legend = (self.layer.points, self.layer.rings,
                                                self.layer.legend)
        self.legend_line = self.layer.legend_line
        self.shading = ClassShading()
        self.pull = PullOverlay(self.plot_item, self.viewbox, session.engine)
        tb.pull_button.toggled.connect(self.pull.set_enabled)

        self.cursor = QGraphicsEllipseItem()
        self.cursor.setPen(QPen(QColor(40, 40, 40, 180), 0))
        self.cursor.setBrush(QBrush(QColor(40, 40, 40, 25)))
        self.cursor.setZValue(20)
        self.cursor.setVisible(False)
        self.plot_item.addItem(self.cursor)

        self.readout = QLabel(" ")
        self.readout.setObjectName("readout")
        self.readout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.readout.ensurePolished()  # the style sheet's monospace font sets the height
        self.readout.setFixedHeight(
            self.readout.fontMetrics().lineSpacing() * READOUT_LINES + 4)
        self.readout.setToolTip(READOUT_TIP)
        self._readout_text = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(unit_bar)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)

        self.plot_widget.viewport().installEventFilter(self)
        self.viewbox.clicked.connect(self._on_click)
        self.viewbox.stroke.connect(self._on_stroke)
        self.viewbox.sigRangeChanged.connect(self._on_range_changed)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        session.data_changed.connect(self._redraw_points)
        self._redraw_points()

    # ----------------------------------------------------------------- styling

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
        self.layer.forget()
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
            self._boundary = b
            self._draw_heatmap(b)
            self.contour.setData(b.contour_x, b.contour_y, connect="pairs")
            self.layer.set_legend_classes(0 if b.regression else b.n_classes)
            for button in self.toolbar.class_buttons:  # a regression's y is not a class
                button.setEnabled(not b.regression)
            if b.unit is None:
                self.unit_label.setText("")
                self.back_button.setVisible(False)
                self.title.setText(TITLE_REGRESSION if b.regression else
                                   TITLE_TWO if b.n_classes == 2 else TITLE_MORE)
            else:
                name = unit_name(b.unit[0], b.unit[1], len(frame.layer_sizes))
                line = ("ŷ is a real number here" if b.regression else
                        "the line is still P(Y=1|x) = 0.5" if b.n_classes == 2 else
                        "the lines are still where the top two classes tie")
                self.title.setText(f"<b>Unit {name}</b> over the plane")
                self.unit_label.setText(
                    f"colours {_fmt(b.levels[0], 2)} … {_fmt(b.levels[1], 2)}; {line}")
                self.back_button.setVisible(True)
        # The rings show the predictions of the model whose heatmap is on screen: move
        # them together with the heatmap (a frame without a new heatmap keeps both).
        if b is not None or not frame.running:
            self._redraw_points()
        self.pull.apply_frame(frame)
        # the readout always describes the model drawn, even after the mouse left
        at = self._hover if self._hover is not None else self._readout_at
        if at is not None:
            self._update_readout(*at)

    def set_discrete(self, discrete: bool) -> None:
        """Show the predicted class only (True), or shaded by its probability (False)."""
        self._discrete = bool(discrete)
        self.toolbar.discrete_button.setChecked(self._discrete)
        if self._boundary is not None:
            self._draw_heatmap(self._boundary)

    @property
    def discrete(self) -> bool:
        return self._discrete

    def _draw_heatmap(self, b: Boundary) -> None:
        res = b.image.shape[0]
        image, levels = b.image, b.levels
        pixels = None
        if not bool(np.isfinite(image).all()):
            pass  # pyqtgraph draws NaN transparent
        elif self._discrete and b.unit is None and not b.regression:  # the class only
            if b.classes is not None:
                image = np.ones_like(image)
                pixels = self.shading.pixels(image, b.classes, levels)
            else:
                image = (image > np.float32(0.5)).astype(np.float32)
                levels = (0.0, 1.0)
                pixels = argb_images(image[None], levels, self.image.argb_lut)[0]
        elif b.classes is not None:
            pixels = self.shading.pixels(image, b.classes, levels)
        else:
            pixels = argb_images(image[None], levels, self.image.argb_lut)[0]
        self.image.show_image(image, levels, pixels)
        self.image.setRect(self._rect(b.x_range, b.y_range, res))

    def heatmap_pixels(self) -> np.ndarray:
        """The heatmap's ARGB32 pixels as drawn (H, W) (for tests)."""
        pixels = self.image.rendered_pixels()
        return np.zeros((0, 0), np.uint32) if pixels is None else pixels

    # ----------------------------------------------------------------- points

    def _redraw_points(self) -> None:
        self.layer.redraw(self.session.data, self.session.data_version, self._frame,
                          self._show_test, self.session.probe.target_levels)

    def sample_note(self) -> str | None:
        """The legend's note when only a sample of the points is drawn (None: all are)."""
        return self.layer.sample_note()

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
        active = self.session.active_class
        return paired_class(active) if other else active

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
        self._readout_at = (x, y)
        where = f"x = ({_fmt(x, 2)}, {_fmt(y, 2)})"
        if self._boundary is not None and self._boundary.regression and len(r.probabilities) == 1:
            lines = [f"{where}  ŷ = {float(r.probabilities[0]):.3f}"]
        elif len(r.probabilities) == 2:
            p = r.probability  # the lecture predicts 1 iff P(Y=1|x) > 0.5
            lines = [f"{where}  P(Y=1|x) = {p:.3f} → class {int(p > 0.5)}"]
        else:
            lines = [f"{where}  prediction: class {r.predicted} (the most likely)",
                     "  ".join(f"P(Y={k}|x)={p:.3f}" for k, p in enumerate(r.probabilities))]
        hidden = []
        for layer, values in enumerate(r.hidden, start=1):
            shown = " ".join(_fmt(float(v), 2) for v in values[:12])
            more = " …" if len(values) > 12 else ""
            hidden.append(f"h{str(layer).translate(_SUP)} = [{shown}{more}]")
        room = READOUT_LINES - len(lines)
        if len(hidden) > room:
            hidden = hidden[:room - 1] + [
                f"… {len(hidden) - room + 1} more layers (hover the diagram)"]
        self._readout_text = "\n".join(lines + hidden)
        self._show_readout()

    def _show_readout(self) -> None:
        """The readout's lines, each cut with "…" to the label's width (a fixed height and
        no wrapping: a longer text never moves the plot); the whole text is its tooltip."""
        metrics = self.readout.fontMetrics()
        width = max(self.readout.contentsRect().width() - 2, 20)
        shown = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
                 for line in self._readout_text.splitlines()]
        self.readout.setText("\n".join(shown))
        self.readout.setToolTip(self._readout_text if shown != self._readout_text.splitlines()
                                else READOUT_TIP)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._readout_text:
            self._show_readout()

    def hover_text(self) -> str:
        """The readout's whole text (the label may show its lines cut short)."""
        return self._readout_text


__all__ = ["MAX_DRAWN_POINTS", "TOOLS", "BoundaryView", "EditViewBox", "unit_name"]
