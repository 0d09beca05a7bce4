"""Session files (``.ascent``): a whole session — data, model, settings, history, snapshots
and the trainer's state — in one zip of JSON and ``.npy`` arrays (docs/file-format.md).

Loading never executes code: the manifest is JSON, every array is parsed from its ``.npy``
header here (plain bool/int/float dtypes only, never pickles), sizes are checked before
anything is read, and anything wrong raises one :class:`SessionFileError` naming what and
where. :func:`trainer_from_session` rebuilds a :class:`~core.training.GradientAscent` that
continues bit for bit where the saved one stopped.
"""

from __future__ import annotations

import ast
import io
import json
import math
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.files import atomic_write
from core.policy import build_model
from core.specs import ModelSpec, TrainingSettings
from core.training import HISTORY_COLUMNS, GradientAscent, History, Snapshot, SnapshotStore

__all__ = ["FORMAT", "VERSION", "SessionData", "SessionFileError", "TrainerState",
           "load_session", "save_session", "session_from_trainer", "trainer_from_session"]

FORMAT = "ascent-lab-session"
"""The manifest's ``format``."""
VERSION = 1
"""The newest format version this code writes and reads."""
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 16 << 20
MAX_ARRAY_BYTES = 1 << 30
MAX_TOTAL_BYTES = 2 << 30
MAX_ENTRIES = 1000
STORE_ABOVE = 1 << 20
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
_KINDS = "biuf"  # bool, int, unsigned, float: nothing else is ever read

FloatArray = NDArray[np.float64]


class SessionFileError(ValueError):
    """A session file that cannot be read: missing, foreign, malformed, truncated, too
    large, non-finite, or written by a newer version. The message says what and where."""


@dataclass
class TrainerState:
    """What :class:`GradientAscent` needs beyond the parameters to resume exactly."""

    step_count: int
    velocity: list[FloatArray]
    gradient: list[FloatArray]
    rng_state: dict[str, Any]
    order: NDArray[np.int64]
    cursor: int
    record_every: int = 1
    stride: int = 1
    max_snapshots: int = 2600
    keep_recent: int = 500
    history: dict[str, NDArray[Any]] = field(default_factory=dict)
    snapshot_steps: list[int] = field(default_factory=list)
    snapshot_parameters: list[list[FloatArray]] = field(default_factory=list)
    snapshot_velocity: list[list[FloatArray] | None] = field(default_factory=list)


@dataclass
class SessionData:
    """Everything in a session file.

    ``X``/``y``/``test_mask``: the whole dataset (raw inputs, labels or real targets, which
    rows are held out); the trainer trains on ``X[~test_mask]`` in row order.
    ``extra_arrays``: arrays a workbench keeps by name (e.g. the digit drawings' ink).
    ``view``: free JSON of the GUI. ``trainer``: None for a session never trained.
    """

    spec: ModelSpec
    settings: TrainingSettings
    X: FloatArray
    y: NDArray[Any]
    test_mask: NDArray[np.bool_]
    parameters: list[FloatArray]
    workbench: str = ""
    view: dict[str, Any] = field(default_factory=dict)
    extra_arrays: dict[str, NDArray[Any]] = field(default_factory=dict)
    trainer: TrainerState | None = None


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _npy(array: NDArray[Any]) -> bytes:
    stream = io.BytesIO()
    np.lib.format.write_array(stream, np.ascontiguousarray(array), allow_pickle=False)
    return stream.getvalue()


def _compression(raw: bytes) -> int:
    """Deflate, except a large entry whose samples (8 × 8 KiB across it) do not shrink by a
    fifth (float parameters, snapshots): stored as is, since deflating 60 MB of floats
    takes seconds and saves little (docs/file-format.md)."""
    if len(raw) < STORE_ABOVE:
        return zipfile.ZIP_DEFLATED
    step = len(raw) // 8
    sample = b"".join(raw[k * step:k * step + (1 << 13)] for k in range(8))
    shrinks = len(zlib.compress(sample, 1)) < 0.8 * len(sample)
    return zipfile.ZIP_DEFLATED if shrinks else zipfile.ZIP_STORED


