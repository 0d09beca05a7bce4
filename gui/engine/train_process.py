"""Gradient-ascent steps in a child process, mirrored into the session's trainer.

Why: Python's GIL. A small network's step is a hundred small numpy calls, and every one of
them hands the interpreter to the GUI thread, which is painting. Measured here, a 6×8 tanh
step on 160 points takes 0.4-0.8 ms alone and 4-10 ms in a thread next to a busy GUI
thread. A process has its own interpreter, so training and painting really run side by side.

How: the child holds an exact copy of the session's :class:`core.GradientAscent`. The
worker thread sends it the number of steps and the current settings (η, batch size,
average, momentum, the prior's λ₂ and λ₁); the child steps, recording every change it makes
to the trainer's history and snapshots, and returns that log with its new parameters,
velocity, gradient and shuffling state. :meth:`TrainingProcess.step` replays the log on the
local trainer with the same methods, so both copies stay identical, step for step, and the
views, the timeline and rewind work on the local copy as before. The copy is sent again
only when the local trainer was replaced or rewound (a new ``token``).

Nothing here imports Qt: the child imports only this module, numpy and ``core``.
"""

from __future__ import annotations

import copy
import multiprocessing as mp
import os
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from core import DivergenceError, GradientAscent
from core.training import HISTORY_COLUMNS, History, SnapshotStore

#: Set to "0" to train in the worker thread instead (debugging, or where processes fail).
ENVIRONMENT_SWITCH = "ASCENT_LAB_TRAIN_PROCESS"

#: The child runs at this lower priority (Unix), so painting wins a contended core.
CHILD_NICENESS = 5

SETTINGS = ("learning_rate", "batch_size", "average", "momentum", "l2", "l1")


def enabled_by_environment() -> bool:
    return os.environ.get(ENVIRONMENT_SWITCH, "1") != "0"


