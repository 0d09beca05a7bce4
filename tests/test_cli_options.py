"""ascent-lab train beyond the lecture: --features, --l2/--l1, --activation linear and the
regression presets (core.cli_options), called in-process."""

from __future__ import annotations

import json
import math
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
    assert len(lines) == 1, captured.out
    return status, json.loads(lines[0]), captured.err


def assert_one_line_error(capsys: pytest.CaptureFixture[str], status: int, *needles: str
                          ) -> None:
    """Exit status 2, nothing on stdout, one ``ascent-lab train: error:`` line on stderr."""
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("ascent-lab train: error: ") and "Traceback" not in captured.err
    for needle in needles:
        assert needle in lines[0]


def test_features_make_the_circles_separable_for_logistic_regression(capsys):
    status, report, err = run_json(capsys, "--preset", "circles", "--features", "x2sq,x1sq",
                                   "--steps", "500")
    assert status == 0 and err == ""
    assert report["features"] == ["x1sq", "x2sq"]  # the fixed order
    assert report["n_features"] == 4 and len(report["theta"]) == 5
    assert report["train_accuracy"] >= 0.95
    assert report["task"] == "classification"
    X, _ = datasets.make("circles", 200, seed=0)
    spec = ModelSpec().with_features(("x1sq", "x2sq"))
    assert report["learning_rate"] == pytest.approx(default_learning_rate(spec, X), rel=1e-12)


def test_features_in_a_network_and_the_human_report(capsys):
    status = cli.main(["--preset", "xor", "--model", "mlp:4", "--features", "x1x2",
                       "--steps", "20"])
    out = capsys.readouterr().out
    assert status == 0
    assert "3 features" in out and "engineered features: x₁x₂" in out


def test_an_l2_prior_shrinks_theta_and_reports_the_objective(capsys):
    _, plain, _ = run_json(capsys, "--preset", "blobs", "--steps", "400")
    status, prior, _ = run_json(capsys, "--preset", "blobs", "--steps", "400", "--l2", "0.5")
    assert status == 0
    assert prior["l2"] == 0.5 and prior["l1"] == 0.0 and plain["l2"] == 0.0
    assert np.linalg.norm(prior["theta"][1:]) < np.linalg.norm(plain["theta"][1:])
    assert plain["objective"] == plain["log_likelihood"]
    expected = prior["log_likelihood"] - 0.5 * float(np.sum(np.square(prior["theta"][1:])))
    assert prior["objective"] == pytest.approx(expected, rel=1e-12)
    status = cli.main(["--preset", "blobs", "--steps", "10", "--l1", "0.25", "--l2", "1"])
    out = capsys.readouterr().out
    assert status == 0 and "objective LL − 1‖θ‖² − 0.25‖θ‖₁ (weights only)" in out


def test_linear_hidden_units(capsys):
    status, report, _ = run_json(capsys, "--preset", "xor", "--model", "mlp:8,8",
                                 "--activation", "linear", "--steps", "300")
    assert status == 0 and report["activation"] == "linear"
    assert report["train_accuracy"] < 0.75  # stacked linear layers draw a line


@pytest.mark.parametrize("preset", datasets.REGRESSION_PRESETS)
def test_linear_regression_is_the_default_model_of_a_regression_preset(capsys, preset):
    status, report, err = run_json(capsys, "--preset", preset, "--steps", "300",
                                   "--test-fraction", "0.25")
    assert status == 0 and err == ""
    assert report["task"] == "regression" and report["model"] == "linear"
    assert report["train_accuracy"] is None and report["test_accuracy"] is None
    assert report["n_classes"] is None
    assert 0.3 < report["train_r2"] <= 1.0 and report["test_r2"] is not None
    assert len(report["theta"]) == 3 and report["n_train"] == 150 and report["n_test"] == 50
    mse = -2.0 * (report["log_likelihood"] + 150 * 0.5 * math.log(2 * math.pi)) / 150
    assert report["mean_squared_error"] == pytest.approx(mse, rel=1e-12)
    X, y = datasets.make_regression(preset, 200, seed=0)
    X_train, _, y_train, _ = datasets.regression_split(X, y, 0.25, seed=0)
    theta = np.asarray(report["theta"])
    assert report["mean_squared_error"] == pytest.approx(
        np.mean((y_train - X_train @ theta[1:] - theta[0]) ** 2), rel=1e-9)


def test_a_regression_network_with_features_and_the_human_report(capsys):
    status, report, _ = run_json(capsys, "--preset", "regress2d", "--model", "mlp:8",
                                 "--activation", "tanh", "--features", "sin2", "--steps",
                                 "200", "--n-samples", "80", "--noise", "0.1")
    assert status == 0 and report["model"] == "mlp:8" and report["n_train"] == 80
    assert report["n_features"] == 3 and len(report["parameters"]) == 4
    status = cli.main(["--preset", "regress1d", "--model", "mlp:4", "--steps", "50"])
    out = capsys.readouterr().out
    assert status == 0
    assert "real targets (regression" in out and "train R²:" in out
    assert "linear output" in out and "train accuracy" not in out


@pytest.mark.parametrize("argv, needles", [
    (["--preset", "blobs", "--features", "x1sq,cos1"], ["--features", "cos1"]),
    (["--preset", "blobs", "--features", "x1sq,x1sq"], ["--features", "once"]),
    (["--preset", "digits", "--model", "mlp:8", "--features", "x1sq"], ["2 features"]),
    (["--preset", "blobs", "--l2", "-0.5"], ["--l2", ">= 0"]),
    (["--preset", "blobs", "--l2", "nan"], ["--l2"]),
    (["--preset", "blobs", "--l1", "x"], ["--l1"]),
    (["--preset", "blobs", "--activation", "cubic"], ["--activation", "linear"]),
    (["--preset", "blobs", "--model", "linear"], ["--model linear", "regress1d"]),
    (["--preset", "regress1d", "--model", "logistic"], ["class labels"]),
    (["--preset", "regress3d"], ["unknown preset", "regress2d"]),
    (["--preset", "digits", "--noise", "0.1"], ["--noise", "regress1d"]),
])
def test_bad_values_exit_2_with_one_line(capsys, argv, needles):
    assert_one_line_error(capsys, cli.main(argv), *needles)


def test_help_lists_the_new_options(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for words in ("--features", "x1sq,x2sq,x1x2,sin1,sin2", "--l2", "--l1", "linear",
                  "regress1d", "regress2d"):
        assert words in out
