"""The window's files: open, save and save as (session files ``.ascent`` and CSV
datasets), recent files, drag and drop, the title's modified mark, asking before unsaved
work is lost, and the autosave (``gui.autosave``).

Each workbench (tab) has its own document: a session file holds one workbench (its
``workbench`` field says which; docs/file-format.md). Opening a digits session shows the
Digits tab. A CSV dataset is a playground document that holds the points only.

A document is *modified* when anything its file keeps changed since it was opened or saved:
the points or drawings, the model, the settings, the training (steps, rewinds, edited
weights). A fresh preset in an untitled playground is not (it can be generated again).
Every dialog goes through one method (:meth:`DocumentController.ask_save`,
:meth:`~DocumentController.show_error`, :meth:`~DocumentController.ask_restore`,
:meth:`~DocumentController.choose_path`) so that tests can answer it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.export_csv import readable_by_all
from core.session_file import SessionData, SessionFileError, load_session, save_session
from gui.autosave import Autosaver, origin_of
from gui.digits import session_io as digits_io
from gui.file_menu import OPEN_FILTER, SESSION_FILTER, FileMenu, dropped_file
from gui.playground import session_io as playground_io

APP_NAME = "Ascent Lab"
Answer = QMessageBox.StandardButton


@dataclass
class Document:
    """One workbench's document."""

    name: str  # "playground" | "digits"
    title: str
    path: Path | None = None
    kind: str = "session"  # "session" (.ascent) or "csv" (points only)
    dirty: bool = False
    saved_step: int = 0
    model_version: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.path.name if self.path is not None else f"Untitled {self.title}"


