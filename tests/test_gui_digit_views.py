"""The Digits views: pixels, guesses, confusion matrix and gallery draw what they are given,
answer real mouse positions, show their empty states and create nothing per update."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QObject, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from core.datasets import digits  # noqa: E402
from gui.digits.painting import TRACK  # noqa: E402
from gui.digits.views import ConfusionView, GalleryView, GuessesView, InputView  # noqa: E402
from gui.style import BLUE, ORANGE  # noqa: E402

LABELS = [str(k) for k in range(10)]


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return digits()


def shown(qtbot, widget: QWidget, width: int, height: int) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def colour_at(widget: QWidget, point: QPoint) -> QColor:
    """The colour the widget shows at a point of its own coordinates."""
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def grey(value: float) -> int:
    """The grey a feature value is drawn as (white ink on black)."""
    return int(min(max(value, 0.0), 1.0) * 256 if value < 1 else 255)


def close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 2) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def qobject_count(widget: QWidget) -> int:
    return len(widget.findChildren(QObject))


def realistic_confusion(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = np.diag(rng.integers(40, 47, 10))
    for i, j, n in [(8, 1, 3), (9, 3, 2), (3, 5, 4), (4, 9, 2), (1, 8, 1), (7, 9, 1)]:
        matrix[i, j] = n
    return matrix


def mistakes(data, m: int = 31, seed: int = 1):
    X, y = data
    rng = np.random.default_rng(seed)
    index = rng.choice(len(X), m, replace=False)
    true = y[index]
    predicted = (true + rng.integers(1, 10, m)) % 10
    return X[index].reshape(-1, 8, 8), true, predicted, [int(i) for i in index]


# -- InputView -------------------------------------------------------------------------


def test_input_pixels_match_the_features(qtbot, data):
    X, _ = data
    view = shown(qtbot, InputView(), 200, 220)
    features = X[7].copy()
    features[0], features[63], features[10] = 0.25, 1.0, 0.6
    view.show_features(features)
    for row, col in ((0, 0), (7, 7), (1, 2), (4, 3)):
        centre = view.pixel_rect(row, col).center()
        expected = grey(float(features[row * 8 + col]))
        assert close(rgb(colour_at(view, centre)), (expected,) * 3), (row, col)
    assert view.pixel_rect(0, 0).width() >= 12  # big square pixels
    assert "64 features, 8×8" in view._caption


def test_input_hover_names_the_pixel(qtbot, data):
    X, _ = data
    view = shown(qtbot, InputView(), 200, 220)
    view.show_features(X[0])
    qtbot.mouseMove(view, view.pixel_rect(1, 1).center())
    qtbot.waitUntil(lambda: view.hover_text() != "")
    assert view.hover_text() == f"x₁₀ · row 2, col 2 · {X[0][9]:.2f}"
    assert "x₁₀" in view.tooltip_at(view.pixel_rect(1, 1).center())
    assert "x₁," not in view.tooltip_at(QPoint(1, 1))  # outside the grid: the view's tooltip
    assert "downsampled" in view.toolTip()


def test_input_empty_state_and_bad_shape(qtbot, data):
    X, _ = data
    view = shown(qtbot, InputView(), 200, 220)
    view.show_features(X[3])
    view.clear()
    assert view.features() is None
    corner = view.pixel_rect(0, 0).topLeft() + QPoint(3, 3)
    assert close(rgb(colour_at(view, corner)), (0, 0, 0), 30)
    with pytest.raises(ValueError):
        view.show_features(np.zeros(10))
    view.show_features(np.linspace(0, 1, 16), shape=(4, 4))
    centre = view.pixel_rect(3, 3).center()
    assert close(rgb(colour_at(view, centre)), (255, 255, 255))


# -- GuessesView -----------------------------------------------------------------------


def test_guesses_texts_and_bars_follow_the_probabilities(qtbot):
    view = shown(qtbot, GuessesView(), 220, 260)
    p = np.full(10, 0.005)
    p[7], p[1] = 0.9, 0.06
    p /= p.sum()
    view.show(p, LABELS)
    assert view.first_text() == f"7  ·  P = {p[7]:.2f}"
    assert view.second_text() == f"second: 1  ·  P = {p[1]:.2f}"
    lengths = view.bar_lengths()
    assert np.allclose(lengths / lengths.sum(), p)
    assert lengths[7] > 0.8 * view.bar_rect(7).width()
    y7, y1 = view.bar_rect(7).center().y(), view.bar_rect(1).center().y()
    left = view.bar_rect(7).left()
    assert close(rgb(colour_at(view, QPoint(int(left + 3), int(y7)))), BLUE, 3)
    assert close(rgb(colour_at(view, QPoint(int(left + 3), int(y1)))), ORANGE, 3)
    after = QPoint(int(left + lengths[1] + 4), int(y1))
    assert close(rgb(colour_at(view, after)), rgb(TRACK), 3)
    q = p[::-1].copy()  # new probabilities: the bars and texts follow
    view.show(q, LABELS)
    assert view.first_text().startswith("2  ·") and view.second_text().startswith("second: 8")
    assert np.allclose(view.bar_lengths() / view.bar_lengths().sum(), q)


def test_guesses_binary_case_speaks_of_sigma(qtbot):
    view = shown(qtbot, GuessesView(), 220, 160)
    view.show(np.array([0.07, 0.93]), ["0", "1"])
    assert view.first_text() == "1  ·  P = 0.93"
    assert view.second_text() == "second: 0  ·  P = 0.07"
    assert view.formula_text() == "P(Y=1 | x) = σ(θᵀx) = 0.93"


def test_guesses_empty_state(qtbot):
    view = shown(qtbot, GuessesView(), 220, 260)
    view.show(np.full(10, 0.1), LABELS)
    view.clear()
    assert view.first_text() == "Draw a digit" and view.second_text() == ""
    assert not view.bar_lengths().any()
    view.clear("Drawing too faint")
    assert view.first_text() == "Drawing too faint"
    view.show(np.array([np.nan, 0.5]), ["a", "b"])
    assert "not a number" in view.first_text()
    with pytest.raises(ValueError):
        view.show(np.full(3, 1 / 3), LABELS)


def test_guesses_update_in_well_under_a_millisecond(qtbot):
    view = shown(qtbot, GuessesView(), 220, 260)
    rng = np.random.default_rng(0)
    batch = rng.dirichlet(np.ones(10), size=500)
    start = time.perf_counter()
    for p in batch:
        view.show(p, LABELS)
    per_call = (time.perf_counter() - start) / len(batch)
    assert per_call < 0.0005, f"{per_call * 1e6:.0f} µs per call"


# -- ConfusionView ---------------------------------------------------------------------


def test_confusion_accuracy_colours_and_click(qtbot):
    view = shown(qtbot, ConfusionView(), 260, 280)
    matrix = realistic_confusion()
    view.show(matrix, LABELS)
    correct, total = np.trace(matrix), matrix.sum()
    assert view.accuracy_text() == f"Test accuracy {100 * correct / total:.1f} %"
    assert view.count_text() == f"{correct} of {total} correct"
    corner = view.cell_rect(3, 3).topLeft() + QPoint(2, 2)  # away from the count's digits
    diagonal = rgb(colour_at(view, corner))
    assert close(diagonal, BLUE, 40)
    error = rgb(colour_at(view, view.cell_rect(3, 5).topLeft() + QPoint(2, 2)))
    assert error[0] > error[2] + 40 and error != (255, 255, 255)  # orange-ish
    empty = rgb(colour_at(view, view.cell_rect(0, 5).center()))
    assert empty == (255, 255, 255)
    with qtbot.waitSignal(view.cell_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.cell_rect(3, 5).center())
    assert blocker.args == [3, 5]
    assert "True 3, predicted 5: 4" in view.tooltip_at(view.cell_rect(3, 5).center())


def test_confusion_binary_and_empty(qtbot):
    view = shown(qtbot, ConfusionView(), 220, 200)
    view.show(np.array([[88, 2], [1, 89]]), ["0", "1"])
    assert view.accuracy_text() == "Test accuracy 98.3 %"
    with qtbot.waitSignal(view.cell_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.cell_rect(1, 0).center())
    assert blocker.args == [1, 0]
    view.show(np.zeros((0, 0)), [])
    assert "No test data" in view.message()
    assert view.accuracy_text() == "Test accuracy —"
    with qtbot.assertNotEmitted(view.cell_clicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(110, 120))
    view.show(np.zeros((10, 10)), LABELS)
    assert "No test data" in view.message()
    with pytest.raises(ValueError):
        view.show(np.ones((2, 3)), ["a", "b"])


# -- GalleryView -----------------------------------------------------------------------


def test_gallery_click_emits_the_key(qtbot, data):
    view = shown(qtbot, GalleryView(), 240, 260)
    images, true, predicted, keys = mistakes(data, 5)
    view.show(images, true, predicted, keys)
    assert view.captions()[0] == f"{true[0]} → {predicted[0]}"
    assert view.more_text() == ""
    with qtbot.waitSignal(view.picked, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.thumbnail_rect(1).center())
    assert blocker.args == [keys[1]]
    rect = view.thumbnail_rect(2)
    side = rect.width() // 8
    centre = QPoint(rect.left() + 5 * side + side // 2, rect.top() + 2 * side + side // 2)
    assert close(rgb(colour_at(view, centre)), (grey(float(images[2][2, 5])),) * 3)


def test_gallery_hover_enlarges_and_many_show_more(qtbot, data):
    view = shown(qtbot, GalleryView(), 240, 260)
    images, true, predicted, keys = mistakes(data, 40)
    view.show(images, true, predicted, keys)
    assert 8 <= view.shown_count() <= 24
    assert view.more_text() == f"+{40 - view.shown_count()} more"
    assert view.header_text().startswith("40 test mistakes")
    before = view.grab().toImage()
    qtbot.mouseMove(view, view.thumbnail_rect(0).center())
    qtbot.waitUntil(lambda: view._hover == 0)
    after = view.grab().toImage()
    assert before != after  # the enlarged card
    assert f"#{keys[0]}" in view.tooltip_at(view.thumbnail_rect(0).center())


def test_gallery_empty(qtbot):
    view = shown(qtbot, GalleryView(), 240, 260)
    view.show(np.zeros((0, 8, 8)), [], [], [])
    assert view.header_text() == "No mistakes on the test split"
    assert view.shown_count() == 0
    with qtbot.assertNotEmitted(view.picked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(30, 40))


# -- nothing is created per update -----------------------------------------------------


def test_a_thousand_updates_create_no_children(qtbot, data):
    X, y = data
    rng = np.random.default_rng(2)
    views = [shown(qtbot, InputView(), 200, 220), shown(qtbot, GuessesView(), 220, 260),
             shown(qtbot, ConfusionView(), 260, 280), shown(qtbot, GalleryView(), 240, 260)]
    inputs, guesses, confusion, gallery = views
    counts = [qobject_count(v) for v in views]
    images, true, predicted, keys = mistakes(data, 30)
    for i in range(1000):
        inputs.show_features(X[i])
        guesses.show(rng.dirichlet(np.ones(10)), LABELS)
        confusion.show(realistic_confusion(i % 7), LABELS)
        m = 1 + i % 30
        gallery.show(images[:m], true[:m], predicted[:m], keys[:m])
        if i % 100 == 0:
            for v in views:
                v.repaint()
    assert [qobject_count(v) for v in views] == counts
    assert all(c <= 1 for c in counts)  # painted widgets: no child widgets or items


def test_tooltips_speak_the_lectures_language(qtbot, data):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    X, _ = data
    view = shown(qtbot, InputView(), 200, 220)
    view.show_features(X[0])
    point = view.pixel_rect(0, 2).center()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, point, view.mapToGlobal(point)))
    qtbot.waitUntil(lambda: QToolTip.text() != "")
    assert QToolTip.text().startswith("x₃ = ")
    guesses = shown(qtbot, GuessesView(), 220, 260)
    guesses.show(np.full(10, 0.1), LABELS)
    assert "P(Y = 4 | x)" in guesses.tooltip_at(guesses.bar_rect(4).center().toPoint())
    confusion = shown(qtbot, ConfusionView(), 220, 220)
    assert "argmax" in guesses.toolTip() and "argmax" in confusion.toolTip()


class PaintCounter(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_unchanged_input_is_not_redrawn(qtbot, data):
    from PySide6.QtWidgets import QApplication

    X, _ = data
    images, true, predicted, keys = mistakes(data, 12)
    p = np.full(10, 0.1)
    calls = [
        (shown(qtbot, InputView(), 200, 220), lambda v: v.show_features(X[5].copy())),
        (shown(qtbot, GuessesView(), 220, 260), lambda v: v.show(p.copy(), list(LABELS))),
        (shown(qtbot, ConfusionView(), 260, 280),
         lambda v: v.show(realistic_confusion(), LABELS)),
        (shown(qtbot, GalleryView(), 240, 260),
         lambda v: v.show(images.copy(), true, predicted, list(keys))),
    ]
    for view, call in calls:
        call(view)
        QApplication.processEvents()
        counter = PaintCounter(view)
        for _ in range(20):
            call(view)
            QApplication.processEvents()
        assert counter.paints == 0, type(view).__name__
    view = calls[0][0]
    counter = PaintCounter(view)
    view.show_features(X[6])  # a change is drawn
    qtbot.waitUntil(lambda: counter.paints > 0)
