"""The 2D playground's session: the point document (points, labels, train/test roles, undo)
on top of the training engine, with the plane probe.

``Session`` keeps the playground's public API (``add_point``, ``load_csv``, ``step``,
``run``, the ``message`` signal ...): the editing methods are its own, everything about
training is the engine's (``session.step`` is ``session.engine.step``; see
:data:`ENGINE_API`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import datasets, inspection, plane
from core.specs import ModelSpec, TrainingSettings
from core.target_csv import has_targets, load_target_csv, save_target_csv
from core.validation import check_feature_scale
from gui.engine import Dataset, TrainingEngine
from gui.playground.probe import PlaneProbe

FloatArray = NDArray[np.float64]

MAX_COORDINATE = 1e6
"""The playground draws its plane in float32 and lets the user zoom; coordinates beyond
±1e6 are refused with a message (rescale the data, or train it with ``ascent-lab train``,
which takes up to ±1e100)."""

MAX_CLASSES = 4
"""Labels 0..3: the playground colours up to four classes. Two classes train the lecture's
single σ output; three or four a network with a softmax output (logistic regression is
binary)."""


def classes_in(y: NDArray[np.int64]) -> int:
    """How many classes labels 0..max(y) make: max(2, max label + 1)."""
    return max(2, int(y.max()) + 1) if y.size else 2


REGRESSION_POINT_HINT = ("Regression: the targets y come from the preset, so clicking adds "
                         "no point (a point needs a real y); the eraser still removes points.")


def _target_levels(y: NDArray[Any]) -> tuple[float, float]:
    """The colour range of a regression's ŷ and y: symmetric around 0, up to max |y|."""
    top = float(np.max(np.abs(y))) if y.size else 1.0
    top = top if np.isfinite(top) and top > 1e-9 else 1.0
    return (-top, top)


PLAYGROUND_SETTINGS = TrainingSettings(speed=30.0, max_steps=100_000)
"""The lecture's training (full batch, η on the sum, no momentum, the suggested η), shown at
30 steps per second, stopping at step 100,000."""

ENGINE_API = frozenset({
    # signals
    "frame_ready", "running_changed", "message", "model_changed", "learning_rate_changed",
    "speed_changed", "trainable_changed",
    # model and settings
    "model_spec", "set_model_spec", "reset_parameters", "parameter_count", "model", "lock",
    "trainer", "parameters_copy", "settings", "suggested_learning_rate", "learning_rate",
    "learning_rate_auto", "set_learning_rate", "use_suggested_learning_rate",
    "set_batch_size", "set_average", "average", "set_momentum", "set_speed", "speed",
    "set_regularization", "regularization",
    "set_stop", "trainable",
    # run control and frames
    "running", "step", "run", "pause", "toggle_run", "is_busy", "rewind", "preview",
    "request_frame", "latest_frame", "process_pending", "take_frame_now", "shutdown",
    "trains_in_process", "checkpoint", "restore", "step_count",
})
"""The engine's names a Session answers for it."""


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class DataState:
    """The dataset: points, labels (or a regression's real targets, float64) and which
    points are held out for testing."""

    X: FloatArray
    y: NDArray[Any]  # int64 class labels, or float64 targets of a regression
    test: NDArray[np.bool_]
    preset: str | None = None  # the preset these points are, unedited (None: the user's)

    @staticmethod
    def of(X: Any, y: Any, test: Any = None, preset: str | None = None,
           regression: bool = False) -> DataState:
        Xa = np.array(X, dtype=np.float64).reshape(-1, 2)
        ya = np.array(y, dtype=np.float64 if regression else np.int64).reshape(-1)
        ta = np.zeros(len(ya), dtype=bool) if test is None else np.array(test, dtype=bool)
        return DataState(_frozen(Xa), _frozen(ya), _frozen(ta), preset)

    def __len__(self) -> int:
        return int(self.y.shape[0])

    @property
    def regression(self) -> bool:
        """Whether ``y`` holds a regression's real targets (float64), not class labels."""
        return self.y.dtype.kind == "f"

    def edited(self, X: Any, y: Any, test: Any) -> DataState:
        """New points of the same task (no longer a preset)."""
        return DataState.of(X, y, test, regression=self.regression)

    @cached_property
    def train(self) -> tuple[FloatArray, NDArray[np.int64]]:
        return _frozen(self.X[~self.test]), _frozen(self.y[~self.test])

    @cached_property
    def held_out(self) -> tuple[FloatArray, NDArray[np.int64]]:
        return _frozen(self.X[self.test]), _frozen(self.y[self.test])

    def counts(self) -> tuple[int, int]:
        """Training points of class 0 and of class 1."""
        y_train = self.y[~self.test]
        return int(np.sum(y_train == 0)), int(np.sum(y_train == 1))

    @property
    def n_classes(self) -> int:
        """The classes the labels make, 2 to MAX_CLASSES (see :func:`classes_in`); 2 for a
        regression (its spec ignores it)."""
        return 2 if self.regression else classes_in(self.y)

    def class_counts(self) -> tuple[int, ...]:
        """Training points of each class 0 … n_classes − 1 (a regression: all of them)."""
        if self.regression:
            return (int(np.sum(~self.test)),)
        counts = np.bincount(self.y[~self.test], minlength=self.n_classes)
        return tuple(int(c) for c in counts[:self.n_classes])


