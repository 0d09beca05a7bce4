"""Writing an animation: all at once (``ascent-lab train --animate``) or a frame per turn of
the event loop, with progress and Cancel (the window's File → Export → Animation)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from gui.export.animation import TrainingFigure, rgb_array
from gui.export.writers import AnimationWriter, open_writer


def write_animation(figure: TrainingFigure, path: str | os.PathLike[str], fps: float,
                    progress: Callable[[int, int], bool] | None = None) -> bool:
    """Render every frame of ``figure`` into ``path`` (.gif or .mp4).

    ``progress(done, total)`` is called after each frame (total = frames + 1, the last unit
    being the file itself); returning False cancels: no file is left. Returns whether the
    file was written. OSError or ValueError if it cannot be.
    """
    writer = open_writer(path, fps)
    total = figure.n_frames + 1
    try:
        for index in range(figure.n_frames):
            writer.add(rgb_array(figure.render(index)))
            if progress is not None and not progress(index + 1, total):
                writer.abort()
                return False
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    if progress is not None:
        progress(total, total)
    return True


class AnimationJob(QObject):
    """Renders one frame per event-loop turn, so the window stays responsive.

    Signals: ``progressed(done, total)`` after each frame (total = frames + 1: the last
    unit is writing the file), ``finished(ok, message)`` once: ok with the file written,
    or not with why (cancelled, or the error). :meth:`cancel` stops it and removes the
    partial file.
    """

    progressed = Signal(int, int)
    finished = Signal(bool, str)

    def __init__(self, figure: TrainingFigure, path: str | os.PathLike[str], fps: float,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.path = Path(path)
        self.fps = float(fps)
        self.total = figure.n_frames + 1
        self.done = 0
        self._writer: AnimationWriter | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)
        self._over = False

    def start(self) -> None:
        try:
            self._writer = open_writer(self.path, self.fps)
        except (OSError, ValueError) as exc:
            self._end(False, f"Could not write {self.path.name}: {exc}")
            return
        self._timer.start()

    @property
    def running(self) -> bool:
        return not self._over

    def cancel(self) -> None:
        if self._over:
            return
        self._timer.stop()
        if self._writer is not None:
            self._writer.abort()
        self._end(False, "Animation cancelled; no file was written")

    def _next(self) -> None:
        if self._over or self._writer is None:
            return
        try:
            if self.done < self.figure.n_frames:
                self._writer.add(rgb_array(self.figure.render(self.done)))
                self.done += 1
                self.progressed.emit(self.done, self.total)
                if not self._over:
                    self._timer.start()
                return
            self._writer.finish()
        except (OSError, ValueError, MemoryError) as exc:
            self._writer.abort()
            self._end(False, f"Could not write {self.path.name}: {exc}")
            return
        self.done = self.total
        self.progressed.emit(self.done, self.total)
        self._end(True, f"Animation saved to {self.path.name} ({self.figure.n_frames} frames)")

    def _end(self, ok: bool, message: str) -> None:
        self._over = True
        self.figure.close()
        self.finished.emit(ok, message)


__all__ = ["AnimationJob", "write_animation"]
