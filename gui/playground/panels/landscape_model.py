"""What the landscape panel slices and how it computes it, without any drawing.

* :class:`Choice`: the parameters shown (all of θ for logistic regression; one unit's
  incoming weights and bias for a network), their names in the lecture's notation, and
  how to evaluate LL with some of them set (core.landscape).
* :func:`fit_range`: each parameter's axis range, sticky (it changes only when the path
  leaves it or shrinks far inside it), so the grid is not recomputed every frame.
* :class:`Job`: LL over the grid and the 1-D profiles, computed a few milliseconds at a
  time (one call per engine frame while training runs), so no frame waits for a whole grid.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.features import input_labels
from core.landscape import (
    local_maxima,
    log_likelihoods_at,
    slice_maximum,
    unit_log_likelihoods,
    unit_parameter_index,
)

FloatArray = NDArray[np.float64]

GRID_POINTS = {"logistic": 60, "network": 31}  # per axis
PROFILE_POINTS = 41

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sub(n: int) -> str:
    return str(n).translate(_SUB)


def sup(n: int) -> str:
    return str(n).translate(_SUP)


def unit_name(layer_sizes: tuple[int, ...], layer: int, unit: int) -> str:
    """The diagram's name of unit ``unit`` of weight layer ``layer``'s output: hˡⱼ, or ŷ
    (ŷₖ for a softmax) for the output layer."""
    if layer == len(layer_sizes) - 2:
        return "ŷ" if layer_sizes[-1] == 1 else f"ŷ{sub(unit + 1)}"
    return f"h{sup(layer + 1)}{sub(unit + 1)}"


@dataclass(frozen=True)
class Choice:
    """The parameters one view of the landscape shows.

    ``indices`` are flat parameter indices (core.landscape.flat_parameters); for a network
    they are unit ``unit``'s incoming parameters in weight layer ``layer``, ``rows`` 0 (the
    bias θ₀ⱼ) to fan-in. ``names`` are short (θ₁, θ⁽²⁾₀,₁), ``inputs`` say what each
    multiplies (1, x₁, h¹₂ …).
    """

    kind: str  # "logistic" or "network"
    indices: tuple[int, ...]
    names: tuple[str, ...]
    inputs: tuple[str, ...]
    layer: int = 0
    unit: int = 0
    rows: tuple[int, ...] = ()
    concave: bool = True  # LL concave in these parameters (logistic, softmax, an output unit)
    model_name: str = "logistic regression"  # what is concave, for the caption

    def log_likelihoods(self, model: Any, X: FloatArray, y: NDArray[Any],
                        positions: tuple[int, ...], values: FloatArray) -> FloatArray:
        """LL with the shown parameters ``positions`` set to each row of ``values``."""
        if self.kind == "logistic":
            return log_likelihoods_at(model, X, y, [self.indices[p] for p in positions],
                                      values)
        return unit_log_likelihoods(model, X, y, self.layer, self.unit,
                                    [self.rows[p] for p in positions], values)

    def label(self, position: int) -> str:
        """'θ₁ (x₁)': the parameter and what it multiplies."""
        return f"{self.names[position]} ({self.inputs[position]})"


def logistic_choice(features: tuple[str, ...]) -> Choice:
    """θ₀ (bias), θ₁ (x₁), θ₂ (x₂), then one per engineered feature."""
    inputs = ("1", *input_labels(features))
    return Choice("logistic", tuple(range(len(inputs))),
                  tuple(f"θ{sub(j)}" for j in range(len(inputs))), inputs)


def network_choice(model: Any, features: tuple[str, ...], layer: int, unit: int) -> Choice:
    """Unit ``unit`` of weight layer ``layer``: θ⁽ˡ⁾₀,ⱼ (bias), θ⁽ˡ⁾₁,ⱼ … (1-based, as in
    the diagram)."""
    sizes = tuple(int(s) for s in model.layer_sizes)
    fan_in = sizes[layer]
    below = input_labels(features) if layer == 0 else tuple(
        f"h{sup(layer)}{sub(i + 1)}" for i in range(fan_in))
    rows = tuple(range(fan_in + 1))
    names = tuple(f"θ⁽{sup(layer + 1)}⁾{sub(r)},{sub(unit + 1)}" for r in rows)
    output = layer == len(sizes) - 2
    if len(sizes) == 2:
        what = "softmax regression"
    else:
        what = "the output unit (a logistic regression on the last hidden layer h, with h " \
               "fixed)" if sizes[-1] == 1 else "the output units (a softmax regression on h)"
    return Choice("network", tuple(unit_parameter_index(model, layer, unit, r) for r in rows),
                  names, ("1", *below), layer, unit, rows, concave=output, model_name=what)


def unit_choices(model: Any) -> list[tuple[int, int, str]]:
    """(layer, unit, name) of every unit with incoming weights, output first."""
    sizes = tuple(int(s) for s in model.layer_sizes)
    out = []
    for layer in range(len(sizes) - 2, -1, -1):
        for unit in range(sizes[layer + 1]):
            out.append((layer, unit, unit_name(sizes, layer, unit)))
    return out


def fit_range(current: tuple[float, float] | None, values: FloatArray
              ) -> tuple[float, float]:
    """An axis range holding ``values`` (a parameter's path and its current value) with a
    margin: the ``current`` range is kept while the values stay inside it and fill more
    than a quarter of it, so the grid is recomputed only when the path outgrows the view."""
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if current is not None:
        c_lo, c_hi = current
        span = c_hi - c_lo
        inside = lo >= c_lo + 0.04 * span and hi <= c_hi - 0.04 * span
        if inside and (hi - lo) >= 0.25 * span - 2.0 * _min_half(lo, hi):
            return current
    centre = 0.5 * (lo + hi)
    half = max(0.5 * (hi - lo) * 1.8, _min_half(lo, hi))
    return centre - half, centre + half


def _min_half(lo: float, hi: float) -> float:
    """The smallest half-width of a range: 1 (or a quarter of the value's size)."""
    return max(1.0, 0.25 * max(abs(lo), abs(hi)))


def nice_scale(value: float) -> float:
    """The largest of 1, 2, 5 × 10ᵏ not above ``value`` (a readable arrow scale)."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    exponent = math.floor(math.log10(value))
    for mantissa in (5.0, 2.0, 1.0):
        if mantissa * 10.0 ** exponent <= value:
            return mantissa * 10.0 ** exponent
    return 10.0 ** exponent


@dataclass
class Task:
    """One batch of LL evaluations: ``values`` (G, k) for the shown ``positions``."""

    name: str  # "grid" or "profile"
    positions: tuple[int, ...]
    values: FloatArray
    result: FloatArray
    done: int = 0


class Job:
    """LL over the grid and/or the profiles at one θ, computed in small pieces.

    ``model`` is a frame's independent copy (never changed here); ``theta`` its shown
    parameters, remembered to tell when the landscape is out of date.
    """

    def __init__(self, choice: Choice, model: Any, X: FloatArray, y: NDArray[Any],
                 theta: FloatArray, tasks: list[Task]) -> None:
        self.choice = choice
        self.model = model
        self.X = X
        self.y = y
        self.theta = theta
        self.tasks = tasks
        self._per_point = 2e-5  # seconds per evaluated point (learned as it goes)

    @property
    def done(self) -> bool:
        return all(t.done >= t.values.shape[0] for t in self.tasks)

    def task(self, name: str, position: int | None = None) -> Task | None:
        for t in self.tasks:
            if t.name == name and (position is None or t.positions == (position,)):
                return t
        return None

    def advance(self, budget_s: float) -> bool:
        """Evaluate points for about ``budget_s`` seconds (all of them for ``inf``);
        True when every task is done."""
        start = time.perf_counter()
        for t in self.tasks:
            total = t.values.shape[0]
            while t.done < total:
                left = budget_s - (time.perf_counter() - start)
                if left <= 0:
                    return False
                size = total - t.done if math.isinf(left) else int(
                    min(max(left / self._per_point, 8), total - t.done))
                t0 = time.perf_counter()
                piece = t.values[t.done:t.done + size]
                t.result[t.done:t.done + size] = self.choice.log_likelihoods(
                    self.model, self.X, self.y, t.positions, piece)
                t.done += size
                elapsed = time.perf_counter() - t0
                self._per_point = 0.5 * self._per_point + 0.5 * elapsed / size
        return True


def grid_task(pair: tuple[int, int], a_range: tuple[float, float],
              b_range: tuple[float, float], n: int) -> tuple[Task, FloatArray, FloatArray]:
    """The grid's task and its axis values (a: x, b: y)."""
    a = np.linspace(*a_range, n)
    b = np.linspace(*b_range, n)
    A, B = np.meshgrid(a, b, indexing="ij")
    values = np.stack([A.ravel(), B.ravel()], axis=1)
    return Task("grid", pair, values, np.full(values.shape[0], np.nan)), a, b


def profile_task(position: int, value_range: tuple[float, float]) -> Task:
    values = np.linspace(*value_range, PROFILE_POINTS).reshape(-1, 1)
    return Task("profile", (position,), values, np.full(PROFILE_POINTS, np.nan))


def drifted(before: FloatArray | None, after: FloatArray, mask: NDArray[np.bool_]) -> bool:
    """Whether the parameters under ``mask`` moved enough to redraw the landscape (by more
    than 0.1 % of the largest of them, or 0.001)."""
    if before is None or before.shape != after.shape:
        return True
    if not mask.any():
        return False
    change = float(np.max(np.abs(after[mask] - before[mask])))
    return change > 1e-3 * max(1.0, float(np.max(np.abs(after))))


class AscentPath:
    """The shown parameters at each step gradient ascent took, grown in place (a long
    run keeps every other point beyond :attr:`MAX_POINTS`), with each one's extent."""

    MAX_POINTS = 6000

    def __init__(self) -> None:
        self.reset([], np.zeros((0, 0)))

    def reset(self, steps: list[int], values: FloatArray) -> None:
        self._steps = np.asarray(steps, dtype=np.int64)
        self._values = np.array(values, dtype=np.float64, ndmin=2)
        self.length = len(steps)
        if self.length:
            self.low = self._values.min(axis=0)
            self.high = self._values.max(axis=0)
        else:
            self.low = self.high = np.zeros(self._values.shape[1])

    def append(self, step: int, theta: FloatArray) -> None:
        if self.length >= self.MAX_POINTS:  # a long run: keep every other point
            keep = np.r_[np.arange(0, self.length - 1, 2), self.length - 1]
            self.length = keep.size
            self._steps[:self.length] = self._steps[keep]
            self._values[:self.length] = self._values[keep]
        if self.length == self._steps.shape[0]:  # full: grow
            size = max(64, 2 * self.length)
            steps = np.zeros(size, dtype=np.int64)
            values = np.zeros((size, theta.shape[0]))
            if self.length:
                steps[:self.length] = self._steps[:self.length]
                values[:self.length] = self._values[:self.length]
            self._steps, self._values = steps, values
        self._steps[self.length] = step
        self._values[self.length] = theta
        self.length += 1
        self.low = np.minimum(self.low, theta) if self.length > 1 else theta.copy()
        self.high = np.maximum(self.high, theta) if self.length > 1 else theta.copy()

    def read(self, store: Any, indices: list[int], step: int, theta: FloatArray) -> None:
        """Start again from a trainer's snapshots (``store``, or None) up to ``step``,
        ending at ``theta`` (θ at ``step``): hold the engine's lock while calling."""
        steps, path = snapshot_path(store, indices, step) if store is not None else ([], [])
        if not steps or steps[-1] != step or not np.array_equal(path[-1], theta):
            steps.append(step)
            path.append(theta)
        self.reset(steps, np.asarray(path))

    @property
    def steps(self) -> NDArray[np.int64]:
        return self._steps[:self.length]

    @property
    def values(self) -> FloatArray:
        """Shape (points, shown parameters)."""
        return self._values[:self.length]

    @property
    def last_step(self) -> int:
        return int(self._steps[self.length - 1]) if self.length else -1


def snapshot_path(store: Any, indices: list[int], last_step: int
                  ) -> tuple[list[int], list[FloatArray]]:
    """The shown parameters (flat ``indices``) at every snapshot of a trainer's
    SnapshotStore up to ``last_step`` (hold the engine's lock while calling)."""
    steps: list[int] = []
    path: list[FloatArray] = []
    for step in store.steps():
        if step > last_step:
            break
        saved = store.at_or_before(step)[1]
        steps.append(step)
        path.append(np.concatenate([p.ravel() for p in saved])[indices])
    return steps, path


def describe_slice(choice: Choice, a_values: FloatArray, b_values: FloatArray,
                   ll: FloatArray) -> tuple[str, tuple[float, float], FloatArray | None]:
    """What a slice's shape says (the lecture's point: logistic regression's LL is concave,
    a single peak), its highest point (a, b), and for a slice that need not be concave its
    local maxima inside the view, shape (count, 2)."""
    best = slice_maximum(ll, a_values, b_values)
    i, j = np.nonzero(local_maxima(ll))
    n, m = ll.shape
    others: FloatArray | None = None
    if choice.concave:
        head = (f"<b>One peak</b>: LL is concave in θ for {choice.model_name}, so gradient "
                "ascent climbs to the same maximum (★) from any start.")
    else:
        inner = ~((i == 0) | (i == n - 1) | (j == 0) | (j == m - 1))
        others = np.stack([a_values[i[inner]], b_values[j[inner]]], axis=1)
        count = int(inner.sum())
        head = ("<b>A network's LL is not concave</b>: slices through a hidden unit's "
                f"weights may have several peaks (○: {count} local "
                f"maxim{'um' if count == 1 else 'a'} inside this slice).")
    if best.i in (0, n - 1) or best.j in (0, m - 1):
        head += (" The highest point here is at the edge: LL still rises beyond this view, "
                 "so the top lies further out (the view grows as θ travels; on separable "
                 "data there is no top and θ grows without bound).")
    return head, (best.a, best.b), others


def unavailable_reason(frame: Any, dataset: Any) -> str:
    """Why there is no landscape to draw for this frame and data ("" when there is one)."""
    if frame.spec.kind == "regression" or getattr(frame.model, "regression", False):
        return ("The log-likelihood landscape is drawn for classification (logistic "
                "regression, softmax, networks). A regression's LL is a Gaussian's: not "
                "available here.")
    if not len(dataset.y_train) or dataset.y_train.dtype.kind == "f":
        return "No training points yet: add points of both classes to see LL(θ)."
    return ""


def arrow_scale(current: float | None, norm: float, span: float) -> float | None:
    """The gradient arrow's scale: kept while the arrow stays under 35 % of the view
    (``span``), so it visibly shrinks towards the peak; else a 1-2-5 value making it a
    quarter of the view."""
    if norm > 0 and (current is None or current * norm > 0.35 * span):
        return nice_scale(0.25 * span / norm)
    return current
