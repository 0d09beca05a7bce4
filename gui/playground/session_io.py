"""The playground as a session file (``.ascent``, ``core.session_file``): everything the
workbench needs to look as it did, the timeline included.

The points, labels (or a regression's real targets) and test split are the file's data
(in the playground's own row order), the model, settings, history and snapshots the
engine's; ``view`` keeps what the window showed: the plot range, the unit shown over the
plane, the active class, the test points' visibility, the preset and its controls.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core import inspection
from core.session_file import SessionData, SessionFileError, trainer_from_session
from core.validation import check_feature_scale
from gui.playground.session import MAX_CLASSES, MAX_COORDINATE, DataState

WORKBENCH = "playground"


def capture(workbench: Any) -> SessionData:
    """The playground ``workbench`` (a PlaygroundWorkbench) as session data."""
    session = workbench.session
    data = session.data
    controls = workbench.controls.data
    (x0, x1), (y0, y1) = workbench.boundary.viewbox.viewRange()
    unit = session.display_unit
    view: dict[str, Any] = {
        "view_range": [[float(x0), float(x1)], [float(y0), float(y1)]],
        "display_unit": None if unit is None else [int(unit[0]), int(unit[1])],
        "active_class": int(session.active_class),
        "show_test": bool(controls.show_test_check.isChecked()),
        "discrete": bool(workbench.boundary.discrete),
        "test_fraction": float(session.test_fraction),
        "split_seed": int(session.split_seed),
        "data_preset": data.preset,
        "preset": None if session.preset is None else list(session.preset),
        "controls": {"samples": controls.samples_spin.value(),
                     "noise": controls.noise_spin.value(), "seed": controls.seed_spin.value()},
    }
    return session.engine.session_data(WORKBENCH, view, data=(data.X, data.y, data.test))


def _finite_range(value: Any) -> list[list[float]] | None:
    try:
        (x0, x1), (y0, y1) = value
        numbers = [float(x0), float(x1), float(y0), float(y1)]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and abs(v) <= 1e9 for v in numbers) \
            or numbers[1] <= numbers[0] or numbers[3] <= numbers[2]:
        return None
    return [numbers[:2], numbers[2:]]


def _preset(value: Any) -> tuple[str, int, float | None, int] | None:
    try:
        name, n, noise, seed = value
        return (str(name), int(n), None if noise is None else float(noise), int(seed))
    except (TypeError, ValueError):
        return None


def check(data: SessionData) -> None:
    """SessionFileError unless ``data`` is a session the playground can show."""
    where = "this session"
    if data.spec.n_raw_features != 2:
        raise SessionFileError(f"{where} is not a playground session: its model takes "
                               f"{data.spec.n_raw_features} inputs, the playground 2 (x₁, x₂)")
    if not data.spec.is_regression and (data.y.dtype.kind != "i"
                                        or data.spec.n_classes > MAX_CLASSES):
        raise SessionFileError(f"{where} has {data.spec.n_classes} classes; the playground "
                               f"takes up to {MAX_CLASSES}")
    try:
        check_feature_scale(data.X, MAX_COORDINATE, ["x1", "x2"])
    except ValueError as exc:
        raise SessionFileError(f"{where}: {exc}") from None


def restore(workbench: Any, data: SessionData) -> None:
    """Show ``data`` in the playground ``workbench``; SessionFileError (and nothing
    changed) if it cannot be shown."""
    check(data)
    trainer = None
    mask = np.asarray(data.test_mask, dtype=bool)
    train_y = data.y[~mask]
    trainable = train_y.size > 0 and (data.spec.is_regression or np.unique(train_y).size >= 2)
    if trainable:
        trainer = trainer_from_session(data)  # SessionFileError before anything changes
    session = workbench.session
    view = data.view if isinstance(data.view, dict) else {}
    state = DataState.of(data.X, data.y, mask, regression=data.spec.is_regression)
    preset_name = view.get("data_preset")
    if isinstance(preset_name, str):
        state = DataState.of(data.X, data.y, mask, preset=preset_name,
                             regression=data.spec.is_regression)
    fraction = view.get("test_fraction", float(mask.mean()) if mask.size else 0.2)
    seed = view.get("split_seed", 0)
    session.replace_document(
        state, fraction if isinstance(fraction, (int, float)) else 0.2,
        seed if isinstance(seed, int) else 0, _preset(view.get("preset")),
        lambda dataset: session.engine.load_trainer(
            data.spec, data.settings, dataset, trainer, data.parameters))
    _restore_view(workbench, view)


def _restore_view(workbench: Any, view: dict[str, Any]) -> None:
    session = workbench.session
    controls = workbench.controls.data
    values = view.get("controls")
    if isinstance(values, dict):
        for spin, key in ((controls.samples_spin, "samples"), (controls.noise_spin, "noise"),
                          (controls.seed_spin, "seed")):
            value = values.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
    show = view.get("show_test")
    if isinstance(show, bool):
        controls.show_test_check.setChecked(show)
    discrete = view.get("discrete")
    if isinstance(discrete, bool):
        workbench.boundary.toolbar.discrete_button.setChecked(discrete)
    active = view.get("active_class")
    if isinstance(active, int) and not isinstance(active, bool):
        session.set_active_class(active)
    unit = view.get("display_unit")
    with session.engine.lock:
        sizes = inspection.layer_sizes(session.engine.model)
    if (isinstance(unit, list) and len(unit) == 2
            and all(isinstance(u, int) and u >= 0 for u in unit)
            and unit[0] < len(sizes) - 1 and unit[1] < sizes[unit[0]]):
        session.set_display_unit((unit[0], unit[1]))
    else:
        session.set_display_unit(None)
    ranges = _finite_range(view.get("view_range"))
    if ranges is not None:
        workbench.boundary.viewbox.setRange(xRange=ranges[0], yRange=ranges[1], padding=0)
    else:
        workbench.boundary.reset_view()


__all__ = ["WORKBENCH", "capture", "check", "restore"]
