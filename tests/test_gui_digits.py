"""The Digits workbench, driven as a student drives it: strokes on the board at real
positions, digit keys, the gallery; then checks on the session, the models and the views."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from core.drawings import Drawings


@pytest.fixture
def window(qtbot, shown_window):
    w = shown_window
    w.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: w.digits_session.engine.latest_frame is not None, timeout=10000)
    return w


def stroke(qtbot, board, points) -> None:
    """Press, move through ``points`` (board pixels) and release, with the mouse."""
    where = [board.from_board(x, y).toPoint() for x, y in points]
    qtbot.mousePress(board, Qt.MouseButton.LeftButton, pos=where[0])
    for a, b in zip(where[:-1], where[1:], strict=True):
        for t in np.linspace(0.25, 1.0, 4):
            qtbot.mouseMove(board, a + QPoint(round((b - a).x() * t), round((b - a).y() * t)))
    qtbot.mouseRelease(board, Qt.MouseButton.LeftButton, pos=where[-1])


def draw_one(qtbot, window) -> None:
    stroke(qtbot, window.digits.board, [(140, 50), (140, 140), (140, 230)])


def test_a_drag_on_the_board_becomes_ink_where_it_went(window, qtbot):
    board = window.digits.board
    assert not board.has_ink()
    stroke(qtbot, board, [(60, 140), (220, 140)])
    ink = board.ink()
    assert ink[140, 60:220].min() > 0.9  # along the stroke
    assert ink[40, :].max() == 0 and ink[:, 10].max() == 0  # nowhere else
    # the model sees it: the 8×8 input shows a horizontal bar, the guesses are shown
    features = window.digits._features
    assert features is not None and features.shape == (64,)
    rows = features.reshape(8, 8).sum(axis=1)
    assert rows.argmax() in (3, 4)
    # one stroke is one undo step
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not board.has_ink()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)
    assert board.has_ink()


def test_a_labelled_drawing_grows_mine_and_survives_a_restart(window, qtbot):
    from gui.digits.session import DigitsSession

    s = window.digits_session
    assert len(s.drawings) == 0
    draw_one(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_7)
    assert len(s.drawings) == 1 and s.drawings.labels.tolist() == [7]
    assert not window.digits.board.has_ink()  # the board is ready for the next one
    assert window.digits.mine.count_labels[7].text() == "1"
    assert window.digits.mine.list.count() == 1
    assert s.storage.exists()
    again = DigitsSession(start_worker=False, storage=s.storage)
    try:
        assert len(again.drawings) == 1 and again.drawings.labels.tolist() == [7]
        np.testing.assert_array_equal(again.drawings.ink(0), s.drawings.ink(0))
    finally:
        again.shutdown()
    # undo takes it out (and out of the file), redo puts it back
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(s.drawings) == 0 and len(Drawings.load(s.storage)) == 0
    window.undo_action.trigger()  # the stroke too
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert len(s.drawings) == 1


def test_an_empty_board_is_not_added(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert len(window.digits_session.drawings) == 0
    assert "empty" in window.banner_text()


def test_training_on_mine_and_deleting_an_entry(window, qtbot):
    s = window.digits_session
    for label, x in ((0, 100), (1, 180), (0, 120), (1, 160)):
        stroke(qtbot, window.digits.board, [(x, 60), (x, 220)])
        window.digits.mine.label_buttons[label].click()
    assert s.drawings.counts()[:2].tolist() == [2, 2]
    window.digits.data.source_combo.setCurrentIndex(
        window.digits.data.source_combo.findData("mine"))
    assert s.source == "mine"
    assert len(s.dataset.y_train) + len(s.dataset.y_test) == 4
    window.digits.mine.list.setCurrentRow(1)
    window.digits.mine.delete_button.click()
    assert len(s.drawings) == 3
    assert len(s.dataset.y_train) + len(s.dataset.y_test) == 3
    window.undo_action.trigger()
    assert len(s.drawings) == 4


def test_two_digits_use_the_lectures_single_sigma_output(window, qtbot):
    s = window.digits_session
    data = window.digits.data
    data.two_radio.click()
    assert s.task.digits == (0, 1)
    assert s.engine.model_spec.n_classes == 2
    assert s.compare.model_spec.kind == "logistic"
    assert set(np.unique(s.dataset.y_train)) == {0, 1}
    window.digits.training.step_n_spin.setValue(50)
    qtbot.mouseClick(window.digits.training.step_n_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not s.engine.is_busy() and s.engine.latest_frame.step == 50,
                    timeout=20000)
    frame = s.engine.latest_frame
    assert frame.probe.confusion.shape == (2, 2)
    assert frame.test_accuracy > 0.95
    data.ten_radio.click()
    assert s.engine.model_spec.n_classes == 10 and s.compare.model_spec.hidden_units == ()


def test_the_gallery_loads_a_misclassified_test_digit_onto_the_board(window, qtbot):
    s = window.digits_session
    qtbot.waitUntil(lambda: s.engine.latest_frame.probe is not None, timeout=5000)
    part = s.engine.latest_frame.probe
    assert part.n_mistakes > 0  # an untrained network gets most wrong
    row = int(part.mistake_rows[0])
    window.digits.gallery.picked.emit(row)
    ink = window.digits.board.ink()
    pixels = s.dataset.X_test[row].reshape(8, 8)
    np.testing.assert_allclose(ink[::35, ::35], pixels, atol=1 / 255)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.digits.board.has_ink()


def test_space_and_enter_train_the_digits_model_when_its_tab_shows(window, qtbot):
    s = window.digits_session
    playground = window.session
    before = playground.engine.step_count
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: s.engine.latest_frame.step == 1, timeout=10000)
    assert playground.engine.step_count == before


def test_the_window_trains_digits_with_the_clis_defaults(window, capsys):
    """What `ascent-lab train --preset digits --model mlp:32` uses is what the Digits tab
    starts with: the same η, batch, mean, momentum and number of steps."""
    import json

    from core import cli

    assert cli.main(["--preset", "digits", "--model", "mlp:32", "--steps", "0",
                     "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    engine = window.digits_session.engine
    settings = engine.settings
    controls = window.digits.training
    assert engine.model_spec.hidden_units == (32,)
    assert settings.learning_rate == pytest.approx(report["learning_rate"], rel=1e-12)
    assert settings.batch_size == report["batch_size"] and settings.average == report["average"]
    assert settings.momentum == report["momentum"]
    assert controls.batch_combo.currentData() == "mini"
    assert controls.batch_spin.value() == settings.batch_size
    assert controls.average_check.isChecked() and controls.momentum_spin.value() == 0.95
    assert controls.max_check.isChecked() and controls.max_spin.value() == settings.max_steps
    assert "(in use)" in controls.eta_hint.text()


def test_guesses_follow_the_pen_and_a_unit_shows_z_and_h_on_hover(window, qtbot):
    d = window.digits
    board = d.board
    start = board.from_board(140, 50).toPoint()
    qtbot.mousePress(board, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(board, board.from_board(140, 120).toPoint())
    midway = d._features.copy()  # before the release: the model already sees the ink
    assert midway.any() and d.guesses.first_text()
    qtbot.mouseMove(board, board.from_board(140, 230).toPoint())
    assert not np.array_equal(d._features, midway)  # and follows the stroke
    qtbot.mouseRelease(board, Qt.MouseButton.LeftButton,
                       pos=board.from_board(140, 230).toPoint())
    # hover a first-layer unit of the forward pass: its z, its activation, the formula
    net = d.network
    qtbot.mouseMove(net.viewport(), net.thumbnail_center_in_widget(1, 3))
    qtbot.waitUntil(lambda: "z =" in net.hover_text(), timeout=3000)
    text = net.hover_text()
    assert "activation =" in text and "Σ" in text
    readout = window.digits_session.guess(window.digits_session.engine, d._features)
    assert f"{readout.weighted_inputs[0][3]:.3f}" in text
