"""The engine and the shared widgets carry a workbench that is not the 2D plane.

A throwaway workbench of 64 features and 10 classes (the 8×8 digits) is built here from
nothing but ``gui.engine`` and ``gui.widgets``: it steps, runs, pauses and rewinds through
the widgets, with the curves and the timeline following, and its probe's part reaches
every frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStyle, QStyleOptionSlider, QVBoxLayout, QWidget

from core import datasets
from core.specs import ModelSpec
from gui.engine import Dataset, ProbeContext, ProbeResult, TrainingEngine
from gui.widgets.curves_view import CurvesView
from gui.widgets.model_controls import ModelControls
from gui.widgets.network_view import NetworkView
from gui.widgets.timeline import Timeline
from gui.widgets.training_controls import TrainingControls


class ConfusionProbe:
    """The digits-like probe: a confusion matrix of the test split, per frame."""

    def __init__(self) -> None:
        self.computed = 0

    def attach(self, request_frame: Callable[[], None]) -> None:
        self.request_frame = request_frame

    def compute(self, model: Any, context: ProbeContext) -> ProbeResult:
        self.computed += 1
        d = context.dataset
        predicted = model.predict(d.X_test) if len(d.y_test) else np.zeros(0, dtype=int)
        matrix = np.zeros((10, 10), dtype=np.int64)
        np.add.at(matrix, (d.y_test, predicted), 1)
        # the diagram's pictures: the first test digit, each hidden unit's incoming weights
        # as an 8×8 template, and each class's probability for that digit
        example = d.X_test[:1]
        activations = model.forward(example)
        images = (example.reshape(1, 8, 8).astype(np.float32),
                  model.weights[0].T.reshape(-1, 8, 8).astype(np.float32),
                  activations[-1].reshape(-1, 1, 1).astype(np.float32))
        return ProbeResult((matrix, images))


class DigitsBench(QWidget):
    def __init__(self) -> None:
        super().__init__()
        X, y = datasets.digits()
        X_train, X_test, y_train, y_test = datasets.train_test_split(X[:600], y[:600], 0.25)
        self.undo_stack = QUndoStack(self)
        self.probe = ConfusionProbe()
        self.engine = TrainingEngine(
            ModelSpec("network", n_features=64, n_classes=10, hidden_units=(16,)),
            self.probe, self, train_process=False, empty_hint="draw digits")
        self.engine.set_dataset(Dataset(X_train, y_train, X_test, y_test, version=1))
        self.training = TrainingControls(self.engine)
        self.model = ModelControls(self.engine)
        self.curves = CurvesView()
        self.timeline = Timeline(self.engine, self.undo_stack)
        self.network = NetworkView()
        layout = QVBoxLayout(self)
        for w in (self.network, self.model, self.training, self.curves, self.timeline):
            layout.addWidget(w)
        self.engine.frame_ready.connect(self.curves.apply_frame)
        self.engine.frame_ready.connect(self.timeline.show_frame)
        self.engine.frame_ready.connect(self.show_network)
        self._sizes: tuple[int, ...] = ()

    def show_network(self, frame: Any) -> None:
        if frame.layer_sizes != self._sizes:
            self._sizes = frame.layer_sizes
            names = tuple(f"pixel {k}" for k in range(64))
            self.network.set_architecture(frame.layer_sizes, names,
                                          activation=frame.activation, input_shape=(8, 8),
                                          y_up=False)
        images = frame.probe[1]
        levels = [(0.0, 1.0), (-0.5, 0.5), (0.0, 1.0)]
        self.network.update_state(frame.weights, images, levels)


@pytest.fixture
def bench(qtbot):
    b = DigitsBench()
    qtbot.addWidget(b)
    b.resize(700, 1000)
    b.show()
    qtbot.waitExposed(b)
    qtbot.waitUntil(lambda: b.engine.latest_frame is not None, timeout=10000)
    yield b
    b.engine.shutdown()


def settled(b: DigitsBench) -> bool:
    f = b.engine.latest_frame
    return f is not None and not b.engine.is_busy() and f.step == b.engine.step_count \
        and not f.preview


def slider_point(slider: Any, value: int) -> QPoint:
    """Where a slider's handle sits for ``value`` (widget coordinates)."""
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    groove = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                           QStyle.SubControl.SC_SliderGroove, slider)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                           QStyle.SubControl.SC_SliderHandle, slider)
    span = groove.width() - handle.width()
    x = groove.x() + handle.width() // 2 + round(span * (value - slider.minimum())
                                                 / max(slider.maximum() - slider.minimum(), 1))
    return QPoint(x, groove.center().y())


