"""Files in the window: sessions (.ascent) and datasets (.csv) open and save through the
File menu, a drop or the command line, come back exactly (points, model, history,
snapshots, the timeline, the tab), the title says what is unsaved, nothing unsaved is lost
without asking, bad files say what is wrong and change nothing, and an autosave follows
every change."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from core import datasets
from core.session_file import load_session
from tests.test_gui_playground import settle

Answer = QMessageBox.StandardButton


class Dialogs:
    """Answers the controller's dialogs and remembers what they said."""

    def __init__(self, documents, answer=Answer.Discard):
        self.errors: list[str] = []
        self.asked: list[str] = []
        self.answer = answer
        documents.show_error = lambda title, text: self.errors.append(text)
        documents.ask_save = lambda doc: self.asked.append(doc.name) or self.answer


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for this module's tests (building one takes seconds); each test starts
    from an untitled overlap preset. The quitting test, last, closes it."""
    from gui.digits.session import DigitsSession
    from gui.main_window import MainWindow

    folder = tmp_path_factory.mktemp("documents")
    w = MainWindow(digits=DigitsSession(storage=folder / "my-digits.npz"))
    w.show()
    w.wait_for(lambda: w.session.latest_frame is not None, 10)
    yield w
    w.prompt_on_close = False
    w.close()
    w.session.shutdown()
    w.digits_session.shutdown()


@pytest.fixture
def window(qtbot, shared_window):
    w = shared_window
    w.prompt_on_close = False
    for engine in (w.session.engine, w.digits_session.engine):
        engine.pause()
    w.tabs.setCurrentWidget(w.workbench)
    w.controls.data.set_preset("overlap")
    w.controls.model.logistic_radio.click()
    w.session.set_model_spec(w.session.engine.model_spec.with_features([]))
    settle(qtbot, w)
    docs = w.documents
    for name, doc in docs.docs.items():
        doc.path, doc.kind = None, "session"
        docs.mark_clean(name)
    docs.autosave.enabled = True
    docs.autosave.timer.setInterval(2000)
    docs.autosave.discard()
    w.prompt_on_close = True
    w.dialogs = Dialogs(docs)
    w.hide_banner()
    yield w
    w.prompt_on_close = False


def train(qtbot, engine, steps):
    target = engine.step_count + steps
    engine.step(steps)
    qtbot.waitUntil(lambda: not engine.is_busy() and engine.latest_frame is not None
                    and engine.latest_frame.step == target, timeout=20000)


def state(engine):
    """Everything of an engine a session file must bring back, as plain arrays."""
    with engine.lock:
        trainer = engine.trainer
        store = trainer.snapshots
        return {"parameters": [p.copy() for p in engine.model.parameters],
                "history": {k: np.array(v) for k, v in trainer.history.as_arrays().items()},
                "snapshots": [(s, [p.copy() for p in store.restore_point(s)[1].parameters])
                              for s in store.steps()],
                "step": trainer.step_count, "spec": engine.model_spec,
                "settings": engine.settings, "rng": trainer.rng.bit_generator.state}


def assert_same(a, b):
    assert a["step"] == b["step"] and a["spec"] == b["spec"]
    assert a["settings"] == b["settings"] and a["rng"] == b["rng"]
    for p, q in zip(a["parameters"], b["parameters"], strict=True):
        assert p.tobytes() == q.tobytes()
    for k in a["history"]:
        assert a["history"][k].tobytes() == b["history"][k].tobytes(), k
    assert [s for s, _ in a["snapshots"]] == [s for s, _ in b["snapshots"]]
    for (_, ps), (_, qs) in zip(a["snapshots"], b["snapshots"], strict=True):
        assert all(p.tobytes() == q.tobytes() for p, q in zip(ps, qs, strict=True))


def points(session):
    d = session.data
    return d.X.tobytes(), d.y.tobytes(), d.y.dtype, d.test.tobytes()


# --------------------------------------------------------------------------- round trips


def test_every_preset_round_trips_exactly_through_save_and_open(window, qtbot, tmp_path):
    s, docs = window.session, window.documents
    for k, name in enumerate(datasets.PRESETS + datasets.REGRESSION_PRESETS):
        window.controls.data.set_preset(name)
        if k % 2:
            window.controls.model.network_radio.click()
        if k == 2:  # an engineered input too
            s.set_model_spec(s.engine.model_spec.with_features(["x1sq", "sin2"]))
        train(qtbot, s.engine, 7 + k)
        path = tmp_path / f"{name}.ascent"
        assert docs.save_session(path, "playground")
        before, data = state(s.engine), points(s)
        window.controls.data.set_preset("blobs" if name != "blobs" else "xor")
        train(qtbot, s.engine, 2)
        assert docs.open(path), window.dialogs.errors
        qtbot.waitUntil(lambda b=before: s.latest_frame.step == b["step"], timeout=5000)
        settle(qtbot, window)
        assert points(s) == data, name
        assert_same(state(s.engine), before)
        assert s.regression == (name in datasets.REGRESSION_PRESETS)
        assert window.timeline.maximum() == before["step"] == window.timeline.value()
        np.testing.assert_array_equal(window.curves.curve_data()[0],
                                      before["history"]["steps"])
        assert window.windowTitle() == f"{name}.ascent — Ascent Lab"


def test_a_hand_edited_network_session_comes_back_with_its_view(window, qtbot, tmp_path):
    s, docs = window.session, window.documents
    s.clear_points()
    for x, y, label in [(-2, -1, 0), (-1, -2, 0), (1, 2, 1), (2, 1, 1), (0, 3, 2)]:
        s.add_point(x, y, label)
    s.erase_near(2, 1, 0.1)
    window.controls.data.split_slider.setValue(30)
    s.set_active_class(2)
    window.controls.data.show_test_check.setChecked(False)
    window.boundary.viewbox.setRange(xRange=(-4, 3), yRange=(-3, 4), padding=0)
    train(qtbot, s.engine, 12)
    s.set_display_unit((1, 0))
    path = tmp_path / "mine.ascent"
    assert docs.save_session(path, "playground")
    before, data = state(s.engine), points(s)
    ranges = window.boundary.viewbox.viewRange()
    assert s.engine.model_spec.n_classes == 3
    s.load_preset("moons")
    s.set_active_class(0)
    window.controls.data.show_test_check.setChecked(True)
    window.boundary.reset_view()
    assert docs.open(path), window.dialogs.errors
    settle(qtbot, window)
    assert points(s) == data and s.data.preset is None
    assert_same(state(s.engine), before)
    assert s.active_class == 2 and s.display_unit == (1, 0)
    assert not window.controls.data.show_test_check.isChecked()
    np.testing.assert_allclose(window.boundary.viewbox.viewRange(), ranges, rtol=1e-9)
    assert window.controls.data.preset_combo.currentText() == "(your points)"
    assert not s.undo_stack.canUndo()  # an opened file is a new document


def test_a_digits_session_brings_back_the_drawings_ink_task_and_training(window, qtbot,
                                                                        tmp_path):
    docs, d = window.documents, window.digits_session
    window.tabs.setCurrentWidget(window.digits)
    window.digits.data.two_radio.setChecked(True)
    window.digits.data.first_spin.setValue(3)
    window.digits.data.second_spin.setValue(8)
    rng = np.random.default_rng(5)
    for label in (3, 8, 3, 8):
        ink = (rng.random((280, 280)) > 0.97).astype(np.uint8) * rng.integers(1, 256)
        ink[100:180, 120:160] = 255
        d.add_drawing(ink.astype(np.uint8), label)
    window.digits.data.source_combo.setCurrentIndex(
        window.digits.data.source_combo.findData("both"))
    train(qtbot, d.engine, 15)
    window.digits.tabs.setCurrentIndex(1)
    path = tmp_path / "digits.ascent"
    assert docs.save_session(path, "digits")
    assert load_session(path).workbench == "digits"
    before, ink, labels = state(d.engine), d.drawings.raw_ink(), d.drawings.labels
    with d.engine.lock:
        X_train = d.engine.dataset.X_train.copy()
    window.digits.data.ten_radio.setChecked(True)
    d.delete_drawing(0)
    window.tabs.setCurrentWidget(window.workbench)
    assert docs.open(path), window.dialogs.errors
    assert window.tabs.currentWidget() is window.digits  # a digits session shows Digits
    qtbot.waitUntil(lambda: d.engine.latest_frame.step == before["step"], timeout=10000)
    assert d.drawings.raw_ink().tobytes() == ink.tobytes()
    np.testing.assert_array_equal(d.drawings.labels, labels)
    assert d.task.digits == (3, 8) and d.source == "both"
    assert window.digits.data.two_radio.isChecked()
    assert window.digits.data.second_spin.value() == 8
    assert window.digits.tabs.currentIndex() == 1
    assert d.engine.dataset.X_train.tobytes() == X_train.tobytes()
    assert_same(state(d.engine), before)
    assert window.windowTitle() == "digits.ascent — Ascent Lab"


# --------------------------------------------------------------------------- title, asking


def test_the_title_names_the_file_and_marks_unsaved_changes(window, qtbot, tmp_path):
    s, docs = window.session, window.documents
    assert window.windowTitle() == "Untitled playground — Ascent Lab"
    s.add_point(1.0, 1.0, 0)
    assert window.windowTitle() == "Untitled playground * — Ascent Lab"
    assert docs.save_session(tmp_path / "one.ascent")
    assert window.windowTitle() == "one.ascent — Ascent Lab"
    train(qtbot, s.engine, 3)  # training is part of the session
    assert window.windowTitle() == "one.ascent * — Ascent Lab"
    window.tabs.setCurrentWidget(window.digits)
    assert window.windowTitle() == "Untitled digits — Ascent Lab"
    window.tabs.setCurrentWidget(window.workbench)
    window.controls.data.set_preset("xor")  # a preset replaces the file's points
    assert window.windowTitle().startswith("one.ascent *")


def test_saved_files_are_readable_like_any_new_file_and_a_typed_name_gets_csv(
        window, tmp_path, monkeypatch):
    """A session is written through a private temporary file: it still gets the usual mode
    (0666 less the umask), not 0600; "Save dataset as…" adds .csv to a bare name (so the
    file opens again as a dataset)."""
    import os
    import stat

    docs = window.documents
    mask = os.umask(0o022)
    try:
        assert docs.save_session(tmp_path / "mine.ascent")
        assert stat.S_IMODE((tmp_path / "mine.ascent").stat().st_mode) == 0o644
        monkeypatch.setattr(docs, "choose_path", lambda *a, **k: str(tmp_path / "points"))
        assert docs.save_dataset()
    finally:
        os.umask(mask)
    assert (tmp_path / "points.csv").is_file() and not (tmp_path / "points").exists()
    assert docs.open(tmp_path / "points.csv") and not window.dialogs.errors


def test_opening_another_file_asks_about_unsaved_changes(window, tmp_path):
    s, docs = window.session, window.documents
    other = tmp_path / "other.ascent"
    assert docs.save_session(other)
    for answer in (Answer.Cancel, Answer.Discard, Answer.Save):
        first = tmp_path / f"first-{answer.name}.ascent"
        assert docs.save_session(first)
        s.add_point(0.25, 0.5, 1)
        edited = points(s)
        window.dialogs.answer = answer
        window.dialogs.asked.clear()
        assert docs.open(other) == (answer != Answer.Cancel)
        assert window.dialogs.asked == ["playground"]
        if answer == Answer.Cancel:
            assert points(s) == edited and docs.docs["playground"].path == first.resolve()
            assert window.windowTitle() == f"{first.name} * — Ascent Lab"
        else:
            assert points(s) != edited and window.windowTitle() == "other.ascent — Ascent Lab"
        if answer == Answer.Save:  # the edit went to its file first
            assert len(load_session(first).y) == len(edited[1]) // 8


def test_recent_files_keep_eight_and_drop_missing_ones_with_a_message(window, tmp_path):
    docs = window.documents
    window.settings().setValue("files/recent", [])
    paths = [tmp_path / f"s{k}.ascent" for k in range(10)]
    for path in paths:
        assert docs.save_session(path)
    assert docs.files.recent() == [str(p.resolve()) for p in reversed(paths)][:8]
    docs.files.fill_recent_menu(docs.files.recent_menu)
    names = [a.text() for a in docs.files.recent_menu.actions() if a.text()]
    assert names[0] == "&1 s9.ascent" and len(names) == 8 + 1  # + "Clear the list"
    paths[9].unlink()
    assert not docs.files.open_recent(str(paths[9].resolve()))
    assert "no longer exists" in window.dialogs.errors[-1]
    assert str(paths[9].resolve()) not in docs.files.recent()
    assert docs.files.open_recent(str(paths[2].resolve()))
    assert docs.files.recent()[0] == str(paths[2].resolve())


def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), mime


def test_dropping_a_session_or_a_csv_on_the_window_opens_it(window, qtbot, tmp_path):
    s = window.session
    X, y = datasets.make("circles", n_samples=40, seed=2)
    csv = tmp_path / "circles.csv"
    datasets.save_csv(csv, X, y)
    accepted, _ = _drop(window, csv)
    assert accepted and s.data.X.tobytes() == X.tobytes()
    assert window.windowTitle() == "circles.csv — Ascent Lab"
    session = tmp_path / "dropped.ascent"
    assert window.documents.save_session(session)
    s.add_point(0, 0, 1)
    accepted, _ = _drop(window, session)
    assert accepted and len(s.data) == 40
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    accepted, _ = _drop(window, text)
    assert not accepted


def test_a_regression_saved_as_csv_opens_again_as_a_regression(window, tmp_path):
    s, docs = window.session, window.documents
    window.controls.data.set_preset("regress2d")
    data = points(s)
    path = tmp_path / "wave.csv"
    assert window.save_csv(str(path))
    assert path.read_text().splitlines()[0] == "x1,x2,target,split"
    window.controls.data.set_preset("xor")
    assert not s.regression
    assert docs.open(path), window.dialogs.errors
    assert s.regression and points(s) == data
    assert s.engine.model_spec.kind == "regression"


def test_ascent_lab_file_opens_the_file_given_on_the_command_line(qtbot, tmp_path):
    from gui.__main__ import _parser, open_window

    assert _parser().parse_args(["lesson.ascent"]).file == "lesson.ascent"
    X, y = datasets.make("moons", n_samples=30, seed=1)
    csv = tmp_path / "moons.csv"
    datasets.save_csv(csv, X, y)
    window = open_window(str(csv))
    qtbot.addWidget(window)
    try:
        assert window.session.data.X.tobytes() == X.tobytes()
        assert window.windowTitle() == "moons.csv — Ascent Lab"
    finally:
        window.prompt_on_close = False
        window.close()


# --------------------------------------------------------------------------- bad files


def _valid_session(window, tmp_path):
    path = tmp_path / "valid.ascent"
    assert window.documents.save_session(path)
    return path


BAD_CSV = {
    "malformed": ("x1,x2,label\n0,1,0\n1,abc,1\n", [":3", "'x2'", "'abc'"]),
    "nan": ("x1,x2,label\n0,1,0\nnan,1,1\n", [":3", "not finite"]),
    "inf": ("x1,x2,label\n0,1,0\n1,inf,1\n", [":3", "not finite"]),
    "wrong columns": ("x1,x2,x3,label\n0,1,2,0\n1,2,3,1\n", ["exactly 2 features"]),
    "short row": ("x1,x2,label\n0,1,0\n1,1\n", [":3", "expected 3 columns"]),
    "single class": ("x1,x2,label\n0,1,1\n1,2,1\n", ["two classes"]),
    "empty": ("", ["empty"]),
    "bad target": ("x1,x2,target\n0,1,0.5\n1,2,oops\n", [":3", "'target'", "'oops'"]),
}


def _bad_sessions(window, tmp_path):
    valid = _valid_session(window, tmp_path).read_bytes()
    truncated = tmp_path / "truncated.ascent"
    truncated.write_bytes(valid[:len(valid) // 2])
    foreign = tmp_path / "foreign.ascent"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("manifest.json", '{"format": "something-else"}')
    garbage = tmp_path / "garbage.ascent"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    digits_like = tmp_path / "wide.ascent"
    from core.session_file import SessionData, save_session
    from core.specs import ModelSpec, TrainingSettings

    spec = ModelSpec("logistic", n_features=5)
    save_session(digits_like, SessionData(spec, TrainingSettings(), np.zeros((4, 5)),
                                          np.array([0, 1, 0, 1]), np.zeros(4, bool),
                                          [np.zeros(6)], workbench="cli"))
    return {truncated: "truncated", foreign: "format", garbage: "not an Ascent Lab session",
            digits_like: "5 inputs"}


def test_bad_files_say_what_is_wrong_and_leave_the_session_untouched(window, qtbot,
                                                                    tmp_path, monkeypatch):
    s, docs = window.session, window.documents
    bad = {}
    for name, (text, expected) in BAD_CSV.items():
        path = tmp_path / f"{name.replace(' ', '_')}.csv"
        path.write_text(text)
        bad[path] = expected
    bad.update({p: [e] for p, e in _bad_sessions(window, tmp_path).items()})
    import core.session_file as session_file

    big = _valid_session(window, tmp_path)
    s.add_point(0.5, -0.5, 1)
    before, step, title = points(s), s.engine.step_count, window.windowTitle()
    for path, expected in bad.items():
        window.dialogs.errors.clear()
        assert not docs.open(path), path
        assert len(window.dialogs.errors) == 1, path
        message = window.dialogs.errors[0]
        assert path.name in message and all(e in message for e in expected), message
        assert points(s) == before and s.engine.step_count == step
        assert window.windowTitle() == title and window.banner_text() == ""
    monkeypatch.setattr(session_file, "MAX_TOTAL_BYTES", 100)  # "too large"
    assert not docs.open(big) and "more than 100" in window.dialogs.errors[-1]
    assert points(s) == before and window.dialogs.asked == []


# --------------------------------------------------------------------------- autosave


def test_an_autosave_follows_a_change_and_a_save_or_clean_quit_removes_it(window, qtbot,
                                                                         tmp_path):
    s, docs = window.session, window.documents
    auto = docs.autosave
    auto.timer.setInterval(50)
    target = auto.path("playground")
    auto.discard()
    qtbot.wait(150)
    assert not target.exists()  # nothing changed: nothing written
    s.add_point(1.5, 1.5, 1)
    qtbot.waitUntil(lambda: target.exists() and not auto.timer.isActive(), timeout=5000)
    auto.wait()
    saved = load_session(target)
    assert saved.X.tobytes() == s.data.X.tobytes() and saved.view["autosave"]["path"] is None
    s.add_point(-1.5, 1.5, 0)  # the next change writes again
    qtbot.waitUntil(lambda: len(load_session(target).y) == len(s.data), timeout=5000)
    assert docs.save_session(tmp_path / "kept.ascent")
    assert not target.exists()  # saved: the autosave is no longer needed
    s.add_point(0.0, 2.0, 1)
    qtbot.waitUntil(target.exists, timeout=5000)
    window.dialogs.answer = Answer.Discard
    assert docs.close_requested()  # what quitting does before the window closes
    assert not target.exists()


# --------------------------------------------------------------------------- last: quits


def test_quitting_asks_about_each_unsaved_tab_and_cancel_keeps_the_window(window, qtbot):
    s, d = window.session, window.digits_session
    s.add_point(0.5, 0.5, 1)
    d.add_drawing(np.full((280, 280), 255, np.uint8), 4)
    window.dialogs.answer = Answer.Cancel
    window.close()
    assert window.isVisible() and window.dialogs.asked == ["playground"]
    window.dialogs.answer = Answer.Discard
    window.close()
    assert not window.isVisible() and window.dialogs.asked == ["playground"] * 2 + ["digits"]
    assert window.documents.autosave.found() == []