def _stack(rows: list[list[FloatArray]], j: int, shape: tuple[int, ...]) -> FloatArray:
    if not rows:
        return np.zeros((0, *shape))
    return np.stack([row[j] for row in rows])


def save_session(path: str | os.PathLike[str], data: SessionData) -> Path:
    """Write ``data`` to ``path`` atomically (:func:`core.files.atomic_write`): a crash or
    error before the rename leaves any previous file whole. ValueError when the data are
    not savable (non-JSON view, bad array names or shapes), OSError when unwritable."""
    check_session(data, where="the session to save")
    try:
        view_json = json.loads(json.dumps(data.view, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the view must be plain JSON: {exc}") from None
    arrays: dict[str, NDArray[Any]] = {"data/X": data.X, "data/y": data.y,
                                       "data/test_mask": data.test_mask}
    arrays.update({f"extra/{k}": v for k, v in data.extra_arrays.items()})
    arrays.update({f"parameters/{i}": p for i, p in enumerate(data.parameters)})
    manifest: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "workbench": data.workbench, "view": view_json,
        "spec": data.spec.to_dict(), "settings": data.settings.to_dict(),
        "extra_arrays": sorted(data.extra_arrays), "trainer": None,
    }
    state = data.trainer
    if state is not None:
        manifest["trainer"] = {
            "step_count": state.step_count, "cursor": state.cursor,
            "rng": state.rng_state, "record_every": state.record_every,
            "stride": state.stride, "max_snapshots": state.max_snapshots,
            "keep_recent": state.keep_recent}
        arrays["trainer/order"] = state.order
        for i, p in enumerate(data.parameters):
            arrays[f"trainer/velocity/{i}"] = state.velocity[i]
            arrays[f"trainer/gradient/{i}"] = state.gradient[i]
            arrays[f"snapshots/parameters/{i}"] = _stack(state.snapshot_parameters, i, p.shape)
            arrays[f"snapshots/velocity/{i}"] = _stack(
                [v if v is not None else [np.zeros_like(q) for q in data.parameters]
                 for v in state.snapshot_velocity], i, p.shape)
        arrays["snapshots/steps"] = np.asarray(state.snapshot_steps, dtype=np.int64)
        arrays["snapshots/has_velocity"] = np.asarray(
            [v is not None for v in state.snapshot_velocity], dtype=bool)
        arrays.update({f"history/{k}": v for k, v in state.history.items()})
    text = json.dumps(manifest, allow_nan=False, indent=1).encode("utf-8")

    def write(stream: Any) -> None:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr(MANIFEST, text)
            for name, array in arrays.items():
                raw = _npy(array)
                archive.writestr(f"{name}.npy", raw, compress_type=_compression(raw))

    atomic_write(path, write)
    return Path(path)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def _parse_npy(raw: bytes, where: str) -> NDArray[Any]:
    """An array from ``.npy`` bytes, parsed by hand: plain dtypes only, sizes checked."""
    if not raw.startswith(b"\x93NUMPY") or len(raw) < 10:
        raise ValueError(f"{where} is not a .npy array")
    major = raw[6]
    if major == 1:
        length, start = int.from_bytes(raw[8:10], "little"), 10
    elif major in (2, 3):
        if len(raw) < 12:
            raise ValueError(f"{where} is truncated")
        length, start = int.from_bytes(raw[8:12], "little"), 12
    else:
        raise ValueError(f"{where} has an unknown .npy version {major}")
    if length > 10000 or start + length > len(raw):
        raise ValueError(f"{where} has a truncated or oversized header")
    try:
        header = ast.literal_eval(raw[start:start + length].decode("latin1"))
    except (ValueError, SyntaxError, MemoryError, RecursionError, UnicodeDecodeError):
        raise ValueError(f"{where} has an unreadable header") from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise ValueError(f"{where} has an unreadable header")
    descr, fortran, shape = header["descr"], header["fortran_order"], header["shape"]
    if not isinstance(descr, str) or not isinstance(fortran, bool) \
            or not isinstance(shape, tuple) or len(shape) > 8 \
            or not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 2**40
                       for s in shape):
        raise ValueError(f"{where} has an unreadable header")
    try:
        dtype = np.dtype(descr)
    except (TypeError, ValueError):
        raise ValueError(f"{where} has an unknown dtype {descr!r}") from None
    if dtype.kind not in _KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"{where} has dtype {descr!r}; only bool, int and float are read")
    body = raw[start + length:]
    count = math.prod(shape)
    if count * dtype.itemsize != len(body):
        raise ValueError(f"{where} holds {len(body)} bytes of data, its shape {shape} needs "
                         f"{count * dtype.itemsize} (truncated?)")
    array = np.frombuffer(body, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return np.array(array, dtype=dtype.newbyteorder("="), order="C")


class _Reader:
    """Reads entries of an opened archive, with size limits."""

    def __init__(self, archive: zipfile.ZipFile, source: Path) -> None:
        self.archive = archive
        self.source = source
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ValueError(f"it has {len(infos)} entries, more than {MAX_ENTRIES}")
        self.sizes = {info.filename: info.file_size for info in infos}
        total = sum(self.sizes.values())
        if total > MAX_TOTAL_BYTES:
            raise ValueError(f"it would unpack to {total} bytes, more than {MAX_TOTAL_BYTES}")

    def raw(self, name: str, limit: int) -> bytes:
        if name not in self.sizes:
            raise ValueError(f"it has no '{name}' entry")
        if self.sizes[name] > limit:
            raise ValueError(f"its '{name}' is too large ({self.sizes[name]} bytes)")
        with self.archive.open(name) as entry:
            data = entry.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"its '{name}' is too large")
        return data

    def array(self, name: str, kinds: str = "f", ndim: int | None = None,
              shape: tuple[int, ...] | None = None, finite: bool = True,
              as_saved: bool = False) -> NDArray[Any]:
        entry = f"{name}.npy"
        array = _parse_npy(self.raw(entry, MAX_ARRAY_BYTES), f"its '{entry}'")
        if array.dtype.kind not in kinds:
            raise ValueError(f"its '{entry}' has dtype {array.dtype}, expected "
                             + {"f": "float", "b": "bool"}.get(kinds, "integer"))
        if ndim is not None and array.ndim != ndim:
            raise ValueError(f"its '{entry}' has shape {array.shape}, expected {ndim}-D")
        if shape is not None and array.shape != shape:
            raise ValueError(f"its '{entry}' has shape {array.shape}, expected {shape}")
        if as_saved:  # a workbench's own array, in its own dtype
            return array
        if array.dtype.kind == "f":
            array = array.astype(np.float64)
            if finite and not np.isfinite(array).all():
                raise ValueError(f"its '{entry}' holds NaN or infinite values")
        elif array.dtype.kind in "iu":
            if array.size and (array.min() < -2**62 or array.max() > 2**62):
                raise ValueError(f"its '{entry}' holds out-of-range integers")
            array = array.astype(np.int64)
        return array


