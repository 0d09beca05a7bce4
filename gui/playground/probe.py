"""The 2D plane's part of every frame: the boundary heatmap with its ŷ = 0.5 contour (with
more classes: the most likely class, shaded by its probability, and the lines where the top
two classes tie), and every unit's value over the plane (the network diagram's thumbnails).

Computed in the engine's worker thread from an independent copy of the model; the view
range and the unit shown are set from the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core import features, inspection, plane
from core.grid import evaluate_grid
from gui.engine.frames import frozen
from gui.engine.probe import ProbeContext, ProbeResult

FloatArray = NDArray[np.float64]

BOUNDARY_RESOLUTION = 200
THUMBNAIL_RESOLUTION = 48
MAX_FPS = 60.0
DEFAULT_VIEW = ((-6.0, 6.0), (-6.0, 6.0))


@dataclass(frozen=True)
class Boundary:
    """The heatmap of the boundary view: ŷ (or one unit) over the visible range.

    Two classes: ``image`` is P(Y=1|x) and the contour is ŷ = 0.5. More classes (softmax):
    ``image`` is the probability of the most likely class, from 1/K (a tie of all classes)
    to 1, ``classes`` which class that is, and the contour the lines where the two most
    likely classes tie. The contour is drawn over a unit shown as well.
    """

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    image: NDArray[np.float32]  # (res, res), row index = x₁
    levels: tuple[float, float]
    unit: tuple[int, int] | None  # (layer, unit) shown instead of ŷ, or None
    contour_x: FloatArray  # the ŷ = 0.5 contour (or tie lines) as segments (connect="pairs")
    contour_y: FloatArray
    n_classes: int = 2
    classes: NDArray[np.int8] | None = None  # (res, res) most likely class; K > 2, ŷ shown
    regression: bool = False  # ``image`` is a regression's ŷ (levels: the targets' range)


@dataclass(frozen=True)
class PlaneFrame:
    """The plane probe's part of a frame (``Frame.probe``)."""

    unit_images: tuple[NDArray[np.float32], ...]  # per layer (units, res, res), row = x₁
    unit_levels: tuple[tuple[float, float], ...]
    boundary: Boundary | None  # None: unchanged since the previous frame


def _inputs_in_one_range(units: plane.UnitImages) -> list[NDArray[np.float32]]:
    """The thumbnails, each engineered input rescaled from its own range (x₁² reaches r²,
    sin x₁ only 1) into the inputs' shared one, so every input thumbnail uses its full
    colour scale in the diagram (which has one range per layer)."""
    images = list(units.images)
    if len(units.input_levels) <= features.RAW_FEATURES:
        return images
    inputs = images[0].copy()
    shared = units.levels[0][1]
    for k in range(features.RAW_FEATURES, inputs.shape[0]):
        own = max(abs(units.input_levels[k][0]), abs(units.input_levels[k][1]), 1e-12)
        inputs[k] *= np.float32(shared / own)
    images[0] = inputs
    return images


def _input_image(model: Any, index: int, x_range: tuple[float, float],
                 y_range: tuple[float, float], raw_levels: tuple[float, float]
                 ) -> tuple[NDArray[np.float32], tuple[float, float]]:
    """Input ``index`` over the view at the boundary's resolution (x₁, x₂, or an
    engineered feature with its own symmetric range)."""
    res = BOUNDARY_RESOLUTION
    xs = np.linspace(*x_range, res)
    ys = np.linspace(*y_range, res)
    if index < features.RAW_FEATURES:
        axis = (xs if index == 0 else ys).astype(np.float32)
        image = np.ascontiguousarray(np.broadcast_to(
            axis[:, None] if index == 0 else axis[None, :], (res, res)))
        return image, raw_levels
    name = tuple(getattr(model, "features", ()))[index - features.RAW_FEATURES]
    values = features.feature_values(name, xs[:, None], ys[None, :]).astype(np.float32)
    reach = float(np.max(np.abs(values))) or 1.0
    return np.ascontiguousarray(values), (-reach, reach)


