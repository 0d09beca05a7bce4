"""The Digits workbench: draw a number and see the downsampled input, the forward pass and
the top two guesses; train on real digits live; draw and label your own.

Left: the drawing board and "My digits". Middle: what the model sees (8×8), its guesses,
the forward pass, and tabs for the curves, the test confusion matrix, the misclassified
test digits and the comparison with logistic regression. Right: data, model and training.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import inspection
from gui import style
from gui.digits.board import DrawingBoard
from gui.digits.panels import ComparePanel, DataGroup, MineGroup
from gui.digits.session import BoardEdit, DigitsSession
from gui.digits.views import ConfusionView, GalleryView, GuessesView, InputView
from gui.engine import Frame
from gui.widgets.curves_view import CurvesView
from gui.widgets.model_controls import ModelControls
from gui.widgets.network_view import NetworkView
from gui.widgets.panes import controls_column, three_panes
from gui.widgets.timeline import Timeline
from gui.widgets.training_controls import TrainingControls

PIXEL_NAMES = tuple(f"x{k + 1}" for k in range(64))
# Colour ranges of the diagram (orange −, white 0, blue +): ink, σ activations and
# probabilities run from white (0) to blue (1); tanh from orange (−1) to blue (1).
SYMMETRIC = (-1.0, 1.0)


class DigitsWorkbench(QWidget):
    """Everything the Digits workbench shows, wired to one DigitsSession."""

    title = "Digits"

    def __init__(self, session: DigitsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = s = session
        self.board = DrawingBoard()
        self.input_view = InputView()
        self.guesses = GuessesView()
        self.network = NetworkView()
        self.network_title = QLabel(
            "<b>Forward pass</b> &nbsp;x → h → ŷ <span style='color:#6e6e73'>(hover a unit "
            "for z and h)</span>")
        self.network_title.setToolTip(
            "The forward pass for your drawing: x (the 8×8 input) → hidden units → ŷ. A "
            "first-layer picture is that unit's 64 incoming weights (its template: blue +, "
            "orange −); the frame around a unit is its activation for the drawing.")
        self.network_title.setWordWrap(True)
        style.make_opaque(self.network)
        self.curves = CurvesView()
        self.timeline = Timeline(s.engine, s.undo_stack)
        self.confusion = ConfusionView()
        self.gallery = GalleryView()
        self.compare = ComparePanel(s)
        self.data = DataGroup(s)
        self.mine = MineGroup(s)
        self.model = ModelControls(s.engine)
        self.training = TrainingControls(s.engine)
        self._build_layout()

        self.board.ink_changed.connect(self.update_drawing)
        self.board.stroke_finished.connect(
            lambda before, after: s.undo_stack.push(BoardEdit(self.board, before, after)))
        self.mine.label_chosen.connect(self.add_drawing)
        self.gallery.picked.connect(self.load_test_example)
        s.compare.frame_ready.connect(lambda _f: self.update_drawing())
        s.data_changed.connect(self.update_drawing)
        self._arch: tuple[object, ...] | None = None
        self._frame: Frame | None = None
        self._features: NDArray[np.float64] | None = None
        self._loaded: tuple[NDArray[np.uint8], NDArray[np.float64]] | None = None
        self._features_of = -1  # the board version the features were computed for
        self.drawing_times: list[float] = []  # ms per drawing update (benchmarks)
        self.update_drawing()

    # ----------------------------------------------------------------- layout

    def _build_layout(self) -> None:
        tools = QHBoxLayout()
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setRange(4, 40)
        self.brush_slider.setValue(self.board.brush)
        self.brush_slider.setToolTip("Brush width in board pixels (the board is 280×280)")
        self.brush_slider.valueChanged.connect(lambda v: setattr(self.board, "brush", v))
        self.eraser_button = QToolButton()
        self.eraser_button.setText("Eraser")
        self.eraser_button.setCheckable(True)
        self.eraser_button.setToolTip("Erase with the left button (the right button always "
                                      "erases)")
        self.eraser_button.toggled.connect(lambda on: setattr(self.board, "erasing", on))
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Clear the board (Ctrl+Z brings the drawing back)")
        self.clear_button.clicked.connect(self.clear_board)
        tools.addWidget(QLabel("brush"))
        tools.addWidget(self.brush_slider, 1)
        tools.addWidget(self.eraser_button)
        tools.addWidget(self.clear_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 4, 0)
        title = QLabel("<b>Draw a digit</b>")
        lv.addWidget(title)
        lv.addWidget(self.board, 3)
        lv.addLayout(tools)
        lv.addWidget(self.mine, 2)

        seen = QHBoxLayout()
        seen.addWidget(self.input_view, 2)
        seen.addWidget(self.guesses, 3)
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(4, 0, 4, 0)
        mv.setSpacing(3)
        mv.addLayout(seen, 2)
        mv.addWidget(self.network_title)
        mv.addWidget(self.network, 4)
        curves_tab = QWidget()
        cv = QVBoxLayout(curves_tab)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.addWidget(self.curves, 1)
        cv.addWidget(self.timeline)
        self.tabs = QTabWidget()
        self.tabs.addTab(curves_tab, "Curves")
        self.tabs.addTab(self.confusion, "Confusion")
        self.tabs.addTab(self.gallery, "Mistakes")
        compare = QScrollArea()  # two matrices and two guesses: taller than a small window
        compare.setWidgetResizable(True)
        compare.setWidget(self.compare)
        compare.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(compare, "Compare")
        for index, tip in enumerate((
                "LL(θ) and accuracy against the step, and the timeline",
                "The confusion matrix on the test split",
                "The test digits the model gets wrong",
                "Logistic regression beside your network, on the same split")):
            self.tabs.setTabToolTip(index, tip)
        mv.addWidget(self.tabs, 3)

        controls = QWidget()
        rv = QVBoxLayout(controls)
        rv.setContentsMargins(4, 0, 4, 4)
        for group in (self.data, self.model, self.training):
            rv.addWidget(group)
        rv.addStretch(1)
        self.splitter = three_panes(self, (left, middle, controls_column(controls)),
                                    stretch=(3, 5, 1), sizes=(360, 660, 370))

    def banner_area(self) -> QRect:
        """Where a message may float (in this widget's coordinates): over the top of the
        forward-pass diagram, clear of every control."""
        top_left = self.network.mapTo(self, QPoint(0, 0))
        return QRect(top_left.x() + 6, top_left.y() + 6, self.network.width() - 12, 0)

    # ----------------------------------------------------------------- actions

    def clear_board(self) -> None:
        before = self.board.ink_uint8()
        if before.any():
            self.board.clear()
            self.session.undo_stack.push(BoardEdit(self.board, before, self.board.ink_uint8(),
                                                   "Clear the board"))

    def add_drawing(self, label: int) -> None:
        """Add the board's drawing to "mine" as ``label`` and clear the board."""
        if self.session.add_drawing(self.board.ink_uint8(), label):
            self.board.clear()

    def load_test_example(self, row: int) -> None:
        """Put a test digit (from the gallery) on the board, as one undo step. Until the
        board is drawn on, the model sees that test digit's own features (the board shows
        it blown up; preprocessing the blown-up picture again would give other features)."""
        before = self.board.ink_uint8()
        ink = self.session.test_example(row)
        self._loaded = (np.round(np.clip(ink, 0, 1) * 255).astype(np.uint8),
                        np.asarray(self.session.dataset.X_test[row], dtype=np.float64))
        self.board.set_ink(ink)
        self.session.undo_stack.push(BoardEdit(self.board, before, self.board.ink_uint8(),
                                               "Load a test digit"))

    # ----------------------------------------------------------------- frames

    def apply_frame(self, frame: Frame) -> None:
        if frame.spec.n_classes != self.session.task.n_classes:
            return  # a frame from before the task changed: the next one fits
        self._frame = frame
        self.curves.apply_frame(frame)
        part = frame.probe
        labels = self.session.task.labels
        if part is not None:
            self.confusion.show(part.confusion, labels)
            if frame.n_test == 0:
                self.gallery.clear("No test split: every digit is used for training (add "
                                   "more drawings, or train on both)")
            else:
                self.gallery.show(part.mistake_images, part.mistake_true,
                                  part.mistake_predicted, [int(r) for r in part.mistake_rows])
        self.update_drawing()  # the new model's guesses and forward pass for the drawing

    def show_timeline(self, frame: Frame) -> None:
        """The window refreshes the timeline at its text rate."""
        self.timeline.show_frame(frame)

    def update_drawing(self) -> None:
        """The drawing changed (or the model did): what the model sees, its guesses and
        the forward pass, computed at once (the guesses follow the pen)."""
        t0 = time.perf_counter()
        s = self.session
        if self._features_of != self.board.version:  # the ink changed: preprocess it
            self._features_of = self.board.version
            loaded = self._loaded
            if loaded is not None and np.array_equal(self.board.ink_uint8(), loaded[0]):
                self._features = loaded[1]
            elif self.board.has_ink():
                self._features = s.features(self.board.ink())
            else:
                self._features = None
            if self._features is None:
                self.input_view.clear()
            else:
                self.input_view.show_features(self._features, (8, 8))
        readouts = []
        for column, engine in enumerate((s.engine, s.compare)):
            frame = engine.latest_frame
            stale = frame is None or frame.spec.n_classes != s.task.n_classes
            readout = None if self._features is None or stale \
                else s.guess(engine, self._features)
            readouts.append(readout)
            self.compare.show_guess(column, None if readout is None
                                    else readout.probabilities)
        main = readouts[0]
        if main is None:
            self.guesses.clear("Draw a digit on the board" if self._features is None
                               else "Waiting for the model…", s.task.labels)
        else:
            self.guesses.show(main.probabilities, s.task.labels)
        if self._frame is not None and self._frame.spec.n_classes == s.task.n_classes:
            self._show_network(self._frame, main)
        self.drawing_times.append((time.perf_counter() - t0) * 1000.0)
        if len(self.drawing_times) > 10000:
            del self.drawing_times[:5000]

    def _show_network(self, frame: Frame, readout: inspection.Readout | None = None) -> None:
        """The diagram: the input picture, first-layer templates, and every unit framed in
        the colour of its activation for the drawing."""
        if readout is None and self._features is not None:
            readout = inspection.readout(frame.model, self._features)
        sizes = frame.layer_sizes
        arch = (frame.model_version, sizes, frame.activation)
        if arch != self._arch:
            self._arch = arch
            labels = self.session.task.labels
            outputs = ([f"ŷ = P(Y=1|x), Y=1: digit {labels[1]}"] if sizes[-1] == 1 else
                       [f"ŷ for digit {d} = P(Y={d}|x)" for d in labels])
            self.network.set_architecture(sizes, PIXEL_NAMES, activation=frame.activation,
                                          input_shape=(8, 8), y_up=False,
                                          output_names=outputs)
        part = frame.probe
        features = self._features if self._features is not None else np.zeros(64)
        images: list[NDArray[np.float32]] = [features.reshape(1, 8, 8).astype(np.float32)]
        level = part.template_level if part is not None else 1.0
        templates = part.templates if part is not None else np.zeros((sizes[1], 8, 8),
                                                                    np.float32)
        images.append(templates)
        levels = [SYMMETRIC, (-level, level)]
        hidden_range = SYMMETRIC
        if frame.activation == "relu" and readout is not None and readout.hidden:
            top = max(float(np.max(h)) for h in readout.hidden)
            hidden_range = (-top, top) if top > 1e-9 else SYMMETRIC
        values: list[NDArray[np.float64] | None] = [None]
        if readout is not None:
            values += [*readout.hidden, readout.output]
        for layer in range(2, len(sizes)):
            shown = values[layer] if readout is not None else np.zeros(sizes[layer])
            images.append(np.asarray(shown, np.float32).reshape(-1, 1, 1))
            levels.append(hidden_range if layer < len(sizes) - 1 else SYMMETRIC)
        self.network.update_state(frame.weights, images, levels)
        if readout is None:
            self.network.set_unit_values(None)
            return
        value_levels = [SYMMETRIC] + [hidden_range] * (len(sizes) - 2) + [SYMMETRIC]
        self.network.set_unit_values(values, value_levels, self._notes(frame, readout))

    @staticmethod
    def _notes(frame: Frame, readout: inspection.Readout) -> list[list[str]]:
        """Hover text per unit: its weighted input z, its activation and the formula."""
        notes: list[list[str]] = [[]]
        act = frame.activation
        last = len(frame.layer_sizes) - 1
        outputs = [*readout.hidden, readout.output]
        for layer, (z, a) in enumerate(zip(readout.weighted_inputs, outputs, strict=True),
                                       start=1):
            column = []
            for unit in range(len(z)):
                if layer < last:
                    formula = f"h = {act}(z), z = Σᵢ xᵢθᵢⱼ + θ₀ⱼ"
                elif len(z) == 1:
                    formula = "ŷ = σ(z) = P(Y=1|x)"
                else:
                    formula = "ŷₖ = e^(zₖ) / Σⱼ e^(zⱼ) = P(Y=k|x)"
                column.append(f"z = {z[unit]:.3f}, activation = {a[unit]:.3f}\n{formula}")
            notes.append(column)
        return notes