def _integer(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"its manifest's {name} must be an integer >= {minimum}, "
                         f"got {value!r:.40}")
    return value


def _rng(state: Any) -> np.random.Generator:
    """A generator in a saved bit-generator state (PCG64 only)."""
    if not isinstance(state, dict) or state.get("bit_generator") != "PCG64":
        raise ValueError("its trainer's rng is not a PCG64 state")
    generator = np.random.Generator(np.random.PCG64())
    try:
        generator.bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError):
        raise ValueError("its trainer's rng state is malformed") from None
    return generator


def _read(reader: _Reader) -> SessionData:
    try:
        manifest = json.loads(reader.raw(MANIFEST, MAX_MANIFEST_BYTES).decode("utf-8"),
                              parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"its manifest is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError("its manifest does not say format 'ascent-lab-session'")
    version = _integer(manifest.get("version"), "version", 1)
    if version > VERSION:
        raise ValueError(f"it was written by a newer Ascent Lab (format version {version}); "
                         f"update the app (this one reads version {VERSION})")
    workbench, view = manifest.get("workbench", ""), manifest.get("view", {})
    if not isinstance(workbench, str) or not isinstance(view, dict):
        raise ValueError("its manifest's workbench must be a string and view an object")
    spec = ModelSpec.from_dict(manifest.get("spec"))
    settings = TrainingSettings.from_dict(manifest.get("settings"))
    X = reader.array("data/X", ndim=2)
    n = X.shape[0]
    y = reader.array("data/y", "iuf", shape=(n,))
    test_mask = reader.array("data/test_mask", "b", shape=(n,))
    names = manifest.get("extra_arrays", [])
    if not isinstance(names, list) or not all(isinstance(k, str) and _NAME.fullmatch(k)
                                              for k in names):
        raise ValueError("its manifest's extra_arrays must be a list of simple names")
    extra = {k: reader.array(f"extra/{k}", _KINDS, as_saved=True) for k in names}
    shapes = [p.shape for p in build_model(spec).parameters]
    parameters = [reader.array(f"parameters/{i}", shape=s) for i, s in enumerate(shapes)]
    data = SessionData(spec, settings, X, y, test_mask, parameters, workbench, view, extra)
    trainer = manifest.get("trainer")
    if trainer is not None:
        data.trainer = _read_trainer(reader, trainer, shapes, int(np.sum(~test_mask)))
    check_session(data, where="it")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"its manifest holds {name}, which JSON does not allow")


