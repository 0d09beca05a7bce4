"""The training engine: it owns the model, the trainer and the training settings, trains in
a worker thread (and a child process), and publishes immutable frames.

It knows nothing of what the data mean. A workbench gives it a :class:`Dataset` (features,
labels, train/test split, version) and a :class:`~gui.engine.probe.Probe` that adds the
workbench's own part to every frame. Views never touch the model: they call the engine's
methods (settings, Step/Run/Pause, rewind) and draw the frames it sends with
``frame_ready``.

Threading
---------
A worker thread (:mod:`gui.engine.worker`) does every ``trainer.step(n)`` in slices of a
few milliseconds and builds frames of copies. At most one frame waits in a one-slot
mailbox; the worker builds the next one only after the GUI thread took the last, and no
more often than 60 times a second, so the GUI always draws the latest state.

Two locks, always taken in this order:

* ``self._step_lock`` is held by the worker through each ``trainer.step(n)`` (a deep network
  on 100,000 points: a few hundred ms). The GUI thread takes it only to replace or rewind
  the trainer or the model and to read them consistently (:attr:`TrainingEngine.lock`).
* ``self._lock`` guards the settings and flags the worker reads between steps (Run, Pause,
  Step ×N, η, ...). Nobody holds it for long, so these never wait for a training step.
"""

from __future__ import annotations

import atexit
import copy
import threading
import weakref
from collections import deque
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QAbstractEventDispatcher, QObject, Signal

from core import GradientAscent, inspection
from core.policy import build_model
from core.session_file import SessionData, session_from_trainer
from core.specs import ModelSpec, TrainingSettings
from gui.engine.frames import Dataset, Frame
from gui.engine.locks import BothLocks, FairLock
from gui.engine.mailbox import Mailbox
from gui.engine.probe import NoProbe, Probe
from gui.engine.settings import SettingsControl
from gui.engine.train_process import TrainingProcess, enabled_by_environment
from gui.engine.worker import Worker

FloatArray = NDArray[np.float64]

SPEEDS: tuple[float | None, ...] = (1, 3, 10, 30, 100, 300, 1000, 3000, 10000, None)
"""Speed choices in steps per second; None runs as fast as the machine allows."""

_LIVE_ENGINES: weakref.WeakSet[TrainingEngine] = weakref.WeakSet()


@atexit.register
def _shutdown_all_engines() -> None:
    """Stop worker threads still running at interpreter exit (Qt aborts otherwise)."""
    for engine in list(_LIVE_ENGINES):
        engine.shutdown()


class Checkpoint:
    """The whole training state at one moment (what an undoable rewind brings back)."""

    def __init__(self, trainer: GradientAscent, spec: ModelSpec, model_version: int,
                 data_version: int) -> None:
        clone = copy.copy(trainer)
        clone._scratch, clone._test_scratch = {}, {}
        self.trainer = copy.deepcopy(clone)
        self.spec = spec
        self.model_version = model_version
        self.data_version = data_version