def _flat(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([a.ravel() for a in arrays]) if arrays else np.zeros(0)


def _unflat(flat: np.ndarray, like: list[np.ndarray]) -> list[np.ndarray]:
    out, start = [], 0
    for a in like:
        out.append(flat[start:start + a.size].reshape(a.shape))
        start += a.size
    return out


#: The child gets only this many of the latest history rows and snapshots: it needs the
#: latest ones (a divergence restores the last recorded parameters; the local trainer
#: replays that with its whole history), and big networks' snapshots are large.
KEEP_FOR_CHILD = 16


def _portable(trainer: GradientAscent) -> GradientAscent:
    """A shallow copy with only the recent history and snapshots and without the fast
    path's buffers (rebuilt on first use)."""
    clone = copy.copy(trainer)
    clone._scratch = {}
    clone._test_scratch = {}
    history = History()
    for row in zip(*(getattr(trainer.history, column)[-KEEP_FOR_CHILD:]
                     for column in HISTORY_COLUMNS), strict=True):
        history.append(*row)
    clone.history = history
    snapshots = SnapshotStore(trainer.snapshots.max_snapshots, trainer.snapshots.keep_recent)
    for step in trainer.snapshots.steps()[-KEEP_FOR_CHILD:]:
        saved = trainer.snapshots.restore_point(step)[1]
        snapshots.add(step, saved.parameters, saved.velocity)
    clone.snapshots = snapshots
    return clone


# ----------------------------------------------------------------------- the child


class _Recorder:
    """Logs every change the trainer makes to its history and snapshots."""

    def __init__(self, trainer: GradientAscent) -> None:
        self.ops: list[tuple[Any, ...]] = []
        self.snapshot_arrays: list[np.ndarray] = []
        history, snapshots = trainer.history, trainer.snapshots
        append, truncate = history.append, history.truncate_after
        add, drop = snapshots.add, snapshots.drop_after

        def history_append(*row: Any) -> None:
            self.ops.append(("row", tuple(float(v) for v in row)))
            append(*row)

        def history_truncate(step: int) -> None:
            self.ops.append(("truncate", int(step)))
            truncate(step)

        def snapshot_add(step: int, parameters: list[np.ndarray],
                         velocity: list[np.ndarray] | None = None) -> None:
            self.ops.append(("snapshot", int(step), velocity is not None))
            self.snapshot_arrays.append(_flat(parameters))
            if velocity is not None:
                self.snapshot_arrays.append(_flat(velocity))
            add(step, parameters, velocity)

        def snapshot_drop(step: int) -> None:
            self.ops.append(("drop", int(step)))
            drop(step)

        history.append = history_append  # type: ignore[method-assign]
        history.truncate_after = history_truncate  # type: ignore[method-assign]
        snapshots.add = snapshot_add  # type: ignore[method-assign]
        snapshots.drop_after = snapshot_drop  # type: ignore[method-assign]

    def take(self) -> tuple[list[tuple[Any, ...]], np.ndarray]:
        ops, arrays = self.ops, self.snapshot_arrays
        self.ops, self.snapshot_arrays = [], []
        return ops, (np.concatenate(arrays) if arrays else np.zeros(0))


def _serve(conn: Connection) -> None:
    """The child's loop: ("load", token, trainer) | ("step", token, n, settings) | ("quit",)."""
    trainer: GradientAscent | None = None
    recorder: _Recorder | None = None
    token: Any = None
    if hasattr(os, "nice"):  # the window's threads come first when cores are scarce
        try:
            os.nice(CHILD_NICENESS)
        except OSError:
            pass
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "quit":
            return
        try:
            if kind == "load":
                _, token, trainer = message
                recorder = _Recorder(trainer)
                conn.send(("ok",))
                continue
            _, wanted, n, settings, predict = message
            if trainer is None or recorder is None or wanted != token:
                conn.send(("stale",))
                continue
            for name, value in settings.items():
                setattr(trainer, name, value)
            error = None
            start = time.perf_counter()
            try:
                trainer.step(n)
            except DivergenceError as exc:
                error = (str(exc), exc.step, exc.bad_step)
            elapsed = time.perf_counter() - start
            predictions = None
            if predict:  # every point's class, for drawing (worth a process at 100,000)
                start = time.perf_counter()
                test = (trainer.model.predict(trainer.X_test) if trainer.X_test is not None
                        else np.zeros(0, dtype=np.int64))
                kind = np.float64 if getattr(trainer.model, "regression", False) else np.int8
                predictions = (trainer.model.predict(trainer.X).astype(kind),
                               test.astype(kind), time.perf_counter() - start)
            ops, snapshots = recorder.take()
            conn.send(("stepped", ops, snapshots, _flat(trainer.model.parameters),
                       _flat(trainer._velocity), _flat(trainer.gradient), trainer.step_count,
                       trainer.rng.bit_generator.state, trainer._order, trainer._cursor,
                       error, elapsed, predictions))
        except Exception:  # noqa: BLE001 - reported to the parent, which falls back
            trainer = recorder = token = None
            conn.send(("failed", traceback.format_exc()))


# ----------------------------------------------------------------------- the parent


class TrainingProcessError(RuntimeError):
    """The child process failed or went away (the caller should train in-thread)."""


class TrainingProcess:
    """A child process that does ``trainer.step(n)`` for the session's worker thread.

    Use from one thread only (the worker). Start-up (a fresh interpreter importing numpy and
    ``core``) takes a fraction of a second, so the session starts it only for Run and
    Step ×N, not for single steps.
    """

    def __init__(self) -> None:
        context = mp.get_context("spawn")  # never fork a process that runs Qt threads
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_conn,),
                                        name="ascent-lab-training", daemon=True)
        self._process.start()
        child_conn.close()
        self._token: Any = None
        self._pending: tuple[int, Any] = (0, None)
        #: (token, step, train classes, test classes) from the last ``predict`` request
        self.predictions: tuple[Any, int, np.ndarray, np.ndarray] | None = None
        self.prediction_seconds = 0.0

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def _request(self, message: tuple[Any, ...]) -> tuple[Any, ...]:
        try:
            self._conn.send(message)
            reply: tuple[Any, ...] = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise TrainingProcessError(f"the training process went away: {exc}") from exc
        if reply[0] == "failed":
            self._token = None
            raise TrainingProcessError(f"the training process failed:\n{reply[1]}")
        return reply

    def step(self, trainer: GradientAscent, n: int, token: Any) -> float:
        """Do ``trainer.step(n)`` in the child and apply the result to ``trainer``.

        ``token`` names the trainer's state: pass a new one whenever the trainer was replaced
        or changed other than by this method (e.g. rewound). Raises DivergenceError like
        ``trainer.step``, after the trainer was restored to its last good parameters.
        Returns the seconds the child spent stepping.
        """
        self.begin(trainer, n, token)
        return self.finish(trainer)

    def begin(self, trainer: GradientAscent, n: int, token: Any, predict: bool = False
              ) -> None:
        """Start ``trainer.step(n)`` in the child; :meth:`finish` applies it. In between, the
        caller may read ``trainer`` but must not change it. With ``predict``, the child also
        predicts every training and test point after the steps (see :attr:`predictions`)."""
        if token != self._token:
            self._request(("load", token, _portable(trainer)))
            self._token = token
        settings = {name: getattr(trainer, name) for name in SETTINGS}
        self._pending = (int(n), token)
        try:
            self._conn.send(("step", token, int(n), settings, bool(predict)))
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise TrainingProcessError(f"the training process went away: {exc}") from exc

    def finish(self, trainer: GradientAscent) -> float:
        """Wait for the steps started by :meth:`begin` and apply them to ``trainer``."""
        n, token = self._pending
        try:
            reply: tuple[Any, ...] = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise TrainingProcessError(f"the training process went away: {exc}") from exc
        if reply[0] == "failed":
            self._token = None
            raise TrainingProcessError(f"the training process failed:\n{reply[1]}")
        if reply[0] == "stale":  # the child lost its copy: send it again
            self._token = None
            return self.step(trainer, n, token)
        (_, ops, snapshots, parameters, velocity, gradient, step_count, rng_state, order,
         cursor, error, elapsed, predictions) = reply
        _apply(trainer, ops, snapshots, parameters, velocity, gradient, step_count,
               rng_state, order, cursor)
        if predictions is not None and error is None:
            train, test, seconds = predictions
            kind = np.float64 if train.dtype.kind == "f" else np.int64
            self.predictions = (token, int(step_count), train.astype(kind),
                                test.astype(kind))
            self.prediction_seconds = float(seconds)
        if error is not None:
            raise DivergenceError(*error)
        return float(elapsed)

    def close(self) -> None:
        """Ask the child to quit and wait for it (briefly); idempotent."""
        try:
            self._conn.send(("quit",))
        except (OSError, BrokenPipeError, EOFError):
            pass
        self._process.join(2.0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1.0)
        self._conn.close()


