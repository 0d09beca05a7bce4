"""The playground's session: it owns the data, the model and the trainer, and trains them in a
worker thread.

Views never touch the model: they call the Session's methods (edits, settings, Step/Run)
and draw the immutable :class:`Frame` objects it publishes with ``frame_ready``.

Threading
---------
A worker ``QThread`` does every ``trainer.step(n)`` in slices of a few milliseconds and
evaluates the grids (``core.grid``) for the current view, then publishes a Frame of copies
(parameters, grids, history arrays, predictions). At most one frame waits in a one-slot
mailbox; the worker builds the next one only after the GUI thread has taken the last, and
no more often than 60 times a second, so the GUI always draws the latest state and never
falls behind.

Two locks, always taken in this order:

* ``self._step_lock`` is held by the worker through each ``trainer.step(n)`` (a deep network
  on 100,000 points: a few hundred ms). The GUI thread takes it only to replace or rewind
  the trainer or the model (an edit of the data or the model, Reset, rewind) and to read
  them consistently (:attr:`Session.lock`).
* ``self._lock`` guards the settings and flags the worker reads between steps (Run, Pause,
  Step ×N, η, the view range, the unit shown...). Nobody holds it for long, so these never
  wait for a training step: the window answers at once even while a step runs.
"""

from __future__ import annotations

import atexit
import math
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QAbstractEventDispatcher, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import DivergenceError, GradientAscent, LogisticRegression, NeuralNetwork, datasets
from core import playground as pg_math
from core.grid import evaluate_grid
from core.validation import check_learning_rate
from gui.train_process import TrainingProcess, TrainingProcessError, enabled_by_environment

FloatArray = NDArray[np.float64]

BOUNDARY_RESOLUTION = 200
THUMBNAIL_RESOLUTION = 48
MAX_FPS = 60.0
SLICE_SECONDS = 0.004  # one training slice in the worker thread takes about this long
PROCESS_SLICE_SECONDS = 1.0 / 60  # in the training process: one slice per frame at 60 fps
GUI_PRIORITY_S = 0.05  # the worker pauses up to this long while the GUI thread is busy
MAX_CURVE_POINTS = 1500  # longer histories are thinned (evenly) before plotting (~3 per px)
DEFAULT_VIEW = ((-6.0, 6.0), (-6.0, 6.0))
SPEEDS: tuple[float | None, ...] = (1, 3, 10, 30, 100, 300, 1000, 3000, 10000, None)
"""Speed choices in steps per second; None runs as fast as the machine allows."""


# --------------------------------------------------------------------------------------
# Immutable values handed to the views
# --------------------------------------------------------------------------------------


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class ModelConfig:
    """What model to build: logistic regression or a network with these hidden layers."""

    kind: str = "logistic"  # "logistic" | "network"
    hidden: tuple[int, ...] = (4,)
    activation: str = "sigmoid"
    init: str = "random"
    seed: int = 0

    def build(self) -> LogisticRegression | NeuralNetwork:
        if self.kind == "logistic":
            return LogisticRegression(2)
        return NeuralNetwork(2, self.hidden, self.activation, seed=self.seed, init=self.init)


@dataclass(frozen=True)
class DataState:
    """The dataset: points, labels and which points are held out for testing."""

    X: FloatArray
    y: NDArray[np.int64]
    test: NDArray[np.bool_]

    @staticmethod
    def of(X: Any, y: Any, test: Any = None) -> DataState:
        Xa = np.array(X, dtype=np.float64).reshape(-1, 2)
        ya = np.array(y, dtype=np.int64).reshape(-1)
        ta = np.zeros(len(ya), dtype=bool) if test is None else np.array(test, dtype=bool)
        return DataState(_frozen(Xa), _frozen(ya), _frozen(ta))

    def __len__(self) -> int:
        return int(self.y.shape[0])

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


