"""The 2D playground workbench: the boundary view on the left; the network diagram, the
curves, the timeline and θ in the middle; data, model and training controls on the right.

Built from the shared widgets (gui.widgets) around a playground :class:`Session`.
"""

from __future__ import annotations

import inspect
import math

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import inspection as model_inspection
from core.features import input_labels
from gui import style
from gui.engine import Frame
from gui.playground.boundary_view import BoundaryView
from gui.playground.data_controls import DataControls
from gui.playground.feature_controls import FeatureControls
from gui.playground.panels import panel_types
from gui.playground.session import Session
from gui.playground.theta_panel import ThetaPanel
from gui.playground.weight_editor import WeightEdit, WeightEditor
from gui.widgets.curves_view import CurvesView
from gui.widgets.model_controls import ModelControls
from gui.widgets.network_view import NetworkView
from gui.widgets.panel_docks import PanelDocks
from gui.widgets.panes import controls_column, three_panes
from gui.widgets.timeline import Timeline
from gui.widgets.training_controls import TrainingControls


class ControlsPanel(QWidget):
    """The right-hand column: Data and Features (the playground's), Model and Training
    (shared)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = DataControls(session)
        self.features = FeatureControls(session.engine)
        self.model = ModelControls(session.engine)
        self.training = TrainingControls(session.engine)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.setSpacing(6)
        for group in (self.data, self.features, self.model, self.training):
            layout.addWidget(group)
        layout.addStretch(1)


class PlaygroundWorkbench(QWidget):
    """Everything the playground shows, wired to one Session."""

    title = "Playground"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        s = session
        self.boundary = BoundaryView(s)
        self.network = NetworkView()
        if hasattr(self.network, "viewport"):
            style.make_opaque(self.network)
        self.curves = CurvesView()
        self.theta = ThetaPanel()
        self.timeline = Timeline(s.engine, s.undo_stack)
        self.controls = ControlsPanel(s)

        network_title = QLabel("<b>Network</b> &nbsp;inputs → hidden layers → output "
                               "<span style='color:#6e6e73'>(click a unit to show it on "
                               "the left, a link to type its weight)</span>")
        network_title.setWordWrap(True)
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(4, 0, 4, 0)
        mv.setSpacing(4)
        mv.addWidget(network_title)
        mv.addWidget(self.network, 1)
        mv.addWidget(self.curves, 1)
        mv.addWidget(self.timeline)
        mv.addWidget(self.theta)

        # the plane and the training views in a dock host, whose panels (View menu) dock
        # beneath them; the controls column beside it keeps the window's full height
        self.views_splitter = QSplitter(Qt.Orientation.Horizontal)
        for index, (pane, factor) in enumerate(((self.boundary, 5), (middle, 4))):
            self.views_splitter.addWidget(pane)
            self.views_splitter.setStretchFactor(index, factor)
        self.views_splitter.setSizes([580, 450])
        self.views_splitter.setChildrenCollapsible(False)
        self.dock_host = QMainWindow()
        self.dock_host.setWindowFlags(Qt.WindowType.Widget)
        self.dock_host.setDockNestingEnabled(True)
        self.dock_host.setCentralWidget(self.views_splitter)
        self.splitter = three_panes(self, (self.dock_host, controls_column(self.controls)),
                                    stretch=(9, 1), sizes=(1030, 370))
        self.views_splitter.splitterMoved.connect(self.splitter.splitterMoved)
        self.panels = PanelDocks(self.dock_host, panel_types(), self)

        self._arch: tuple[int, tuple[int, ...]] | None = None
        self._last_frame: Frame | None = None
        self._arch_accepts_activation = "activation" in inspect.signature(
            self.network.set_architecture).parameters
        self.network.unit_clicked.connect(self._unit_clicked)
        self.weight_editor = WeightEditor(self.network)
        self.network.link_clicked.connect(self._link_clicked)
        self.weight_editor.committed.connect(self.set_weight)
        self.controls.data.show_test_toggled.connect(self.boundary.set_show_test)

    def banner_area(self) -> QRect:
        """Where a message may float (in this widget's coordinates): over the top of the
        plot and the diagram, clear of every control."""
        plot = self.boundary.plot_widget
        top_left = plot.mapTo(self, QPoint(0, 0))
        middle = self.views_splitter.widget(1)
        right = middle.mapTo(self, QPoint(middle.width(), 0)).x()
        return QRect(top_left.x() + 8, top_left.y() + 6, right - top_left.x() - 16, 0)

    def apply_frame(self, frame: Frame) -> None:
        """Draw one frame (the window calls this for every frame)."""
        self._last_frame = frame
        arch = (frame.model_version, frame.layer_sizes)
        if arch != self._arch:
            self._arch = arch
            names = input_labels(frame.spec.features)
            if self._arch_accepts_activation:
                n_out = frame.layer_sizes[-1]  # a softmax's units are classes 0 … K − 1
                outputs = None if n_out == 1 else [f"P(Y={k}|x)" for k in range(n_out)]
                self.network.set_architecture(frame.layer_sizes, names,
                                              activation=frame.activation,
                                              output_names=outputs)
            else:
                self.network.set_architecture(frame.layer_sizes, names)
        plane = frame.probe
        if plane is not None:
            self.network.update_state(frame.weights, plane.unit_images, plane.unit_levels)
            boundary = plane.boundary  # the unit on the plane, framed in the diagram
            self.network.set_selected_unit(boundary.unit if boundary is not None else None)
        self.boundary.apply_frame(frame)
        self.curves.apply_frame(frame)
        self.theta.apply_frame(frame)
        self.panels.apply_frame(frame)

    def _link_clicked(self, layer: int, i: int, j: int) -> None:
        frame = self._last_frame
        if frame is None or layer >= len(frame.weights):
            return
        at = self.network.viewport().mapTo(
            self.network, self.network.link_position(layer, i, j))
        self.weight_editor.open_at((layer, i, j), float(frame.weights[layer][i, j]), at)

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set one weight (link (layer, i, j) of the diagram) as an undoable edit."""
        engine = self.session.engine
        try:
            with engine.lock:
                model_inspection.weight_position(engine.model, layer, i, j)  # IndexError if none
            if not math.isfinite(value):
                raise ValueError(f"a weight must be a finite number, got {value!r}")
        except (IndexError, ValueError) as exc:
            engine.message.emit("warning", f"Could not set that weight: {exc}")
            return
        self.session.undo_stack.push(
            WeightEdit(engine, (layer, i, j), float(value), engine.checkpoint()))

    def _unit_clicked(self, layer: int, unit: int) -> None:
        sizes = self._last_frame.layer_sizes if self._last_frame else (2, 1)
        if layer >= len(sizes) - 1 or self.session.display_unit == (layer, unit):
            self.session.set_display_unit(None)
        else:
            self.session.set_display_unit((layer, unit))