def _apply(trainer: GradientAscent, ops: list[tuple[Any, ...]], snapshots: np.ndarray,
           parameters: np.ndarray, velocity: np.ndarray, gradient: np.ndarray,
           step_count: int, rng_state: dict[str, Any], order: np.ndarray, cursor: int
           ) -> None:
    """Replay the child's changes on the local trainer (the same calls, in order)."""
    live = trainer.model.parameters
    size = sum(p.size for p in live)
    index = 0
    for op in ops:
        kind = op[0]
        if kind == "row":
            trainer.history.append(*op[1])
        elif kind == "snapshot":
            flat = snapshots[index * size:(index + 1) * size]
            index += 1
            saved_velocity = None
            if op[2]:
                saved_velocity = _unflat(snapshots[index * size:(index + 1) * size], live)
                index += 1
            trainer.snapshots.add(op[1], _unflat(flat, live), saved_velocity)
        elif kind == "truncate":
            trainer.history.truncate_after(op[1])
        elif kind == "drop":
            trainer.snapshots.drop_after(op[1])
    for own, new in zip(live, _unflat(parameters, live), strict=True):
        own[...] = new
    trainer._velocity = [v.copy() for v in _unflat(velocity, live)]
    trainer.gradient = [g.copy() for g in _unflat(gradient, live)]
    trainer.step_count = int(step_count)
    trainer.rng.bit_generator.state = rng_state
    trainer._order = order
    trainer._cursor = int(cursor)
