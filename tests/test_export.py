"""File → Export in the window (gui.export): the animation with its progress dialog and
Cancel, figures of each view at a chosen size (PNG, SVG), and the CSV files."""

import re
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from core import export_csv


def train_xor(window, qtbot, steps=200):
    """XOR and a 2-4-1 network through the window's own controls, then ``steps`` steps."""
    c, s = window.controls, window.session
    window.preset_actions["xor"].trigger()
    c.model.network_radio.click()
    c.model.layers_editor.spin_boxes()[0].setValue(4)
    qtbot.waitUntil(lambda: s.latest_frame is not None and s.latest_frame.kind == "network"
                    and s.trainer is not None and s.trainer.step_count == 0, timeout=10000)
    c.training.step_n_spin.setValue(steps)
    qtbot.mouseClick(c.training.step_n_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not s.is_busy() and s.trainer.step_count == steps, timeout=30000)


def gif_frames(path):
    from PIL import Image, ImageSequence

    with Image.open(path) as gif:
        return [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(gif)]


def test_export_menu_replaces_the_screenshot_item(shown_window):
    menu = shown_window.export_menu
    file_actions = shown_window.file_menu.actions()
    assert menu.menu.menuAction() in file_actions
    assert shown_window.screenshot_action not in file_actions
    texts = [a.text() for a in menu.menu.actions() if not a.isSeparator()]
    assert texts[0].startswith("Screenshot of the &window")
    assert any("Animation" in t for t in texts) and any("History" in t for t in texts)
    assert all(a.toolTip() for a in menu.menu.actions() if not a.isSeparator())


def test_animation_of_200_xor_steps_with_its_progress_dialog(shown_window, qtbot, tmp_path):
    window = shown_window
    train_xor(window, qtbot)
    menu = window.export_menu
    path = tmp_path / "xor.gif"
    seen = []
    assert menu.export_animation(path, frames=200, size=(480, 240))
    job, dialog = menu.job, menu.progress_dialog
    job.progressed.connect(lambda done, total: seen.append((done, total)))
    assert dialog.isVisible() and dialog.maximum() == 201
    with qtbot.waitSignal(job.finished, timeout=60000) as finished:
        pass
    assert finished.args[0] is True, finished.args[1]
    assert seen[-1] == (201, 201) and dialog.value() == dialog.maximum()
    assert not dialog.isVisible() and menu.job is None
    frames = gif_frames(path)
    assert len(frames) == 200 and frames[0].shape == (240, 480, 3)
    left = slice(60, 200), slice(40, 220)
    changed = np.abs(frames[0][left].astype(int) - frames[-1][left].astype(int)).sum(axis=2)
    assert (changed > 0).mean() > 0.2  # the boundary moved
    assert "saved" in window.statusBar().currentMessage()


def test_cancel_stops_the_animation_and_leaves_no_file(shown_window, qtbot, tmp_path):
    window = shown_window
    train_xor(window, qtbot, steps=60)
    menu = window.export_menu
    path = tmp_path / "cancelled.gif"
    assert menu.export_animation(path, frames=60, size=(480, 240))
    job, dialog = menu.job, menu.progress_dialog
    qtbot.waitUntil(lambda: job.done >= 3, timeout=20000)
    with qtbot.waitSignal(job.finished, timeout=5000) as finished:
        button = dialog.findChild(QPushButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert finished.args[0] is False and "cancelled" in finished.args[1]
    assert job.done < 60
    assert not path.exists() and list(tmp_path.iterdir()) == []
    assert menu.job is None and menu.animation_action.isEnabled()


def test_animation_needs_a_trained_run(shown_window, tmp_path):
    window = shown_window
    window.session.clear_points()
    assert not window.export_menu.export_animation(tmp_path / "x.gif")
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_each_view_and_the_window_export_at_a_chosen_size(shown_window, qtbot, tmp_path,
                                                          kind):
    from gui.export.figures import figure_targets

    window = shown_window
    train_xor(window, qtbot, steps=20)
    names = [t.name for t in figure_targets(window)]
    assert names[0].startswith("Plane view") and names[-1] == "Whole window"
    assert "Log-likelihood curve" in names and "Network diagram" in names
    for k, name in enumerate(names):
        path = tmp_path / f"view{k}.{kind}"
        assert window.export_menu.export_figure(name, path, (640, 400)), name
        expected_height = 400
        if name == "Whole window":
            expected_height = round(640 * window.height() / window.width())
        if kind == "png":
            image = QImage(str(path))
            assert (image.width(), image.height()) == (640, expected_height), name
            pixels = np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB32).constBits(),
                                   np.uint32).reshape(image.height(), -1)
            assert len(np.unique(pixels)) > 20, name  # something was drawn
        else:
            root = ElementTree.parse(path).getroot()
            width = root.get("width")  # in mm at 96 dots per inch: CSS pixels
            assert width.endswith("mm"), width
            pixels = float(re.match(r"[\d.]+", width).group()) / 25.4 * 96
            view_box = [float(v) for v in root.get("viewBox").split()]
            assert round(pixels) == 640 and view_box[2:] == [640, expected_height], name
            assert len(path.read_text(encoding="utf-8")) > 2000, name