def test_a_ten_class_workbench_steps_runs_and_rewinds(bench, qtbot):
    e, t = bench.engine, bench.training
    assert not bench.model.logistic_radio.isEnabled()  # 10 classes: softmax network only
    # 64·16 + 16·10 weights, 16 + 10 biases
    assert "<b>1184</b> weights + <b>26</b> biases" in bench.model.param_label.text()
    qtbot.mouseClick(t.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(bench) and e.latest_frame.step == 1, timeout=10000)
    t.step_n_spin.setValue(40)
    qtbot.mouseClick(t.step_n_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(bench) and e.latest_frame.step == 41, timeout=10000)
    frame = e.latest_frame
    assert frame.layer_sizes == (64, 16, 10)
    confusion = frame.probe[0]
    assert confusion.shape == (10, 10) and confusion.sum() == len(e.dataset.y_test)
    np.testing.assert_array_equal(np.diag(confusion).sum(),
                                  np.sum(frame.test_predictions == e.dataset.y_test))
    # the shared diagram draws the 64 inputs as one 8×8 picture, 16 hidden, 10 outputs
    assert len(bench.network.thumbnail_items()[1]) == 16
    clicked = []
    bench.network.unit_clicked.connect(lambda layer, unit: clicked.append((layer, unit)))
    qtbot.mouseClick(bench.network.viewport(), Qt.MouseButton.LeftButton,
                     pos=bench.network.thumbnail_center_in_widget(2, 9))
    assert clicked == [(2, 9)]
    assert frame.log_likelihood > frame.history["log_likelihood"][0]
    steps, _ = bench.curves.curve_data()
    assert steps[-1] == 41 and len(steps) == 42
    assert bench.timeline.slider.maximum() == 41

    # Run and Pause with the button
    t.speed_combo.setCurrentIndex(t.speed_combo.findData(None))
    qtbot.mouseClick(t.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: e.latest_frame.step >= 150, timeout=20000)
    qtbot.mouseClick(t.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(bench), timeout=10000)
    end = e.step_count
    assert end >= 150 and not e.running
    qtbot.waitUntil(lambda: bench.timeline.slider.maximum() == end, timeout=5000)

    # drag the timeline to the middle: preview while dragging, rewind on release
    slider = bench.timeline.slider
    middle = end // 2
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=slider_point(slider, end))
    qtbot.mouseMove(slider, slider_point(slider, middle))
    qtbot.waitUntil(lambda: e.latest_frame.preview, timeout=5000)
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=slider_point(slider, middle))
    qtbot.waitUntil(lambda: settled(bench), timeout=10000)
    restored = e.step_count
    assert abs(restored - middle) <= max(3, end // 100)
    assert e.latest_frame.step == restored
    qtbot.waitUntil(lambda: bench.curves.curve_data()[0][-1] == restored, timeout=5000)

    # the rewind is undoable: the dropped steps come back
    assert bench.undo_stack.undoText() == f"Rewind to step {restored:,}"
    bench.undo_stack.undo()
    qtbot.waitUntil(lambda: settled(bench) and e.latest_frame.step == end, timeout=10000)
    assert e.latest_frame.history_length == end + 1
    bench.undo_stack.redo()
    qtbot.waitUntil(lambda: settled(bench) and e.latest_frame.step == restored, timeout=10000)
    assert bench.probe.computed > 3


def test_an_engine_without_data_refuses_to_train_with_the_workbench_hint(qtbot):
    engine = TrainingEngine(ModelSpec("network", n_features=64, n_classes=10,
                                      hidden_units=(8,)), start_worker=False,
                            empty_hint="draw digits and label them")
    messages = []
    engine.message.connect(lambda level, text: messages.append(text))
    engine.step(1)
    assert messages == ["The dataset is empty: draw digits and label them."]
    X = np.zeros((3, 64))
    engine.set_dataset(Dataset(X, np.array([4, 4, 4]), X[:0], np.zeros(0, dtype=int)))
    ok, reason = engine.trainable()
    assert not ok and "another class" in reason
    with pytest.raises(ValueError, match="64"):
        engine.set_dataset(Dataset.empty(2))
    engine.shutdown()
