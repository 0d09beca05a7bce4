"""What an animation of training shows, taken from a trainer: the frames' steps spread evenly
over the recorded history, the parameters at each, the whole history and the data.

Pure numpy (the drawing is ``gui.export``'s). The window takes it under ``engine.lock``
(copying is quick), ``ascent-lab train --animate`` after training.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.specs import ModelSpec
from core.training import GradientAscent

FloatArray = NDArray[np.float64]

DEFAULT_FRAMES = 100
"""Frames of an animation unless asked otherwise (5 s at 20 frames a second)."""
MAX_FRAMES = 1000
DEFAULT_FPS = 20.0


def frame_steps(recorded: Sequence[int], max_frames: int) -> list[int]:
    """Up to ``max_frames`` of the ``recorded`` steps, spread evenly over the run.

    Evenly in steps, not in records (the snapshots of a long run are denser near its end,
    :class:`core.training.SnapshotStore`): the targets s₀ + k(s_last − s₀)/(m − 1) for
    k = 0 … m − 1, each replaced by the latest recorded step at or before it; repeats are
    dropped. The first and the last recorded steps are always frames.

    Parameters
    ----------
    recorded : sequence of int, increasing
        The steps that have a snapshot.
    max_frames : int
        At least 1 (1: the last step only).
    """
    steps = np.asarray(sorted(int(s) for s in recorded), dtype=np.int64)
    if steps.size == 0:
        return []
    m = max(1, int(max_frames))
    if m == 1:
        return [int(steps[-1])]
    targets = np.floor(np.linspace(steps[0], steps[-1], m) + 1e-9).astype(np.int64)
    index = np.searchsorted(steps, targets, side="right") - 1
    chosen = np.unique(steps[np.clip(index, 0, steps.size - 1)])
    return [int(s) for s in chosen]


def view_range(X: NDArray[np.float64], margin: float = 0.12
               ) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square part of the plane around the points (x₁, x₂), ``margin`` of its side
    beyond them on each side; (−6, 6)² without points."""
    points = np.asarray(X, dtype=np.float64)[:, :2] if len(X) else np.zeros((0, 2))
    points = points[np.all(np.isfinite(points), axis=1)]
    if not len(points):
        return (-6.0, 6.0), (-6.0, 6.0)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2.0
    half = max(float(np.max(high - low)) / 2.0, 1e-6) * (1.0 + 2.0 * margin)
    return ((float(centre[0] - half), float(centre[0] + half)),
            (float(centre[1] - half), float(centre[1] + half)))


@dataclass(frozen=True)
class Recording:
    """Everything an animation of a run needs, copied out of the trainer.

    Attributes
    ----------
    spec : ModelSpec
        The model (to rebuild one and load each frame's parameters into it).
    X_train, y_train, X_test, y_test : ndarray
        The data (n, 2) and labels (or a regression's targets); the test set may be empty.
    steps : tuple of int
        The frames' steps (:func:`frame_steps`).
    parameters : tuple of list of ndarray
        The parameters after each frame's step (copies).
    history : dict of str to ndarray
        The whole recorded history (:meth:`core.training.History.as_arrays`).
    """

    spec: ModelSpec
    X_train: FloatArray
    y_train: NDArray[np.generic]
    X_test: FloatArray
    y_test: NDArray[np.generic]
    steps: tuple[int, ...]
    parameters: tuple[list[FloatArray], ...]
    history: dict[str, FloatArray]

    @property
    def n_frames(self) -> int:
        return len(self.steps)


def record(trainer: GradientAscent, spec: ModelSpec, max_frames: int = DEFAULT_FRAMES
           ) -> Recording:
    """Copy a :class:`Recording` of ``trainer``'s run (hold the engine's lock around it).

    The frames are :func:`frame_steps` of the trainer's snapshots; the last is the current
    state.
    """
    steps = frame_steps(trainer.snapshots.steps(), max_frames)
    parameters = tuple([p.copy() for p in trainer.snapshots.restore_point(s)[1].parameters]
                       for s in steps)
    X_test = trainer.X_test if trainer.X_test is not None else np.zeros((0, trainer.X.shape[1]))
    y_test = trainer.y_test if trainer.y_test is not None else trainer.y[:0]
    return Recording(spec, trainer.X.copy(), trainer.y.copy(), np.array(X_test, copy=True),
                     np.array(y_test, copy=True), tuple(steps), parameters,
                     trainer.history.as_arrays())


__all__ = ["DEFAULT_FPS", "DEFAULT_FRAMES", "MAX_FRAMES", "Recording", "frame_steps",
           "record", "view_range"]
