"""``ascent-lab train``'s options beyond the lecture's model: engineered input features, a
prior on the weights (L2, L1), and regression. :mod:`core.cli` parses the rest and calls
these; they raise ``ValueError`` with a one-line message (exit status 2).

Regression follows the data: ``--preset regress1d`` or ``regress2d`` (real targets) trains
by the Gaussian log-likelihood (σ = 1) with ``--model linear`` (linear regression, ŷ = θᵀx,
the default there) or ``--model mlp:UNITS`` (a network whose output unit is linear); every
other source is classification, where ``--model linear`` is refused.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core import datasets
from core.features import FEATURES, LABELS, check_feature_names
from core.specs import ModelSpec
from core.training import GradientAscent

LINEAR_MODEL = "linear"
"""``--model linear``: linear regression (regression presets only)."""

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Options:
    """The validated options of this module.

    Attributes
    ----------
    features : tuple of str
        Engineered features (core.features.FEATURES' order), () by default.
    l2, l1 : float
        λ ≥ 0 of the L2 and L1 priors, 0 by default (the lecture's MLE).
    regression : bool
        Whether the data are a regression preset (real targets).
    """

    features: tuple[str, ...] = ()
    l2: float = 0.0
    l1: float = 0.0
    regression: bool = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--features``, ``--l2`` and ``--l1`` to ``parser`` (in their own group)."""
    group = parser.add_argument_group(
        "beyond the lecture",
        "Engineered inputs and a prior. Regression: --preset regress1d or regress2d (real "
        "targets, Gaussian log-likelihood with σ = 1) with --model linear (linear "
        "regression, the default there) or --model mlp:UNITS (a linear output unit).")
    group.add_argument(
        "--features", metavar="LIST",
        help=f"extra inputs of the plane after x1, x2, comma-separated: {','.join(FEATURES)} "
        "(x1², x2², x1·x2, sin x1, sin x2; default none)")
    group.add_argument(
        "--l2", metavar="λ", help="L2 prior (Gaussian, MAP): maximise LL − λ‖θ‖² over the "
        "weights, not the biases (default 0)")
    group.add_argument(
        "--l1", metavar="λ", help="L1 prior (Laplace): maximise LL − λ‖θ‖₁ over the weights "
        "(default 0)")


def parse_features(text: str | None) -> tuple[str, ...]:
    """``"x1sq,x2sq"`` → ("x1sq", "x2sq"); None or "" → (). ValueError names the option."""
    if text is None or not text.strip():
        return ()
    names = [part.strip().lower() for part in text.split(",")]
    try:
        return check_feature_names(names)
    except ValueError as exc:
        raise ValueError(f"--features: {exc}") from None


def parse_rate(text: str | None, option: str) -> float:
    """A prior's λ: a finite number >= 0 (0 when not given)."""
    if text is None:
        return 0.0
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{option} must be a number >= 0, got {text}")
    return value


def parse_options(args: argparse.Namespace, preset: str | None) -> Options:
    """The validated :class:`Options` of the parsed arguments."""
    return Options(parse_features(args.features), parse_rate(args.l2, "--l2"),
                   parse_rate(args.l1, "--l1"), preset in datasets.REGRESSION_PRESETS)


def model_text(model: str | None, regression: bool) -> str:
    """``--model`` (default: logistic, or linear for a regression preset) in the words of
    :func:`core.cli.parse_model`: ``linear`` becomes ``logistic`` (no hidden layer; the
    task decides the output). ValueError when the model does not fit the task."""
    text = model.strip().lower() if model is not None else (
        LINEAR_MODEL if regression else "logistic")
    if regression and text == "logistic":
        raise ValueError("logistic regression needs class labels; the regression presets "
                         "take --model linear or --model mlp:UNITS")
    if not regression and text == LINEAR_MODEL:
        raise ValueError("--model linear is linear regression, for real targets: use "
                         "--preset regress1d or regress2d, or --model logistic")
    return "logistic" if text == LINEAR_MODEL else text


def check_features_fit(options: Options, n_features: int) -> None:
    """Engineered features need the plane's two inputs."""
    if options.features and n_features != 2:
        raise ValueError(f"--features needs data of 2 features (x1, x2), these have "
                         f"{n_features}")


def load_regression(preset: str, n_samples: int | None, noise: float | None, seed: int
                    ) -> tuple[FloatArray, FloatArray]:
    """A regression preset's points and real targets."""
    return datasets.make_regression(preset, 200 if n_samples is None else n_samples,
                                    noise=noise, seed=seed)


def regression_spec(hidden: tuple[int, ...] | None, activation: str, seed: int,
                    n_features: int) -> ModelSpec:
    """Linear regression (``hidden`` None) or a network with a linear output."""
    return ModelSpec("regression", n_features=n_features, hidden_units=hidden or (),
                     activation=activation, seed=seed)


def with_features(spec: ModelSpec, options: Options) -> ModelSpec:
    """``spec`` seeing the engineered features too (itself without any)."""
    return spec.with_features(options.features) if options.features else spec


def extend_report(report: dict[str, Any], options: Options, trainer: GradientAscent) -> None:
    """Add the task, features, prior and (for a regression) R² and the mean squared error
    to a JSON report; a regression's accuracy entries are null (accuracy is undefined)."""
    history = trainer.history
    report["task"] = "regression" if options.regression else "classification"
    report["features"] = list(options.features)
    report["l2"], report["l1"] = options.l2, options.l1
    report["objective"] = _finite_or_none(history.objective[-1])
    if not options.regression:
        return
    report["train_r2"], report["train_accuracy"] = report["train_accuracy"], None
    report["test_r2"], report["test_accuracy"] = report["test_accuracy"], None
    report["n_classes"] = None
    for key, ll, n in (("mean_squared_error", report["log_likelihood"], report["n_train"]),
                       ("test_mean_squared_error", report["test_log_likelihood"],
                        report["n_test"])):
        report[key] = None if ll is None or not n else _finite_or_none(
            -2.0 * (ll + n * 0.5 * math.log(2.0 * math.pi)) / n)


def option_lines(report: dict[str, Any]) -> list[str]:
    """Readable lines about the features and the prior (none when they are off)."""
    lines = []
    if report.get("features"):
        labels = ", ".join(LABELS[name] for name in report["features"])
        lines.append(f"engineered features: {labels} (after x₁, x₂)")
    terms = [f"{report[key]:g}‖θ‖{power}" for key, power in (("l2", "²"), ("l1", "₁"))
             if report.get(key)]
    if terms and report.get("objective") is not None:
        lines.append(f"objective LL − {' − '.join(terms)} (weights only): "
                     f"{report['objective']:.6g}")
    return lines


def regression_lines(report: dict[str, Any]) -> list[str]:
    """The human-readable report of a regression run."""
    source = f"preset {report['preset']}" if report["preset"] else f"data {report['data']}"
    gradient = "mean gradient (--average)" if report["average"] else "sum gradient"
    batch = "full batch" if report["batch_size"] is None else f"batch size {report['batch_size']}"
    lines = [
        f"{source}: {report['n_train']} training, {report['n_test']} test examples, "
        f"{report['n_features']} inputs, real targets (regression, Gaussian noise σ = 1)",
        f"model {report['model']}: {report['n_weights']} weights, {report['n_biases']} "
        + ("bias" if report["n_biases"] == 1 else "biases")
        + (f", {report['activation']} hidden units" if "activation" in report else "")
        + ", linear output",
        f"learning rate η = {report['learning_rate']:.6g} on the {gradient}, {batch}",
        f"steps: {report['steps']}" + (" (stopped early: diverged)" if report["diverged"]
                                       else ""),
        f"log-likelihood (train): {_number(report['log_likelihood'])}",
        f"train R²: {_number(report['train_r2'], '.4f')}, mean squared error "
        f"{_number(report['mean_squared_error'])}",
    ]
    if report["n_test"]:
        lines.append(f"test R²: {_number(report['test_r2'], '.4f')}, mean squared error "
                     f"{_number(report['test_mean_squared_error'])} (test log-likelihood "
                     f"{_number(report['test_log_likelihood'])})")
    else:
        lines.append("test R²: n/a (no test set; see --test-fraction)")
    lines += option_lines(report)
    if "theta" in report:
        theta = ", ".join(f"{t:.6g}" for t in report["theta"])
        lines.append(f"θ = [{theta}]  (θ0 is the bias)")
    return lines


def split(X: FloatArray, y: NDArray[Any], test_fraction: float, seed: int, regression: bool
          ) -> Sequence[NDArray[Any]]:
    """(X_train, X_test, y_train, y_test): stratified by class, or at random for a
    regression (which has no classes)."""
    if regression:
        return datasets.regression_split(X, y, test_fraction, seed=seed)
    return datasets.train_test_split(X, y, test_fraction, seed=seed)


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _number(value: float | None, spec: str = ".6g") -> str:
    return "n/a" if value is None else format(value, spec)
