"""The one-slot mailbox between the worker and the GUI thread: the latest frame and the
messages posted since the last delivery, handed over in the GUI thread.

It has its own lock, so the GUI thread takes a frame without waiting for the engine's
locks (the worker holds the step lock through a whole training step).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from gui.engine.frames import Frame

Delivery = Callable[[Frame | None, list[tuple[str, str]]], None]


class Mailbox(QObject):
    """Frames and messages from any thread, delivered to ``on_delivery`` in the GUI thread."""

    _posted = Signal()

    def __init__(self, on_delivery: Delivery, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._events: list[tuple[str, str]] = []
        self._on_delivery = on_delivery
        self._posted.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def full(self) -> bool:
        """A frame waits to be taken (the worker builds no other meanwhile)."""
        return self._frame is not None

    def put(self, frame: Frame) -> None:
        """Replace the waiting frame (any thread); the GUI thread is woken once."""
        with self._lock:
            empty = self._frame is None
            self._frame = frame
        if empty:
            self._posted.emit()

    def post(self, level: str, text: str) -> None:
        """A message ("info" | "warning" | "error"), delivered with the next frame."""
        with self._lock:
            self._events.append((level, text))

    def deliver(self) -> None:
        """Hand what waits to ``on_delivery`` (GUI thread)."""
        with self._lock:
            frame, self._frame = self._frame, None
            events, self._events = self._events, []
        self._on_delivery(frame, events)