def _read_trainer(reader: _Reader, entry: Any, shapes: list[tuple[int, ...]],
                  n_train: int) -> TrainerState:
    if not isinstance(entry, dict):
        raise ValueError("its manifest's trainer must be an object or null")
    step_count = _integer(entry.get("step_count"), "trainer.step_count")
    order = reader.array("trainer/order", "iu", ndim=1)
    if order.size and (order.min() < 0 or order.max() >= n_train):
        raise ValueError(f"its 'trainer/order.npy' indexes outside the {n_train} training rows")
    cursor = _integer(entry.get("cursor"), "trainer.cursor")
    if cursor > len(order):
        raise ValueError(f"its trainer's cursor {cursor} is past its order ({len(order)})")
    _rng(entry.get("rng"))
    rng_state = dict(entry["rng"])
    stride = _integer(entry.get("stride"), "trainer.stride", 1)
    if stride & (stride - 1):
        raise ValueError(f"its trainer's stride {stride} is not a power of two")
    keep = _integer(entry.get("keep_recent"), "trainer.keep_recent", 1)
    most = _integer(entry.get("max_snapshots"), "trainer.max_snapshots", keep + 1)
    state = TrainerState(
        step_count=step_count,
        velocity=[reader.array(f"trainer/velocity/{i}", shape=s) for i, s in enumerate(shapes)],
        gradient=[reader.array(f"trainer/gradient/{i}", shape=s) for i, s in enumerate(shapes)],
        rng_state=rng_state, order=order, cursor=cursor,
        record_every=_integer(entry.get("record_every"), "trainer.record_every", 1),
        stride=stride, max_snapshots=most, keep_recent=keep)
    columns = [reader.array(f"history/{k}", "iuf" if k == "steps" else "f", ndim=1,
                            finite=k == "steps") for k in HISTORY_COLUMNS]
    if len({len(c) for c in columns}) != 1:
        raise ValueError("its history columns have different lengths")
    state.history = dict(zip(HISTORY_COLUMNS, columns, strict=True))
    steps = reader.array("snapshots/steps", "iu", ndim=1)
    m = len(steps)
    if m > most or (m and (steps.min() < 0 or steps.max() > step_count
                           or np.any(np.diff(steps) <= 0))):
        raise ValueError("its snapshot steps are not increasing steps of this run")
    has_velocity = reader.array("snapshots/has_velocity", "b", shape=(m,))
    stacked = [reader.array(f"snapshots/parameters/{i}", shape=(m, *s))
               for i, s in enumerate(shapes)]
    moving = [reader.array(f"snapshots/velocity/{i}", shape=(m, *s))
              for i, s in enumerate(shapes)]
    state.snapshot_steps = [int(s) for s in steps]
    state.snapshot_parameters = [[a[k].copy() for a in stacked] for k in range(m)]
    state.snapshot_velocity = [[a[k].copy() for a in moving] if has_velocity[k] else None
                               for k in range(m)]
    return state