class DataEdit(QUndoCommand):
    """One undoable change of the dataset (a click, a brush stroke, a preset, a CSV …)."""

    def __init__(self, session: Session, before: DataState, after: DataState, text: str,
                 merge_id: int = -1, applied: bool = False) -> None:
        super().__init__(text)
        self._session = session
        self.before = before
        self.after = after
        self._merge_id = merge_id
        self._skip_redo = applied

    def redo(self) -> None:
        if self._skip_redo:  # the stroke already changed the data while the user painted
            self._skip_redo = False
            return
        self._session._set_data(self.after)

    def undo(self) -> None:
        self._session._set_data(self.before)

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, DataEdit) or other.id() != self._merge_id:
            return False
        self.after = other.after
        return True


MERGE_SPLIT = 1
MERGE_PRESET = 2


class Session(QObject):
    """The playground's points and their undo stack, trained by a :class:`TrainingEngine`."""

    data_changed = Signal()
    active_class_changed = Signal(int)
    modified_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, start_worker: bool = True,
                 train_process: bool | None = None) -> None:
        super().__init__(parent)
        self.probe = PlaneProbe()
        self.engine = TrainingEngine(ModelSpec("logistic", n_features=2), self.probe, self,
                                     start_worker=start_worker, train_process=train_process,
                                     empty_hint="add points of both classes (click the plot)")
        self.engine.set_settings(PLAYGROUND_SETTINGS)
        self.undo_stack = QUndoStack(self)
        self._data = DataState.of(np.zeros((0, 2)), np.zeros(0))
        self._data_version = 0
        self._saved_data: DataState = self._data
        self._test_fraction = 0.2
        self._split_seed = 0
        self._active_class = 1
        self._stroke_before: DataState | None = None
        self.preset: tuple[str, int, float | None, int] | None = None
        # logistic regression that more classes turned into a network (and that network),
        # to go back to when the data are binary again and the model was not changed since
        self._binary_spec: ModelSpec | None = None
        self._multiclass_spec: ModelSpec | None = None
        self._class_note = ""  # what the last edit's change of classes did to the model
        self._classification_spec: ModelSpec | None = None  # the model before a regression
        self._point_hint_shown = False

    def __getattr__(self, name: str) -> Any:
        if name in ENGINE_API:
            return getattr(self.__dict__["engine"] if "engine" in self.__dict__
                           else super().__getattribute__("engine"), name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ---------------------------------------------------------------- data

    @property
    def data(self) -> DataState:
        return self._data

    @property
    def data_version(self) -> int:
        return self._data_version

    @property
    def active_class(self) -> int:
        return self._active_class

    @property
    def n_classes(self) -> int:
        """Classes of the model trained: 2 (one σ output) or 3 … MAX_CLASSES (softmax)."""
        return int(self.engine.model_spec.n_classes)

    def set_active_class(self, label: int) -> None:
        """The class new points get, 0 … MAX_CLASSES − 1 (a point of class 2 or 3 makes the
        data 3- or 4-class)."""
        label = min(max(int(label), 0), MAX_CLASSES - 1)
        if label != self._active_class:
            self._active_class = label
            self.active_class_changed.emit(label)

    @property
    def test_fraction(self) -> float:
        return self._test_fraction

    @property
    def modified(self) -> bool:
        """Whether the points differ from the last saved or loaded dataset."""
        saved = self._saved_data
        return not (self._data is saved or (
            np.array_equal(self._data.X, saved.X) and np.array_equal(self._data.y, saved.y)
            and np.array_equal(self._data.test, saved.test)))

    def mark_saved(self) -> None:
        """The current points are what is on disk (or a fresh start)."""
        self._saved_data = self._data
        self.modified_changed.emit(False)

    def _edit(self, after: DataState, text: str, merge_id: int = -1) -> None:
        self.undo_stack.push(DataEdit(self, self._data, after, text, merge_id))

    def add_point(self, x: float, y: float, label: int | None = None) -> None:
        """Add one training point (undoable)."""
        label = self._active_class if label is None else int(label)
        d = self._data
        if d.regression:
            self._refuse_point()
            return
        after = d.edited(np.vstack([d.X, [[x, y]]]), np.append(d.y, label),
                         np.append(d.test, False))
        self._edit(after, f"Add a point of class {label}")

    def _refuse_point(self) -> None:
        if not self._point_hint_shown:
            self._point_hint_shown = True
            self.message.emit("info", REGRESSION_POINT_HINT)

    def erase_near(self, x: float, y: float, radius: float) -> int:
        """Remove every point within ``radius`` of (x, y) (undoable); returns how many."""
        hit = plane.points_within(self._data.X, (x, y), radius)
        count = int(np.sum(hit))
        if count:
            d = self._data
            self._edit(d.edited(d.X[~hit], d.y[~hit], d.test[~hit]),
                       f"Erase {count} point{'s' if count > 1 else ''}")
        return count

    def clear_points(self) -> None:
        if len(self._data):
            self._edit(self._data.edited(np.zeros((0, 2)), np.zeros(0), None),
                       "Clear all points")

    # A brush or eraser drag changes the data live and becomes ONE undo step at its end.
    def begin_stroke(self) -> None:
        self._stroke_before = self._data
        self._point_hint_shown = False

    def stroke_add(self, x: float, y: float, label: int | None = None) -> None:
        if self._stroke_before is None:
            self.begin_stroke()
        label = self._active_class if label is None else int(label)
        d = self._data
        if d.regression:
            self._refuse_point()
            return
        self._set_data(d.edited(np.vstack([d.X, [[x, y]]]), np.append(d.y, label),
                                np.append(d.test, False)))

    def stroke_erase(self, x: float, y: float, radius: float) -> None:
        if self._stroke_before is None:
            self.begin_stroke()
        hit = plane.points_within(self._data.X, (x, y), radius)
        if np.any(hit):
            d = self._data
            self._set_data(d.edited(d.X[~hit], d.y[~hit], d.test[~hit]))

    def end_stroke(self, text: str = "Brush stroke") -> None:
        before, self._stroke_before = self._stroke_before, None
        if before is None or before is self._data:
            return
        added = len(self._data) - len(before)
        if added > 0:
            text = f"{text} ({added} point{'s' if added > 1 else ''})"
        self.undo_stack.push(DataEdit(self, before, self._data, text, applied=True))

    def load_preset(self, name: str, n_samples: int = 200, noise: float | None = None,
                    seed: int = 0, merge: bool = False) -> None:
        """Replace the dataset by a generated preset (undoable): a classification preset
        (int labels, a stratified split) or one of ``datasets.REGRESSION_PRESETS`` (real
        targets, a random split; the model becomes a regression)."""
        regression = name in datasets.REGRESSION_PRESETS
        replaced_own = self._data.preset is None and len(self._data) > 0 and not merge
        self._split_seed = int(seed)
        if regression:
            X, y = datasets.make_regression(name, n_samples=int(n_samples), noise=noise,
                                            seed=int(seed))
            test = datasets.random_split_mask(len(y), self._test_fraction, self._split_seed)
        else:
            X, y = datasets.make(name, n_samples=int(n_samples), noise=noise, seed=int(seed))
            test = datasets.split_mask(y, self._test_fraction, self._split_seed)
        self.preset = (name, int(n_samples), noise, int(seed))
        self._edit(DataState.of(X, y, test, preset=name, regression=regression),
                   f"Load preset '{name}'",
                   MERGE_PRESET if merge else -1)
        self.engine.reset_parameters()  # a new dataset: a fresh start at step 0
        self.mark_saved()
        if replaced_own:  # the student's own points went: say how to get them back
            self.message.emit("info", f"Loaded the preset '{name}'; Ctrl+Z brings your "
                                      "points back.")

    def read_csv(self, path: str | Path) -> tuple[FloatArray, NDArray[Any], Any]:
        """(X, y, test or None) of a playground CSV (labels, or a regression's real
        ``target``); ValueError saying what is wrong and where (file:line, column)."""
        targets = has_targets(path)
        X, y, test = load_target_csv(path) if targets else datasets.load_csv_split(path)
        if X.shape[1] != 2:
            raise ValueError(f"{path}: the playground needs exactly 2 features (x1,x2), "
                             f"this file has {X.shape[1]}")
        if not targets and np.any(y >= MAX_CLASSES):
            raise ValueError(
                f"{path}: the playground takes up to {MAX_CLASSES} classes (labels 0 to "
                f"{MAX_CLASSES - 1}); this file has labels up to {int(y.max())} "
                f"({int(y.max()) + 1} classes)")
        if not targets and np.unique(y).size < 2:
            raise ValueError(f"{path}: every point has label {int(y[0])}; logistic "
                             "regression needs points of at least two classes")
        check_feature_scale(X, MAX_COORDINATE, ["x1", "x2"])
        return X, y, test

    def load_csv(self, path: str | Path) -> bool:
        """Load a dataset from CSV; on any problem keep the current data and say why.

        Each point keeps the role the file gives it (its ``split`` column, written by
        :meth:`save_csv`); a file without one gets the stratified split of the slider.
        """
        try:
            X, y, test = self.read_csv(path)
        except (OSError, ValueError) as exc:
            self.message.emit("error", f"Could not open the dataset; your points are kept. {exc}")
            return False
        self.install_csv(path, X, y, test)
        return True

    def install_csv(self, path: str | Path, X: FloatArray, y: NDArray[Any],
                    test: Any) -> None:
        """Make a CSV's points (:meth:`read_csv`) the dataset, as one undo step."""
        regression = y.dtype.kind == "f"
        if test is None:
            test = (datasets.random_split_mask(len(y), self._test_fraction, self._split_seed)
                    if regression else
                    datasets.split_mask(y, self._test_fraction, self._split_seed))
        else:  # the file's own split: the slider shows its share (moving it redraws one)
            self._test_fraction = round(float(test.mean()), 2)
        self.preset = None
        self._class_note = ""
        self._edit(DataState.of(X, y, test, regression=regression), f"Open {Path(path).name}")
        self.engine.reset_parameters()  # a new dataset: a fresh start at step 0
        self.mark_saved()
        note = f"{self._class_note} " if self._class_note else ""  # first: the bar is narrow
        self.message.emit("info", f"{note}Loaded {len(y)} points from {Path(path).name}.")

    def write_csv(self, path: str | Path) -> None:
        """The points as CSV, a regression's with a ``target`` column (OSError,
        ValueError); they count as saved."""
        d = self._data
        (save_target_csv if d.regression else datasets.save_csv)(path, d.X, d.y, d.test)
        self.mark_saved()

    def save_csv(self, path: str | Path) -> bool:
        try:
            self.write_csv(path)
        except (OSError, ValueError) as exc:
            self.message.emit("error", f"Could not save the dataset: {exc}")
            return False
        self.message.emit("info", f"Saved {len(self._data)} points to {Path(path).name}.")
        return True

    def replace_document(self, state: DataState, test_fraction: float, split_seed: int,
                         preset: tuple[str, int, float | None, int] | None,
                         install: Any) -> None:
        """Install a whole new document (an opened session file), not as an undo step: the
        undo history is cleared and the points count as saved. ``install(dataset)`` gives
        the engine its model and trainer for the new data (``engine.load_trainer``)."""
        self.undo_stack.clear()
        self._data = state
        self._data_version += 1
        self._test_fraction = min(max(float(test_fraction), 0.0), 0.9)
        self._split_seed, self.preset = int(split_seed), preset
        self._binary_spec = self._multiclass_spec = self._classification_spec = None
        self._class_note = ""
        if state.regression:
            self.probe.set_target_levels(_target_levels(state.y))
        X_train, y_train = state.train
        X_test, y_test = state.held_out
        install(Dataset(X_train, y_train, X_test, y_test, self._data_version))
        self.data_changed.emit()
        self.mark_saved()

    @property
    def split_seed(self) -> int:
        return self._split_seed

    def set_test_fraction(self, fraction: float) -> None:
        """Hold out this fraction of each class as a test set (undoable, merged while sliding)."""
        fraction = min(max(float(fraction), 0.0), 0.9)
        if fraction == self._test_fraction:
            return
        self._test_fraction = fraction
        d = self._data
        test = (datasets.random_split_mask(len(d), fraction, self._split_seed) if d.regression
                else datasets.split_mask(d.y, fraction, self._split_seed))
        if not np.array_equal(test, d.test):  # the same points: still the preset they were
            self._edit(DataState.of(d.X, d.y, test, preset=d.preset, regression=d.regression),
                       "Change the test split",
                       MERGE_SPLIT)

    def _set_data(self, state: DataState) -> None:
        """Install a dataset (from an edit or undo/redo) and retrain from the current θ."""
        was_modified = self.modified
        self._data = state
        self._data_version += 1
        X_train, y_train = state.train
        X_test, y_test = state.held_out
        dataset = Dataset(X_train, y_train, X_test, y_test, self._data_version)
        spec, note = self._spec_for_task(state)
        if spec.kind == "regression" and self.engine.model_spec.kind != "regression":
            self.probe.set_target_levels(_target_levels(state.y))
            self.engine.set_model_spec(spec)  # a regression takes any numbers: model first
            self.engine.set_dataset(dataset)
        elif spec.kind == "regression":
            self.probe.set_target_levels(_target_levels(state.y))
            self.engine.set_dataset(dataset)
            self.engine.set_model_spec(spec)
        elif (spec.n_classes > self.engine.model_spec.n_classes
              and self.engine.model_spec.kind != "regression"):
            self.engine.set_model_spec(spec)  # the model takes the new labels first
            self.engine.set_dataset(dataset)
        else:
            self.engine.set_dataset(dataset)  # the old model takes the data's labels
            self.engine.set_model_spec(spec)  # (nothing to do when it is the same)
        self._class_note = note
        if note:
            self.message.emit("info", note)
        self.data_changed.emit()
        if self.modified != was_modified:
            self.modified_changed.emit(self.modified)

    @property
    def regression(self) -> bool:
        """Whether the task is regression (real targets, ŷ over the plane)."""
        return self._data.regression

    def set_model_spec(self, spec: ModelSpec) -> None:
        """The engine's ``set_model_spec``, kept a regression while the task is one."""
        if self.regression and spec.kind != "regression":
            spec = spec.replace(kind="regression", n_classes=2, hidden_units=(
                () if spec.kind == "logistic" else spec.hidden_units))
        self.engine.set_model_spec(spec)

    def _spec_for_task(self, state: DataState) -> tuple[ModelSpec, str]:
        """The model the task needs: a regression for real targets (linear regression where
        logistic regression was, the same hidden layers for a network), else the model the
        classes need (:meth:`_spec_for`)."""
        spec = self.engine.model_spec
        if state.regression:
            if spec.kind == "regression":
                return spec, ""
            self._classification_spec = spec
            hidden = () if spec.kind == "logistic" else spec.hidden_units
            new = spec.replace(kind="regression", n_classes=2, hidden_units=hidden)
            what = ("linear regression ŷ = θᵀx" if not hidden else
                    "a network with a linear output ŷ")
            return new, (f"Regression: real targets y, now {what}, trained on the Gaussian "
                         "LL −Σ(y − ŷ)²/2.")
        if spec.kind == "regression":
            saved, self._classification_spec = self._classification_spec, None
            if not spec.hidden_units:
                back = (saved if saved is not None and saved.kind == "logistic"
                        else spec.replace(kind="logistic",
                                          hidden_units=saved.hidden_units if saved else (4,)))
                back = back.replace(features=spec.features, n_features=spec.n_features)
            else:
                back = spec.replace(kind="network")
            self._binary_spec = self._multiclass_spec = None
            with_classes, _ = self._spec_for_classes(back, state.n_classes)
            return with_classes, ("Classification again: "
                                  + ("logistic regression." if with_classes.kind == "logistic"
                                     else "a network with a σ (or softmax) output."))
        return self._spec_for(state.n_classes)

    def _spec_for_classes(self, spec: ModelSpec, n_classes: int) -> tuple[ModelSpec, str]:
        if n_classes == spec.n_classes:
            return spec, ""
        if spec.kind == "logistic":
            return spec.replace(kind="network", n_classes=n_classes), ""
        return spec.replace(n_classes=n_classes), ""

    def _spec_for(self, n_classes: int) -> tuple[ModelSpec, str]:
        """The model the data's classes need, and what to tell the user if it changes.

        Two classes keep the lecture's single σ output; more need a softmax output, so
        logistic regression (binary) becomes a network with the current hidden layers. If
        the data become binary again while that network is unchanged, logistic regression
        comes back (so undoing the point that added a class undoes the switch too).
        """
        spec = self.engine.model_spec
        if n_classes == spec.n_classes:
            return spec, ""
        if n_classes > 2 and spec.kind == "logistic":
            new = spec.replace(kind="network", n_classes=n_classes)
            self._binary_spec, self._multiclass_spec = spec, new
            return new, (f"{n_classes} classes: now a neural network with a softmax output "
                         "(logistic regression is binary).")
        new = spec.replace(n_classes=n_classes)
        restore = (n_classes == 2 and self._binary_spec is not None
                   and self._multiclass_spec is not None
                   and spec.replace(n_classes=2) == self._multiclass_spec.replace(n_classes=2))
        if restore and self._binary_spec is not None:
            new = self._binary_spec
        if n_classes == 2:
            self._binary_spec = self._multiclass_spec = None
            return new, ("2 classes: logistic regression again." if restore else
                         "2 classes: one σ output again, ŷ = P(Y=1|x).")
        return new, f"{n_classes} classes: the output is now a softmax over {n_classes} units."

    # ---------------------------------------------------------------- the plane

    def set_view_range(self, x_range: Sequence[float], y_range: Sequence[float]) -> None:
        self.probe.set_view_range(x_range, y_range)

    @property
    def view_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return self.probe.view_range

    def set_display_unit(self, unit: tuple[int, int] | None) -> None:
        """Show one unit (layer index in layer_sizes, unit index) in the boundary view."""
        self.probe.set_display_unit(unit)

    @property
    def display_unit(self) -> tuple[int, int] | None:
        return self.probe.display_unit

    def readout(self, x: float, y: float) -> inspection.Readout | None:
        """P(Y=1|x) (a regression's ŷ) and every hidden unit at one point, for the frame
        being shown."""
        frame = self.engine.latest_frame
        if frame is None:
            return None
        return inspection.readout(frame.model, (x, y))


__all__ = ["ENGINE_API", "MAX_CLASSES", "DataEdit", "DataState", "Session", "classes_in"]