@dataclass(frozen=True)
class Boundary:
    """The heatmap of the boundary view: ŷ (or one unit) over the visible range."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    image: NDArray[np.float32]  # (res, res), row index = x₁
    levels: tuple[float, float]
    unit: tuple[int, int] | None  # (layer, unit) shown instead of ŷ, or None
    contour_x: FloatArray  # the ŷ = 0.5 contour as segments (connect="pairs")
    contour_y: FloatArray


@dataclass(frozen=True)
class Frame:
    """Everything the views draw, copied out of the trainer at one moment."""

    seq: int
    step: int
    data_version: int
    model_version: int
    running: bool
    preview: bool  # showing a past snapshot (timeline scrubbing), not the live state
    log_likelihood: float
    accuracy: float
    test_log_likelihood: float
    test_accuracy: float
    steps_per_s: float
    kind: str
    activation: str
    model: Any  # an independent copy of the model, for the hover readout
    parameters: tuple[NDArray[np.float64], ...]
    gradient: tuple[NDArray[np.float64], ...]
    layer_sizes: tuple[int, ...]
    weights: tuple[NDArray[np.float64], ...]
    unit_images: tuple[NDArray[np.float32], ...]
    unit_levels: tuple[tuple[float, float], ...]
    weight_norms: tuple[float, ...]
    gradient_norms: tuple[float, ...]
    boundary: Boundary | None  # None: unchanged since the previous frame
    history: dict[str, NDArray[np.float64]]
    history_length: int
    train_predictions: NDArray[np.int64]
    test_predictions: NDArray[np.int64]
    snapshot_steps: tuple[int, ...] = field(default=())


# --------------------------------------------------------------------------------------
# Undo
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# History arrays, extended incrementally (no O(n) list conversion per frame)
# --------------------------------------------------------------------------------------


class _HistoryMirror:
    COLUMNS = ("steps", "log_likelihood", "accuracy", "test_log_likelihood", "test_accuracy")

    def __init__(self) -> None:
        self.epoch = -1
        self.length = 0
        self.arrays = {c: np.zeros(1024) for c in self.COLUMNS}

    def update(self, history: Any, epoch: int) -> None:
        n = len(history)
        if epoch != self.epoch or n < self.length:
            self.epoch = epoch
            self.length = 0
        if n == self.length:
            return
        if n > self.arrays["steps"].shape[0]:
            size = max(n, 2 * self.arrays["steps"].shape[0])
            for c in self.COLUMNS:
                grown = np.zeros(size)
                grown[: self.length] = self.arrays[c][: self.length]
                self.arrays[c] = grown
        for c in self.COLUMNS:
            self.arrays[c][self.length:n] = getattr(history, c)[self.length:n]
        self.length = n

    def export(self, n_train: int, n_test: int) -> dict[str, NDArray[np.float64]]:
        """Every column (thinned to MAX_CURVE_POINTS), plus LL per example for plotting
        train and test on one axis (their sums run over different numbers of points)."""
        n = self.length
        if n > MAX_CURVE_POINTS:
            index = np.linspace(0, n - 1, MAX_CURVE_POINTS).astype(np.int64)
        else:
            index = np.arange(n)
        out = {c: _frozen(self.arrays[c][index]) for c in self.COLUMNS}
        out["ll_per_example"] = _frozen(out["log_likelihood"] / max(n_train, 1))
        out["test_ll_per_example"] = _frozen(out["test_log_likelihood"] / max(n_test, 1))
        return out


class FairLock:
    """The session's lock, taken by the GUI thread with priority over the worker.

    Python's locks are not fair: a worker that releases and re-acquires a lock in a loop can
    starve a thread waiting for it for seconds. GUI-side holders (``with lock:``) announce
    themselves; the worker (:meth:`worker`) backs off while anyone is waiting, so the GUI
    gets the lock within one training slice.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._waiting = 0
        self._count = threading.Lock()

    def __enter__(self) -> FairLock:
        with self._count:
            self._waiting += 1
        self._lock.acquire()
        with self._count:
            self._waiting -= 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    @contextmanager
    def worker(self) -> Iterator[None]:
        """Acquire with low priority (the worker thread)."""
        while self._waiting:
            time.sleep(0.0002)
        with self._lock:
            yield


class _BothLocks:
    """``with``: the step lock, then the settings lock (what ``Session.lock`` returns)."""

    def __init__(self, step_lock: FairLock, lock: FairLock) -> None:
        self._step_lock = step_lock
        self._lock = lock

    def __enter__(self) -> _BothLocks:
        self._step_lock.__enter__()
        try:
            self._lock.__enter__()
        except BaseException:
            self._step_lock.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__()
        self._step_lock.__exit__()


_LIVE_SESSIONS: weakref.WeakSet[Session] = weakref.WeakSet()


@atexit.register
def _shutdown_all_sessions() -> None:
    """Stop worker threads still running at interpreter exit (Qt aborts otherwise)."""
    for session in list(_LIVE_SESSIONS):
        session.shutdown()


class _WorkerThread(QThread):
    def __init__(self, target: Any) -> None:
        super().__init__()
        self._target = target

    def run(self) -> None:
        self._target()


# --------------------------------------------------------------------------------------
# The session
# --------------------------------------------------------------------------------------


