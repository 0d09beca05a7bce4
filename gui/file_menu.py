"""The File menu's document actions (Open…, Open Recent, Save, Save As…) and the recent
files (QSettings, at most :data:`MAX_RECENT`, a missing file is dropped with a message),
for a :class:`gui.documents.DocumentController`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

RECENT_KEY = "files/recent"
MAX_RECENT = 8
SESSION_FILTER = "Ascent Lab sessions (*.ascent)"
OPEN_FILTER = f"Sessions and datasets (*.ascent *.csv);;{SESSION_FILTER};;CSV datasets " \
              "(*.csv);;All files (*)"
OPENABLE = (".ascent", ".csv")


def dropped_file(urls: list[QUrl]) -> str | None:
    """The first local session or CSV file among dropped URLs."""
    for url in urls:
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in OPENABLE:
            return url.toLocalFile()
    return None


class FileMenu:
    """Actions and recent files of a DocumentController (``documents``)."""

    def __init__(self, documents: Any) -> None:
        self.documents = documents
        self.window = documents.window
        self.recent_menu = QMenu("Open &Recent", self.window)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(lambda: self.fill_recent_menu(self.recent_menu))

    def recent(self) -> list[str]:
        """The recent files, newest first."""
        value = self.window.settings().value(RECENT_KEY, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        entry = str(Path(path).resolve())
        items = [entry] + [p for p in self.recent() if p != entry]
        self.window.settings().setValue(RECENT_KEY, items[:MAX_RECENT])

    def remove_recent(self, entry: str) -> None:
        self.window.settings().setValue(RECENT_KEY, [p for p in self.recent() if p != entry])

    def open_recent(self, entry: str) -> bool:
        if not Path(entry).is_file():
            self.remove_recent(entry)
            self.documents.show_error("File not found", f"{entry} no longer exists; it was "
                                                        "removed from the recent files.")
            return False
        return bool(self.documents.open(entry))

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        items = self.recent()
        for k, entry in enumerate(items, start=1):
            action = menu.addAction(f"&{k} {Path(entry).name}")
            action.setToolTip(entry)
            action.triggered.connect(lambda _=False, e=entry: self.open_recent(e))
        if not items:
            menu.addAction("(no recent files)").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear the list").triggered.connect(
                lambda: self.window.settings().setValue(RECENT_KEY, []))

    def install(self, file_menu: QMenu, before: QAction | None = None) -> None:
        """Open…, Open Recent, Save, Save As… at the top of the File menu."""
        w, docs = self.window, self.documents
        self.open_action = QAction("&Open…", w)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setToolTip("Open a session (.ascent) or a dataset (.csv)")
        self.open_action.triggered.connect(lambda: docs.open())
        self.save_action = QAction("&Save", w)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setToolTip("Save the session of the tab showing (.ascent)")
        self.save_action.triggered.connect(lambda: docs.save())
        self.save_as_action = QAction("Save &As…", w)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.setToolTip("Save the session of the tab showing in a new file")
        self.save_as_action.triggered.connect(lambda: docs.save_as())
        file_menu.insertAction(before, self.open_action)
        file_menu.insertMenu(before, self.recent_menu)
        file_menu.insertAction(before, self.save_action)
        file_menu.insertAction(before, self.save_as_action)
        file_menu.insertSeparator(before)


__all__ = ["MAX_RECENT", "OPEN_FILTER", "SESSION_FILTER", "FileMenu", "dropped_file"]