def check_session(data: SessionData, where: str) -> None:
    """ValueError unless the pieces of ``data`` fit together."""
    X, y = np.asarray(data.X), np.asarray(data.y)
    if X.ndim != 2 or X.shape[1] != data.spec.n_raw_features:
        raise ValueError(f"{where}: the data X has shape {X.shape}, the model takes "
                         f"{data.spec.n_raw_features} inputs")
    if y.shape != (X.shape[0],) or np.asarray(data.test_mask).shape != y.shape:
        raise ValueError(f"{where}: X, y and test_mask disagree on the number of rows")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError(f"{where}: the data hold NaN or infinite values")
    if not data.spec.is_regression and y.size and (
            y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= data.spec.n_classes):
        raise ValueError(f"{where}: labels must be integers 0..{data.spec.n_classes - 1}")
    for name in data.extra_arrays:
        if not _NAME.fullmatch(name):
            raise ValueError(f"{where}: extra array name {name!r} is not a simple name")
    shapes = [p.shape for p in build_model(data.spec).parameters]
    if [np.shape(p) for p in data.parameters] != shapes:
        raise ValueError(f"{where}: the parameters do not fit the model spec")
    if not all(np.isfinite(p).all() for p in data.parameters):
        raise ValueError(f"{where}: the parameters hold NaN or infinite values")


def load_session(path: str | os.PathLike[str]) -> SessionData:
    """Read a session file written by :func:`save_session`.

    Raises
    ------
    SessionFileError
        For anything but a complete, consistent session file of this or an older format
        version; the message names the file and the problem.
    """
    source = Path(path)
    try:
        if not source.is_file():
            raise SessionFileError(f"{source}: no such session file")
        with zipfile.ZipFile(source) as archive:
            return _read(_Reader(archive, source))
    except SessionFileError:
        raise
    except zipfile.BadZipFile:
        raise SessionFileError(f"{source}: not an Ascent Lab session file (a session is a "
                               "zip archive; this file is not one, or it was cut short)"
                               ) from None
    except (zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, MemoryError, OverflowError, KeyError,
            TypeError, IndexError) as exc:
        raise SessionFileError(f"{source}: not a readable Ascent Lab session file; it may "
                               f"be damaged or cut short ({exc})") from None
    except ValueError as exc:
        raise SessionFileError(f"{source}: not a usable Ascent Lab session file; "
                               f"{exc}") from None


# --------------------------------------------------------------------------------------
# Trainers
# --------------------------------------------------------------------------------------


