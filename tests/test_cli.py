"""Tests for the headless trainer core.cli (called in-process, no subprocess)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import cli, datasets
from core.policy import default_learning_rate
from core.specs import ModelSpec


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    """Run ``main([... , "--json"])``; return exit status, the parsed JSON and stderr."""
    status = cli.main([*argv, "--json"])
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1, captured.out  # exactly one JSON object
    return status, json.loads(lines[0]), captured.err


def assert_one_line_error(capsys: pytest.CaptureFixture[str], status: int, *needles: str) -> str:
    """Exit status 2, nothing on stdout, one ``ascent-lab train: error:`` line on stderr."""
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("ascent-lab train: error: ")
    assert "Traceback" not in captured.err
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


# ------------------------------------------------------------------------------ training


def test_json_output_keys_and_types_for_logistic(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, err = run_json(capsys, "--preset", "blobs", "--steps", "20")
    assert status == 0
    assert err == ""
    assert report["steps"] == 20
    assert isinstance(report["log_likelihood"], float)
    assert isinstance(report["train_accuracy"], float)
    assert report["test_accuracy"] is None
    assert report["n_weights"] == 2 and report["n_biases"] == 1
    assert isinstance(report["theta"], list) and len(report["theta"]) == 3
    assert all(isinstance(t, float) for t in report["theta"])
    assert report["model"] == "logistic"
    assert report["preset"] == "blobs"
    assert report["data"] is None
    X, _ = datasets.make("blobs", 200, seed=0)
    assert report["learning_rate"] == pytest.approx(
        default_learning_rate(ModelSpec("logistic"), X), rel=1e-12)
    assert report["diverged"] is False
    assert "parameters" not in report


def test_json_output_for_an_mlp(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(
        capsys, "--preset", "moons", "--model", "mlp:4,3", "--steps", "5", "--test-fraction", "0.2"
    )
    assert status == 0
    assert report["model"] == "mlp:4,3"
    assert report["n_weights"] == 2 * 4 + 4 * 3 + 3 * 1
    assert report["n_biases"] == 4 + 3 + 1
    shapes = [np.asarray(p).shape for p in report["parameters"]]
    assert shapes == [(2, 4), (4,), (4, 3), (3,), (3, 1), (1,)]
    assert isinstance(report["test_accuracy"], float)
    assert report["n_test"] == 40 and report["n_train"] == 160
    assert "theta" not in report


def test_logistic_separates_blobs(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(capsys, "--preset", "blobs")
    assert status == 0
    assert report["steps"] == cli.DEFAULT_STEPS
    assert report["train_accuracy"] == 1.0


def test_mlp_solves_xor_with_tanh_in_the_default_steps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, report, _ = run_json(capsys, "--preset", "xor", "--model", "mlp:8",
                                 "--activation", "tanh")
    assert status == 0
    assert report["train_accuracy"] == 1.0
    assert report["diverged"] is False


def test_digits01_logistic_generalises(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(capsys, "--preset", "digits01")
    assert status == 0
    assert report["n_train"] + report["n_test"] == 360
    assert report["n_test"] == 90  # default test fraction 0.25 for digits
    assert report["test_accuracy"] > 0.95
    assert len(report["theta"]) == 65


def test_digits_ten_classes_with_an_mlp(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(capsys, "--preset", "digits", "--model", "mlp:16",
                                 "--steps", "300")
    assert status == 0
    assert report["n_classes"] == 10
    assert report["test_accuracy"] > 0.85


@pytest.mark.parametrize("preset", datasets.PRESETS)
@pytest.mark.parametrize(
    ("model", "activation"),
    [("logistic", "sigmoid"), ("mlp:8", "sigmoid"), ("mlp:8", "tanh"), ("mlp:8", "relu")],
)
def test_default_learning_rates_never_diverge(
    capsys: pytest.CaptureFixture[str], preset: str, model: str, activation: str
) -> None:
    status, report, _ = run_json(capsys, "--preset", preset, "--model", model,
                                 "--activation", activation, "--steps", "300")
    assert status == 0
    assert report["diverged"] is False
    assert report["log_likelihood"] > -200 * math.log(2) - 1e-6  # not below the start


def test_average_uses_the_mean_gradient(capsys: pytest.CaptureFixture[str]) -> None:
    status, summed, _ = run_json(capsys, "--preset", "overlap", "--steps", "50")
    status_avg, averaged, _ = run_json(capsys, "--preset", "overlap", "--steps", "50",
                                       "--average")
    assert status == status_avg == 0
    assert averaged["average"] is True
    assert averaged["learning_rate"] == pytest.approx(summed["learning_rate"] * 200)
    np.testing.assert_allclose(averaged["theta"], summed["theta"], rtol=1e-9)


def test_explicit_options_are_used(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(
        capsys, "--preset", "circles", "--n-samples", "60", "--noise", "0.1", "--lr", "0.02",
        "--steps", "7", "--batch-size", "10", "--seed", "3", "--test-fraction", "0.5",
    )
    assert status == 0
    assert report["learning_rate"] == 0.02
    assert report["steps"] == 7
    assert report["batch_size"] == 10
    assert report["seed"] == 3
    assert report["n_train"] == 30 and report["n_test"] == 30


def test_same_seed_same_result(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--preset", "spiral", "--model", "mlp:8", "--steps", "30", "--batch-size", "16")
    _, first, _ = run_json(capsys, *args)
    _, second, _ = run_json(capsys, *args)
    assert first == second


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["--preset", "blobs", "--steps", "10"])
    out = capsys.readouterr().out
    assert status == 0
    assert "steps: 10" in out
    assert "log-likelihood" in out
    assert "train accuracy" in out
    assert "test accuracy: n/a" in out
    assert "2 weights, 1 bias" in out
    assert "θ = [" in out


def test_csv_data_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    X, y = datasets.make("blobs", n_samples=80)
    path = tmp_path / "blobs.csv"
    datasets.save_csv(path, X, y)
    status, report, _ = run_json(capsys, "--data", str(path))
    assert status == 0
    assert report["data"] == str(path)
    assert report["preset"] is None
    assert report["n_train"] == 80
    assert report["train_accuracy"] == 1.0


def test_csv_with_three_classes_needs_an_mlp(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "three.csv"
    path.write_text("x1,label\n0,0\n1,1\n2,2\n3,0\n4,1\n5,2\n")
    assert_one_line_error(capsys, cli.main(["--data", str(path)]), "binary", "mlp")
    status, report, _ = run_json(capsys, "--data", str(path), "--model", "mlp:4",
                                 "--steps", "5")
    assert status == 0
    assert report["n_classes"] == 3


# ------------------------------------------------------------------------------- failure


def test_divergence_exits_3_with_finite_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, err = run_json(capsys, "--preset", "overlap", "--lr", "1e6")
    assert status == 3
    assert report["diverged"] is True
    assert "too large" in err and "Traceback" not in err
    assert "too large" in report["message"]
    assert math.isfinite(report["log_likelihood"])
    assert math.isfinite(report["train_accuracy"])
    assert all(math.isfinite(t) for t in report["theta"])
    assert report["steps"] < 1000


def test_divergence_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["--preset", "overlap", "--lr", "1e6"])
    captured = capsys.readouterr()
    assert status == 3
    assert "diverged" in captured.out
    assert "too large" in captured.err


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["--preset", "blobs", "--lr", "-1"], ["--lr must be a positive number, got -1"]),
        (["--preset", "blobs", "--lr", "0"], ["--lr must be a positive number"]),
        (["--preset", "blobs", "--lr", "abc"], ["--lr"]),
        (["--preset", "blobs", "--lr", "inf"], ["--lr"]),
        (["--preset", "nope"], ["unknown preset 'nope'", "digits01"]),
        (["--preset", "digits"], ["binary", "digits01", "mlp"]),
        (["--preset", "blobs", "--model", "tree"], ["--model"]),
        (["--preset", "blobs", "--model", "mlp:0"], ["--model"]),
        (["--preset", "blobs", "--model", "mlp:a,2"], ["--model"]),
        (["--preset", "blobs", "--activation", "softplus"], ["--activation"]),
        (["--preset", "blobs", "--steps", "-5"], ["--steps"]),
        (["--preset", "blobs", "--batch-size", "0"], ["--batch-size"]),
        (["--preset", "blobs", "--seed", "x"], ["--seed"]),
        (["--preset", "blobs", "--test-fraction", "1"], ["--test-fraction"]),
        (["--preset", "blobs", "--n-samples", "1"], ["--n-samples"]),
        (["--preset", "blobs", "--noise", "-1"], ["--noise"]),
        (["--preset", "digits01", "--noise", "0.5"], ["--noise", "2-D presets"]),
        (["--preset", "blobs", "--frobnicate"], ["unrecognized arguments"]),
        ([], ["--preset", "--data"]),
        (["--preset", "blobs", "--data", "x.csv"], ["not allowed"]),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needles: list[str]
) -> None:
    assert_one_line_error(capsys, cli.main(argv), *needles)


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    assert_one_line_error(capsys, cli.main(["--data", str(missing)]), "no such file")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "empty"),
        ("a,b\n1,0\n", "bad header"),
        ("x1,x2,label\n1,2\n", ":2: expected 3 columns"),
        ("x1,x2,label\n1,zz,0\n", "not a number"),
        ("x1,x2,label\n1,nan,0\n", "not finite"),
        ("x1,x2,label\n1,2,-3\n", "non-negative integer"),
        ("x1,x2,label\n", "no data rows"),
    ],
)
def test_malformed_csv_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    line = assert_one_line_error(capsys, cli.main(["--data", str(path)]), needle)
    assert "bad.csv" in line


def test_directory_as_data_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert_one_line_error(capsys, cli.main(["--data", str(tmp_path)]), "directory")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "--preset" in capsys.readouterr().out


# ----------------------------------------------------------------------------- helpers


def test_parse_model() -> None:
    assert cli.parse_model("logistic") is None
    assert cli.parse_model("mlp") == (8,)
    assert cli.parse_model("mlp:8") == (8,)
    assert cli.parse_model("MLP:16,8") == (16, 8)
    with pytest.raises(cli.UsageError):
        cli.parse_model("mlp:")


def test_huge_but_finite_values_exit_2_with_one_line_and_no_warning(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A CSV of values around 1e300 used to print a numpy overflow warning and
    "Eigenvalues did not converge"; now it is one line naming the value and the fix."""
    path = tmp_path / "huge.csv"
    path.write_text("x1,x2,label\n1e300,2e300,0\n-1e300,5e299,1\n3e300,-1e300,1\n"
                    "-2e300,1e300,0\n", encoding="utf-8")
    for model in ("logistic", "mlp:4"):
        assert cli.main(["--data", str(path), "--model", model]) == cli.EXIT_USAGE
        out, err = capfd.readouterr()
        assert out == ""
        assert err.count("\n") == 1 and "Warning" not in err
        assert "too large" in err and "rescale" in err and "x1" in err


