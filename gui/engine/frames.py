"""Immutable values the engine hands out: the dataset it trains on and the frames it
publishes to the views, and the history arrays it extends incrementally for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.specs import ModelSpec
from core.training import HISTORY_COLUMNS

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MAX_CURVE_POINTS = 1500  # longer histories are thinned (evenly) before plotting (~3 per px)


def frozen(array: NDArray[Any]) -> NDArray[Any]:
    """The same array, made read-only (frames are shared between threads)."""
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class Dataset:
    """What the engine trains on: features and labels, split into train and test.

    ``version`` changes whenever the workbench's data change; frames carry it, so a view
    knows which data a frame's predictions belong to.
    """

    X_train: FloatArray  # (n_train, n_features)
    y_train: IntArray  # (n_train,)
    X_test: FloatArray  # (n_test, n_features)
    y_test: IntArray  # (n_test,)
    version: int = 0

    @staticmethod
    def empty(n_features: int) -> Dataset:
        return Dataset(np.zeros((0, n_features)), np.zeros(0, dtype=np.int64),
                       np.zeros((0, n_features)), np.zeros(0, dtype=np.int64))

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    def class_counts(self, n_classes: int) -> NDArray[np.int64]:
        """Training examples per class, shape (n_classes,)."""
        return np.bincount(self.y_train, minlength=n_classes)[:n_classes]

    def trainable(self, n_classes: int, empty_hint: str) -> tuple[bool, str]:
        """Whether gradient ascent has something to learn here, and if not, what to do."""
        if self.y_train.dtype.kind == "f":  # a regression's real targets: any point will do
            return (True, "") if self.y_train.size else (
                False, f"The dataset is empty: {empty_hint}.")
        counts = self.class_counts(n_classes)
        if not counts.sum():
            return False, f"The dataset is empty: {empty_hint}."
        present = np.flatnonzero(counts)
        if present.size >= 2:
            return True, ""
        missing = [c for c in range(n_classes) if c not in present]
        names = ", ".join(str(c) for c in missing[:3])
        which = "both classes" if n_classes == 2 else "another class"
        verb = "is" if len(missing) == 1 else "are"
        return False, (f"Only one class in the training set: add examples of {which} "
                       f"(class {names} {verb} missing).")


@dataclass(frozen=True)
class Frame:
    """Everything the views draw, copied out of the trainer at one moment.

    The general part (history, parameters, predictions) comes from the engine; ``probe``
    is what the workbench's probe added (the 2D plane's boundary and unit images, ...).
    """

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
    spec: ModelSpec
    model: Any  # an independent copy of the model, for readouts
    parameters: tuple[FloatArray, ...]
    gradient: tuple[FloatArray, ...]  # the last step's ∂LL/∂θ (or, see gradient_at_step)
    layer_sizes: tuple[int, ...]
    weights: tuple[FloatArray, ...]
    weight_norms: tuple[float, ...]
    gradient_norms: tuple[float, ...]
    history: dict[str, FloatArray]
    history_length: int
    train_predictions: IntArray
    test_predictions: IntArray
    n_train: int = 0
    n_test: int = 0
    snapshot_steps: tuple[int, ...] = field(default=())
    probe: Any = None
    # True when ``gradient`` is ∂LL/∂θ over the training set at this frame's own θ (a
    # preview of a past step, or a rewind with no step since), not the last step's
    gradient_at_step: bool = False

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def activation(self) -> str:
        return self.spec.activation if self.spec.kind == "network" else "sigmoid"


class HistoryMirror:
    """The trainer's history as numpy arrays, extended incrementally (no O(n) list
    conversion per frame)."""

    def __init__(self) -> None:
        self.epoch = -1
        self.length = 0
        self.arrays = {c: np.zeros(1024) for c in HISTORY_COLUMNS}

    def update(self, history: Any, epoch: int) -> None:
        n = len(history)
        if epoch != self.epoch or n < self.length:
            self.epoch = epoch
            self.length = 0
        if n == self.length:
            return
        if n > self.arrays["steps"].shape[0]:
            size = max(n, 2 * self.arrays["steps"].shape[0])
            for c in HISTORY_COLUMNS:
                grown = np.zeros(size)
                grown[: self.length] = self.arrays[c][: self.length]
                self.arrays[c] = grown
        for c in HISTORY_COLUMNS:
            self.arrays[c][self.length:n] = getattr(history, c)[self.length:n]
        self.length = n

    def export(self, n_train: int, n_test: int) -> dict[str, FloatArray]:
        """Every column (thinned to MAX_CURVE_POINTS), plus LL per example for plotting
        train and test on one axis (their sums run over different numbers of points)."""
        n = self.length
        if n > MAX_CURVE_POINTS:
            index = np.linspace(0, n - 1, MAX_CURVE_POINTS).astype(np.int64)
        else:
            index = np.arange(n)
        out = {c: frozen(self.arrays[c][index]) for c in HISTORY_COLUMNS}
        out["ll_per_example"] = frozen(out["log_likelihood"] / max(n_train, 1))
        out["test_ll_per_example"] = frozen(out["test_log_likelihood"] / max(n_test, 1))
        return out

    @staticmethod
    def empty() -> dict[str, FloatArray]:
        return {c: frozen(np.zeros(0)) for c in (*HISTORY_COLUMNS, "ll_per_example",
                                                 "test_ll_per_example")}
