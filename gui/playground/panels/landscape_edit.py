"""Setting θ by a click on the landscape: two parameters, one undo step."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from core.landscape import parameter_location
from gui.engine.engine import Checkpoint, TrainingEngine


class ThetaEdit(QUndoCommand):
    """Setting two parameters at once (a click on the landscape): one undo step."""

    def __init__(self, engine: TrainingEngine, settings: list[tuple[int, float]],
                 text: str, before: Checkpoint | None) -> None:
        super().__init__(text)
        self._engine = engine
        self._settings = settings
        self._before = before

    def redo(self) -> None:
        for index, value in self._settings:
            with self._engine.lock:
                array, where = parameter_location(self._engine.model, index)
            self._engine.set_parameter(array, where, value)

    def undo(self) -> None:
        if self._before is None or not self._engine.restore(self._before):
            self._engine.message.emit("warning", "The model or the data changed since θ was "
                                                 "set on the landscape; it cannot be undone.")
