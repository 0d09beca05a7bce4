"""Session files (.ascent): exact resume through the CLI, round trips, fuzzing, atomic save."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import cli, datasets
from core.cli_options import load_regression
from core.policy import build_model
from core.session_file import (
    VERSION,
    SessionData,
    SessionFileError,
    load_session,
    save_session,
    session_from_trainer,
    trainer_from_session,
)
from core.specs import ModelSpec, TrainingSettings
from core.training import HISTORY_COLUMNS, GradientAscent

FUZZ = settings(deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _quiet(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    status = cli.main(list(argv))
    capsys.readouterr()
    return status


def _same_session(a: SessionData, b: SessionData) -> None:
    for p, q in zip(a.parameters, b.parameters, strict=True):
        assert p.tobytes() == q.tobytes()
    assert a.trainer is not None and b.trainer is not None
    assert a.trainer.step_count == b.trainer.step_count
    assert a.trainer.history["log_likelihood"][-1] == b.trainer.history["log_likelihood"][-1]
    for v, w in zip(a.trainer.velocity, b.trainer.velocity, strict=True):
        assert v.tobytes() == w.tobytes()


@pytest.mark.parametrize("options", [
    ("--preset", "blobs"),
    ("--preset", "moons", "--model", "mlp:6", "--batch-size", "10", "--momentum", "0.9",
     "--test-fraction", "0.2"),
])
def test_resuming_is_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           options: tuple[str, ...]) -> None:
    whole, half, rest = (tmp_path / f"{n}.ascent" for n in ("whole", "half", "rest"))
    assert _quiet(capsys, *options, "--steps", "100", "--save-session", str(whole)) == 0
    assert _quiet(capsys, *options, "--steps", "50", "--save-session", str(half)) == 0
    status = cli.main(["--resume", str(half), "--steps", "50", "--save-session", str(rest),
                       "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0 and report["steps"] == 100 and report["steps_before"] == 50
    a, b = load_session(whole), load_session(rest)
    _same_session(a, b)
    assert report["log_likelihood"] == a.trainer.history["log_likelihood"][-1]  # type: ignore


def test_resume_overrides_and_refuses_model_options(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.ascent"
    assert _quiet(capsys, "--preset", "xor", "--model", "mlp:4", "--steps", "5",
                  "--save-session", str(path)) == 0
    assert cli.main(["--resume", str(path), "--steps", "3", "--lr", "0.001", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["learning_rate"] == 0.001 and report["steps"] == 8
    assert cli.main(["--resume", str(path), "--model", "mlp:3"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def _trained(spec: ModelSpec, X: np.ndarray, y: np.ndarray, mask: np.ndarray,
             **options: float) -> GradientAscent:
    trainer = GradientAscent(build_model(spec), X[~mask], y[~mask],
                             X_test=X[mask] if mask.any() else None,
                             y_test=y[mask] if mask.any() else None, **options)  # type: ignore
    trainer.step(7)
    return trainer


def _round_trip(tmp_path: Path, data: SessionData) -> SessionData:
    path = tmp_path / "r.ascent"
    save_session(path, data)
    loaded = load_session(path)
    for name in ("X", "y", "test_mask"):
        a, b = getattr(data, name), getattr(loaded, name)
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    for p, q in zip(data.parameters, loaded.parameters, strict=True):
        assert p.tobytes() == q.tobytes()
    assert loaded.spec == data.spec and loaded.settings == data.settings
    assert loaded.view == data.view and loaded.workbench == data.workbench
    for k, v in data.extra_arrays.items():
        assert loaded.extra_arrays[k].tobytes() == v.tobytes()
        assert loaded.extra_arrays[k].dtype == v.dtype
    if data.trainer is not None:
        assert loaded.trainer is not None
        for k in HISTORY_COLUMNS:
            assert np.array_equal(data.trainer.history[k], loaded.trainer.history[k],
                                  equal_nan=True)
        assert loaded.trainer.snapshot_steps == data.trainer.snapshot_steps
    return loaded


@pytest.mark.parametrize("preset", [*datasets.PRESETS, "digits01", "regress1d", "regress2d"])
def test_every_preset_round_trips(tmp_path: Path, preset: str) -> None:
    if preset.startswith("regress"):
        X, y = load_regression(preset, 60, None, 0)
        spec = ModelSpec("regression", n_features=X.shape[1], hidden_units=())
    elif preset == "digits01":
        X, y = datasets.digits_binary(0, 1)
        spec = ModelSpec("network", n_features=64, hidden_units=(5,))
    else:
        X, y = datasets.make(preset, n_samples=60, seed=2)
        spec = ModelSpec("network", hidden_units=(3,), seed=1).with_features(("x1sq", "sin2"))
    mask = np.arange(len(y)) % 4 == 0
    trainer = _trained(spec, X, y, mask, learning_rate=0.001, batch_size=8, momentum=0.5)
    data = session_from_trainer(trainer, spec, TrainingSettings(0.001, False, 8, momentum=0.5),
                                "playground", {"zoom": 1.5, "names": ["a"]})
    loaded = _round_trip(tmp_path, data)
    again = trainer_from_session(loaded)
    trainer.step(5)
    again.step(5)
    for p, q in zip(trainer.model.parameters, again.model.parameters, strict=True):
        assert p.tobytes() == q.tobytes()


def test_hand_edited_dataset_and_extra_arrays_round_trip(tmp_path: Path) -> None:
    X = np.array([[0.1, -3e5], [1e-300, 2.5], [np.pi, -0.0], [7.0, 8.0]])
    y = np.array([1, 0, 1, 0])
    mask = np.array([False, True, False, False])
    spec = ModelSpec("logistic")
    ink = np.arange(4 * 64, dtype=np.uint8).reshape(4, 8, 8)
    data = SessionData(spec, TrainingSettings(), X, y, mask,
                       [p.copy() for p in build_model(spec).parameters], "digits",
                       {"selected": 3}, {"ink": ink, "weights.v2": np.ones(3)})
    loaded = _round_trip(tmp_path, data)
    assert loaded.trainer is None
    assert trainer_from_session(loaded).step_count == 0


def test_newer_version_says_update(tmp_path: Path) -> None:
    path = tmp_path / "n.ascent"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(
            {"format": "ascent-lab-session", "version": VERSION + 1}))
    with pytest.raises(SessionFileError, match=f"newer Ascent Lab .format version "
                       f"{VERSION + 1}.; update the app"):
        load_session(path)


def test_interrupted_save_leaves_the_previous_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    X, y = datasets.make("blobs", n_samples=20)
    spec = ModelSpec("logistic")
    trainer = _trained(spec, X, y, np.zeros(20, dtype=bool))
    path = tmp_path / "keep.ascent"
    save_session(path, session_from_trainer(trainer, spec, TrainingSettings()))
    before = path.read_bytes()
    trainer.step(3)

    def crash(*_: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_session(path, session_from_trainer(trainer, spec, TrainingSettings()))
    monkeypatch.undo()
    assert path.read_bytes() == before and load_session(path).trainer.step_count == 7  # type: ignore
    assert [p.name for p in tmp_path.iterdir()] == ["keep.ascent"]


# --- fuzzing -----------------------------------------------------------------------------

def _valid_session_bytes() -> bytes:
    X, y = datasets.make("xor", n_samples=12, seed=1)
    spec = ModelSpec("network", hidden_units=(2,))
    trainer = _trained(spec, X, y, np.arange(12) % 3 == 0, batch_size=4, momentum=0.5)
    stream = io.BytesIO()
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"ascent-fuzz-{os.getpid()}.ascent"
    save_session(path, session_from_trainer(trainer, spec, TrainingSettings(), "playground"))
    stream.write(path.read_bytes())
    path.unlink()
    return stream.getvalue()


VALID = _valid_session_bytes()
CSV_ALPHABET = st.sampled_from(list("0123456789.,-+eE \n\r\tabxlnitrsp\"") + ["label", "x1",
                               "x2", "split", "train", "test", "nan", "inf", "\x00", "é"])
CSV_TEXT = st.one_of(
    st.binary(max_size=200),
    st.lists(CSV_ALPHABET, max_size=80).map("".join).map(lambda t: t.encode("utf-8")),
    st.lists(CSV_ALPHABET, max_size=60).map(
        lambda cells: ("x1,x2,label\n" + "".join(cells)).encode("utf-8")),
)


@settings(FUZZ, max_examples=900)
@given(CSV_TEXT)
def test_fuzz_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    try:
        X, y, test = datasets.load_csv_split(path)
    except ValueError as exc:
        assert str(exc)
        return
    assert X.ndim == 2 and len(X) == len(y) > 0 and np.isfinite(X).all()
    datasets.load_csv(path)


def _mutate(data: st.DataObject) -> bytes:
    raw = bytearray(VALID)
    how = data.draw(st.sampled_from(["truncate", "flip", "splice", "manifest"]))
    if how == "truncate":
        return bytes(raw[:data.draw(st.integers(0, len(raw) - 1))])
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
        return bytes(raw)
    if how == "splice":
        i = data.draw(st.integers(0, len(raw)))
        return bytes(raw[:i]) + data.draw(st.binary(max_size=64)) + bytes(raw[i:])
    # rewrite the manifest or one array entry, keeping the zip valid
    source = zipfile.ZipFile(io.BytesIO(VALID))
    names = source.namelist()
    target = data.draw(st.sampled_from(names))
    body = source.read(target)
    if target == "manifest.json":
        manifest = json.loads(body)
        key = data.draw(st.sampled_from(sorted(manifest) + ["trainer"]))
        value = data.draw(st.one_of(st.none(), st.integers(-3, 10**40), st.text(max_size=5),
                                    st.floats(), st.lists(st.integers(-2, 5), max_size=3),
                                    st.dictionaries(st.text(max_size=3), st.integers(),
                                                    max_size=2)))
        if key == "trainer" and isinstance(manifest["trainer"], dict):
            field = data.draw(st.sampled_from(sorted(manifest["trainer"])))
            manifest["trainer"][field] = value
        else:
            manifest[key] = value
        new = json.dumps(manifest).encode()
    else:
        cut = data.draw(st.integers(0, len(body)))
        new = body[:cut] + data.draw(st.binary(max_size=16)) + body[cut + 1:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, new if name == target else source.read(name))
    return out.getvalue()


@settings(FUZZ, max_examples=1000)
@given(st.data())
def test_fuzz_session(tmp_path: Path, data: st.DataObject) -> None:
    path = tmp_path / "f.ascent"
    path.write_bytes(_mutate(data))
    try:
        session = load_session(path)
    except SessionFileError as exc:
        assert str(exc)
        return
    try:
        trainer_from_session(session)
    except SessionFileError as exc:
        assert str(exc)


@settings(FUZZ, max_examples=150)
@given(st.data())
def test_fuzz_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                  data: st.DataObject) -> None:
    if data.draw(st.booleans()):
        path = tmp_path / "f.ascent"
        path.write_bytes(_mutate(data))
        argv = ["--resume", str(path)]
    else:
        path = tmp_path / "f.csv"
        path.write_bytes(data.draw(CSV_TEXT))
        argv = ["--data", str(path)]
    status = cli.main([*argv, "--steps", "2"])
    err = capsys.readouterr().err
    assert status in (0, 2, 3)
    if status == 2:
        assert len(err.strip().splitlines()) == 1 and "error:" in err
