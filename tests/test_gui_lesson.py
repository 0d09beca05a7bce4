"""The guided lesson (Help → Lesson), driven as a student drives it: the menu item, the
Next and Back buttons, clicks in the plot, the close button; then checks on what each scene
set up (tab, points, model, θ, panels) and on the caption the card shows."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from core import datasets
from gui.lesson import SCENES, Scene
from gui.lesson.player import BACK_SHORTCUT, NEXT_SHORTCUT, OPEN_SHORTCUT
from gui.lesson.scenes import DIGITS, PLAYGROUND
from gui.widgets.panel_docks import Panel

SMALL = (1024, 640)
LESSON_PANELS = ("landscape", "loop", "sigmoid", "hidden_space")


@pytest.fixture
def window(shown_window):
    shown_window.resize(*SMALL)
    return shown_window


def lesson_menu_action(window) -> QAction:
    """Help → Lesson, found the way a student finds it: by its text in the Help menu."""
    found = [a for a in window.help_menu.actions() if a.text().replace("&", "")
             .startswith("Lesson")]
    assert len(found) == 1, [a.text() for a in window.help_menu.actions()]
    return found[0]


def open_lesson(window, qtbot):
    lesson_menu_action(window).trigger()
    qtbot.waitUntil(lambda: window.lesson.is_open, timeout=3000)
    return window.lesson


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def in_window(window, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def used_by_the_scenes(window, tab: str) -> list[QWidget]:
    """The controls and views the captions ask the student to use or to look at."""
    if tab == DIGITS:
        d = window.digits
        return [d.board, d.clear_button, d.guesses, d.input_view, d.network]
    training = window.controls.training
    return [window.boundary.plot_widget, window.network, window.curves, window.theta,
            training.step_button, training.run_button, training.eta_edit]


def wait_idle(qtbot, engine, step: int, timeout: int = 30000) -> None:
    """Until the engine stopped at ``step`` and the latest frame shows it."""
    qtbot.waitUntil(lambda: not engine.is_busy() and engine.step_count == step
                    and engine.latest_frame is not None and engine.latest_frame.step == step,
                    timeout=timeout)


def check_scene(window, qtbot, index: int, scene: Scene) -> None:
    lesson, card = window.lesson, window.lesson.card
    assert lesson.index == index
    # the caption is the scene's, showing whole (not cut off) at 1024×640
    assert card.caption.isVisible() and card.caption.text() == scene.caption
    assert lesson.caption_text() == scene.caption
    assert card.title.text() == scene.title
    assert f"scene {index + 1} of {len(SCENES)}" in card.counter.text()
    qtbot.waitUntil(lambda: card.caption.height()
                    >= card.caption.heightForWidth(card.caption.width()), timeout=3000)
    # ... and covers none of the controls and views the captions talk about
    for widget in used_by_the_scenes(window, scene.tab):
        assert widget.isVisible()
        assert not in_window(window, card).intersects(in_window(window, widget)), widget
    panels = window.workbench.panels
    for name in panels.docks:  # requested panels that exist show; no other panel does
        assert panels.is_showing(name) == (name in scene.panels), name
    if scene.tab == PLAYGROUND:
        s = window.session
        assert window.tabs.currentWidget() is window.workbench
        assert s.data.preset == scene.preset and len(s.data) == 200
        np.testing.assert_array_equal(
            s.data.X, datasets.make(scene.preset, 200, datasets.DEFAULT_NOISE[scene.preset],
                                    seed=0)[0])
        assert s.model_spec.kind == scene.spec.kind
        if scene.spec.kind == "network":
            assert s.model_spec.hidden_units == scene.spec.hidden_units
        assert s.display_unit == scene.display_unit
        wait_idle(qtbot, s.engine, scene.steps or scene.run_to)
        if scene.run_to:  # ran, and the student's next Run goes on from there
            assert s.engine.settings.max_steps == scene.settings.max_steps
    else:
        d = window.digits_session
        assert window.tabs.currentWidget() is window.digits
        assert d.task.n_classes == 10 and d.source == "bundled"
        assert d.engine.model_spec.hidden_units == scene.spec.hidden_units
        assert window.digits.board.has_ink()
        # it trains on (the whole run takes a while on a busy machine: not waited for)
        qtbot.waitUntil(lambda: d.engine.step_count > 0, timeout=30000)
        assert d.engine.settings.max_steps == scene.run_to
        qtbot.waitUntil(lambda: window.digits.guesses.first_text() != "", timeout=5000)


# --------------------------------------------------------------------------- the scenes


def test_the_scenes_are_six_to_ten_with_two_or_three_sentence_captions():
    assert 6 <= len(SCENES) <= 10
    for scene in SCENES:
        sentences = re.findall(r"[.!?](?:\s|$)", scene.caption)
        assert 2 <= len(sentences) <= 3, scene.title
    assert [s.tab for s in SCENES].count(DIGITS) == 1
    with pytest.raises(ValueError):
        Scene("t", "c", tab="elsewhere")


def test_every_scene_loads_and_shows_its_caption_through_help_lesson_and_next(window, qtbot):
    lesson = open_lesson(window, qtbot)
    card = lesson.card
    assert not card.back_button.isEnabled()
    where: dict[str, set[tuple[int, int]]] = {}  # Next's place per tab
    for index, scene in enumerate(SCENES):
        check_scene(window, qtbot, index, scene)
        place = in_window(window, card.next_button)
        where.setdefault(scene.tab, set()).add((place.x(), place.y()))
        if index + 1 < len(SCENES):
            click(qtbot, card.next_button)
    assert not card.next_button.isEnabled() and lesson.index == len(SCENES) - 1
    # Next stays put from scene to scene: clicking it again takes the student on
    assert all(len(places) == 1 for places in where.values()), where


def test_one_step_scene_takes_exactly_one_step_and_shows_its_gradient(window, qtbot):
    lesson = open_lesson(window, qtbot)
    click(qtbot, lesson.card.next_button)
    s = window.session
    wait_idle(qtbot, s.engine, 1)
    frame = s.latest_frame
    # one step from θ = 0: θ = η·∇LL(0), ∇LL(0) = Σᵢ (yᵢ − ½) xᵢ (x₀ = 1)
    X, y = s.data.train
    gradient = np.column_stack([np.ones(len(y)), X]).T @ (y - 0.5)
    np.testing.assert_allclose(frame.parameters[0].ravel(),
                               s.engine.learning_rate * gradient, rtol=1e-9, atol=1e-12)
    qtbot.waitUntil(lambda: "∂LL/∂θ₁" in window.theta.text(), timeout=3000)


def test_back_returns_to_the_previous_scene(window, qtbot):
    lesson = open_lesson(window, qtbot)
    card = lesson.card
    click(qtbot, card.next_button)
    click(qtbot, card.next_button)
    assert lesson.index == 2
    click(qtbot, card.back_button)
    check_scene(window, qtbot, 1, SCENES[1])
    click(qtbot, card.back_button)
    check_scene(window, qtbot, 0, SCENES[0])
    assert not card.back_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # Alt+Right
    check_scene(window, qtbot, 1, SCENES[1])
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert lesson.index == 0


def test_the_student_plays_inside_a_scene_and_replay_builds_it_again(window, qtbot):
    lesson = open_lesson(window, qtbot)
    s = window.session
    wait_idle(qtbot, s.engine, 0)
    plot = window.boundary.plot_widget.viewport()
    qtbot.mouseClick(plot, Qt.MouseButton.LeftButton,
                     pos=window.boundary.data_to_viewport(3.0, -4.0).toPoint())
    assert len(s.data) == 201 and s.data.preset is None  # the point is in
    np.testing.assert_allclose(s.data.X[-1], [3.0, -4.0], atol=0.1)
    click(qtbot, window.controls.training.step_button)
    wait_idle(qtbot, s.engine, 1)
    assert lesson.is_open and lesson.caption_text() == SCENES[0].caption
    click(qtbot, lesson.card.replay_button)
    check_scene(window, qtbot, 0, SCENES[0])  # the preset again, θ = 0, step 0
    s.undo_stack.undo()  # the student's point comes back with Ctrl+Z
    assert len(s.data) == 201


def test_a_run_scene_can_be_paused_and_run_on_by_the_student(window, qtbot):
    lesson = open_lesson(window, qtbot)
    index = next(k for k, scene in enumerate(SCENES) if scene.run_to)
    lesson.show_scene(index)
    engine = window.session.engine
    qtbot.waitUntil(lambda: engine.step_count > 0, timeout=10000)
    click(qtbot, window.controls.training.run_button)  # pause
    qtbot.waitUntil(lambda: not engine.running, timeout=3000)
    assert engine.settings.max_steps == SCENES[index].settings.max_steps


def test_close_ends_the_lesson_and_leaves_the_scene_to_play_with(window, qtbot):
    lesson = open_lesson(window, qtbot)
    click(qtbot, lesson.card.next_button)
    wait_idle(qtbot, window.session.engine, 1)
    click(qtbot, lesson.card.close_button)
    assert not lesson.is_open and not lesson.card.isVisible()
    assert lesson.caption_text() == ""
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert lesson.index == 1 and not lesson.is_open  # Next is off with the lesson
    assert window.session.step_count == 1  # the scene stays
    qtbot.keyClick(window, Qt.Key.Key_F1)  # opens again where it was left
    qtbot.waitUntil(lambda: lesson.is_open, timeout=3000)
    check_scene(window, qtbot, 1, SCENES[1])


def test_folding_the_caption_uncovers_the_groups_under_the_card(window, qtbot):
    lesson = open_lesson(window, qtbot)
    card = lesson.card
    tall = card.height()
    click(qtbot, card.fold_button)
    assert not card.caption.isVisible() and card.height() < tall
    assert card.next_button.isVisible()
    click(qtbot, card.fold_button)
    assert card.caption.isVisible() and card.height() == tall


def test_the_lesson_keys_are_used_by_nothing_else(window):
    own = {QKeySequence(k) for k in (OPEN_SHORTCUT, BACK_SHORTCUT, NEXT_SHORTCUT)}
    lesson_actions = {window.lesson.open_action, *window.lesson.scene_actions}
    taken = [sequence for action in window.findChildren(QAction)
             if action not in lesson_actions for sequence in action.shortcuts()]
    taken += [sc.key() for sc in window.findChildren(QShortcut)]
    assert not own & set(taken)
    assert lesson_menu_action(window).shortcut() == QKeySequence(OPEN_SHORTCUT)


# --------------------------------------------------------------------------- unsaved points


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_unsaved_points_are_asked_about_before_the_lesson(window, qtbot, monkeypatch,
                                                          tmp_path, answer):
    buttons = {"cancel": QMessageBox.StandardButton.Cancel,
               "discard": QMessageBox.StandardButton.Discard,
               "save": QMessageBox.StandardButton.Save}
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args) or buttons[answer])
    target = tmp_path / "my-points.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), "CSV files (*.csv)"))
    s = window.session
    window.preset_actions["xor"].trigger()
    s.add_point(0.5, 0.5, 1)
    mine = s.data.X.copy()
    assert s.modified
    lesson_menu_action(window).trigger()
    assert len(asked) == 1
    if answer == "cancel":
        assert not window.lesson.is_open
        np.testing.assert_array_equal(s.data.X, mine)  # nothing replaced
        return
    assert window.lesson.is_open and s.data.preset == SCENES[0].preset
    if answer == "save":
        X, _, _ = datasets.load_csv_split(target)
        np.testing.assert_allclose(X, mine)
    s.undo_stack.undo()  # Ctrl+Z brings the points back either way
    np.testing.assert_array_equal(s.data.X, mine)


def test_no_question_without_unsaved_points(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a))
    open_lesson(window, qtbot)
    assert asked == []


# --------------------------------------------------------------------------- panels


def _fake_panel(panel_name: str) -> type[Panel]:
    return type(f"Fake{panel_name.title()}", (Panel,), {"name": panel_name,
                                                        "title": panel_name.title()})


@pytest.fixture
def window_with_every_lesson_panel(qtbot, tmp_path, monkeypatch):
    """The window as it is once the panels the lesson asks for exist (those that do not
    yet are stand-ins)."""
    import gui.playground.workbench as workbench
    from gui.digits.session import DigitsSession
    from gui.main_window import MainWindow

    real = workbench.panel_types()
    have = {t.name for t in real}
    monkeypatch.setattr(workbench, "panel_types", lambda: real + [
        _fake_panel(name) for name in LESSON_PANELS if name not in have])
    w = MainWindow(digits=DigitsSession(storage=tmp_path / "my-digits.npz"))
    w.prompt_on_close = False
    qtbot.addWidget(w)
    w.resize(*SMALL)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.session.shutdown()
    w.digits_session.shutdown()


def test_each_scene_shows_the_panels_it_asks_for_and_hides_the_others(
        window_with_every_lesson_panel, qtbot):
    window = window_with_every_lesson_panel
    panels = window.workbench.panels
    assert set(LESSON_PANELS) <= set(panels.docks)
    panels.show_panel("hidden_space")  # a panel the student opened before the lesson
    lesson = open_lesson(window, qtbot)
    for index, scene in enumerate(SCENES):
        if index:
            click(qtbot, lesson.card.next_button)
        for name in panels.docks:
            assert panels.is_showing(name) == (name in scene.panels), (scene.title, name)
    assert any(scene.panels for scene in SCENES)
