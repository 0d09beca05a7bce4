"""The engine's worker thread: it trains in slices, paces Run to the chosen speed, and
builds frames (the general part, then the probe's).

The worker reads and writes the engine's run state under the engine's locks (see
:mod:`gui.engine.engine` for the order); its own timing figures are its alone.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QThread, QTimer

from core import DivergenceError, GradientAscent, inspection
from core.policy import ll_change_below
from gui.engine.frames import Frame, HistoryMirror, frozen
from gui.engine.probe import ProbeContext
from gui.engine.train_process import TrainingProcess, TrainingProcessError

if TYPE_CHECKING:
    from gui.engine.engine import TrainingEngine

IntArray = NDArray[np.int64]

MAX_FPS = 60.0
SLICE_SECONDS = 0.004  # one training slice in the worker thread takes about this long
PROCESS_SLICE_SECONDS = 1.0 / 60  # in the training process: one slice per frame at 60 fps
GUI_PRIORITY_S = 0.05  # the worker pauses up to this long while the GUI thread is busy


def training_gradient(model: Any, dataset: Any) -> tuple[NDArray[np.float64], ...]:
    """∂LL/∂θ over the training set at ``model``'s parameters (the θ a preview or a rewind
    shows: the last step's gradient belongs to another θ)."""
    if len(dataset.y_train):
        X = model.inputs(dataset.X_train) if hasattr(model, "inputs") else dataset.X_train
        _, gradient, _ = model._log_likelihood_and_gradient(X, dataset.y_train)
    else:
        gradient = [np.zeros_like(p) for p in model.parameters]
    return tuple(frozen(np.array(g, dtype=np.float64)) for g in gradient)


class _Thread(QThread):
    def __init__(self, target: Any) -> None:
        super().__init__()
        self._target = target

    def run(self) -> None:
        self._target()