class Session(QObject):
    """Owns data, model and trainer; trains in a worker thread; publishes frames."""

    frame_ready = Signal(object)  # Frame
    data_changed = Signal()
    running_changed = Signal(bool)
    message = Signal(str, str)  # level ("info" | "warning" | "error"), text
    active_class_changed = Signal(int)
    model_changed = Signal()
    learning_rate_changed = Signal(float)
    speed_changed = Signal(object)  # steps per second, or None for as fast as possible
    trainable_changed = Signal(bool, str)
    _posted = Signal()

    def __init__(self, parent: QObject | None = None, start_worker: bool = True,
                 train_process: bool | None = None) -> None:
        super().__init__(parent)
        rlock = threading.RLock()
        self._cond = threading.Condition(rlock)  # wait/notify for the worker
        self._lock = FairLock(rlock)  # GUI side: `with self._lock`; worker: self._lock.worker()
        # held through training steps; taken before self._lock, never while holding it
        self._step_lock = FairLock(threading.RLock())
        self._both_locks = _BothLocks(self._step_lock, self._lock)
        self.undo_stack = QUndoStack(self)

        # Data (owned by the GUI thread; the worker only sees copies in the trainer).
        self._data = DataState.of(np.zeros((0, 2)), np.zeros(0))
        self._data_version = 0
        self._test_fraction = 0.2
        self._split_seed = 0
        self._active_class = 1
        self._stroke_before: DataState | None = None
        self.preset: tuple[str, int, float | None, int] | None = None

        # Model and training settings.
        self._model_config = ModelConfig()
        self._model = self._model_config.build()
        self._model_version = 0
        self._trainer: GradientAscent | None = None
        self._learning_rate = 0.01
        self._lr_auto = True
        self._batch_size: int | None = None
        self._average = False
        self._momentum = 0.0
        self._speed: float | None = 100.0
        self._max_steps: int | None = None
        self._tolerance: float | None = None

        # Worker state (guarded by self._lock).
        self._running = False
        self._pending = 0
        self._quit = False
        self._preview_step: int | None = None
        self._view = DEFAULT_VIEW
        self._display_unit: tuple[int, int] | None = None
        self._worker_data: tuple[int, FloatArray, FloatArray] = (0, np.zeros((0, 2)),
                                                                 np.zeros((0, 2)))
        self._history_epoch = 0
        self._frame_wanted = True
        self._boundary_dirty = True
        # The mailbox and the messages have their own lock: the GUI thread takes a frame
        # without waiting for the session lock, which the worker holds through a whole
        # training step (a deep network on 100,000 points: a few hundred ms).
        self._mail_lock = threading.Lock()
        self._mailbox: Frame | None = None
        self._events: list[tuple[str, str]] = []
        self._seq = 0
        self._anchor: tuple[float, int, int] | None = None  # (time, step, trainer id)
        self._chunk = 1
        self._rate_window: deque[tuple[float, int]] = deque()
        self._steps_done = 0
        self._last_frame_time = 0.0
        self._frame_cost = 0.0
        self._last_boundary_time = 0.0
        self._boundary_cost = 0.0
        self._prediction_cache: tuple[tuple[int, int], NDArray[np.int64],
                                      NDArray[np.int64]] | None = None
        self._prediction_time = 0.0
        self._prediction_cost = 0.0
        self._remote_prediction_time = 0.0
        self._mirror = _HistoryMirror()

        # GUI-side view of the worker.
        self._latest: Frame | None = None
        self._running_shown = False
        self._trainable_shown: tuple[bool, str] | None = None

        # The GUI thread has priority: while its event loop is busy (between waking up and
        # blocking again) the worker pauses, so that Python's GIL does not make every
        # repaint wait for training slices (the GUI would be several times slower).
        self._worker_ident = -1
        self._gui_idle = threading.Event()
        self._gui_idle.set()
        self._gui_busy_since = 0.0
        self._gui_busy_total = 0.0  # seconds the GUI's event loop has been busy
        self._gui_busy_at_publish = 0.0
        dispatcher = QAbstractEventDispatcher.instance(self.thread())
        if dispatcher is not None:
            dispatcher.awake.connect(self._on_gui_awake)
            dispatcher.aboutToBlock.connect(self._on_gui_block)

        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        # Training steps run in a child process (see gui.train_process), started at the
        # first Run; None means: yes with a worker thread, unless ASCENT_LAB_TRAIN_PROCESS=0.
        if train_process is None:
            train_process = enabled_by_environment()
        self._process_wanted = bool(train_process and start_worker)
        self._process: TrainingProcess | None = None
        self._worker: _WorkerThread | None = None
        if start_worker:
            self._worker = _WorkerThread(self._worker_loop)
            self._worker.start()
            _LIVE_SESSIONS.add(self)

    # ---------------------------------------------------------------- lifecycle

    def _on_gui_awake(self) -> None:
        if self._gui_idle.is_set():
            self._gui_busy_since = time.perf_counter()
            self._gui_idle.clear()

    def _on_gui_block(self) -> None:
        """The GUI's event loop is about to sleep: let the worker run, and remember how
        long the GUI was busy (new frames come no faster than the GUI can draw them with
        time to spare, so the worker keeps at least half of the time for training)."""
        if not self._gui_idle.is_set():
            # (a long busy stretch is a modal dialog or a test polling processEvents, not
            # drawing: count at most 0.1 s of it)
            self._gui_busy_total += min(time.perf_counter() - self._gui_busy_since, 0.1)
        self._gui_idle.set()

    def _yield_to_gui(self) -> None:
        """Worker side: wait (bounded) while the GUI thread handles events or paints."""
        if self._gui_idle.is_set() or threading.get_ident() != self._worker_ident:
            return
        remaining = GUI_PRIORITY_S - (time.perf_counter() - self._gui_busy_since)
        if remaining > 0:
            self._gui_idle.wait(remaining)

    def shutdown(self) -> None:
        """Stop the worker thread (idempotent). Call before the application quits."""
        with self._lock:
            self._quit = True
            self._running = False
            self._cond.notify_all()
        self._gui_idle.set()
        if self._worker is not None:
            self._worker.wait(5000)
            self._worker = None
        if self._process is not None:
            self._process.close()
            self._process = None

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

    def set_active_class(self, label: int) -> None:
        label = 1 if int(label) else 0
        if label != self._active_class:
            self._active_class = label
            self.active_class_changed.emit(label)

    @property
    def test_fraction(self) -> float:
        return self._test_fraction

    def trainable(self) -> tuple[bool, str]:
        n0, n1 = self._data.counts()
        if n0 == 0 and n1 == 0:
            return False, "The dataset is empty: add points of both classes (click the plot)."
        if n0 == 0 or n1 == 0:
            missing = 0 if n0 == 0 else 1
            return False, (f"Only one class in the training set: add points of both classes "
                           f"(class {missing} is missing).")
        return True, ""

    def _edit(self, after: DataState, text: str, merge_id: int = -1) -> None:
        self.undo_stack.push(DataEdit(self, self._data, after, text, merge_id))

    def add_point(self, x: float, y: float, label: int | None = None) -> None:
        """Add one training point (undoable)."""
        label = self._active_class if label is None else int(label)
        d = self._data
        after = DataState.of(np.vstack([d.X, [[x, y]]]), np.append(d.y, label),
                             np.append(d.test, False))
        self._edit(after, f"Add a point of class {label}")

    def erase_near(self, x: float, y: float, radius: float) -> int:
        """Remove every point within ``radius`` of (x, y) (undoable); returns how many."""
        hit = pg_math.points_within(self._data.X, (x, y), radius)
        count = int(np.sum(hit))
        if count:
            d = self._data
            self._edit(DataState.of(d.X[~hit], d.y[~hit], d.test[~hit]),
                       f"Erase {count} point{'s' if count > 1 else ''}")
        return count

    def clear_points(self) -> None:
        if len(self._data):
            self._edit(DataState.of(np.zeros((0, 2)), np.zeros(0)), "Clear all points")

    # A brush or eraser drag changes the data live and becomes ONE undo step at its end.
    def begin_stroke(self) -> None:
        self._stroke_before = self._data

    def stroke_add(self, x: float, y: float, label: int | None = None) -> None:
        if self._stroke_before is None:
            self.begin_stroke()
        label = self._active_class if label is None else int(label)
        d = self._data
        self._set_data(DataState.of(np.vstack([d.X, [[x, y]]]), np.append(d.y, label),
                                    np.append(d.test, False)))

    def stroke_erase(self, x: float, y: float, radius: float) -> None:
        if self._stroke_before is None:
            self.begin_stroke()
        hit = pg_math.points_within(self._data.X, (x, y), radius)
        if np.any(hit):
            d = self._data
            self._set_data(DataState.of(d.X[~hit], d.y[~hit], d.test[~hit]))

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
        """Replace the dataset by a generated preset (undoable)."""
        X, y = datasets.make(name, n_samples=int(n_samples), noise=noise, seed=int(seed))
        self._split_seed = int(seed)
        test = pg_math.split_mask(y, self._test_fraction, self._split_seed)
        self.preset = (name, int(n_samples), noise, int(seed))
        self._edit(DataState.of(X, y, test), f"Load preset '{name}'",
                   MERGE_PRESET if merge else -1)
        self.undo_stack.setClean()

    def load_csv(self, path: str | Path) -> bool:
        """Load a dataset from CSV; on any problem keep the current data and say why."""
        try:
            X, y = datasets.load_csv(path)
            if X.shape[1] != 2:
                raise ValueError(f"{path}: the playground needs exactly 2 features (x1,x2), "
                                 f"this file has {X.shape[1]}")
            if np.any(y > 1):
                raise ValueError(f"{path}: the playground needs labels 0 and 1, found "
                                 f"{sorted(set(int(v) for v in np.unique(y)))[:5]}")
        except (OSError, ValueError) as exc:
            self.message.emit("error", f"Could not open the dataset; your points are kept. {exc}")
            return False
        test = pg_math.split_mask(y, self._test_fraction, self._split_seed)
        self.preset = None
        self._edit(DataState.of(X, y, test), f"Open {Path(path).name}")
        self.undo_stack.setClean()
        self.message.emit("info", f"Loaded {len(y)} points from {Path(path).name}.")
        return True

    def save_csv(self, path: str | Path) -> bool:
        try:
            datasets.save_csv(path, self._data.X, self._data.y)
        except (OSError, ValueError) as exc:
            self.message.emit("error", f"Could not save the dataset: {exc}")
            return False
        self.undo_stack.setClean()
        self.message.emit("info", f"Saved {len(self._data)} points to {Path(path).name}.")
        return True

    def set_test_fraction(self, fraction: float) -> None:
        """Hold out this fraction of each class as a test set (undoable, merged while sliding)."""
        fraction = min(max(float(fraction), 0.0), 0.9)
        if fraction == self._test_fraction:
            return
        self._test_fraction = fraction
        d = self._data
        test = pg_math.split_mask(d.y, fraction, self._split_seed)
        if not np.array_equal(test, d.test):
            self._edit(DataState.of(d.X, d.y, test), "Change the test split", MERGE_SPLIT)

    def _set_data(self, state: DataState) -> None:
        """Install a dataset (from an edit or undo/redo) and retrain from the current θ."""
        self._data = state
        self._data_version += 1
        X_train, y_train = state.train
        X_test, _ = state.held_out
        ok, reason = self.trainable()
        with self._both_locks:
            self._worker_data = (self._data_version, X_train.copy(), X_test.copy())
            if self._lr_auto:
                self._learning_rate = self._suggested()
            self._rebuild_trainer_locked()
            if not ok and (self._running or self._pending):
                self._running = False
                self._pending = 0
            self._cond.notify_all()
        if self._lr_auto:
            self.learning_rate_changed.emit(self._learning_rate)
        self.data_changed.emit()
        self._emit_trainable(ok, reason)
        self._emit_running()

    def _emit_trainable(self, ok: bool, reason: str) -> None:
        if self._trainable_shown != (ok, reason):
            self._trainable_shown = (ok, reason)
            self.trainable_changed.emit(ok, reason)

    # ---------------------------------------------------------------- model

    @property
    def model_config(self) -> ModelConfig:
        return self._model_config

    def set_model_config(self, config: ModelConfig) -> None:
        """Build a new model (fresh parameters) and a new trainer."""
        if config == self._model_config:
            return
        model = config.build()  # raises ValueError on a bad config, before anything changes
        with self._both_locks:
            self._model_config = config
            self._model = model
            self._model_version += 1
            self._display_unit = None
            if self._lr_auto:
                self._learning_rate = self._suggested()
            self._rebuild_trainer_locked()
            self._cond.notify_all()
        if self._lr_auto:
            self.learning_rate_changed.emit(self._learning_rate)
        self.model_changed.emit()

    def reset_parameters(self) -> None:
        """Start over: θ = 0 (logistic) or a fresh initialisation (network), step 0."""
        with self._both_locks:
            self._model = self._model_config.build()
            self._model_version += 1
            self._running = False
            self._pending = 0
            self._rebuild_trainer_locked()
            self._cond.notify_all()
        self._emit_running()
        self.model_changed.emit()

    def parameter_count(self) -> tuple[int, int]:
        with self._lock:
            return pg_math.parameter_count(self._model)

    @property
    def model(self) -> LogisticRegression | NeuralNetwork:
        """The live model. Read it only while holding ``session.lock`` (the worker mutates it)."""
        return self._model

    @property
    def lock(self) -> _BothLocks:
        """Hold this (``with session.lock:``) to read the model or the trainer consistently:
        no training step runs meanwhile."""
        return self._both_locks

    @property
    def trainer(self) -> GradientAscent | None:
        """The live trainer (hold ``session.lock`` while using it)."""
        return self._trainer

    def parameters_copy(self) -> list[FloatArray]:
        with self._both_locks:
            return [p.copy() for p in self._model.parameters]

    def _rebuild_trainer_locked(self) -> None:
        ok, _ = self.trainable()
        self._history_epoch += 1
        self._preview_step = None
        self._anchor = None
        self._frame_wanted = self._boundary_dirty = True
        if not ok:
            self._trainer = None
            return
        X_train, y_train = self._data.train
        X_test, y_test = self._data.held_out
        self._trainer = GradientAscent(
            self._model, X_train.copy(), y_train.copy(), learning_rate=self._learning_rate,
            batch_size=self._batch_size, seed=self._model_config.seed,
            X_test=X_test.copy() if len(y_test) else None,
            y_test=y_test.copy() if len(y_test) else None,
            average=self._average, momentum=self._momentum)

    # ---------------------------------------------------------------- training settings

    def _suggested(self) -> float:
        cfg = self._model_config
        X_train, y_train = self._data.train
        return pg_math.default_learning_rate(cfg.kind, len(y_train), self._average,
                                             cfg.activation, X_train, depth=len(cfg.hidden))

    def suggested_learning_rate(self) -> float:
        return self._suggested()

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @property
    def learning_rate_auto(self) -> bool:
        return self._lr_auto

    def set_learning_rate(self, eta: float, auto: bool = False) -> None:
        """Set η (a finite positive number); a manual η stops following the suggestion."""
        eta = check_learning_rate(eta)
        with self._lock:
            self._learning_rate = eta
            self._lr_auto = bool(auto)
            if self._trainer is not None:
                self._trainer.learning_rate = eta
        self.learning_rate_changed.emit(eta)

    def use_suggested_learning_rate(self) -> None:
        self.set_learning_rate(self.suggested_learning_rate(), auto=True)

    def set_batch_size(self, batch_size: int | None) -> None:
        """None = full batch (the lecture); B = mini-batches of B examples."""
        if batch_size is not None and int(batch_size) < 1:
            raise ValueError("batch size must be at least 1")
        with self._lock:
            self._batch_size = None if batch_size is None else int(batch_size)
            if self._trainer is not None:
                n = len(self._trainer.y)
                self._trainer.batch_size = (None if batch_size is None or int(batch_size) >= n
                                            else int(batch_size))

    def set_average(self, average: bool) -> None:
        with self._lock:
            self._average = bool(average)
            if self._trainer is not None:
                self._trainer.average = self._average
        if self._lr_auto:
            self.use_suggested_learning_rate()

    @property
    def average(self) -> bool:
        return self._average

    def set_momentum(self, momentum: float) -> None:
        momentum = float(momentum)
        if not 0.0 <= momentum < 1.0:
            raise ValueError("momentum must be in [0, 1)")
        with self._lock:
            self._momentum = momentum
            if self._trainer is not None:
                self._trainer.momentum = momentum

    def set_speed(self, steps_per_second: float | None) -> None:
        """Steps per second while running (None = as fast as possible)."""
        with self._lock:
            self._speed = None if steps_per_second is None else max(float(steps_per_second), 0.1)
            self._anchor = None
            self._cond.notify_all()
        self.speed_changed.emit(self._speed)

    @property
    def speed(self) -> float | None:
        return self._speed

    def set_stop(self, max_steps: int | None, tolerance: float | None) -> None:
        """Stop running at ``max_steps`` and/or when one step changes LL by < ``tolerance``."""
        with self._lock:
            self._max_steps = None if max_steps is None else max(int(max_steps), 0)
            self._tolerance = None if tolerance is None else float(tolerance)

    # ---------------------------------------------------------------- training control

    @property
    def running(self) -> bool:
        return self._running

    def _can_train(self) -> bool:
        ok, reason = self.trainable()
        if not ok:
            self.message.emit("warning", reason)
        return ok

    def step(self, n: int = 1) -> None:
        """Do n gradient-ascent steps in the worker (pauses a run first)."""
        if n < 1 or not self._can_train():
            return
        with self._lock:
            self._running = False
            self._pending += int(n)
            self._preview_step = None
            self._cond.notify_all()
        self._emit_running()

    def run(self) -> None:
        if not self._can_train():
            return
        with self._lock:
            self._running = True
            self._pending = 0
            self._preview_step = None
            self._anchor = None
            self._cond.notify_all()
        self._emit_running()

    def pause(self) -> None:
        with self._lock:
            self._running = False
            self._pending = 0
            self._frame_wanted = True
            self._cond.notify_all()
        self._emit_running()

    def toggle_run(self) -> None:
        if self._running:
            self.pause()
        else:
            self.run()

    def is_busy(self) -> bool:
        """Running, or Step ×N steps still to do."""
        with self._lock:
            return self._running or self._pending > 0

    def rewind(self, step: int) -> int:
        """Go back to the snapshot at (or just before) ``step``; training resumes from there."""
        with self._both_locks:
            self._running = False
            self._pending = 0
            self._preview_step = None
            if self._trainer is None:
                return 0
            restored = self._trainer.rewind(int(step))
            self._history_epoch += 1
            self._anchor = None
            self._frame_wanted = self._boundary_dirty = True
            self._cond.notify_all()
        self._emit_running()
        return restored

    def preview(self, step: int | None) -> None:
        """Show the snapshot at ``step`` without changing anything (None: back to live)."""
        with self._lock:
            self._preview_step = None if step is None else int(step)
            self._frame_wanted = self._boundary_dirty = True
            self._cond.notify_all()

    def set_view_range(self, x_range: Sequence[float], y_range: Sequence[float]) -> None:
        view = ((float(x_range[0]), float(x_range[1])), (float(y_range[0]), float(y_range[1])))
        with self._lock:
            if view != self._view:
                self._view = view
                self._frame_wanted = self._boundary_dirty = True
                self._cond.notify_all()

    @property
    def view_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return self._view

    def set_display_unit(self, unit: tuple[int, int] | None) -> None:
        """Show one unit (layer index in layer_sizes, unit index) in the boundary view."""
        with self._lock:
            self._display_unit = None if unit is None else (int(unit[0]), int(unit[1]))
            self._frame_wanted = self._boundary_dirty = True
            self._cond.notify_all()

    @property
    def display_unit(self) -> tuple[int, int] | None:
        return self._display_unit

    def request_frame(self) -> None:
        with self._lock:
            self._frame_wanted = self._boundary_dirty = True
            self._cond.notify_all()

    # ---------------------------------------------------------------- frames (GUI side)

    @property
    def latest_frame(self) -> Frame | None:
        return self._latest

    def readout(self, x: float, y: float) -> pg_math.PointReadout | None:
        """P(Y=1|x) and every hidden unit at one point, for the frame being shown."""
        frame = self._latest
        if frame is None:
            return None
        return pg_math.point_readout(frame.model, (x, y))

    def _deliver(self) -> None:
        with self._mail_lock:
            frame, self._mailbox = self._mailbox, None
            events, self._events = self._events, []
        self._notify_worker()
        for level, text in events:
            self.message.emit(level, text)
        if frame is not None:
            self._latest = frame
            self.frame_ready.emit(frame)
        self._emit_running()

    def _notify_worker(self) -> None:
        """Wake the worker if it waits (GUI thread; never blocks on a training step).

        A waiting worker does not hold the lock; one that holds it is busy and will look
        at the mailbox again by itself. A worker that may go to sleep after this (it is
        not training flat out) might hold the lock just to decide how long to sleep: then
        try again shortly, so that the wake-up is not lost. (Not while it trains at maximum
        speed: it never sleeps then, and retrying every few ms would keep the GUI busy.)
        """
        if self._cond.acquire(blocking=False):
            try:
                self._cond.notify_all()
            finally:
                self._cond.release()
        elif not self._quit and not (self._pending or (self._running and self._speed is None)):
            QTimer.singleShot(2, self, self._notify_worker)

    def _post_event(self, level: str, text: str) -> None:
        """A message for the GUI thread (delivered with the next frame)."""
        with self._mail_lock:
            self._events.append((level, text))

    def _emit_running(self) -> None:
        running = self._running
        if running != self._running_shown:
            self._running_shown = running
            self.running_changed.emit(running)

    def process_pending(self) -> None:
        """Do the pending Step ×N steps in the calling thread (only without a worker)."""
        if self._worker is not None:
            raise RuntimeError("the worker thread does the steps; use this only with "
                               "Session(start_worker=False)")
        while self._pending > 0 and self._trainer is not None:
            self._train_slice()
        self._emit_running()

    def take_frame_now(self) -> Frame:
        """Build and deliver a frame synchronously (tests and benchmarks; GUI thread)."""
        frame = self._build_frame()
        with self._mail_lock:
            self._mailbox = frame
        self._deliver()
        return frame

    # ---------------------------------------------------------------- worker thread

    def _worker_loop(self) -> None:
        self._worker_ident = threading.get_ident()
        while True:
            with self._lock.worker():
                while not self._quit:
                    timeout = self._idle_timeout_locked()
                    if timeout <= 0:
                        break
                    self._cond.wait(timeout)
                if self._quit:
                    return
            try:
                self._yield_to_gui()
                self._train_slice()
                if self._frame_due():
                    self._yield_to_gui()
                    self._publish(self._build_frame())
            except Exception:  # noqa: BLE001 - report, stop running, keep the app alive
                sys.excepthook(*sys.exc_info())
                with self._lock.worker():
                    self._running = False
                    self._pending = 0
                    self._post_event("error", "Internal error while training; see the "
                                               "log. Training was paused.")
                    self._frame_wanted = True
                time.sleep(0.05)

    def _steps_due_locked(self, now: float) -> int:
        trainer = self._trainer
        if trainer is None:
            return 0
        if self._pending > 0:
            return self._pending
        if not self._running:
            return 0
        if self._speed is None:
            return 1 << 30
        if self._anchor is None or self._anchor[2] != id(trainer):
            self._anchor = (now - 1.0 / self._speed, trainer.step_count, id(trainer))
        t0, s0, _ = self._anchor
        due = s0 + int((now - t0) * self._speed) - trainer.step_count
        if due < 0 or due > max(self._speed * 0.25, 1):  # fell behind: do not burst to catch up
            self._anchor = (now - 1.0 / self._speed, trainer.step_count, id(trainer))
            due = 1
        return due

    def _idle_timeout_locked(self) -> float:
        """0 when there is work now, else how long the worker may sleep."""
        now = time.perf_counter()
        if self._steps_due_locked(now) > 0:
            return 0.0
        wait = 1.0
        if self._running and self._trainer is not None and self._speed is not None:
            wait = min(wait, max(1.0 / self._speed, 0.001))
        if self._frame_wanted and self._mailbox is None:
            remaining = self._frame_interval() - (now - self._last_frame_time)
            if remaining <= 0:
                return 0.0
            wait = min(wait, remaining)
        return wait

    def _frame_interval(self) -> float:
        if not (self._running or self._pending):
            return 0.0
        # the GUI's busy time since the last frame ≈ what drawing a frame costs it
        gui_cost = self._gui_busy_total - self._gui_busy_at_publish
        return max(1.0 / MAX_FPS, 1.5 * self._frame_cost, min(2.0 * gui_cost, 0.2))

    def _frame_due(self) -> bool:
        with self._lock.worker():
            if not self._frame_wanted or self._mailbox is not None:
                return False
            if (self._running or self._pending) and not self._gui_idle.is_set() and (
                    time.perf_counter() - self._gui_busy_since < GUI_PRIORITY_S):
                return False  # the GUI is still drawing the last one
            return time.perf_counter() - self._last_frame_time >= self._frame_interval()

    def _train_slice(self) -> None:
        # 1. Decide what to do (settings lock, briefly).
        with self._lock.worker():
            trainer = self._trainer
            now = time.perf_counter()
            due = self._steps_due_locked(now)
            if trainer is None or due <= 0:
                if trainer is None and (self._running or self._pending):
                    self._running = False
                    self._pending = 0
                    self._frame_wanted = True
                return
            pending = self._pending > 0
            n = min(due, self._chunk)
            if self._running and not pending and self._max_steps is not None:
                left = self._max_steps - trainer.step_count
                if left <= 0:
                    self._running = False
                    self._frame_wanted = True
                    self._post_event("info", f"Stopped at the maximum of "
                                             f"{self._max_steps:,} steps.")
                    return
                n = min(n, left)
            epoch = self._history_epoch
        # 2. Train (step lock only: settings, Pause and the views stay responsive).
        error: DivergenceError | None = None
        with self._step_lock.worker():
            if trainer is not self._trainer or self._history_epoch != epoch or not (
                    self._running or self._pending):
                return  # replaced, rewound or paused meanwhile (the GUI thread)
            elapsed = 0.0
            try:
                elapsed = self._step_trainer(trainer, n, epoch)
            except DivergenceError as exc:
                error = exc
            last_lls = trainer.history.log_likelihood[-2:]
            step_count = trainer.step_count
        # 3. Book-keeping (settings lock, briefly).
        with self._lock.worker():
            if error is not None:
                self._running = False
                self._pending = 0
                self._post_event("error", str(error))
                self._history_epoch += 1
                self._frame_wanted = self._boundary_dirty = True
                return
            per_step = elapsed / n
            seconds = PROCESS_SLICE_SECONDS if self._process is not None else SLICE_SECONDS
            self._chunk = int(min(max(seconds / max(per_step, 1e-7), 1), 100_000))
            if pending:
                self._pending = max(self._pending - n, 0)
            self._steps_done += n
            self._frame_wanted = self._boundary_dirty = True
            if self._running and not pending and trainer is self._trainer:
                if (self._tolerance is not None
                        and pg_math.ll_change_below(last_lls, self._tolerance)):
                    self._running = False
                    self._post_event("info", f"Converged: one step changed LL by less "
                                             f"than {self._tolerance:g}.")
                elif self._max_steps is not None and step_count >= self._max_steps:
                    self._running = False
                    self._post_event("info", f"Stopped at the maximum of "
                                             f"{self._max_steps:,} steps.")
        # Yield the interpreter to the GUI thread between slices (the GIL).
        time.sleep(0)

    def _step_trainer(self, trainer: GradientAscent, n: int, epoch: int) -> float:
        """trainer.step(n), in the training process if there is one (step lock held); the
        seconds the steps took. While the process trains, this thread builds the next frame
        (of the state before these steps), so that both run at once."""
        process = self._process
        if process is None and self._process_wanted and self._running:
            self._process_wanted = False  # one try
            try:
                process = self._process = TrainingProcess()
            except (OSError, RuntimeError) as exc:  # no child processes here
                print(f"ascent-lab: training in a thread ({exc})", file=sys.stderr)
        if process is not None:
            try:
                now = time.perf_counter()
                predict = self._running and now - self._remote_prediction_time >= max(
                    1.0 / MAX_FPS, 3.0 * process.prediction_seconds)
                if predict:
                    self._remote_prediction_time = now
                process.begin(trainer, n, (id(trainer), epoch), predict)
                try:
                    if self._frame_due():
                        self._yield_to_gui()
                        self._publish(self._build_frame())
                finally:
                    elapsed = process.finish(trainer)
                return elapsed
            except TrainingProcessError as exc:
                self._process = None
                process.close()
                print(f"ascent-lab: training in a thread from now on ({exc})", file=sys.stderr)
        t0 = time.perf_counter()
        trainer.step(n)
        return time.perf_counter() - t0

    @property
    def trains_in_process(self) -> bool:
        """Whether training steps run in a child process (see gui.train_process)."""
        return self._process is not None

    def _steps_per_second_locked(self, now: float) -> float:
        window = self._rate_window
        window.append((now, self._steps_done))
        while len(window) > 2 and now - window[0][0] > 1.0:
            window.popleft()
        if not (self._running or self._pending) or len(window) < 2:
            return 0.0
        dt = window[-1][0] - window[0][0]
        return (window[-1][1] - window[0][1]) / dt if dt > 0 else 0.0

    def _build_frame(self) -> Frame:
        t_start = time.perf_counter()
        with self._lock.worker():
            trainer = self._trainer
            preview = False
            if trainer is not None and self._preview_step is not None:
                shown_step, params = trainer.snapshots.at_or_before(self._preview_step)
                model = pg_math.clone_model(self._model)
                for own, saved in zip(model.parameters, params, strict=True):
                    own[...] = saved
                preview = True
            else:
                model = pg_math.clone_model(self._model)
                shown_step = trainer.step_count if trainer is not None else 0
            if trainer is not None:
                self._mirror.update(trainer.history, self._history_epoch)
                history = self._mirror.export(len(trainer.y),
                                              0 if trainer.y_test is None else len(trainer.y_test))
                history_length = self._mirror.length
                row = (int(np.searchsorted(trainer.history.steps, shown_step, side="right")) - 1
                       if preview else len(trainer.history) - 1)
                hist = trainer.history
                ll, acc = hist.log_likelihood[row], hist.accuracy[row]
                test_ll, test_acc = hist.test_log_likelihood[row], hist.test_accuracy[row]
                gradient = tuple(_frozen(g.copy()) for g in trainer.gradient)
                snapshot_steps = tuple(trainer.snapshots.steps()) if preview else ()
            else:
                history = {c: _frozen(np.zeros(0)) for c in (*_HistoryMirror.COLUMNS,
                                                             "ll_per_example",
                                                             "test_ll_per_example")}
                history_length = 0
                ll = acc = test_ll = test_acc = math.nan
                gradient = tuple(_frozen(np.zeros_like(p)) for p in model.parameters)
                snapshot_steps = ()
            data_version, X_train, X_test = self._worker_data
            view = self._view
            unit = self._display_unit
            want_boundary = self._boundary_dirty and (
                not (self._running or self._pending)
                or t_start - self._last_boundary_time >= max(1.0 / MAX_FPS,
                                                             3.0 * self._boundary_cost))
            if want_boundary:
                self._boundary_dirty = False
            self._frame_wanted = self._boundary_dirty
            running = self._running
            epoch = self._history_epoch
            steps_per_s = self._steps_per_second_locked(t_start)
            self._seq += 1
            seq = self._seq
            model_version = self._model_version
            config = self._model_config

        # Outside the lock: evaluate the snapshot (the trainer keeps going meanwhile).
        x_range, y_range = view
        sizes = pg_math.layer_sizes(model)
        self._yield_to_gui()
        units = pg_math.unit_images(model, x_range, y_range, THUMBNAIL_RESOLUTION)
        boundary = None
        if want_boundary:
            self._yield_to_gui()
            t_b = time.perf_counter()
            boundary = self._boundary(model, x_range, y_range, unit, units.levels, sizes)
            self._boundary_cost = time.perf_counter() - t_b
            self._last_boundary_time = t_start
        train_predictions, test_predictions = self._predictions(
            model, X_train, X_test, (data_version, model_version), running, t_start,
            (id(trainer), epoch))
        frame = Frame(
            seq=seq, step=int(shown_step), data_version=data_version,
            model_version=model_version, running=running, preview=preview,
            log_likelihood=float(ll), accuracy=float(acc), test_log_likelihood=float(test_ll),
            test_accuracy=float(test_acc), steps_per_s=float(steps_per_s), kind=config.kind,
            activation=config.activation if config.kind == "network" else "sigmoid",
            model=model,
            parameters=tuple(_frozen(p.copy()) for p in model.parameters),
            gradient=gradient, layer_sizes=sizes,
            weights=tuple(_frozen(w) for w in pg_math.layer_weights(model)),
            unit_images=tuple(_frozen(i) for i in units.images),
            unit_levels=tuple(units.levels),
            weight_norms=tuple(pg_math.weight_norms(model)),
            gradient_norms=tuple(pg_math.gradient_weight_norms(model, gradient)),
            boundary=boundary, history=history, history_length=history_length,
            train_predictions=train_predictions, test_predictions=test_predictions,
            snapshot_steps=snapshot_steps,
        )
        # the boundary has its own, slower rate (see want_boundary): not counted here
        self._frame_cost = time.perf_counter() - t_start - (self._boundary_cost if want_boundary
                                                          else 0.0)
        return frame

    def _predictions(self, model: Any, X_train: FloatArray, X_test: FloatArray,
                     key: tuple[int, int], running: bool, now: float, token: Any
                     ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Every point's predicted class (worker thread). While training runs, like the
        boundary, no more often than every 3x what computing them costs (a deep network on
        100,000 points: ~100 ms), so that big datasets do not slow every frame down."""
        process = self._process
        remote = process.predictions if process is not None else None
        if running and remote is not None and remote[0] == token:
            return _frozen(remote[2]), _frozen(remote[3])  # from the training process
        cached = self._prediction_cache
        if (running and cached is not None and cached[0] == key
                and now - self._prediction_time < max(1.0 / MAX_FPS,
                                                      3.0 * self._prediction_cost)):
            return cached[1], cached[2]
        t0 = time.perf_counter()
        train = _frozen(pg_math.predictions(model, X_train))
        test = _frozen(pg_math.predictions(model, X_test))
        self._prediction_cost = time.perf_counter() - t0
        self._prediction_time = now
        self._prediction_cache = (key, train, test)
        return train, test

    @staticmethod
    def _boundary(model: Any, x_range: tuple[float, float], y_range: tuple[float, float],
                  unit: tuple[int, int] | None, levels: list[tuple[float, float]],
                  sizes: tuple[int, ...]) -> Boundary:
        if unit is not None and not (0 <= unit[0] < len(sizes) and 0 <= unit[1] < sizes[unit[0]]):
            unit = None
        hidden_needed = unit is not None and 0 < unit[0] < len(sizes) - 1
        grid = evaluate_grid(model, x_range, y_range, BOUNDARY_RESOLUTION,
                             with_hidden=hidden_needed)
        image = grid.probability
        shown_levels = (0.0, 1.0)
        if unit is not None and unit[0] == 0:
            res = BOUNDARY_RESOLUTION
            axis = np.linspace(*(x_range if unit[1] == 0 else y_range), res, dtype=np.float32)
            image = np.ascontiguousarray(np.broadcast_to(
                axis[:, None] if unit[1] == 0 else axis[None, :], (res, res)))
            shown_levels = levels[0]
        elif hidden_needed and unit is not None:
            image = np.ascontiguousarray(grid.hidden[unit[0] - 1][unit[1]])
            shown_levels = pg_math.activation_levels(getattr(model, "activation", "sigmoid"),
                                                     image)
        elif unit is not None and unit[0] == len(sizes) - 1:
            unit = None  # the output unit is ŷ itself
        cx, cy = pg_math.contour_segments(grid.probability, 0.5, x_range, y_range)
        return Boundary(x_range, y_range, _frozen(image), shown_levels, unit,
                        _frozen(cx), _frozen(cy))

    def _publish(self, frame: Frame) -> None:
        with self._lock.worker():
            with self._mail_lock:
                empty = self._mailbox is None
                self._mailbox = frame
            self._last_frame_time = time.perf_counter()
            self._gui_busy_at_publish = self._gui_busy_total
        if empty:
            self._posted.emit()


__all__ = [
    "SPEEDS",
    "Boundary",
    "DataEdit",
    "DataState",
    "Frame",
    "ModelConfig",
    "Session",
]