class PlaneProbe:
    """Evaluates the model over the visible part of the plane for each frame.

    The thumbnails come with every frame; the 200×200 boundary only when the state, the
    view or the unit shown changed, and while training runs no more often than every 3x
    what it costs (so a deep network's grid never slows training down).
    """

    def __init__(self) -> None:
        self._view = DEFAULT_VIEW
        self._unit: tuple[int, int] | None = None
        self._target_levels = (-1.0, 1.0)
        self._request_frame: Callable[[], None] = lambda: None
        self._drawn_key: Any = None
        self._last_time = 0.0
        self._cost = 0.0

    def attach(self, request_frame: Callable[[], None]) -> None:
        self._request_frame = request_frame

    # GUI thread ---------------------------------------------------------------------

    @property
    def view_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return self._view

    def set_view_range(self, x_range: Sequence[float], y_range: Sequence[float]) -> None:
        view = ((float(x_range[0]), float(x_range[1])), (float(y_range[0]), float(y_range[1])))
        if view != self._view:
            self._view = view
            self._request_frame()

    def set_target_levels(self, levels: tuple[float, float]) -> None:
        """The colour range of a regression's ŷ (the targets' range, from the GUI thread)."""
        levels = (float(levels[0]), float(levels[1]))
        if levels != self._target_levels:
            self._target_levels = levels
            self._drawn_key = None
            self._request_frame()

    @property
    def target_levels(self) -> tuple[float, float]:
        return self._target_levels

    @property
    def display_unit(self) -> tuple[int, int] | None:
        return self._unit

    def set_display_unit(self, unit: tuple[int, int] | None) -> None:
        """Show one unit (layer index in layer_sizes, unit index) instead of ŷ."""
        self._unit = None if unit is None else (int(unit[0]), int(unit[1]))
        self._request_frame()

    # worker thread ------------------------------------------------------------------

    def compute(self, model: Any, context: ProbeContext) -> ProbeResult:
        view, unit = self._view, self._unit
        x_range, y_range = view
        units = plane.unit_images(model, x_range, y_range, THUMBNAIL_RESOLUTION)
        key = (context.state, view, unit)
        boundary = None
        slow = 0.0
        stale = key != self._drawn_key
        due = not context.running or context.now - self._last_time >= max(
            1.0 / MAX_FPS, 3.0 * self._cost)
        if stale and due:
            t0 = time.perf_counter()
            boundary = self.boundary(model, x_range, y_range, unit, units.levels,
                                     context.layer_sizes, self._target_levels)
            slow = self._cost = time.perf_counter() - t0
            self._last_time = context.now
            self._drawn_key = key
        part = PlaneFrame(tuple(frozen(i) for i in _inputs_in_one_range(units)),
                          tuple(units.levels), boundary)
        return ProbeResult(part, wants_more=stale and not due, slow_seconds=slow)

    @staticmethod
    def boundary(model: Any, x_range: tuple[float, float], y_range: tuple[float, float],
                 unit: tuple[int, int] | None, levels: list[tuple[float, float]],
                 sizes: tuple[int, ...],
                 target_levels: tuple[float, float] = (-1.0, 1.0)) -> Boundary:
        """ŷ (or the unit shown) over the view, and the ŷ = 0.5 contour (the tie lines); a
        regression's ŷ in ``target_levels`` and no contour."""
        if unit is not None and not (0 <= unit[0] < len(sizes) and 0 <= unit[1] < sizes[unit[0]]):
            unit = None
        hidden_needed = unit is not None and 0 < unit[0] < len(sizes) - 1
        grid = evaluate_grid(model, x_range, y_range, BOUNDARY_RESOLUTION,
                             with_hidden=hidden_needed)
        image = grid.probability
        shown_levels = (0.0, 1.0)
        n_classes = grid.n_classes
        classes = None
        if n_classes > 2 and (unit is None or unit[0] == len(sizes) - 1):
            image = np.ascontiguousarray(grid.probabilities.max(axis=0))
            shown_levels = (1.0 / n_classes, 1.0)
            classes = grid.most_likely
        if unit is not None and unit[0] == 0:
            image, shown_levels = _input_image(model, unit[1], x_range, y_range, levels[0])
        elif hidden_needed and unit is not None:
            image = np.ascontiguousarray(grid.hidden[unit[0] - 1][unit[1]])
            shown_levels = inspection.activation_levels(getattr(model, "activation", "sigmoid"),
                                                        image)
        elif unit is not None and unit[0] == len(sizes) - 1:
            unit = None  # the output unit is ŷ itself
        if grid.is_regression:
            if unit is None:
                shown_levels = target_levels
            empty = np.zeros(0)
            return Boundary(x_range, y_range, frozen(image), shown_levels, unit,
                            frozen(empty), frozen(empty.copy()), 2, None, regression=True)
        if n_classes > 2:
            cx, cy = plane.tie_segments(grid.probabilities, x_range, y_range)
        else:
            cx, cy = plane.contour_segments(grid.probability, 0.5, x_range, y_range)
        return Boundary(x_range, y_range, frozen(image), shown_levels, unit,
                        frozen(cx), frozen(cy), n_classes,
                        None if classes is None else frozen(classes))
