"""``ascent-lab predict``: saved models read .npy stacks of drawings; bad files exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import cli, cli_predict
from tests import drawn_digits as dd

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small models saved by ``ascent-lab train`` (quick: a few hundred steps)."""
    folder = tmp_path_factory.mktemp("models")
    paths = {"digits": folder / "digits.npz", "digits01": folder / "digits01.npz",
             "blobs": folder / "blobs.npz"}
    runs = {"digits": ["--preset", "digits", "--model", "mlp:16", "--steps", "600"],
            "digits01": ["--preset", "digits01", "--steps", "200"],
            "blobs": ["--preset", "blobs", "--steps", "5"]}
    for name, argv in runs.items():
        assert cli.main([*argv, "--save-model", str(paths[name]), "--json"]) == 0
    return paths


@pytest.fixture(scope="module")
def drawings(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1, a 0 and an empty board, 280×280, in one (3, 280, 280) .npy file."""
    one = dd.draw(dd.SKELETONS[1][1], dd.Pose(height=200, centre=(140, 140), pen=16))
    zero = dd.draw(dd.SKELETONS[0][0], dd.Pose(height=190, centre=(130, 150), pen=14))
    path = tmp_path_factory.mktemp("images") / "drawn.npy"
    np.save(path, np.stack([one, zero, np.zeros((280, 280))]))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli_predict.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line_error(status: int, out: str, err: str, *needles: str) -> None:
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ascent-lab predict: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


def test_json_has_the_two_most_likely_classes_per_image(
        capsys: pytest.CaptureFixture[str], models: dict[str, Path], drawings: Path) -> None:
    status, out, err = run(capsys, "--model", str(models["digits"]), str(drawings), "--json")
    assert status == 0 and err == ""
    answers = json.loads(out)
    assert isinstance(answers, list) and len(answers) == 3
    for i, answer in enumerate(answers):
        assert set(answer) == {"index", "first", "first_probability", "second",
                               "second_probability", "empty"}
        assert answer["index"] == i
        assert all(isinstance(answer[k], int) for k in ("first", "second"))
        assert 0 <= answer["first"] <= 9 and 0 <= answer["second"] <= 9
        assert answer["first"] != answer["second"]
        assert 1.0 >= answer["first_probability"] >= answer["second_probability"] >= 0.0
        assert answer["first_probability"] + answer["second_probability"] <= 1.0 + 1e-12
    assert [a["first"] for a in answers[:2]] == [1, 0]
    assert [a["empty"] for a in answers] == [False, False, True]


def test_human_output_is_one_line_per_image(capsys: pytest.CaptureFixture[str],
                                            models: dict[str, Path], drawings: Path) -> None:
    status, out, _ = run(capsys, "--model", str(models["digits"]), str(drawings))
    assert status == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("image 0: 1 (p = ")
    assert "then" in lines[1] and "empty" in lines[2]


def test_a_binary_logistic_model_gives_both_classes(
        capsys: pytest.CaptureFixture[str], models: dict[str, Path], drawings: Path) -> None:
    status, out, _ = run(capsys, "--model", str(models["digits01"]), str(drawings), "--json",
                         "--binarize")
    assert status == 0
    answers = json.loads(out)
    assert {answers[0]["first"], answers[0]["second"]} == {0, 1}
    for answer in answers:
        assert answer["first_probability"] + answer["second_probability"] == \
            pytest.approx(1.0)


def test_an_empty_stack_gives_an_empty_list(capsys: pytest.CaptureFixture[str],
                                            models: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "none.npy"
    np.save(path, np.zeros((0, 28, 28)))
    status, out, _ = run(capsys, "--model", str(models["digits"]), str(path), "--json")
    assert status == 0 and json.loads(out) == []


def _bad_image_files(folder: Path) -> dict[str, tuple[Path, str]]:
    files: dict[str, tuple[Path, str]] = {}

    def save(name: str, array: Any, needle: str) -> None:
        path = folder / f"{name}.npy"
        np.save(path, array)
        files[name] = (path, needle)

    save("one image", np.zeros((28, 28)), "(n, H, W)")
    save("255", np.full((1, 8, 8), 255.0), "divide by 255")
    save("nan", np.full((1, 8, 8), np.nan), "NaN")
    save("4-D", np.zeros((1, 2, 8, 8)), "3-D")
    save("strings", np.array([[["a"]]]), "expected numbers")
    text = folder / "text.npy"
    text.write_text("not numpy")
    files["text"] = (text, "not a numpy .npy")
    archive = folder / "archive.npy"
    with open(archive, "wb") as stream:
        np.savez(stream, images=np.zeros((1, 8, 8)))
    files["npz"] = (archive, ".npz archive")
    files["missing"] = (folder / "missing.npy", "no such image file")
    files["folder"] = (folder, "is a folder")
    return files


def test_bad_image_files_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                              models: dict[str, Path], tmp_path: Path) -> None:
    for what, (path, needle) in _bad_image_files(tmp_path).items():
        status, out, err = run(capsys, "--model", str(models["digits"]), str(path))
        assert status == 2, what
        assert_one_line_error(status, out, err, needle)


def test_bad_model_files_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                              models: dict[str, Path], drawings: Path,
                                              tmp_path: Path) -> None:
    truncated = tmp_path / "cut.npz"
    truncated.write_bytes(models["digits"].read_bytes()[:200])
    for model, needle in ((truncated, "not an Ascent Lab model file"),
                          (drawings, "not an Ascent Lab model file"),
                          (tmp_path / "nope.npz", "no such model file"),
                          (models["blobs"], "reads 2 features")):
        assert_one_line_error(*run(capsys, "--model", str(model), str(drawings)), needle)


@pytest.mark.parametrize(("argv", "needle"), [
    ([], "required"),
    (["x.npy"], "--model"),
    (["--model", "m.npz"], "IMAGES.npy"),
    (["--model", "m.npz", "x.npy", "--frobnicate"], "unrecognized"),
])
def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                              needle: str) -> None:
    assert_one_line_error(*run(capsys, *argv), needle)


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_predict.main(["--help"]) == 0
    assert "--model" in capsys.readouterr().out


def test_ascent_lab_predict_dispatches_without_loading_qt(models: dict[str, Path],
                                                          drawings: Path) -> None:
    """``ascent-lab predict`` goes to core.cli_predict, like ``train`` to core.cli."""
    code = ("import sys, json\n"
            "from gui.__main__ import main\n"
            f"status = main(['predict', '--model', {str(models['digits'])!r}, "
            f"{str(drawings)!r}, '--json'])\n"
            "qt = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]\n"
            "print(json.dumps({'status': status, 'qt': qt}))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(json.loads(lines[0])) == 3  # the predictions
    assert json.loads(lines[-1]) == {"status": 0, "qt": []}