class TrainingEngine(SettingsControl, QObject):
    """Owns model, trainer and settings; trains in a worker; publishes frames."""

    frame_ready = Signal(object)  # Frame
    dataset_changed = Signal()
    running_changed = Signal(bool)
    message = Signal(str, str)  # level ("info" | "warning" | "error"), text
    model_changed = Signal()
    learning_rate_changed = Signal(float)
    speed_changed = Signal(object)  # steps per second, or None for as fast as possible
    trainable_changed = Signal(bool, str)
    settings_changed = Signal(object)  # TrainingSettings

    def __init__(self, spec: ModelSpec | None = None, probe: Probe | None = None,
                 parent: QObject | None = None, start_worker: bool = True,
                 train_process: bool | None = None, empty_hint: str = "add examples") -> None:
        super().__init__(parent)
        rlock = threading.RLock()
        self._cond = threading.Condition(rlock)  # wait/notify for the worker
        self._lock = FairLock(rlock)  # GUI side: `with self._lock`; worker: .worker()
        self._step_lock = FairLock(threading.RLock())  # held through training steps
        self._both_locks = BothLocks(self._step_lock, self._lock)
        self._empty_hint = empty_hint

        self._spec = spec if spec is not None else ModelSpec()
        self._model = build_model(self._spec)
        self._model_version = 0
        self._dataset = Dataset.empty(self._spec.n_raw_features)
        self._trainer: GradientAscent | None = None
        self._settings = TrainingSettings()
        self._probe: Probe = probe if probe is not None else NoProbe()

        # Run state (guarded by self._lock).
        self._running = False
        self._pending = 0
        self._quit = False
        self._preview_step: int | None = None
        self._history_epoch = 0
        self._rewound_at: tuple[int, int] | None = None  # (epoch, step) of the last rewind
        self._frame_wanted = True
        self._anchor: tuple[float, int, int] | None = None  # (time, step, trainer id)

        self.mailbox = Mailbox(self._delivered, self)
        self._rate_window: deque[tuple[float, int]] = deque()
        self._steps_done = 0

        # GUI-side view of the worker.
        self._latest: Frame | None = None
        self._running_shown = False
        self._trainable_shown: tuple[bool, str] | None = None

        self.worker = Worker(self)
        dispatcher = QAbstractEventDispatcher.instance(self.thread())
        if dispatcher is not None:
            dispatcher.awake.connect(self.worker.on_gui_awake)
            dispatcher.aboutToBlock.connect(self.worker.on_gui_block)
        self._probe.attach(self.request_frame)
        # Training steps run in a child process (gui.engine.train_process), started at the
        # first Run; None means yes, unless ASCENT_LAB_TRAIN_PROCESS=0.
        if train_process is None:
            train_process = enabled_by_environment()
        self._process_wanted = bool(train_process and start_worker)
        self._process: TrainingProcess | None = None
        self._started = start_worker
        if start_worker:
            self.worker.start()
            _LIVE_ENGINES.add(self)

    # ---------------------------------------------------------------- lifecycle

    def shutdown(self) -> None:
        """Stop the worker thread and the training process (idempotent)."""
        with self._lock:
            self._quit = True
            self._running = False
            self._cond.notify_all()
        self.worker.stop()
        if self._process is not None:
            self._process.close()
            self._process = None

    @property
    def trains_in_process(self) -> bool:
        """Whether training steps run in a child process (see gui.engine.train_process)."""
        return self._process is not None

    # ---------------------------------------------------------------- dataset

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def trainable(self) -> tuple[bool, str]:
        """Whether there is something to train on, and if not, what to do about it."""
        return self._dataset.trainable(self._spec.n_classes, self._empty_hint)

    def set_dataset(self, dataset: Dataset) -> None:
        """Train on new data from the current θ (the history starts again)."""
        if dataset.n_features != self._spec.n_raw_features:  # engineered ones: the model's
            raise ValueError(f"the dataset has {dataset.n_features} features but the model "
                             f"expects {self._spec.n_raw_features}")
        self._dataset = dataset
        ok, reason = self.trainable()
        auto = self._settings.learning_rate_auto
        with self._both_locks:
            if auto:
                self._settings = self._settings.replace(learning_rate=self._suggested())
            self._rebuild_trainer_locked()
            if not ok:
                self._running = False
                self._pending = 0
            self._cond.notify_all()
        if auto:
            self.learning_rate_changed.emit(self._settings.learning_rate)
        self.dataset_changed.emit()
        self._emit_trainable(ok, reason)
        self._emit_running()

    def _emit_trainable(self, ok: bool, reason: str) -> None:
        if self._trainable_shown != (ok, reason):
            self._trainable_shown = (ok, reason)
            self.trainable_changed.emit(ok, reason)

    # ---------------------------------------------------------------- model

    @property
    def model_spec(self) -> ModelSpec:
        return self._spec

    def set_model_spec(self, spec: ModelSpec) -> None:
        """Build a new model (fresh parameters) and a new trainer."""
        if spec == self._spec:
            return
        if spec.n_raw_features != self._dataset.n_features:
            raise ValueError(f"the model needs {spec.n_raw_features} features but the data "
                             f"have {self._dataset.n_features}")
        model = build_model(spec)  # raises ValueError on a bad spec, before anything changes
        with self._both_locks:
            self._spec = spec
            self._model = model
            self._model_version += 1
            if self._settings.learning_rate_auto:
                self._settings = self._settings.replace(learning_rate=self._suggested())
            self._rebuild_trainer_locked()
            self._cond.notify_all()
        if self._settings.learning_rate_auto:
            self.learning_rate_changed.emit(self._settings.learning_rate)
        self._emit_trainable(*self.trainable())
        self.model_changed.emit()

    @property
    def model_version(self) -> int:
        """Counts new models (a spec, a reset, a loaded session): frames carry it."""
        return self._model_version

    def reset_parameters(self) -> None:
        """Start over: θ = 0 (logistic) or a fresh initialisation (network), step 0."""
        with self._both_locks:
            self._model = build_model(self._spec)
            self._model_version += 1
            self._running = False
            self._pending = 0
            self._rebuild_trainer_locked()
            self._cond.notify_all()
        self._emit_running()
        self.model_changed.emit()

    def parameter_count(self) -> tuple[int, int]:
        """(weights, biases)."""
        with self._lock:
            return inspection.parameter_count(self._model)

    @property
    def model(self) -> Any:
        """The live model. Read it only while holding ``engine.lock`` (the worker mutates
        it)."""
        return self._model

    @property
    def lock(self) -> BothLocks:
        """Hold this (``with engine.lock:``) to read the model or the trainer consistently:
        no training step runs meanwhile."""
        return self._both_locks

    @property
    def trainer(self) -> GradientAscent | None:
        """The live trainer (hold ``engine.lock`` while using it)."""
        return self._trainer

    def set_parameter(self, index: int, position: tuple[int, ...], value: float) -> float:
        """Set one entry of the live model's parameters (a weight typed by the user):
        ``model.parameters[index][position] = value``; returns the value it had.

        Nothing is rebuilt: the trainer keeps its step count and settings. Its last history
        row and snapshot (at the current step) are replaced by the edited θ's, the history
        starts a new epoch (so a training child process gets the trainer again, and the
        views redraw), and the gradient shown is the one at the edited θ, as after a rewind.
        """
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"a parameter must be a finite number, got {value!r}")
        with self._both_locks:
            self._running = False
            self._pending = 0
            self._preview_step = None
            array = self._model.parameters[int(index)]
            position = tuple(int(p) for p in position)
            old = float(array[position])
            array[position] = value
            trainer = self._trainer
            if trainer is not None:
                step = trainer.step_count
                trainer.history.truncate_after(step - 1)
                trainer.snapshots.drop_after(step - 1)
                trainer._record_current()
            self._history_epoch += 1
            self._rewound_at = (self._history_epoch, trainer.step_count if trainer else 0)
            self._anchor = None
            self._frame_wanted = True
            self._cond.notify_all()
        self._emit_running()
        return old

    def parameters_copy(self) -> list[FloatArray]:
        with self._both_locks:
            return [p.copy() for p in self._model.parameters]

    def _rebuild_trainer_locked(self) -> None:
        ok, _ = self.trainable()
        self._history_epoch += 1
        self._preview_step = None
        self._anchor = None
        self._frame_wanted = True
        if not ok:
            self._trainer = None
            return
        d, s = self._dataset, self._settings
        self._trainer = GradientAscent(
            self._model, d.X_train.copy(), d.y_train.copy(), learning_rate=s.learning_rate,
            batch_size=s.batch_size, seed=self._spec.seed,
            X_test=d.X_test.copy() if len(d.y_test) else None,
            y_test=d.y_test.copy() if len(d.y_test) else None,
            average=s.average, momentum=s.momentum, l2=s.l2, l1=s.l1)

    # ---------------------------------------------------------------- run control

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

    @property
    def step_count(self) -> int:
        trainer = self._trainer
        return trainer.step_count if trainer is not None else 0

    def rewind(self, step: int) -> int:
        """Go back to the snapshot at (or just before) ``step``; training resumes there."""
        with self._both_locks:
            self._running = False
            self._pending = 0
            self._preview_step = None
            if self._trainer is None:
                return 0
            restored = self._trainer.rewind(int(step))
            self._history_epoch += 1
            self._rewound_at = (self._history_epoch, restored)
            self._anchor = None
            self._frame_wanted = True
            self._cond.notify_all()
        self._emit_running()
        return restored

    def checkpoint(self) -> Checkpoint | None:
        """The whole training state now (None without a trainer): see :meth:`restore`."""
        with self._both_locks:
            if self._trainer is None:
                return None
            return Checkpoint(self._trainer, self._spec, self._model_version,
                              self._dataset.version)

    def restore(self, checkpoint: Checkpoint) -> bool:
        """Bring back a :meth:`checkpoint` of the same model and data; False if the model
        or the data changed since (then nothing happens)."""
        with self._both_locks:
            trainer = self._trainer
            if (trainer is None or checkpoint.spec != self._spec
                    or checkpoint.model_version != self._model_version
                    or checkpoint.data_version != self._dataset.version):
                return False
            saved = copy.deepcopy(checkpoint.trainer)
            for own, value in zip(trainer.model.parameters, saved.model.parameters,
                                  strict=True):
                own[...] = value
            saved.model = trainer.model
            saved.learning_rate = trainer.learning_rate
            self._trainer = saved
            self._running = False
            self._pending = 0
            self._preview_step = None
            self._history_epoch += 1
            # the saved trainer's last gradient may belong to another θ (a checkpoint taken
            # after a rewind): frames show the gradient at the restored θ, as after a rewind
            self._rewound_at = (self._history_epoch, saved.step_count)
            self._anchor = None
            self._frame_wanted = True
            self._cond.notify_all()
        self._emit_running()
        return True

    def load_trainer(self, spec: ModelSpec, settings: TrainingSettings, dataset: Dataset,
                     trainer: GradientAscent | None = None,
                     parameters: list[FloatArray] | None = None) -> None:
        """Install a saved session at once: its model, settings, data and ``trainer`` (one
        rebuilt by ``core.session_file.trainer_from_session``, with its history and
        snapshots). Without a trainer (data not trainable yet) the model gets
        ``parameters``. Paused; the saved η is kept even when it followed the suggestion."""
        if trainer is not None:
            model = trainer.model
        else:
            model = build_model(spec)
            for own, saved in zip(model.parameters, parameters or [], strict=False):
                own[...] = saved
        if dataset.n_features != spec.n_raw_features:
            raise ValueError(f"the dataset has {dataset.n_features} features but the model "
                             f"expects {spec.n_raw_features}")
        with self._both_locks:
            self._spec, self._model, self._dataset = spec, model, dataset
            self._settings = settings
            self._model_version += 1
            self._running = False
            self._pending = 0
            if trainer is None:
                self._rebuild_trainer_locked()
            else:
                self._trainer = trainer
                self._history_epoch += 1
                self._preview_step = None
                self._anchor = None
                self._frame_wanted = True
            self._cond.notify_all()
        self.settings_changed.emit(settings)
        self.learning_rate_changed.emit(settings.learning_rate)
        self.speed_changed.emit(settings.speed)
        self.dataset_changed.emit()
        self._emit_trainable(*self.trainable())
        self._emit_running()
        self.model_changed.emit()

    def session_data(self, workbench: str = "", view: dict[str, Any] | None = None,
                     extra_arrays: dict[str, NDArray[Any]] | None = None,
                     data: tuple[FloatArray, NDArray[Any], NDArray[np.bool_]] | None = None
                     ) -> SessionData:
        """Everything to save this engine's session (``core.session_file``), read under
        the lock: model, settings, trainer (history, snapshots, rng). ``data`` = (X, y,
        test_mask) in the workbench's own row order, whose training rows are the trainer's
        in order; by default the dataset's training rows, then its test rows."""
        with self._both_locks:
            spec, settings, trainer = self._spec, self._settings, self._trainer
            if trainer is not None:
                session = session_from_trainer(trainer, spec, settings, workbench, view,
                                               extra_arrays)
            else:
                d = self._dataset
                X = np.concatenate([d.X_train, d.X_test])[:, :spec.n_raw_features]
                y = np.concatenate([d.y_train, d.y_test])
                mask = np.arange(len(y)) >= len(d.y_train)
                session = SessionData(spec, settings, X, y, mask,
                                      [p.copy() for p in self._model.parameters], workbench,
                                      dict(view or {}), dict(extra_arrays or {}))
        if data is not None:
            session.X, session.y, session.test_mask = (np.array(a) for a in data)
        return session

    def preview(self, step: int | None) -> None:
        """Show the snapshot at ``step`` without changing anything (None: back to live)."""
        with self._lock:
            self._preview_step = None if step is None else int(step)
            self._frame_wanted = True
            self._cond.notify_all()

    def request_frame(self) -> None:
        """Ask for a new frame soon (a probe's setting changed)."""
        with self._lock:
            self._frame_wanted = True
            self._cond.notify_all()

    # ---------------------------------------------------------------- frames (GUI side)

    @property
    def latest_frame(self) -> Frame | None:
        return self._latest

    def _delivered(self, frame: Frame | None, events: list[tuple[str, str]]) -> None:
        self.worker.wake()
        for level, text in events:
            self.message.emit(level, text)
        if frame is not None:
            self._latest = frame
            self.frame_ready.emit(frame)
        self._emit_running()

    def post_event(self, level: str, text: str) -> None:
        """A message for the GUI thread, delivered with the next frame (any thread)."""
        self.mailbox.post(level, text)

    def _emit_running(self) -> None:
        running = self._running
        if running != self._running_shown:
            self._running_shown = running
            self.running_changed.emit(running)

    def process_pending(self) -> None:
        """Do the pending Step ×N steps in the calling thread (only without a worker)."""
        if self._started:
            raise RuntimeError("the worker thread does the steps; use this only with "
                               "start_worker=False")
        while self._pending > 0 and self._trainer is not None:
            self.worker.train_slice()
        self._emit_running()

    def take_frame_now(self) -> Frame:
        """Build and deliver a frame synchronously (tests and benchmarks; GUI thread)."""
        frame = self.worker.build_frame()
        self.mailbox.put(frame)
        self.mailbox.deliver()
        return frame


__all__ = ["SPEEDS", "Checkpoint", "TrainingEngine"]
