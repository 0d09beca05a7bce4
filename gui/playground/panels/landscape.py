"""The log-likelihood landscape: LL(θ) over two chosen parameters, the others held at their
current values, with the path gradient ascent took, the current θ, the gradient, and a 1-D
profile of LL along each parameter beside it. Clicking the landscape sets θ (undoable).

Logistic regression's LL is concave in θ: every slice has a single peak. A network's is
not: slices through a hidden unit's weights may have several. The math is
core.landscape's; this panel only draws it and computes the grid a few milliseconds per
engine frame (:class:`~gui.playground.panels.landscape_model.Job`).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import (
    QWidget,
)

from core import inspection
from core.landscape import flat_parameters
from gui.engine.engine import TrainingEngine
from gui.playground.panels.landscape_edit import ThetaEdit
from gui.playground.panels.landscape_model import (
    GRID_POINTS,
    AscentPath,
    Choice,
    Job,
    arrow_scale,
    describe_slice,
    drifted,
    fit_range,
    grid_task,
    logistic_choice,
    network_choice,
    profile_task,
    unavailable_reason,
    unit_choices,
)
from gui.playground.panels.landscape_view import LL_FORMULA, LandscapeLayout
from gui.widgets.panel_docks import Panel

HOVER_HINT = "Hover the landscape to read LL; click to set θ there."
RUNNING_BUDGET_S = 0.002  # grid work per frame while training runs
REFRESH_S = 1.0  # while training runs, a new grid at most this often
PROFILES_S = 3.0  # and new profiles (nine small plots take ~10-20 ms to repaint)
PATH_S = 0.1  # and the path is redrawn at most this often
ASCENT_S = 1 / 20  # and θ's marker and the arrow (a repaint of the plot costs ~1.5 ms)


def _num(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{value:.3g}".replace("-", "−")


def _scale_text(value: float) -> str:
    """1e+04 → '10,000', 0.002 → '0.002'."""
    return f"{value:,.0f}" if value >= 1 else f"{value:.2g}"


class LandscapePanel(Panel):
    """LL(θ) over two parameters, the ascent on it, and LL along each parameter."""

    name = "landscape"
    title = "Log-likelihood landscape"
    tooltip = (f"LL(θ) over two parameters, the others at their current values: {LL_FORMULA}."
               " Logistic regression's LL is concave: a single peak.")
    area = Qt.DockWidgetArea.BottomDockWidgetArea

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.session = context.session
        self.engine: TrainingEngine = context.session.engine
        self._build()
        self.choice: Choice | None = None
        self._structure: tuple[Any, ...] | None = None
        self._frame: Any = None
        self._theta_all = np.zeros(0)  # every flat parameter of the frame drawn
        self._ranges: list[tuple[float, float] | None] = []
        self.path = AscentPath()  # the shown parameters along the ascent
        self._path_dirty = True
        self._synced_step = -1
        self._job: Job | None = None
        self._job_key: tuple[Any, ...] | None = None
        self._grid_theta: np.ndarray | None = None  # every parameter when the grid was made
        self._grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._profile_theta: np.ndarray | None = None
        self._arrow_scale: float | None = None
        self._finished_at = 0.0
        self._profiles_at = 0.0
        self._job_frames = 0  # frames the current job took so far
        self._rest_frames = 0  # frames to wait before the next job (training runs)
        self._path_drawn_at = 0.0
        self._drawn_at = 0.0
        self._hover: QPointF | None = None
        self.session.undo_stack.indexChanged.connect(self._history_changed)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        layout = LandscapeLayout(self)
        self.unit_label, self.unit_combo = layout.unit_label, layout.unit_combo
        self.a_combo, self.b_combo = layout.a_combo, layout.b_combo
        self.plot, self.profiles = layout.plot, layout.profiles
        self.caption, self.readout = layout.caption, layout.readout
        self.message, self.stack = layout.message, layout.stack
        self.unit_combo.currentIndexChanged.connect(self._unit_chosen)
        self.a_combo.currentIndexChanged.connect(self._pair_chosen)
        self.b_combo.currentIndexChanged.connect(self._pair_chosen)
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._mouse_moved)
        scene.sigMouseClicked.connect(self._mouse_clicked)
        self.plot.mouse_left.connect(self._mouse_left)

    def _unavailable(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentIndex(1)

    # ------------------------------------------------------------------ choices

    @property
    def pair(self) -> tuple[int, int]:
        """The positions (in ``choice``) of the horizontal and vertical parameters."""
        return max(self.a_combo.currentIndex(), 0), max(self.b_combo.currentIndex(), 0)

    def set_pair(self, a: int, b: int) -> None:
        self.a_combo.setCurrentIndex(a)
        self.b_combo.setCurrentIndex(b)

    def set_unit(self, layer: int, unit: int) -> None:
        """Slice a network's unit ``unit`` of weight layer ``layer``."""
        for index in range(self.unit_combo.count()):
            if tuple(self.unit_combo.itemData(index)) == (layer, unit):
                self.unit_combo.setCurrentIndex(index)
                return
        raise IndexError(f"no unit ({layer}, {unit})")

    def _make_choice(self, frame: Any) -> None:
        model = frame.model
        features = tuple(frame.spec.features)
        network = inspection.model_kind(model) == "network"
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        if network:
            for layer, unit, name in unit_choices(model):
                self.unit_combo.addItem(name, (layer, unit))
        self.unit_combo.blockSignals(False)
        self.unit_combo.setVisible(network)
        self.unit_label.setVisible(network)
        self._set_choice(network_choice(model, features, *self._unit()) if network
                         else logistic_choice(features))

    def _unit(self) -> tuple[int, int]:
        data = self.unit_combo.currentData()
        return (int(data[0]), int(data[1])) if data is not None else (0, 0)

    def _set_choice(self, choice: Choice) -> None:
        self.choice = choice
        for combo in (self.a_combo, self.b_combo):
            combo.blockSignals(True)
            combo.clear()
            for k in range(len(choice.names)):
                combo.addItem(choice.label(k))
            combo.blockSignals(False)
        # θ₁ against θ₂ (the weights of the first two inputs) by default
        n = len(choice.names)
        self._ranges = [None] * n
        for combo, position in ((self.a_combo, min(1, n - 1)), (self.b_combo, min(2, n - 1))):
            combo.blockSignals(True)
            combo.setCurrentIndex(position)
            combo.blockSignals(False)
        self.profiles.set_names(choice.names, tuple(
            f"LL along {choice.label(k)} alone, every other parameter at its current value"
            " (red line: its value now; ★: the highest point along it). While training"
            " runs, the profiles follow about once a second." for k in range(n)))
        self._reset_views()

    def _unit_chosen(self, _index: int) -> None:
        frame = self._frame
        if frame is None or self.unit_combo.currentData() is None:
            return
        self._set_choice(network_choice(frame.model, tuple(frame.spec.features),
                                        *self._unit()))
        self._redraw()

    def _pair_chosen(self, _index: int) -> None:
        self._reset_views()
        self._redraw()

    def _reset_views(self) -> None:
        """A new slice: the grid, the path and the arrow's scale start again."""
        self._job = None
        self._job_key = None
        self._grid = None
        self._grid_theta = None
        self._profile_theta = None
        self._arrow_scale = None
        self._path_dirty = True
        self.plot.clear_grid()
        if self.choice is not None:
            a, b = self.pair
            self.plot.set_axes(self.choice.label(a), self.choice.label(b))

    def _history_changed(self, _index: int) -> None:
        self._path_dirty = True  # an undo or redo may bring back another path

    def panel_shown(self, shown: bool) -> None:
        self._path_dirty = True

    def _redraw(self) -> None:
        if self._frame is not None:
            frame, self._frame = self._frame, None
            self.apply_frame(frame)

    # ------------------------------------------------------------------ frames

    def apply_frame(self, frame: Any) -> None:
        if frame is self._frame:
            return
        dataset = self.engine.dataset
        if frame.data_version != dataset.version and frame.spec.kind != "regression":
            return  # a frame of the data before: the next one will be of these
        reason = unavailable_reason(frame, dataset)
        if reason:
            self._frame = frame
            self._unavailable(reason)
            return
        structure = (frame.model_version, frame.spec, frame.layer_sizes)
        if structure != self._structure:
            self._structure = structure
            self._frame = frame
            self._make_choice(frame)
        self._frame = frame
        self.stack.setCurrentIndex(0)
        choice = self.choice
        assert choice is not None
        self._theta_all = flat_parameters(frame.model)
        theta = self._theta_all[list(choice.indices)]
        if not frame.preview:
            self._update_path(frame, theta)
        now = time.perf_counter()
        draw = not frame.running or now - self._drawn_at >= ASCENT_S
        if draw:
            self._update_ranges(theta)
        self._advance_job(frame, dataset, theta)
        if draw:
            self._drawn_at = now
            self._draw_current(frame, theta)
        if self._hover is not None:
            self._show_readout(self._hover)

    def _update_path(self, frame: Any, theta: np.ndarray) -> None:
        """Follow the ascent: append each new step's θ; read the trainer's snapshots again
        after a rewind, an edit, an undo, a new model or data, or when training stops."""
        last = self.path.last_step
        rewound = frame.step < last or (frame.step == last and not np.array_equal(
            self.path.values[-1], theta))
        settled = (not frame.running and frame.step != self._synced_step
                   and not self.engine.is_busy())
        if self._path_dirty or rewound or settled:
            self._sync_path(frame, theta)
        elif frame.step > last:
            self.path.append(frame.step, theta)
        else:
            return
        now = time.perf_counter()
        if not frame.running or now - self._path_drawn_at >= PATH_S:
            self._path_drawn_at = now
            self._draw_path()

    def _sync_path(self, frame: Any, theta: np.ndarray) -> None:
        assert self.choice is not None
        with self.engine.lock:
            trainer = self.engine.trainer
            store = trainer.snapshots if trainer is not None else None
            self.path.read(store, list(self.choice.indices), frame.step, theta)
        self._path_dirty = False
        self._synced_step = frame.step if not frame.running else -1

    def _draw_path(self) -> None:
        a, b = self.pair
        values = self.path.values
        self.plot.set_path(values[:, a].copy(), values[:, b].copy())

    def _update_ranges(self, theta: np.ndarray) -> None:
        path = self.path
        same = path.length and path.low.shape == theta.shape
        low = np.minimum(path.low, theta) if same else theta
        high = np.maximum(path.high, theta) if same else theta
        for k in range(len(theta)):
            self._ranges[k] = fit_range(self._ranges[k], np.array([low[k], high[k]]))

    # ------------------------------------------------------------------ the grid

    def _advance_job(self, frame: Any, dataset: Any, theta: np.ndarray,
                     again: bool = True) -> None:
        """Start a new grid or profile computation when the slice is out of date, and
        compute for a few milliseconds (all of it while training is not running)."""
        choice = self.choice
        assert choice is not None
        a, b = self.pair
        job = self._job
        now = time.perf_counter()
        if frame.running and self._grid is not None and job is not None and job.done:
            # training runs: a new landscape about once a second, and at least two frames
            # without grid work for every frame with it
            self._rest_frames -= 1
            if now - self._finished_at < REFRESH_S or self._rest_frames > 0:
                return
        if job is None or job.done:
            self._update_ranges(theta)
            ranges = [r for r in self._ranges if r is not None]
            key = (dataset.version, a, b, tuple(ranges))
            if self._job_key is not None and key[3] != self._job_key[3]:
                self._arrow_scale = None  # a new view: a new scale for the arrow
            others = np.ones(self._theta_all.shape, dtype=bool)
            others[[choice.indices[a], choice.indices[b]]] = False
            grid_stale = (key != self._job_key or self._grid is None
                          or drifted(self._grid_theta, self._theta_all, others))
            everything = np.ones(self._theta_all.shape, dtype=bool)
            profiles_stale = (drifted(self._profile_theta, self._theta_all, everything)
                              or key != self._job_key) and (
                not frame.running or now - self._profiles_at >= PROFILES_S)
            if grid_stale or profiles_stale:
                tasks = []
                if grid_stale:
                    task, _, _ = grid_task((a, b), ranges[a], ranges[b],
                                           GRID_POINTS[choice.kind])
                    tasks.append(task)
                if profiles_stale:
                    tasks += [profile_task(k, ranges[k]) for k in range(len(ranges))]
                X, y = dataset.X_train, dataset.y_train
                job = self._job = Job(choice, frame.model, X, y, self._theta_all, tasks)
                self._job_key = key
        if self._grid is None and self._ranges[a] is not None and self._ranges[b] is not None:
            self.plot.set_range(self._ranges[a], self._ranges[b])
        if job is None or job.done:
            return
        idle = not frame.running and not self.engine.is_busy()
        self._job_frames += 1
        try:
            finished = job.advance(math.inf if idle else RUNNING_BUDGET_S)
        except (ValueError, TypeError, IndexError) as exc:  # data and model out of step
            self._job = None
            self.caption.setText(f"LL could not be computed here: {exc}")
            return
        if finished:
            self._finished_at = time.perf_counter()
            self._rest_frames = 2 * self._job_frames
            self._job_frames = 0
            self._finish(job)
            if idle and again:  # that job began before θ's last change: no frame may follow
                self._advance_job(frame, dataset, theta, again=False)

    def _finish(self, job: Job) -> None:
        choice = job.choice
        grid = job.task("grid")
        a, b = grid.positions if grid is not None else self.pair
        if grid is not None:
            n = GRID_POINTS[choice.kind]
            a_values = grid.values[::n, 0]
            b_values = grid.values[:n, 1]
            ll = grid.result.reshape(n, n)
            self._grid = (a_values, b_values, ll)
            self._grid_theta = job.theta
            self.plot.set_grid(a_values, b_values, ll, choice.concave)
            self.plot.set_range((a_values[0], a_values[-1]), (b_values[0], b_values[-1]))
            self._describe_grid()
        if job.task("profile") is not None:
            self._profile_theta = job.theta
            self._profiles_at = time.perf_counter()
            for k in range(len(choice.names)):
                task = job.task("profile", k)
                if task is not None:
                    self.profiles.set_profile(k, task.values[:, 0], task.result)
            # the θ the profiles were computed at (θ now, unless training runs: then the
            # profiles and their marks follow about once a second)
            self.profiles.set_current(job.theta[list(choice.indices)])

    def _describe_grid(self) -> None:
        """Mark the slice's peak(s) and say what its shape means (the lecture's point)."""
        assert self.choice is not None and self._grid is not None
        head, best, others = describe_slice(self.choice, *self._grid)
        self.plot.set_peaks(best, others)
        self._caption_head = head
        self._update_caption()

    def _update_caption(self) -> None:
        head = getattr(self, "_caption_head", "Computing LL over the grid …")
        scale = self._arrow_scale
        arrow = "" if scale is None else f" &nbsp;Yellow arrow: ∇LL × {_scale_text(scale)}."
        self.caption.setText(f"{head}{arrow}")

    # ------------------------------------------------------------------ θ now

    def _draw_current(self, frame: Any, theta: np.ndarray) -> None:
        choice = self.choice
        assert choice is not None
        a, b = self.pair
        gradient = (np.concatenate([g.ravel() for g in frame.gradient])
                    if frame.gradient else np.zeros_like(self._theta_all))
        g = gradient[list(choice.indices)] if gradient.size == self._theta_all.size \
            else np.zeros_like(theta)
        ranges = self._ranges
        norm = math.hypot(float(g[a]), float(g[b]))
        span = min(ranges[a][1] - ranges[a][0], ranges[b][1] - ranges[b][0]) \
            if ranges[a] is not None and ranges[b] is not None else 1.0
        scale = arrow_scale(self._arrow_scale, norm, span)
        if scale != self._arrow_scale:
            self._arrow_scale = scale
            self._update_caption()
        scale = self._arrow_scale or 0.0
        self.plot.set_current(float(theta[a]), float(theta[b]),
                              (scale * float(g[a]), scale * float(g[b])))

    # ------------------------------------------------------------------ mouse

    def log_likelihood_at(self, a_value: float, b_value: float) -> float:
        """LL with the horizontal and vertical parameters set to these values (exact)."""
        frame, choice = self._frame, self.choice
        if frame is None or choice is None:
            return math.nan
        dataset = self.engine.dataset
        values = np.array([[a_value, b_value]])
        return float(choice.log_likelihoods(frame.model, dataset.X_train, dataset.y_train,
                                            self.pair, values)[0])

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        self._hover = QPointF(scene_pos)
        self._show_readout(self._hover)

    def _mouse_left(self) -> None:
        self._hover = None
        self.readout.setText(HOVER_HINT)

    def _show_readout(self, scene_pos: QPointF) -> None:
        point = self.plot.scene_to_view(scene_pos)
        if point is None or self.choice is None or self.stack.currentIndex() != 0:
            self._hover = None
            self.readout.setText(HOVER_HINT)
            return
        a, b = self.pair
        ll = self.log_likelihood_at(point.x(), point.y())
        self.readout.setText(f"LL = <b>{_num(ll)}</b> at {self.choice.names[a]} = "
                             f"{_num(point.x())}, {self.choice.names[b]} = {_num(point.y())}"
                             " &nbsp;<span style='color:#6e6e73'>(click to set θ "
                             "there)</span>")

    def _mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.choice is None:
            return
        point = self.plot.scene_to_view(event.scenePos())
        if point is not None:
            event.accept()
            self.set_theta(point.x(), point.y())

    def set_theta(self, a_value: float, b_value: float) -> None:
        """Set the horizontal and vertical parameters (one undoable edit)."""
        choice = self.choice
        if choice is None or not (math.isfinite(a_value) and math.isfinite(b_value)):
            return
        a, b = self.pair
        settings = [(choice.indices[a], float(a_value))]
        if b != a:
            settings.append((choice.indices[b], float(b_value)))
        named = list(zip((a, b), (a_value, b_value), strict=True))[:len(settings)]
        text = ", ".join(f"{choice.names[p]} = {_num(v)}" for p, v in named)
        self.session.undo_stack.push(ThetaEdit(self.engine, settings, f"Set {text}",
                                               self.engine.checkpoint()))