def test_a_bigger_plot_export_magnifies_the_view(shown_window, qtbot, tmp_path):
    from gui.export.figures import figure_targets

    window = shown_window
    target = next(t for t in figure_targets(window) if t.name.startswith("Plane view"))
    w, h = target.screen_size()
    before = window.boundary.viewbox.viewRange()
    path = tmp_path / "big.png"
    assert window.export_menu.export_figure(target.name, path, (2 * w, 2 * h))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (2 * w, 2 * h)
    assert target.screen_size() == (w, h)  # the view on screen is as it was
    np.testing.assert_allclose(window.boundary.viewbox.viewRange(), before)


def test_figure_dialog_defaults_to_the_size_on_screen(shown_window):
    from gui.export.dialogs import FigureDialog
    from gui.export.figures import figure_targets

    targets = figure_targets(shown_window)
    dialog = FigureDialog(targets, shown_window)
    assert dialog.size_chosen == targets[0].screen_size()
    dialog.view_combo.setCurrentIndex(len(targets) - 1)  # the whole window keeps its shape
    assert not dialog.height_spin.isEnabled()
    dialog.width_spin.setValue(shown_window.width() * 2)
    assert dialog.height_spin.value() == pytest.approx(shown_window.height() * 2, abs=1)
    dialog.close()


def test_history_and_parameters_csv_round_trip_exactly(shown_window, qtbot, tmp_path):
    window = shown_window
    train_xor(window, qtbot, steps=25)
    menu = window.export_menu
    assert menu.export_history(tmp_path / "h.csv")
    assert menu.export_parameters(tmp_path / "p.csv")
    s = window.session
    with s.lock:
        history = s.trainer.history.as_arrays()
        parameters = [p.copy() for p in s.model.parameters]
    back = export_csv.read_history_csv((tmp_path / "h.csv").read_text(encoding="utf-8"))
    assert len(back["steps"]) == 26
    for name in export_csv.HISTORY_HEADER[1:]:
        np.testing.assert_array_equal(back[name], history[name])
    read = export_csv.read_parameters_csv((tmp_path / "p.csv").read_text(encoding="utf-8"),
                                          [p.shape for p in parameters])
    for a, b in zip(read, parameters, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_csv_that_cannot_be_written_is_reported_in_the_banner(shown_window, tmp_path):
    window = shown_window
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    assert not window.export_menu.export_history(folder)
    assert "Could not write" in window.banner_text()
    window.show_message("warning", "something else")  # not the export's: it stays
    assert not window.export_menu.export_history(folder)
    assert window.export_menu.export_history(tmp_path / "history.csv")
    assert window.banner_text() == ""  # the failure it reported is no longer true
    window.show_message("warning", "something else")
    assert window.export_menu.export_history(tmp_path / "again.csv")
    assert window.banner_text() == "something else"


def test_digits_tab_views_export_and_the_animation_is_the_playgrounds(shown_window, qtbot,
                                                                     tmp_path):
    from gui.export.figures import figure_targets

    window = shown_window
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.digits.board.isVisible(), timeout=5000)
    names = [t.name for t in figure_targets(window)]
    assert "Drawing board" in names and "Guesses" in names  # (the views shown)
    for k, name in enumerate(names[:-1]):
        path = tmp_path / f"digits{k}.png"
        assert window.export_menu.export_figure(name, path, (300, 200)), name
        assert QImage(str(path)).size().toTuple() == (300, 200), name
    menu = window.export_menu
    menu.menu.aboutToShow.emit()
    assert not menu.animation_action.isEnabled()
    assert "Playground" in menu.animation_action.toolTip()
    window.tabs.setCurrentIndex(0)
    menu.menu.aboutToShow.emit()
    assert menu.animation_action.isEnabled()


