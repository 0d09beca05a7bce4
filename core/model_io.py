"""Model files: a trained model's parameters and its ModelSpec in one ``.npz``.

The file is a plain numpy archive that ``np.load(path, allow_pickle=False)`` opens:

``format``
    the string ``"ascent-lab-model/1"`` (what this is, and its version);
``spec``
    the :class:`~core.specs.ModelSpec` as JSON (a 0-d string array);
``extra``
    anything else the writer wanted to keep, as JSON (a 0-d string array, ``{}`` if none);
``parameter_0``, ``parameter_1``, ...
    the model's parameter arrays in ``model.parameters`` order, float64: [θ] for logistic
    regression, [W1, b1, W2, b2, ...] for a network.

Files are written atomically (a temporary file in the same folder, flushed and fsynced,
then renamed over the target), so a crash never leaves half a model under the real name.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.files import atomic_write
from core.policy import Model, build_model
from core.specs import ModelSpec

__all__ = ["FORMAT", "SavedModel", "load_model", "read_model", "save_model"]

FORMAT = "ascent-lab-model/1"
"""The ``format`` entry of every model file this version writes and reads."""

_PARAMETER = "parameter_{}"


@dataclass(frozen=True)
class SavedModel:
    """What :func:`read_model` found in a model file."""

    model: Model
    spec: ModelSpec
    extra: dict[str, Any] = field(default_factory=dict)


def save_model(path: str | os.PathLike[str], model: Model, spec: ModelSpec,
               extra: dict[str, Any] | None = None) -> Path:
    """Write ``model`` and ``spec`` to ``path`` atomically (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        The file to write (replaced if it exists). Its folder must exist.
    model : LogisticRegression or NeuralNetwork
        The trained model; its parameters must match what ``spec`` builds.
    spec : ModelSpec
        The spec the model was built from.
    extra : dict or None
        JSON-serialisable notes to keep with the model (data, accuracy, ...).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        If the parameters do not match ``spec`` or are not finite, or ``extra`` is not
        JSON-serialisable.
    OSError
        If the file cannot be written (the target is then untouched).
    """
    target = Path(path)
    expected = [p.shape for p in build_model(spec).parameters]
    arrays = [np.asarray(p, dtype=np.float64) for p in model.parameters]
    if [a.shape for a in arrays] != expected:
        raise ValueError(f"the model's parameter shapes {[a.shape for a in arrays]} do not "
                         f"match its spec, which builds {expected}")
    if not all(bool(np.isfinite(a).all()) for a in arrays):
        raise ValueError("the model has NaN or infinite parameters; it cannot be saved")
    try:
        extra_json = json.dumps({} if extra is None else extra, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"extra must be JSON-serialisable: {exc}") from None
    entries: dict[str, Any] = {
        "format": np.array(FORMAT),
        "spec": np.array(json.dumps(spec.to_dict())),
        "extra": np.array(extra_json),
    }
    entries.update({_PARAMETER.format(i): a for i, a in enumerate(arrays)})
    atomic_write(target, lambda stream: np.savez(stream, **entries))
    return target

def _text(archive: Any, key: str) -> str:
    """The 0-d string entry ``key`` of an opened archive, or ValueError."""
    if key not in archive.files:
        raise ValueError(f"it has no '{key}' entry")
    value = archive[key]
    if not isinstance(value, np.ndarray) or value.shape != () or value.dtype.kind != "U":
        raise ValueError(f"its '{key}' entry is not a string")
    return str(value[()])


def read_model(path: str | os.PathLike[str]) -> SavedModel:
    """Read a model file written by :func:`save_model`: the model, its spec and extras.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        One message naming the file, for anything else: not a numpy archive, truncated,
        another program's archive, another format version, a bad spec, or parameters that
        do not fit the spec or are not finite.
    """
    source = Path(path)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such model file")
    problem = "not an Ascent Lab model file (save one with 'ascent-lab train ... " \
              "--save-model FILE')"
    try:
        loaded = np.load(source, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not a model archive")
        with loaded as archive:
            found = _text(archive, "format")
            if found != FORMAT:
                raise ValueError(f"its format is {found!r}, this version reads {FORMAT!r}")
            try:
                spec_data = json.loads(_text(archive, "spec"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"its 'spec' entry is not valid JSON ({exc})") from None
            spec = ModelSpec.from_dict(spec_data)
            extra = json.loads(_text(archive, "extra")) if "extra" in archive.files else {}
            if not isinstance(extra, dict):
                raise ValueError("its 'extra' entry is not a JSON object")
            model = build_model(spec)
            for i, parameter in enumerate(model.parameters):
                key = _PARAMETER.format(i)
                if key not in archive.files:
                    raise ValueError(f"it has no '{key}' entry, which its spec needs")
                stored = archive[key]
                if not isinstance(stored, np.ndarray):
                    raise ValueError(f"its '{key}' entry is not a numpy array")
                if stored.shape != parameter.shape or stored.dtype.kind != "f":
                    raise ValueError(f"its '{key}' has shape {stored.shape} and dtype "
                                     f"{stored.dtype}, the spec needs {parameter.shape} "
                                     "float64")
                if not np.isfinite(stored).all():
                    raise ValueError(f"its '{key}' holds NaN or infinite values")
                parameter[...] = stored
            surplus = sorted(k for k in archive.files if k.startswith("parameter_")
                             and k not in {_PARAMETER.format(i)
                                           for i in range(len(model.parameters))})
            if surplus:
                raise ValueError(f"it has parameters the spec does not use: {surplus}")
    except IsADirectoryError:
        raise ValueError(f"{source}: is a folder, not a model file") from None
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise ValueError(f"{source}: {problem}; it is not a readable numpy .npz archive "
                         f"({type(exc).__name__}: {exc})") from None
    except ValueError as exc:
        reason = str(exc)
        if "pickle" in reason:  # numpy's message suggests unpickling: never do that
            reason = "it is not a numpy .npz archive of plain arrays (it would need " \
                     "unpickling, which Ascent Lab never does)"
        raise ValueError(f"{source}: {problem}; {reason}") from None
    return SavedModel(model=model, spec=spec, extra=extra)


def load_model(path: str | os.PathLike[str]) -> tuple[Model, ModelSpec]:
    """Read a model file written by :func:`save_model`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    model : LogisticRegression or NeuralNetwork
        Built from the spec, with the saved parameters (bit for bit).
    spec : ModelSpec

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not a complete Ascent Lab model file (see :func:`read_model`).
    """
    saved = read_model(path)
    return saved.model, saved.spec
