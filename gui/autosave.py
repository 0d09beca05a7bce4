"""Never lose work: each workbench's unsaved session is written to the user's data folder
(``autosave-playground.ascent``, ``autosave-digits.ascent``) a couple of seconds after it
changed, and offered back at the next start if the app did not quit cleanly.

The session is copied on the GUI thread (under the engine's lock: a few ms even for a long
history) and written by a background thread, atomically (``core.files.atomic_write``): a
crash mid-write leaves the previous autosave whole. A clean quit, and saving the session,
remove the file. The folder is ``$ASCENT_LAB_DATA_DIR`` if set, else Qt's AppDataLocation.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from core.session_file import SessionData, SessionFileError, load_session, save_session

DATA_DIR_ENV = "ASCENT_LAB_DATA_DIR"
INTERVAL_MS = 2000
MAX_DELAY_FACTOR = 4  # edits in a row postpone the autosave at most 4 intervals


def data_dir() -> Path:
    """Where the autosaves live: ``$ASCENT_LAB_DATA_DIR``, else the AppDataLocation."""
    folder = os.environ.get(DATA_DIR_ENV) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation) or str(Path.home() / ".ascent-lab")
    return Path(folder)


def autosave_path(name: str, folder: Path | None = None) -> Path:
    return (folder or data_dir()) / f"autosave-{name}.ascent"


class Autosaver(QObject):
    """Writes the sessions ``capture(name)`` returns, ``interval_ms`` after a change."""

    failed = Signal(str)  # what could not be autosaved, and why (from the writing thread)

    def __init__(self, capture: Callable[[str], SessionData | None],
                 folder: Path | None = None, interval_ms: int = INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.capture = capture
        self.folder = folder
        self.enabled = True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self._waiting: set[str] = set()
        self._since: float | None = None
        self._thread: threading.Thread | None = None
        self._written: set[str] = set()  # autosaves of this run (others' are left alone)
        self.errors: list[str] = []
        self.write_seconds: list[float] = []  # per background write (measurements)
        self.capture_seconds: list[float] = []  # per GUI-thread copy

    def path(self, name: str) -> Path:
        return autosave_path(name, self.folder)

    def changed(self, name: str) -> None:
        """``name``'s session changed: autosave it soon (the timer restarts on each
        change, but waits at most MAX_DELAY_FACTOR intervals)."""
        if not self.enabled:
            return
        self._waiting.add(name)
        now = time.monotonic()
        if self._since is None:
            self._since = now
        limit = MAX_DELAY_FACTOR * self.timer.interval() / 1000.0
        if not self.timer.isActive() or now - self._since < limit:
            self.timer.start()

    def save_now(self) -> None:
        """Copy every waiting session now and write them in the background."""
        if self._thread is not None and self._thread.is_alive():
            self.timer.start()  # the last write is still going: try again soon
            return
        jobs: list[tuple[str, Path, SessionData]] = []
        t0 = time.perf_counter()
        names = sorted(self._waiting)
        for name in names:
            try:
                data = self.capture(name)
            except ValueError as exc:  # not savable (should not happen): say so, go on
                self.errors.append(f"{name}: {exc}")
                self.failed.emit(f"the {name} session: {exc}")
                continue
            if data is not None:
                jobs.append((name, self.path(name), data))
        self.capture_seconds.append(time.perf_counter() - t0)
        self._waiting.clear()
        self._since = None
        self._written.update(name for name, _, _ in jobs)
        if jobs:
            self._thread = threading.Thread(target=self._write, args=(jobs,),
                                            name="ascent-lab-autosave", daemon=True)
            self._thread.start()

    def _write(self, jobs: list[tuple[str, Path, SessionData]]) -> None:
        t0 = time.perf_counter()
        for _, path, data in jobs:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                save_session(path, data)
            except (OSError, ValueError) as exc:
                self.errors.append(f"{path}: {exc}")
                self.failed.emit(f"{path}: {exc}")
        self.write_seconds.append(time.perf_counter() - t0)

    def wait(self, timeout_s: float = 30.0) -> None:
        """Let a background write finish."""
        if self._thread is not None:
            self._thread.join(timeout_s)

    def discard(self, name: str | None = None) -> None:
        """Remove ``name``'s autosave written by this run (None: all of them) and forget
        pending changes; a previous run's autosave stays until it is offered back."""
        self.wait()
        names = [name] if name is not None else ["playground", "digits"]
        for n in names:
            self._waiting.discard(n)
            if n in self._written:
                self._written.discard(n)
                try:
                    self.path(n).unlink(missing_ok=True)
                except OSError:
                    pass
        if not self._waiting:
            self.timer.stop()
            self._since = None

    def adopt(self, name: str) -> None:
        """A previous run's autosave, restored, is now this run's (a clean quit or a save
        removes it)."""
        self._written.add(name)

    def stop(self) -> None:
        """A clean quit: no more autosaves, and none left behind."""
        self.enabled = False
        self.timer.stop()
        self.discard()

    def found(self) -> list[tuple[str, Path]]:
        """Autosaves left by a run that did not quit cleanly (not this process's own)."""
        return [(n, self.path(n)) for n in ("playground", "digits") if self.path(n).is_file()]

    @staticmethod
    def read(path: Path) -> SessionData:
        return load_session(path)


def origin_of(data: SessionData) -> dict[str, Any]:
    """What the autosave says about the session it kept (its file, if it had one)."""
    view = data.view if isinstance(data.view, dict) else {}
    origin = view.get("autosave")
    return origin if isinstance(origin, dict) else {}


__all__ = ["DATA_DIR_ENV", "INTERVAL_MS", "Autosaver", "SessionFileError", "autosave_path",
           "data_dir", "origin_of"]