def test_a_wider_plane_figure_has_the_heatmap_edge_to_edge(shown_window, qtbot, tmp_path):
    """Another shape shows more of the plane: the heatmap is computed for it (no blank
    strips at the sides, as the figure drawn before the engine's frame had)."""
    from gui.export.figures import figure_targets

    window = shown_window  # logistic regression on the lecture's overlap: coloured all over
    s = window.session
    qtbot.mouseClick(window.controls.training.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not s.is_busy() and s.trainer.step_count == 1, timeout=10000)
    target = next(t for t in figure_targets(window) if t.name.startswith("Plane view"))
    w, h = target.screen_size()
    path = tmp_path / "wide.png"
    assert window.export_menu.export_figure(target.name, path, (3 * w, h))
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    rgb = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[..., :3]
    rows = slice(int(0.2 * image.height()), int(0.8 * image.height()))
    for column in (int(0.15 * image.width()), int(0.85 * image.width())):
        strip = rgb[rows, column].astype(int)
        assert (strip.min(axis=1) < 235).mean() > 0.5, column  # coloured, not white


def test_model_title_of_logistic_regression_is_not_a_network():
    from core.specs import ModelSpec
    from gui.export.headless import model_title

    assert model_title(ModelSpec(kind="logistic")) == "logistic regression"  # (4,) ignored
    assert model_title(ModelSpec(kind="network", hidden_units=(4,))) == \
        "network 2-4-1 (sigmoid)"
    assert model_title(ModelSpec(kind="network", hidden_units=(), n_classes=3)) == \
        "softmax regression"


def test_an_export_path_typed_without_a_suffix_gets_the_formats():
    from gui.export.menu import with_suffix

    assert with_suffix("/tmp/plane", ".png") == "/tmp/plane.png"
    assert with_suffix("/tmp/run.v2", ".gif") == "/tmp/run.v2.gif"
    assert with_suffix("/tmp/plane.SVG", ".png") == "/tmp/plane.SVG"
    assert with_suffix("/tmp/history", ".csv") == "/tmp/history.csv"


def test_parameters_csv_of_the_lectures_logistic_regression(shown_window, qtbot, tmp_path):
    """The window starts with logistic regression: File → Export → Parameters writes its
    θ₀, θ₁, θ₂ (it used to fail silently, a traceback on stderr)."""
    window = shown_window
    s = window.session
    assert s.engine.model_spec.kind == "logistic"
    qtbot.mouseClick(window.controls.training.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not s.is_busy() and s.trainer.step_count == 1, timeout=10000)
    path = tmp_path / "theta.csv"
    assert window.export_menu.export_parameters(path)
    with s.engine.lock:
        theta = [p.copy() for p in s.engine.model.parameters]
    read = export_csv.read_parameters_csv(path.read_text(encoding="utf-8"),
                                          [p.shape for p in theta])
    np.testing.assert_array_equal(read[0], theta[0])
    assert "θ₂" in path.read_text(encoding="utf-8")


def test_the_save_dialog_s_bare_name_gets_csv_and_the_next_dialog_starts_there(
        shown_window, tmp_path, monkeypatch):
    import gui.export.menu as export_menu

    folder = tmp_path / "exports"
    folder.mkdir()
    asked = []

    def dialog(parent, title, start, filters):
        asked.append(start)
        return str(folder / "history"), filters

    monkeypatch.setattr(export_menu.QFileDialog, "getSaveFileName", dialog)
    assert shown_window.export_menu.export_history()
    assert (folder / "history.csv").is_file() and not (folder / "history").exists()
    assert shown_window.export_menu.export_parameters()
    assert asked[-1] == str(folder / "parameters.csv")
