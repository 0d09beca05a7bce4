"""The Digits workbench's session: which digits to train on (all ten with softmax, or two
with the lecture's single σ output), from where (the bundled UCI digits, the student's own
drawings, or both), the student's drawings and their undo, and two engines: the model the
student builds and a logistic regression to compare it with ("Logistic Regression: not so
good").
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import datasets, inspection
from core.digits import preprocess
from core.drawings import Drawings
from core.policy import digits_defaults, digits_learning_rate
from core.specs import ModelSpec, TrainingSettings
from gui.digits.board import SIZE
from gui.digits.probe import DigitsProbe
from gui.engine import Dataset, TrainingEngine

SOURCES = ("bundled", "mine", "both")
TEST_FRACTION = 0.25
DEFAULT_HIDDEN = (32,)
DRAWINGS_FILE = "my-digits.npz"
DISPLAY_SPEED = 300.0  # steps per second while running: a default run takes ~8 s to watch


def _digits_rule(spec: ModelSpec, X_train: NDArray[np.float64],
                 settings: TrainingSettings) -> float:
    """The engine's suggested η on the digits (``core.policy.digits_learning_rate``)."""
    return digits_learning_rate(spec, X_train, settings.batch_size, settings.average,
                                settings.momentum, settings.l2)


def default_storage() -> Path:
    """Where the student's drawings live: the user's data folder (QStandardPaths)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder or Path.home() / ".ascent-lab") / DRAWINGS_FILE


@dataclass(frozen=True)
class Task:
    """What the models learn: ``digits`` is (0..9) for all ten, or two digits (a, b) for
    the lecture's binary case, where a is class 0 and b is class 1."""

    digits: tuple[int, ...] = tuple(range(10))

    @property
    def binary(self) -> bool:
        return len(self.digits) == 2

    @property
    def n_classes(self) -> int:
        return len(self.digits)

    @property
    def labels(self) -> list[str]:
        return [str(d) for d in self.digits]

    def select(self, y: NDArray[np.int64]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
        """Which examples belong to the task, and their class (index in ``digits``)."""
        lookup = np.full(10, -1, dtype=np.int64)
        lookup[list(self.digits)] = np.arange(len(self.digits))
        classes = lookup[y] if y.size else np.zeros(0, dtype=np.int64)
        keep = classes >= 0
        return keep, classes[keep]


class AddDrawing(QUndoCommand):
    """Adding the drawing on the board to "mine" with a label (undo takes it out)."""

    def __init__(self, session: DigitsSession, ink: NDArray[np.uint8], label: int) -> None:
        super().__init__(f"Add a drawing of {label}")
        self._session, self._ink, self._label = session, ink, label
        self._index = len(session.drawings)

    def redo(self) -> None:
        self._session._insert_drawing(self._index, self._ink, self._label)

    def undo(self) -> None:
        self._session._remove_drawing(self._index)


class DeleteDrawing(QUndoCommand):
    """Deleting one of "mine" (undo puts it back where it was)."""

    def __init__(self, session: DigitsSession, index: int) -> None:
        super().__init__(f"Delete drawing {index + 1}")
        self._session, self._index = session, index
        self._ink = session.drawings.ink(index)
        self._label = int(session.drawings.labels[index])

    def redo(self) -> None:
        self._session._remove_drawing(self._index)

    def undo(self) -> None:
        self._session._insert_drawing(self._index, self._ink, self._label)


class BoardEdit(QUndoCommand):
    """One stroke (or Clear, or a digit loaded from the gallery) on the drawing board."""

    def __init__(self, board: Any, before: NDArray[np.uint8], after: NDArray[np.uint8],
                 text: str = "Stroke") -> None:
        super().__init__(text)
        self._board, self._before, self._after = board, before, after
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # the stroke is already on the board
            self._applied = False
            return
        self._board.set_ink(self._after)

    def undo(self) -> None:
        self._board.set_ink(self._before)


class DigitsSession(QObject):
    """Data, drawings and the two engines of the Digits workbench."""

    data_changed = Signal()
    drawings_changed = Signal()
    message = Signal(str, str)

    def __init__(self, parent: QObject | None = None, start_worker: bool = True,
                 train_process: bool | None = None, storage: Path | None = None) -> None:
        super().__init__(parent)
        self.storage = storage if storage is not None else default_storage()
        self.undo_stack = QUndoStack(self)
        self.task = Task()
        self.source = "bundled"
        self._bundled_X, self._bundled_y = datasets.digits()
        self.drawings = self._load_drawings()
        self._mine_features = self._features_of_mine()
        self._version = 0
        self._origin = np.zeros((0, 2), dtype=np.int64)  # per test row: (source, index)
        hint = "choose the bundled digits, or draw digits and label them (keys 0–9)"
        self.probe = DigitsProbe()
        self.engine = TrainingEngine(self._spec_for("network"), self.probe, self,
                                     start_worker=start_worker, train_process=train_process,
                                     empty_hint=hint)
        self.compare_probe = DigitsProbe()
        self.compare = TrainingEngine(self._spec_for("logistic"), self.compare_probe, self,
                                      start_worker=start_worker, train_process=False,
                                      empty_hint=hint)
        for engine in (self.engine, self.compare):
            engine.learning_rate_rule = _digits_rule
        self._rebuild()
        for engine in (self.engine, self.compare):
            self.apply_defaults(engine)

    # ---------------------------------------------------------------- settings

    def apply_defaults(self, engine: TrainingEngine) -> None:
        """The digits' training defaults for the engine's model (``core.policy``), the ones
        ``ascent-lab train --preset digits`` uses, shown at a watchable speed."""
        defaults = digits_defaults(engine.model_spec, engine.dataset.X_train)
        engine.set_settings(defaults.settings.replace(speed=DISPLAY_SPEED,
                                                      learning_rate_auto=True))

    # ---------------------------------------------------------------- models

    def _spec_for(self, kind: str, hidden: tuple[int, ...] = DEFAULT_HIDDEN) -> ModelSpec:
        """The model for the current task: logistic regression for two digits; for ten,
        a network (the compare model is then softmax regression: no hidden layer)."""
        k = self.task.n_classes
        if kind == "logistic":
            if k == 2:
                return ModelSpec("logistic", n_features=64)
            return ModelSpec("network", n_features=64, n_classes=k, hidden_units=(),
                             init="zeros")
        return ModelSpec("network", n_features=64, n_classes=k, hidden_units=hidden)

    def set_task(self, task: Task) -> None:
        """Train on these digits (both engines get a fresh model of the right size)."""
        if task == self.task:
            return
        if len(task.digits) < 2 or len(set(task.digits)) != len(task.digits):
            raise ValueError("choose two different digits, or all ten")
        self.task = task
        spec = self.engine.model_spec
        kind = spec.kind if task.binary else "network"
        hidden = spec.hidden_units or DEFAULT_HIDDEN
        new = self._spec_for(kind, hidden).replace(activation=spec.activation,
                                                   seed=spec.seed, init=spec.init)
        self._rebuild(reset_specs=(new, self._spec_for("logistic")))
        for engine in (self.engine, self.compare):
            self.apply_defaults(engine)

    def set_source(self, source: str) -> None:
        """Train on "bundled", "mine" or "both"."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
        if source != self.source:
            self.source = source
            self._rebuild()
            for engine in (self.engine, self.compare):  # new data: a fresh start
                engine.reset_parameters()

    # ---------------------------------------------------------------- data

    def _rebuild(self, reset_specs: tuple[ModelSpec, ModelSpec] | None = None) -> None:
        """Give both engines the current task's data (and new models if asked)."""
        parts_X, parts_y, parts_origin = [], [], []
        if self.source in ("bundled", "both"):
            parts_X.append(self._bundled_X)
            parts_y.append(self._bundled_y)
            n = len(self._bundled_y)
            parts_origin.append(np.column_stack([np.zeros(n, np.int64), np.arange(n)]))
        if self.source in ("mine", "both") and len(self.drawings):
            parts_X.append(self._mine_features)
            parts_y.append(self.drawings.labels)
            n = len(self.drawings)
            parts_origin.append(np.column_stack([np.ones(n, np.int64), np.arange(n)]))
        X = np.vstack(parts_X) if parts_X else np.zeros((0, 64))
        y = np.concatenate(parts_y) if parts_y else np.zeros(0, dtype=np.int64)
        origin = np.vstack(parts_origin) if parts_origin else np.zeros((0, 2), np.int64)
        keep, classes = self.task.select(y)
        X, origin = X[keep], origin[keep]
        test = datasets.split_mask(classes, TEST_FRACTION, 0) if len(classes) > 3 else \
            np.zeros(len(classes), dtype=bool)
        self._version += 1
        self._origin = origin[test]
        dataset = Dataset(X[~test], classes[~test], X[test], classes[test], self._version)
        for engine, spec in zip((self.engine, self.compare),
                                reset_specs or (None, None), strict=True):
            if spec is not None and spec.n_classes != engine.model_spec.n_classes:
                # the model must fit the data before the data arrive: an empty set first
                engine.set_dataset(Dataset.empty(64))
                engine.set_model_spec(spec)
            elif spec is not None:
                engine.set_model_spec(spec)
            engine.set_dataset(dataset)
        self.data_changed.emit()

    @property
    def dataset(self) -> Dataset:
        return self.engine.dataset

    def test_example(self, row: int) -> NDArray[np.float32]:
        """Ink for the board of test row ``row``: the student's full drawing, or a bundled
        8×8 digit blown up to the board (blocky, as the data are)."""
        source, index = (int(v) for v in self._origin[row])
        if source == 1:
            return self.drawings.ink(index)
        pixels = self._bundled_X[index].reshape(8, 8).astype(np.float32)
        return np.kron(pixels, np.ones((SIZE // 8, SIZE // 8), dtype=np.float32))

    # ---------------------------------------------------------------- guesses

    def features(self, ink: NDArray[np.floating]) -> NDArray[np.float64]:
        """What the models see of a drawing: ``core.digits.preprocess``."""
        return np.asarray(preprocess(ink), dtype=np.float64)

    @staticmethod
    def guess(engine: TrainingEngine, features: NDArray[np.float64]
              ) -> inspection.Readout | None:
        """The engine's latest model on one drawing (None before the first frame)."""
        frame = engine.latest_frame
        if frame is None:
            return None
        return inspection.readout(frame.model, features)

    # ---------------------------------------------------------------- drawings ("mine")

    def _load_drawings(self) -> Drawings:
        if not self.storage.exists():
            return Drawings((SIZE, SIZE))
        try:
            drawings = Drawings.load(self.storage)
        except ValueError as exc:
            kept = self.storage.with_suffix(".unreadable.npz")
            os.replace(self.storage, kept)
            self.message.emit("error", f"Your saved drawings could not be read ({exc}); "
                                       f"the file was kept as {kept.name}.")
            return Drawings((SIZE, SIZE))
        if drawings.shape != (SIZE, SIZE):
            return Drawings((SIZE, SIZE))
        return drawings

    def _features_of_mine(self) -> NDArray[np.float64]:
        if not len(self.drawings):
            return np.zeros((0, 64))
        return np.stack([self.features(self.drawings.ink(i))
                         for i in range(len(self.drawings))])

    def add_drawing(self, ink: NDArray[np.uint8], label: int) -> bool:
        """Add the board's drawing to "mine" with ``label`` (undoable); False if empty."""
        if not np.any(ink):
            self.message.emit("warning", "The board is empty: draw a digit, then press its "
                                         "key (0–9) to add it to your digits.")
            return False
        self.undo_stack.push(AddDrawing(self, np.asarray(ink, dtype=np.uint8), int(label)))
        return True

    def delete_drawing(self, index: int) -> None:
        self.undo_stack.push(DeleteDrawing(self, int(index)))

    def _insert_drawing(self, index: int, ink: Any, label: int) -> None:
        self.drawings.insert(index, ink, label)
        features = self.features(self.drawings.ink(index))
        self._mine_features = np.insert(self._mine_features, index, features, axis=0)
        self._drawings_edited()

    def _remove_drawing(self, index: int) -> None:
        self.drawings.remove(index)
        self._mine_features = np.delete(self._mine_features, index, axis=0)
        self._drawings_edited()

    def _drawings_edited(self) -> None:
        try:
            self.drawings.save(self.storage)
        except OSError as exc:
            self.message.emit("error", f"Could not save your drawings to {self.storage}: "
                                       f"{exc}. They stay in memory; free some space.")
        self.drawings_changed.emit()
        if self.source in ("mine", "both"):
            self._rebuild()

    def replace_document(self, task: Task, source: str, ink: NDArray[np.uint8],
                         labels: NDArray[np.int64], spec: ModelSpec) -> None:
        """Install an opened session's drawings, task, source and model ``spec`` (not an
        undo step: the undo history is cleared). Its drawings become "mine"; the file that
        kept the previous ones is first copied to ``my-digits.previous.npz``. The compare
        model starts again."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
        drawings = Drawings((SIZE, SIZE))
        for image, label in zip(ink, labels, strict=True):
            drawings.add(image, int(label))
        self.undo_stack.clear()
        try:
            if self.storage.exists():
                shutil.copyfile(self.storage, self.storage.with_suffix(".previous.npz"))
            drawings.save(self.storage)
        except OSError as exc:
            self.message.emit("error", f"Could not save the session's drawings to "
                                       f"{self.storage}: {exc}. They stay in memory.")
        self.drawings = drawings
        self._mine_features = self._features_of_mine()
        self.task, self.source = task, source
        self._rebuild(reset_specs=(spec, self._spec_for("logistic")))
        self.apply_defaults(self.compare)
        self.compare.reset_parameters()
        self.drawings_changed.emit()

    def shutdown(self) -> None:
        self.engine.shutdown()
        self.compare.shutdown()
