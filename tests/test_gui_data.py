"""The playground's data: a saved dataset keeps each point's train/test role, the file
dialogs start where the user last worked, and the test split goes up to 90 %."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from core import datasets
from tests.test_gui_playground import click_data, settle


@pytest.fixture
def window(qtbot, shown_window):
    settle(qtbot, shown_window)
    return shown_window


def test_a_csv_round_trip_keeps_hand_placed_points_for_training(window, qtbot, tmp_path):
    s = window.session
    s.clear_points()
    for k, (x, y) in enumerate([(-3, -2), (-2, -3), (-1, -1), (2, 2), (3, 1), (1, 3), (2, 4)]):
        click_data(qtbot, window, x, y, Qt.MouseButton.LeftButton if k >= 3
                   else Qt.MouseButton.RightButton)
    assert len(s.data) == 7 and not s.data.test.any()
    path = tmp_path / "mine.csv"
    assert window.save_csv(str(path))
    assert window.open_csv(str(path))
    assert len(s.data) == 7 and not s.data.test.any()  # all 7 still train on
    assert "7 train" in window.controls.data.data_hint.text()


def test_a_csv_round_trip_keeps_a_presets_split_and_its_share(window, tmp_path):
    s = window.session
    window.controls.data.split_slider.setValue(35)
    before = s.data
    path = tmp_path / "overlap.csv"
    assert window.save_csv(str(path))
    window.controls.data.split_slider.setValue(10)
    assert window.open_csv(str(path))
    np.testing.assert_array_equal(s.data.X, before.X)
    np.testing.assert_array_equal(s.data.test, before.test)
    assert window.controls.data.split_slider.value() == round(100 * before.test.mean())


def test_a_csv_without_a_split_column_gets_the_stratified_split(window, tmp_path):
    s = window.session
    X, y = datasets.make("xor", n_samples=60, seed=4)
    path = tmp_path / "plain.csv"
    datasets.save_csv(path, X, y)
    assert window.open_csv(str(path))
    expected = datasets.split_mask(y, s.test_fraction, 0)
    np.testing.assert_array_equal(s.data.test, expected)
    assert 0 < s.data.test.sum() < len(y)


def test_the_open_dialog_starts_where_the_user_last_saved_or_opened(window, tmp_path,
                                                                    monkeypatch):
    asked: list[str] = []
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()

    def fake_open(parent, caption, folder, filters):
        asked.append(folder)
        return str(second / "other.csv"), ""

    def fake_save(parent, caption, start, filters):
        asked.append(start)
        return str(first / "saved.csv"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    assert window.save_csv()  # through the dialog: into first/
    datasets.save_csv(second / "other.csv", *datasets.make("xor", n_samples=20))
    assert window.open_csv()  # starts in first/, opens second/other.csv
    assert asked[-1] == str(first)
    window.open_csv()
    assert asked[-1] == str(second)
    window.save_csv()
    assert asked[-1] == str(second / "dataset.csv")
    assert window.last_folder() == str(first)  # where that save went
    # remembered for the next session too
    assert window.settings().value("files/last_folder") == str(first)


def test_the_test_split_goes_up_to_90_percent(window, qtbot):
    s = window.session
    slider = window.controls.data.split_slider
    assert slider.maximum() == 90
    slider.setValue(slider.maximum())
    assert s.test_fraction == pytest.approx(0.9)
    counts = np.bincount(s.data.y[s.data.test])
    assert s.data.test.sum() == pytest.approx(0.9 * len(s.data), abs=2)
    assert counts.min() > 0 and s.data.class_counts() == (10, 10)
    assert window.controls.data.split_label.text() == "90 % test"
    settle(qtbot, window)
    assert s.latest_frame.n_train == 20 and s.latest_frame.n_test == 180
