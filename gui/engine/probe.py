"""The workbench's part of a frame.

The engine builds the general part of every frame (history, parameters, predictions). A
*probe* adds what only the workbench knows how to compute and show: for the 2D plane the
boundary heatmap and every unit's image over the plane; for digits the confusion matrix
and the first layer's weight images. The engine calls :meth:`Probe.compute` in its worker
thread, outside its locks, with an independent copy of the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from gui.engine.frames import Dataset


@dataclass(frozen=True)
class ProbeContext:
    """What the probe may want to know about the state it is computing for.

    ``state`` identifies the model's state (model version, history epoch, step, preview):
    equal states need no recomputation.
    """

    state: tuple[int, int, int, bool]
    running: bool
    now: float
    dataset: Dataset
    layer_sizes: tuple[int, ...]
    activation: str
    train_predictions: NDArray[np.int64]  # the model's class for every training example
    test_predictions: NDArray[np.int64]  # ... and for every test example


@dataclass(frozen=True)
class ProbeResult:
    """What :meth:`Probe.compute` returns.

    ``part`` goes into ``Frame.probe``; ``wants_more`` asks for another frame soon (slow work
    was skipped this time, to keep up with training); ``slow_seconds`` is the time spent
    on work that has its own, slower rate (not counted in the frame's cost).
    """

    part: Any
    wants_more: bool = False
    slow_seconds: float = 0.0


class Probe(Protocol):
    def attach(self, request_frame: Callable[[], None]) -> None:
        """Called once by the engine: call ``request_frame()`` when a setting of the
        probe's own changed (a view range, a unit to show) so that a new frame comes."""

    def compute(self, model: Any, context: ProbeContext) -> ProbeResult:
        """The probe's part of a frame, from an independent copy of the model."""


class NoProbe:
    """A probe that adds nothing (the engine alone, in tests and scripts)."""

    def attach(self, request_frame: Callable[[], None]) -> None:
        pass

    def compute(self, model: Any, context: ProbeContext) -> ProbeResult:
        return ProbeResult(None)