class Worker:
    """Trains and builds frames for one :class:`~gui.engine.engine.TrainingEngine`."""

    def __init__(self, engine: TrainingEngine) -> None:
        self.e = engine
        self._thread: _Thread | None = None
        self._ident = -1
        self._chunk = 1
        self._last_frame_time = 0.0
        self._frame_cost = 0.0
        self._seq = 0
        self._prediction_cache: tuple[Any, IntArray, IntArray] | None = None
        self._gradient_cache: tuple[Any, tuple[NDArray[np.float64], ...]] | None = None
        self._prediction_time = 0.0
        self._prediction_cost = 0.0
        self._remote_prediction_time = 0.0
        self._mirror = HistoryMirror()
        # The GUI thread has priority: while its event loop is busy (between waking up and
        # blocking again) the worker pauses, so that Python's GIL does not make every
        # repaint wait for training slices.
        self._gui_idle = threading.Event()
        self._gui_idle.set()
        self._gui_busy_since = 0.0
        self._gui_busy_total = 0.0  # seconds the GUI's event loop has been busy
        self._gui_busy_at_publish = 0.0

    # ---------------------------------------------------------------- thread

    def start(self) -> None:
        self._thread = _Thread(self._loop)
        self._thread.start()

    def stop(self) -> None:
        """Wait for the thread to end (the engine set its quit flag first)."""
        self._gui_idle.set()
        if self._thread is not None:
            self._thread.wait(5000)
            self._thread = None

    def wake(self) -> None:
        """Wake the worker if it waits (GUI thread; never blocks on a training step).

        A waiting worker does not hold the lock; one that holds it is busy and will look
        at the mailbox again by itself. A worker that may go to sleep after this (it is
        not training flat out) might hold the lock just to decide how long to sleep: then
        try again shortly, so that the wake-up is not lost.
        """
        e = self.e
        if e._cond.acquire(blocking=False):
            try:
                e._cond.notify_all()
            finally:
                e._cond.release()
        elif not e._quit and not (e._pending or (e._running and e._settings.speed is None)):
            QTimer.singleShot(2, e, self.wake)

    def on_gui_awake(self) -> None:
        if self._gui_idle.is_set():
            self._gui_busy_since = time.perf_counter()
            self._gui_idle.clear()

    def on_gui_block(self) -> None:
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
        if self._gui_idle.is_set() or threading.get_ident() != self._ident:
            return
        remaining = GUI_PRIORITY_S - (time.perf_counter() - self._gui_busy_since)
        if remaining > 0:
            self._gui_idle.wait(remaining)

    def _loop(self) -> None:
        e = self.e
        self._ident = threading.get_ident()
        while True:
            with e._lock.worker():
                while not e._quit:
                    timeout = self._idle_timeout_locked()
                    if timeout <= 0:
                        break
                    e._cond.wait(timeout)
                if e._quit:
                    return
            try:
                self._yield_to_gui()
                self.train_slice()
                if self._frame_due():
                    self._yield_to_gui()
                    self._publish(self.build_frame())
            except Exception:  # noqa: BLE001 - report, stop running, keep the app alive
                sys.excepthook(*sys.exc_info())
                with e._lock.worker():
                    e._running = False
                    e._pending = 0
                    e.post_event("error", "Internal error while training; see the log. "
                                          "Training was paused.")
                    e._frame_wanted = True
                time.sleep(0.05)

    # ---------------------------------------------------------------- pacing

    def _steps_due_locked(self, now: float) -> int:
        e = self.e
        trainer = e._trainer
        if trainer is None:
            return 0
        if e._pending > 0:
            return e._pending
        if not e._running:
            return 0
        speed = e._settings.speed
        if speed is None:
            return 1 << 30
        if e._anchor is None or e._anchor[2] != id(trainer):
            e._anchor = (now - 1.0 / speed, trainer.step_count, id(trainer))
        t0, s0, _ = e._anchor
        due = s0 + int((now - t0) * speed) - trainer.step_count
        if due < 0 or due > max(speed * 0.25, 1):  # fell behind: do not burst to catch up
            e._anchor = (now - 1.0 / speed, trainer.step_count, id(trainer))
            due = 1
        return due

    def _idle_timeout_locked(self) -> float:
        """0 when there is work now, else how long the worker may sleep."""
        e = self.e
        now = time.perf_counter()
        if self._steps_due_locked(now) > 0:
            return 0.0
        wait = 1.0
        speed = e._settings.speed
        if e._running and e._trainer is not None and speed is not None:
            wait = min(wait, max(1.0 / speed, 0.001))
        if e._frame_wanted and not e.mailbox.full:
            remaining = self._frame_interval() - (now - self._last_frame_time)
            if remaining <= 0:
                return 0.0
            wait = min(wait, remaining)
        return wait

    def _frame_interval(self) -> float:
        e = self.e
        if not (e._running or e._pending):
            return 0.0
        # the GUI's busy time since the last frame ≈ what drawing a frame costs it
        gui_cost = self._gui_busy_total - self._gui_busy_at_publish
        return max(1.0 / MAX_FPS, 1.5 * self._frame_cost, min(2.0 * gui_cost, 0.2))

    def _frame_due(self) -> bool:
        e = self.e
        with e._lock.worker():
            if not e._frame_wanted or e.mailbox.full:
                return False
            if (e._running or e._pending) and not self._gui_idle.is_set() and (
                    time.perf_counter() - self._gui_busy_since < GUI_PRIORITY_S):
                return False  # the GUI is still drawing the last one
            return time.perf_counter() - self._last_frame_time >= self._frame_interval()

    # ---------------------------------------------------------------- training

    def train_slice(self) -> None:
        e = self.e
        # 1. Decide what to do (settings lock, briefly).
        with e._lock.worker():
            trainer = e._trainer
            due = self._steps_due_locked(time.perf_counter())
            if trainer is None or due <= 0:
                if trainer is None and (e._running or e._pending):
                    e._running = False
                    e._pending = 0
                    e._frame_wanted = True
                return
            pending = e._pending > 0
            n = min(due, self._chunk)
            max_steps = e._settings.max_steps
            if e._running and not pending and max_steps is not None:
                left = max_steps - trainer.step_count
                if left <= 0:
                    e._running = False
                    e._frame_wanted = True
                    e.post_event("info", f"Stopped at the maximum of {max_steps:,} steps.")
                    return
                n = min(n, left)
            epoch = e._history_epoch
        # 2. Train (step lock only: settings, Pause and the views stay responsive).
        error: DivergenceError | None = None
        with e._step_lock.worker():
            if trainer is not e._trainer or e._history_epoch != epoch or not (
                    e._running or e._pending):
                return  # replaced, rewound or paused meanwhile (the GUI thread)
            elapsed = 0.0
            try:
                elapsed = self._step_trainer(trainer, n, epoch)
            except DivergenceError as exc:
                error = exc
            last_lls = trainer.history.log_likelihood[-2:]
            step_count = trainer.step_count
        # 3. Book-keeping (settings lock, briefly).
        with e._lock.worker():
            if error is not None:
                e._running = False
                e._pending = 0
                e.post_event("error", str(error))
                e._history_epoch += 1
                e._frame_wanted = True
                return
            per_step = elapsed / n
            seconds = PROCESS_SLICE_SECONDS if e._process is not None else SLICE_SECONDS
            self._chunk = int(min(max(seconds / max(per_step, 1e-7), 1), 100_000))
            if pending:
                e._pending = max(e._pending - n, 0)
            e._steps_done += n
            e._frame_wanted = True
            settings = e._settings
            if e._running and not pending and trainer is e._trainer:
                if (settings.tolerance is not None
                        and ll_change_below(last_lls, settings.tolerance)):
                    e._running = False
                    e.post_event("info", f"Converged: one step changed LL by less than "
                                         f"{settings.tolerance:g}.")
                elif settings.max_steps is not None and step_count >= settings.max_steps:
                    e._running = False
                    e.post_event("info", f"Stopped at the maximum of "
                                         f"{settings.max_steps:,} steps.")
        # Yield the interpreter to the GUI thread between slices (the GIL).
        time.sleep(0)

    def _step_trainer(self, trainer: GradientAscent, n: int, epoch: int) -> float:
        """trainer.step(n), in the training process if there is one (step lock held); the
        seconds the steps took. While the process trains, this thread builds the next frame
        (of the state before these steps), so that both run at once."""
        e = self.e
        process = e._process
        if process is None and e._process_wanted and (e._running or e._pending > 1):
            e._process_wanted = False  # one try
            try:
                process = e._process = TrainingProcess()
            except (OSError, RuntimeError) as exc:  # no child processes here
                print(f"ascent-lab: training in a thread ({exc})", file=sys.stderr)
        if process is not None:
            try:
                now = time.perf_counter()
                predict = (e._running or e._pending > 1) and \
                    now - self._remote_prediction_time >= max(
                    1.0 / MAX_FPS, 3.0 * process.prediction_seconds)
                if predict:
                    self._remote_prediction_time = now
                process.begin(trainer, n, (id(trainer), epoch), predict)
                try:
                    if self._frame_due():
                        self._yield_to_gui()
                        self._publish(self.build_frame())
                finally:
                    elapsed = process.finish(trainer)
                return elapsed
            except TrainingProcessError as exc:
                e._process = None
                process.close()
                print(f"ascent-lab: training in a thread from now on ({exc})", file=sys.stderr)
        t0 = time.perf_counter()
        trainer.step(n)
        return time.perf_counter() - t0

    def _steps_per_second_locked(self, now: float) -> float:
        e = self.e
        window = e._rate_window
        window.append((now, e._steps_done))
        while len(window) > 2 and now - window[0][0] > 1.0:
            window.popleft()
        if not (e._running or e._pending) or len(window) < 2:
            return 0.0
        dt = window[-1][0] - window[0][0]
        return (window[-1][1] - window[0][1]) / dt if dt > 0 else 0.0

    # ---------------------------------------------------------------- frames

    def build_frame(self) -> Frame:
        e = self.e
        t_start = time.perf_counter()
        with e._lock.worker():
            trainer = e._trainer
            preview = False
            model = inspection.clone_model(e._model)
            if trainer is not None and e._preview_step is not None:
                shown_step, params = trainer.snapshots.at_or_before(e._preview_step)
                for own, saved in zip(model.parameters, params, strict=True):
                    own[...] = saved
                preview = True
            else:
                shown_step = trainer.step_count if trainer is not None else 0
            if trainer is not None:
                n_train = len(trainer.y)
                n_test = 0 if trainer.y_test is None else len(trainer.y_test)
                self._mirror.update(trainer.history, e._history_epoch)
                history = self._mirror.export(n_train, n_test)
                history_length = self._mirror.length
                hist = trainer.history
                row = (int(np.searchsorted(hist.steps, shown_step, side="right")) - 1
                       if preview else len(hist) - 1)
                ll, acc = hist.log_likelihood[row], hist.accuracy[row]
                test_ll, test_acc = hist.test_log_likelihood[row], hist.test_accuracy[row]
                # a preview, or a rewind with no step since: the last step's gradient
                # belongs to another θ; the one at the θ shown is computed below
                # before the first step, and at a rewound or previewed step, show the
                # gradient at the θ shown, not that of the last step taken
                at_step = preview or trainer.step_count == 0 or \
                    e._rewound_at == (e._history_epoch, trainer.step_count)
                gradient = () if at_step else tuple(frozen(g.copy()) for g in trainer.gradient)
                snapshot_steps = tuple(trainer.snapshots.steps()) if preview else ()
            else:
                n_train = n_test = 0
                history = HistoryMirror.empty()
                history_length = 0
                ll = acc = test_ll = test_acc = math.nan
                gradient = tuple(frozen(np.zeros_like(p)) for p in model.parameters)
                snapshot_steps = ()
                at_step = False
            dataset = e._dataset
            e._frame_wanted = False
            running = e._running
            epoch = e._history_epoch
            steps_per_s = self._steps_per_second_locked(t_start)
            self._seq += 1
            seq = self._seq
            model_version = e._model_version
            spec = e._spec
            process = e._process

        # Outside the lock: evaluate the snapshot (the trainer keeps going meanwhile).
        if at_step:  # (the same step of the same run: computed once)
            key = (model_version, epoch, int(shown_step), dataset.version)
            if self._gradient_cache is None or self._gradient_cache[0] != key:
                self._gradient_cache = (key, training_gradient(model, dataset))
            gradient = self._gradient_cache[1]
        sizes = inspection.layer_sizes(model)
        activation = spec.activation if spec.kind == "network" else "sigmoid"
        self._yield_to_gui()
        train_predictions, test_predictions = self._predictions(
            model, dataset, (dataset.version, model_version), running, t_start,
            (id(trainer), epoch), process)
        context = ProbeContext((model_version, epoch, int(shown_step), preview), running,
                               t_start, dataset, sizes, activation, train_predictions,
                               test_predictions)
        probed = e._probe.compute(model, context)
        if probed.wants_more:
            with e._lock.worker():
                e._frame_wanted = True
        frame = Frame(
            seq=seq, step=int(shown_step), data_version=dataset.version,
            model_version=model_version, running=running, preview=preview,
            log_likelihood=float(ll), accuracy=float(acc), test_log_likelihood=float(test_ll),
            test_accuracy=float(test_acc), steps_per_s=float(steps_per_s), spec=spec,
            model=model,
            parameters=tuple(frozen(p.copy()) for p in model.parameters),
            gradient=gradient, gradient_at_step=at_step, layer_sizes=sizes,
            weights=tuple(frozen(w) for w in inspection.layer_weights(model)),
            weight_norms=tuple(inspection.weight_norms(model)),
            gradient_norms=tuple(inspection.gradient_weight_norms(model, gradient)),
            history=history, history_length=history_length,
            train_predictions=train_predictions, test_predictions=test_predictions,
            n_train=n_train, n_test=n_test, snapshot_steps=snapshot_steps, probe=probed.part,
        )
        # the probe's slow work has its own, slower rate: not counted here
        self._frame_cost = time.perf_counter() - t_start - probed.slow_seconds
        return frame

    def _predictions(self, model: Any, dataset: Any, key: tuple[int, int], running: bool,
                     now: float, token: Any, process: TrainingProcess | None
                     ) -> tuple[IntArray, IntArray]:
        """Every example's predicted class. While training runs, no more often than every
        3x what computing them costs (a deep network on 100,000 points: ~100 ms), so that
        big datasets do not slow every frame down; from the training process when it
        has them."""
        remote = process.predictions if process is not None else None
        if running and remote is not None and remote[0] == token:
            return frozen(remote[2]), frozen(remote[3])
        cached = self._prediction_cache
        if (running and cached is not None and cached[0] == key
                and now - self._prediction_time < max(1.0 / MAX_FPS,
                                                      3.0 * self._prediction_cost)):
            return cached[1], cached[2]
        t0 = time.perf_counter()
        train = frozen(inspection.predictions(model, dataset.X_train))
        test = frozen(inspection.predictions(model, dataset.X_test))
        self._prediction_cost = time.perf_counter() - t0
        self._prediction_time = now
        self._prediction_cache = (key, train, test)
        return train, test

    def _publish(self, frame: Frame) -> None:
        e = self.e
        with e._lock.worker():
            self._last_frame_time = time.perf_counter()
            self._gui_busy_at_publish = self._gui_busy_total
        e.mailbox.put(frame)