def test_large_values_within_the_limit_train_without_warnings(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)) * 1e90
    y = (X[:, 0] > 0).astype(int)
    path = tmp_path / "large.csv"
    datasets.save_csv(path, X, y)
    assert cli.main(["--data", str(path), "--steps", "50", "--json"]) == cli.EXIT_OK
    out, err = capfd.readouterr()
    assert err == ""
    report = json.loads(out)
    assert report["train_accuracy"] > 0.9


# ------------------------------------------------------------- digits defaults and models


def test_digits_options_override_the_digits_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(capsys, "--preset", "digits", "--model", "mlp:8",
                                 "--steps", "20", "--batch-size", "all", "--sum",
                                 "--momentum", "0")
    assert status == 0
    assert (report["batch_size"], report["average"], report["momentum"]) == (None, False, 0.0)
    assert report["steps"] == 20
    X, y = datasets.digits()
    X_train, _, _, _ = datasets.train_test_split(X, y, 0.25, seed=0)
    spec = ModelSpec("network", n_features=64, n_classes=10, hidden_units=(8,))
    assert report["learning_rate"] == pytest.approx(default_learning_rate(spec, X_train))


def test_momentum_and_sum_apply_to_any_preset(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = run_json(capsys, "--preset", "overlap", "--momentum", "0.5",
                                 "--steps", "30")
    assert status == 0
    assert report["momentum"] == 0.5 and report["average"] is False
    X, _ = datasets.make("overlap", 200)
    assert report["learning_rate"] == pytest.approx(
        default_learning_rate(ModelSpec("logistic"), X, momentum=0.5))


def test_save_model_writes_a_model_that_predicts_like_the_report(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from core.model_io import load_model, read_model

    path = tmp_path / "xor.npz"
    status, report, _ = run_json(capsys, "--preset", "xor", "--model", "mlp:4",
                                 "--activation", "tanh", "--steps", "200",
                                 "--save-model", str(path))
    assert status == 0
    assert report["model_file"] == str(path)
    model, spec = load_model(path)
    assert spec == ModelSpec("network", n_features=2, hidden_units=(4,), activation="tanh")
    for saved, reported in zip(model.parameters, report["parameters"], strict=True):
        np.testing.assert_array_equal(saved, np.asarray(reported))
    extra = read_model(path).extra
    assert extra["train_accuracy"] == report["train_accuracy"]
    assert extra["preset"] == "xor" and extra["steps"] == 200


def test_save_model_human_output_names_the_file(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    path = tmp_path / "blobs.npz"
    assert cli.main(["--preset", "blobs", "--steps", "5", "--save-model", str(path)]) == 0
    assert f"model saved to {path}" in capsys.readouterr().out
    assert path.is_file()


@pytest.mark.parametrize(("argv", "needles"), [
    (["--preset", "blobs", "--momentum", "1"], ["--momentum", "[0, 1)"]),
    (["--preset", "blobs", "--momentum", "x"], ["--momentum"]),
    (["--preset", "blobs", "--batch-size", "some"], ["--batch-size"]),
    (["--preset", "blobs", "--average", "--sum"], ["not allowed"]),
])
def test_bad_new_options_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                              argv: list[str], needles: list[str]) -> None:
    assert_one_line_error(capsys, cli.main(argv), *needles)


def test_save_model_into_a_missing_folder_exits_2_before_training(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "m.npz"
    assert_one_line_error(capsys, cli.main(["--preset", "blobs", "--save-model", str(target)]),
                          "--save-model", "does not exist")
    assert_one_line_error(capsys, cli.main(["--preset", "blobs", "--save-model",
                                            str(tmp_path)]), "is a folder")


def test_a_diverging_mini_batch_run_exits_3_reporting_its_start(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Mini-batch runs record only their start and end (a record is a pass over all the
    data), so divergence falls back to the start: finite numbers, exit status 3."""
    status, report, err = run_json(capsys, "--preset", "overlap", "--batch-size", "10",
                                   "--lr", "1e6")
    assert status == 3 and report["diverged"] is True
    assert report["steps"] == 0
    assert math.isfinite(report["log_likelihood"])
    assert "too large" in err and "Traceback" not in err