def session_from_trainer(trainer: GradientAscent, spec: ModelSpec,
                         settings: TrainingSettings, workbench: str = "",
                         view: dict[str, Any] | None = None,
                         extra_arrays: dict[str, NDArray[Any]] | None = None) -> SessionData:
    """Everything needed to save ``trainer`` and resume it exactly. The dataset is the
    trainer's own training rows (in its order, raw inputs) followed by its test rows."""
    raw = spec.n_raw_features
    parts_X, parts_y = [trainer.X[:, :raw]], [trainer.y]
    if trainer.X_test is not None and trainer.y_test is not None:
        parts_X.append(trainer.X_test[:, :raw])
        parts_y.append(trainer.y_test)
    X = np.concatenate(parts_X)
    y = np.concatenate(parts_y)
    test_mask = np.arange(len(y)) >= len(trainer.y)
    snapshots = trainer.snapshots
    steps = snapshots.steps()
    stored: list[Snapshot] = [snapshots.restore_point(s)[1] for s in steps]
    history = History()
    for name in HISTORY_COLUMNS:
        getattr(history, name).extend(getattr(trainer.history, name))
    state = TrainerState(
        step_count=int(trainer.step_count),
        velocity=[v.copy() for v in trainer._velocity],
        gradient=[np.asarray(g, dtype=np.float64).copy() for g in trainer.gradient],
        rng_state=dict(trainer.rng.bit_generator.state),
        order=np.asarray(trainer._order, dtype=np.int64).copy(), cursor=int(trainer._cursor),
        record_every=trainer.record_every, stride=snapshots.stride,
        max_snapshots=snapshots.max_snapshots, keep_recent=snapshots.keep_recent,
        history={k: np.asarray(v, dtype=np.int64 if k == "steps" else np.float64)
                 for k, v in history.as_arrays().items()},
        snapshot_steps=steps,
        snapshot_parameters=[[p.copy() for p in s.parameters] for s in stored],
        snapshot_velocity=[None if s.velocity is None else [v.copy() for v in s.velocity]
                           for s in stored])
    return SessionData(spec, settings, X, y, test_mask,
                       [p.copy() for p in trainer.model.parameters], workbench,
                       dict(view or {}), dict(extra_arrays or {}), state)


def trainer_from_session(data: SessionData, settings: TrainingSettings | None = None,
                         record_every: int | None = None) -> GradientAscent:
    """A trainer in the saved state (``settings`` overrides the session's own), which
    continues exactly as the saved one would have. SessionFileError if the data do not
    fit the model (e.g. labels beyond its classes)."""
    chosen = data.settings if settings is None else settings
    state = data.trainer
    model = build_model(data.spec)
    for p, saved in zip(model.parameters, data.parameters, strict=True):
        p[...] = saved
    mask = np.asarray(data.test_mask, dtype=bool)
    every = record_every if record_every is not None else (
        state.record_every if state is not None else 1)
    try:
        trainer = GradientAscent(
            model, data.X[~mask], data.y[~mask], learning_rate=chosen.learning_rate,
            batch_size=chosen.batch_size, seed=data.spec.seed,
            X_test=data.X[mask] if mask.any() else None,
            y_test=data.y[mask] if mask.any() else None, average=chosen.average,
            momentum=chosen.momentum, record_every=every, l2=chosen.l2, l1=chosen.l1,
            **({} if state is None else {"max_snapshots": state.max_snapshots,
                                         "keep_recent": state.keep_recent}))
    except ValueError as exc:
        raise SessionFileError(f"the session cannot be trained: {exc}") from None
    if state is None:
        return trainer
    history = History()
    for name in HISTORY_COLUMNS:
        getattr(history, name).extend(
            int(v) if name == "steps" else float(v) for v in state.history[name])
    fresh = trainer.history  # row 0: the saved parameters, evaluated now
    if not history.steps or history.steps[-1] != state.step_count:
        history.append(state.step_count, fresh.log_likelihood[-1], fresh.accuracy[-1],
                       fresh.test_log_likelihood[-1], fresh.test_accuracy[-1],
                       fresh.objective[-1])
    trainer.history = history
    store = SnapshotStore(state.max_snapshots, state.keep_recent)
    store.stride = state.stride
    for step, parameters, velocity in zip(state.snapshot_steps, state.snapshot_parameters,
                                          state.snapshot_velocity, strict=True):
        store._steps.append(step)
        store._snapshots[step] = Snapshot([p.copy() for p in parameters],
                                          None if velocity is None else
                                          [v.copy() for v in velocity])
    if not store._steps or store._steps[-1] != state.step_count:
        store.add(state.step_count, model.parameters, state.velocity)
    trainer.snapshots = store
    trainer.step_count = state.step_count
    trainer._velocity = [v.copy() for v in state.velocity]
    trainer.gradient = [g.copy() for g in state.gradient]
    trainer.rng = _rng(state.rng_state)
    trainer._order = state.order.copy()
    trainer._cursor = state.cursor
    return trainer
