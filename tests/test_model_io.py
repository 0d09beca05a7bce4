"""core.model_io: model files round-trip bit for bit, are written atomically, and a bad file
is one clear ValueError."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from core import model_io
from core.model_io import FORMAT, load_model, read_model, save_model
from core.policy import build_model
from core.specs import ModelSpec

SPECS = [
    ModelSpec("logistic", n_features=64),
    ModelSpec("network", n_features=64, n_classes=10, hidden_units=(32,), seed=4),
    ModelSpec("network", n_features=2, n_classes=2, hidden_units=(8, 3), activation="tanh"),
]


def trained_like(spec: ModelSpec, seed: int = 0):
    """A model with arbitrary (not initial) parameters, awkward floats included."""
    model = build_model(spec)
    rng = np.random.default_rng(seed)
    for p in model.parameters:
        p[...] = rng.normal(0.0, 3.0, p.shape)
    model.parameters[0].flat[0] = np.nextafter(1.0, 2.0)
    model.parameters[-1].flat[0] = -5e-324  # the smallest subnormal
    return model


@pytest.mark.parametrize("spec", SPECS)
def test_round_trip_is_bitwise(tmp_path: Path, spec: ModelSpec) -> None:
    model = trained_like(spec)
    path = save_model(tmp_path / "m.npz", model, spec, extra={"test_accuracy": 0.98})
    loaded, loaded_spec = load_model(path)
    assert loaded_spec == spec
    assert type(loaded) is type(model)
    for a, b in zip(model.parameters, loaded.parameters, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()
    assert read_model(path).extra == {"test_accuracy": 0.98}


def test_the_file_is_a_plain_npz_without_pickles(tmp_path: Path) -> None:
    spec = SPECS[1]
    path = save_model(tmp_path / "m.npz", trained_like(spec), spec)
    with np.load(path, allow_pickle=False) as archive:
        assert str(archive["format"]) == FORMAT
        assert ModelSpec.from_dict(json.loads(str(archive["spec"]))) == spec
        assert json.loads(str(archive["extra"])) == {}
        assert sorted(archive.files) == ["extra", "format", "parameter_0", "parameter_1",
                                         "parameter_2", "parameter_3", "spec"]


def test_writing_leaves_no_temporary_file_and_replaces_the_old_one(tmp_path: Path) -> None:
    spec = SPECS[0]
    path = tmp_path / "m.npz"
    save_model(path, trained_like(spec, 1), spec)
    save_model(path, trained_like(spec, 2), spec)
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]
    np.testing.assert_array_equal(load_model(path)[0].parameters[0],
                                  trained_like(spec, 2).parameters[0])


def test_a_failed_write_keeps_the_old_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SPECS[0]
    path = tmp_path / "m.npz"
    save_model(path, trained_like(spec, 1), spec)
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(model_io.np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        save_model(path, trained_like(spec, 2), spec)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_save_refuses_what_it_could_not_read_back(tmp_path: Path) -> None:
    spec = SPECS[1]
    with pytest.raises(ValueError, match="do not match its spec"):
        save_model(tmp_path / "a.npz", trained_like(SPECS[0]), spec)
    model = trained_like(spec)
    model.parameters[1][0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        save_model(tmp_path / "b.npz", model, spec)
    with pytest.raises(ValueError, match="JSON"):
        save_model(tmp_path / "c.npz", trained_like(spec), spec, extra={"x": object()})
    assert list(tmp_path.iterdir()) == []


def _archive(path: Path, **entries: object) -> Path:
    np.savez(path, **entries)
    return path


def _good_entries(spec: ModelSpec = SPECS[0]) -> dict[str, object]:
    model = trained_like(spec)
    entries: dict[str, object] = {"format": np.array(FORMAT),
                                  "spec": np.array(json.dumps(spec.to_dict())),
                                  "extra": np.array("{}")}
    entries.update({f"parameter_{i}": p for i, p in enumerate(model.parameters)})
    return entries


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    files["empty"] = tmp_path / "empty.npz"
    files["empty"].write_bytes(b"")
    files["text"] = tmp_path / "text.npz"
    files["text"].write_text("weights: 1 2 3\n")
    good = save_model(tmp_path / "good.npz", trained_like(SPECS[1]), SPECS[1])
    data = good.read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        files[f"truncated at {cut}"] = tmp_path / f"cut{cut}.npz"
        files[f"truncated at {cut}"].write_bytes(data[:cut])
    files["npy"] = tmp_path / "single.npy"
    np.save(files["npy"], np.zeros(3))
    files["foreign npz"] = _archive(tmp_path / "foreign.npz", weights=np.zeros(3))
    entries = _good_entries()
    files["future format"] = _archive(
        tmp_path / "v2.npz", **{**entries, "format": np.array("ascent-lab-model/2")})
    files["bad spec json"] = _archive(tmp_path / "json.npz", **{**entries, "spec": np.array("{")})
    files["unknown spec field"] = _archive(
        tmp_path / "field.npz", **{**entries, "spec": np.array('{"kind": "tree"}')})
    files["wrong shape"] = _archive(tmp_path / "shape.npz",
                                    **{**entries, "parameter_0": np.zeros(3)})
    files["missing parameter"] = _archive(
        tmp_path / "missing.npz", **{k: v for k, v in entries.items() if k != "parameter_0"})
    files["extra parameter"] = _archive(tmp_path / "more.npz",
                                        **{**entries, "parameter_1": np.zeros(2)})
    files["nan"] = _archive(tmp_path / "nan.npz",
                            **{**entries, "parameter_0": np.full(65, np.nan)})
    files["pickled object"] = tmp_path / "pickle.npz"
    np.savez(files["pickled object"], **{**entries, "spec": np.array([{"a": 1}], dtype=object)})
    zipped = tmp_path / "zip.npz"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("format.npy", b"not an npy")
    files["corrupt member"] = zipped
    return files


def test_every_bad_file_is_one_clear_value_error(tmp_path: Path) -> None:
    for what, path in _bad_files(tmp_path).items():
        with pytest.raises(ValueError) as info:
            load_model(path)
        message = str(info.value)
        assert str(path) in message, what
        assert "not an Ascent Lab model file" in message, what
        assert "\n" not in message, what


def test_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such model file"):
        load_model(tmp_path / "nope.npz")
    with pytest.raises(ValueError, match="is a folder"):
        load_model(tmp_path)