class DocumentController(QObject):
    """Current files, modified state, recent files, autosave, open/save/drop."""

    title_changed = Signal(str)

    def __init__(self, window: Any, autosave_folder: Path | None = None,
                 autosave_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = w = window
        self.docs = {"playground": Document("playground", "playground"),
                     "digits": Document("digits", "digits")}
        self._loading = False
        self.recovery_answer: bool | None = None  # tests: answer the restore offer
        self.autosave = Autosaver(self._capture_for_autosave, autosave_folder, parent=self)
        if autosave_ms is not None:
            self.autosave.timer.setInterval(autosave_ms)
        self.autosave.failed.connect(self._autosave_failed)
        self.files = FileMenu(self)  # the File menu's actions and the recent files
        s, d = w.session, w.digits_session
        for signal in (s.data_changed, s.undo_stack.indexChanged, s.engine.model_changed,
                       s.engine.settings_changed):
            signal.connect(self._playground_changed)
        for signal in (d.drawings_changed, d.data_changed, d.undo_stack.indexChanged,
                       d.engine.model_changed, d.engine.settings_changed):
            signal.connect(self._digits_changed)
        s.engine.frame_ready.connect(self._playground_frame)
        d.engine.frame_ready.connect(self._digits_frame)
        s.engine.running_changed.connect(self._playground_running)
        d.engine.running_changed.connect(self._digits_running)
        s.modified_changed.connect(self._points_saved)
        w.tabs.currentChanged.connect(self.update_title)

    # ----------------------------------------------------------------- state

    def engine(self, name: str) -> Any:
        return (self.window.session if name == "playground"
                else self.window.digits_session).engine

    def workbench(self, name: str) -> Any:
        return self.window.workbench if name == "playground" else self.window.digits

    @property
    def active(self) -> Document:
        digits = self.window.tabs.currentWidget() is self.window.digits
        return self.docs["digits" if digits else "playground"]

    def modified(self, name: str | None = None) -> bool:
        doc = self.docs[name] if name is not None else self.active
        if doc.kind == "csv":  # a CSV keeps the points only
            return bool(self.window.session.modified)
        return doc.dirty

    def mark_clean(self, name: str) -> None:
        doc = self.docs[name]
        engine = self.engine(name)
        doc.dirty = False
        doc.saved_step = engine.step_count
        doc.extra["step"] = doc.saved_step
        doc.model_version = engine.model_version
        self.update_title()

    # bound methods (not lambdas): Qt disconnects them when the window goes
    def _playground_changed(self, *_: object) -> None:
        self._changed("playground")

    def _digits_changed(self, *_: object) -> None:
        self._changed("digits")

    def _playground_frame(self, frame: Any) -> None:
        self._frame("playground", frame)

    def _digits_frame(self, frame: Any) -> None:
        self._frame("digits", frame)

    def _playground_running(self, running: bool) -> None:
        if not running and self.docs["playground"].dirty:
            self.autosave.changed("playground")

    def _digits_running(self, running: bool) -> None:
        if not running and self.docs["digits"].dirty:
            self.autosave.changed("digits")

    def _changed(self, name: str) -> None:
        if self._loading:
            return
        self.docs[name].dirty = True
        self.update_title()
        if not self.engine(name).running:
            self.autosave.changed(name)

    def _frame(self, name: str, frame: Any) -> None:
        """Training changed the session: Step and rewinds autosave soon, a run when it
        stops (running_changed), not at every frame."""
        doc = self.docs[name]
        if (self._loading or frame.preview or frame.model_version < doc.model_version
                or frame.step == doc.extra.get("step", doc.saved_step)):
            return
        doc.extra["step"] = frame.step
        if frame.step != doc.saved_step or doc.dirty:
            self._changed(name)

    def _points_saved(self, modified: bool) -> None:
        """A fresh preset in an untitled playground is no unsaved work (as before)."""
        doc = self.docs["playground"]
        if not modified and doc.path is None and not self._loading:
            self.autosave.discard("playground")
            self.mark_clean("playground")
        self.update_title()

    def _autosave_failed(self, problem: str) -> None:
        if shiboken6.isValid(self.window):
            self.window.show_message("warning", f"Could not autosave {problem}. Save your "
                                                "work (File → Save As…).")

    def update_title(self, *_: object) -> None:
        if not shiboken6.isValid(self.window):
            return
        doc = self.active
        title = f"{doc.display_name}{' *' if self.modified() else ''} — {APP_NAME}"
        self.window.setWindowTitle(title)
        self.title_changed.emit(title)

    # ----------------------------------------------------------------- dialogs

    def ask_save(self, doc: Document) -> Answer:
        """Save / Discard / Cancel for a modified document."""
        return QMessageBox.question(
            self.window, "Save changes?",
            f"“{doc.display_name}” ({doc.title}) has changes you did not save. Save them "
            "first?", Answer.Save | Answer.Discard | Answer.Cancel, Answer.Save)

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.window, title, text)

    def ask_restore(self, text: str) -> bool:
        """Restore (True) or discard (False) an autosave."""
        if self.recovery_answer is not None:
            return self.recovery_answer
        box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved work?", text,
                          parent=self.window)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore

    def choose_path(self, save: bool, caption: str, filters: str, start: str = "") -> str:
        folder = self.window.last_folder()
        if save:
            start_at = str(Path(folder or ".") / start) if start else folder
            path, _ = QFileDialog.getSaveFileName(self.window, caption, start_at, filters)
        else:
            path, _ = QFileDialog.getOpenFileName(self.window, caption, folder, filters)
        return path

    def confirm_discard(self, name: str) -> bool:
        """True when ``name``'s document may be replaced: saved, or the user said so."""
        doc = self.docs[name]
        if not self.modified(name) or not getattr(self.window, "prompt_on_close", True):
            return True
        answer = self.ask_save(doc)
        if answer == Answer.Cancel:
            return False
        if answer == Answer.Save:
            return self.save(name)
        return True

    # ----------------------------------------------------------------- opening

    def open(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Open a session (``.ascent``) or a dataset (``.csv``); a dialog without a path."""
        if path is None:
            path = self.choose_path(False, "Open a session or dataset", OPEN_FILTER)
            if not path:
                return False
        source = Path(path)
        if source.suffix.lower() == ".csv":
            return self.open_dataset(source)
        return self.open_session(source)

    def _failed(self, source: Path, problem: str) -> bool:
        self.show_error("Could not open the file",
                        f"Could not open {source.name}; nothing was changed.\n\n{problem}")
        return False

    def open_session(self, source: Path) -> bool:
        try:
            data = load_session(source)
            name = self._workbench_of(data)
        except SessionFileError as exc:
            return self._failed(source, str(exc))
        if not self.confirm_discard(name):
            return False
        try:
            self._restore(name, data)
        except (SessionFileError, ValueError) as exc:
            return self._failed(source, str(exc))
        doc = self.docs[name]
        doc.path, doc.kind = source.resolve(), "session"
        self.mark_clean(name)
        self.autosave.discard(name)
        self._opened(source, name)
        return True

    @staticmethod
    def _workbench_of(data: SessionData) -> str:
        if data.workbench == "digits" or (data.workbench != "playground"
                                          and data.spec.n_raw_features == 64):
            return "digits"
        if data.spec.n_raw_features == 2:
            return "playground"
        raise SessionFileError(
            f"this session's model takes {data.spec.n_raw_features} inputs; the window shows "
            "2D points (the playground, 2 inputs) or 8×8 digits (64 inputs)")

    def _restore(self, name: str, data: SessionData) -> None:
        self._loading = True
        try:
            engine = self.engine(name)
            engine.pause()
            if name == "digits":
                digits_io.restore(self.workbench(name), data)
            else:
                playground_io.restore(self.workbench(name), data)
            self.window.hide_banner()
        finally:
            self._loading = False

    def _opened(self, source: Path, name: str, say: bool = True) -> None:
        self.files.add_recent(source)
        self.window._remember_folder(str(source))
        tab = self.workbench(name)
        if self.window.tabs.currentWidget() is not tab:
            self.window.tabs.setCurrentWidget(tab)
        self.update_title()
        if say:  # (a CSV's own message says how many points, and what became of the model)
            self.window.show_message("info", f"Opened {source.name}.")

    def open_dataset(self, source: Path) -> bool:
        """A CSV dataset into the playground (undoable); errors in a dialog, with the line
        and column, and the current points untouched."""
        session = self.window.session
        try:
            parsed = session.read_csv(source)
        except (OSError, ValueError) as exc:
            return self._failed(source, str(exc))
        if not self.confirm_discard("playground"):
            return False
        self._loading = True
        try:
            session.install_csv(source, *parsed)
        finally:
            self._loading = False
        self.window.boundary.reset_view()
        doc = self.docs["playground"]
        doc.path, doc.kind = source.resolve(), "csv"
        self.mark_clean("playground")
        self.autosave.discard("playground")
        self._opened(source, "playground", say=False)
        return True

    # ----------------------------------------------------------------- saving

    def save(self, name: str | None = None) -> bool:
        """Save the active (or ``name``'s) document to its file; Save As without one."""
        doc = self.docs[name] if name is not None else self.active
        if doc.path is None:
            return self.save_as(doc.name)
        if doc.kind == "csv":
            return self.save_dataset(doc.path)
        return self.save_session(doc.path, doc.name)

    def save_as(self, name: str | None = None) -> bool:
        doc = self.docs[name] if name is not None else self.active
        start = (doc.path.with_suffix(".ascent").name if doc.path is not None
                 else f"{doc.name}.ascent")
        path = self.choose_path(True, f"Save the {doc.title} session", SESSION_FILTER, start)
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".ascent":
            target = target.with_name(target.name + ".ascent")
        return self.save_session(target, doc.name)

    def capture(self, name: str) -> SessionData:
        if name == "digits":
            return digits_io.capture(self.workbench(name))
        return playground_io.capture(self.workbench(name))

    def save_session(self, path: str | os.PathLike[str], name: str | None = None) -> bool:
        name = name or self.active.name
        target = Path(path)
        try:
            save_session(target, self.capture(name))
            readable_by_all(target)  # as any new file (written via a private temporary)
        except (OSError, ValueError) as exc:
            self.show_error("Could not save", f"Could not save {target.name}: {exc}")
            return False
        doc = self.docs[name]
        doc.path, doc.kind = target.resolve(), "session"
        self.mark_clean(name)
        self.autosave.discard(name)
        self.files.add_recent(target)
        self.window._remember_folder(str(target))
        self.window.show_message("info", f"Saved the {doc.title} to {target.name}.")
        return True

    def save_dataset(self, path: str | os.PathLike[str] | None = None) -> bool:
        """The playground's points as CSV (a dialog without a path)."""
        if path is None:
            path = self.choose_path(True, "Save dataset", "CSV files (*.csv)", "dataset.csv")
            if not path:
                return False
            if Path(path).suffix.lower() != ".csv":  # as the dialog's filter promised
                path = path + ".csv"
        target = Path(path)
        try:
            self.window.session.write_csv(target)
        except (OSError, ValueError) as exc:
            self.show_error("Could not save", f"Could not save {target.name}: {exc}")
            return False
        doc = self.docs["playground"]
        if doc.kind == "csv" or doc.path is None:
            doc.path, doc.kind = target.resolve(), "csv"
        self.files.add_recent(target)
        self.window._remember_folder(str(target))
        self.update_title()
        self.window.show_message("info", f"Saved {len(self.window.session.data)} points to "
                                         f"{target.name}.")
        return True

    # ----------------------------------------------------------------- drag and drop

    def drag_enter(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and dropped_file(event.mimeData().urls()):
            event.acceptProposedAction()

    def drop(self, event: QDropEvent) -> None:
        path = dropped_file(event.mimeData().urls()) if event.mimeData().hasUrls() else None
        if path is None:
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.open(path)

    # ----------------------------------------------------------------- quitting, autosave

    def close_requested(self) -> bool:
        """Quitting: ask about each modified document; False to stay open."""
        for name in ("playground", "digits"):
            if self.modified(name) and getattr(self.window, "prompt_on_close", True):
                if self.window.tabs.currentWidget() is not self.workbench(name):
                    self.window.tabs.setCurrentWidget(self.workbench(name))
                if not self.confirm_discard(name):
                    return False
        self.autosave.stop()  # a clean quit leaves no autosave behind
        return True

    def _capture_for_autosave(self, name: str) -> SessionData | None:
        doc = self.docs[name]
        if not self.modified(name):
            return None
        data = self.capture(name)
        data.view["autosave"] = {"pid": os.getpid(),
                                 "path": None if doc.path is None else str(doc.path),
                                 "kind": doc.kind}
        return data

    def offer_recovery(self) -> bool:
        """At start: offer each autosave a run that did not quit cleanly left; True if
        something was restored."""
        restored = False
        for name, path in self.autosave.found():
            try:
                data = self.autosave.read(path)
            except SessionFileError:
                path.unlink(missing_ok=True)
                continue
            origin = origin_of(data)
            if origin.get("pid") == os.getpid():
                continue
            was = origin.get("path")
            what = f"“{Path(was).name}”" if isinstance(was, str) else f"an untitled {name}"
            if not self.ask_restore(f"Ascent Lab did not quit cleanly. Restore the unsaved "
                                    f"changes to {what} (the {name} tab), as autosaved "
                                    f"{_when(path)}?"):
                path.unlink(missing_ok=True)
                continue
            try:
                self._restore(name, data)
            except (SessionFileError, ValueError) as exc:
                self._failed(path, str(exc))
                continue
            doc = self.docs[name]  # the original file, unless it was a CSV (points only)
            doc.path = Path(was) if isinstance(was, str) and origin.get("kind") != "csv" \
                else None
            doc.kind, doc.dirty = "session", True
            self.autosave.adopt(name)
            self.window.tabs.setCurrentWidget(self.workbench(name))
            self.update_title()
            self.window.show_message("info", f"Restored the unsaved changes to {what}; save "
                                             "them to keep them.")
            restored = True
        return restored


def _when(path: Path) -> str:
    """When a file was last written, as a person says it: "at 14:05" today, else
    "on 3 May at 14:05"."""
    import datetime

    try:
        stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return "before"
    clock = stamp.strftime("%H:%M")
    if stamp.date() == datetime.date.today():
        return f"at {clock}"
    return f"on {stamp.day} {stamp.strftime('%b')} at {clock}"


__all__ = ["Document", "DocumentController"]
