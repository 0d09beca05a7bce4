"""The headless trainer: ``ascent-lab train ...`` without a window.

Usage::

    ascent-lab train (--preset NAME | --data FILE.csv | --resume FILE.ascent)
                     [--model logistic | mlp:8 | mlp:16,8]
                     [--activation sigmoid|tanh|relu|linear] [--lr ETA] [--steps N]
                     [--batch-size B|all] [--average | --sum] [--momentum MU]
                     [--seed S] [--test-fraction F] [--n-samples N] [--noise X]
                     [--features x1sq,x2sq,x1x2,sin1,sin2] [--l2 λ] [--l1 λ]
                     [--save-model FILE] [--save-session FILE] [--json]
                     [--plot FILE.png] [--animate FILE.gif] [--history-csv FILE] ...

Regression: ``--preset regress1d|regress2d`` with ``--model linear`` (the default there) or
``mlp:UNITS`` (:mod:`core.cli_options`). Sessions (``--save-session``, ``--resume``): see
:mod:`core.cli_session` and ``docs/file-format.md``. Exports: :mod:`core.cli_figures`.

Exit status: 0 trained, 2 bad arguments or a bad data file (one line on stderr),
3 gradient ascent diverged (η too large; the last finite state is reported).

The default η is :func:`core.policy.default_learning_rate`, the same the window suggests:
a step on the mean gradient ``alpha`` divided by the examples per step for the lecture's
*sum* gradient (with ``--average``, ``alpha`` itself). The digits presets train with
:func:`core.policy.digits_defaults`, as the digits workbench does (a network: mini-batches
of 16, η on the mean, momentum 0.95, 30 epochs); any option given overrides its part.
``--save-model FILE`` writes the model for ``ascent-lab predict`` (:mod:`core.model_io`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

from core import cli_figures, cli_options, cli_session, datasets
from core.cli_common import EXIT_USAGE, UsageError, fail
from core.cli_common import Parser as _Parser
from core.cli_common import integer as _integer
from core.cli_common import number as _number
from core.cli_common import positive_number as _positive_number
from core.cli_common import write as _write
from core.cli_options import _finite_or_none
from core.logistic import LogisticRegression
from core.model_io import save_model
from core.network import NeuralNetwork
from core.policy import (
    DEFAULT_STEPS,
    build_model,
    default_learning_rate,
    digits_defaults,
    digits_learning_rate,
)
from core.regression import LinearRegression
from core.specs import ACTIVATIONS, ModelSpec
from core.training import DivergenceError, GradientAscent
from core.validation import check_feature_scale

__all__ = [
    "DEFAULT_STEPS",
    "EXIT_DIVERGED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "TRAIN_PRESETS",
    "build_parser",
    "main",
    "parse_model",
]

PROG = "ascent-lab train"
EXIT_OK = 0
EXIT_DIVERGED = 3
DIGIT_PRESETS = ("digits", "digits01")
TRAIN_PRESETS: tuple[str, ...] = (*datasets.PRESETS, *DIGIT_PRESETS,
                                  *datasets.REGRESSION_PRESETS)
"""Everything ``--preset`` accepts: the 2-D sets plus ``digits`` (10 classes),
``digits01`` (0 versus 1) and the regression sets ``regress1d`` and ``regress2d``."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


# --- Arguments ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of ``ascent-lab train`` (numbers are validated after parsing).

    Returns
    -------
    argparse.ArgumentParser
        A parser whose ``error`` raises :class:`UsageError` (one line, no exit).
    """
    parser = _Parser(
        prog=PROG,
        description="Train logistic regression or a neural network by gradient ascent on "
        "the log-likelihood, without the GUI.",
        epilog="Exit status: 0 trained, 2 bad arguments or data, 3 diverged (η too large).",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--preset", metavar="NAME", help=f"built-in dataset: {', '.join(TRAIN_PRESETS)}"
    )
    source.add_argument(
        "--data", metavar="FILE.csv", help="CSV file with header x1,x2,...,label"
    )
    parser.add_argument(
        "--model",
        metavar="MODEL",
        help="logistic (default) or mlp:UNITS, e.g. mlp:8 or mlp:16,8; on regress1d and "
        "regress2d: linear (linear regression, the default there) or mlp:UNITS",
    )
    parser.add_argument(
        "--activation", default="sigmoid", metavar="NAME",
        help="hidden activation of an mlp: sigmoid (default), tanh, relu or linear",
    )
    parser.add_argument(
        "--lr", metavar="ETA",
        help="learning rate η (default: the one the window suggests, core.policy)"
    )
    parser.add_argument(
        "--steps", metavar="N",
        help=f"number of gradient-ascent steps (default {DEFAULT_STEPS}; digits networks: "
        "30 epochs)",
    )
    parser.add_argument(
        "--batch-size", metavar="B",
        help="mini-batch size, or 'all' for the whole training set (default: all; digits "
        "networks: 16)",
    )
    parser.add_argument(
        "--momentum", metavar="MU",
        help="momentum μ in [0, 1) (default 0; digits networks: 0.95)",
    )
    parser.add_argument("--seed", default="0", metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--test-fraction", metavar="F",
        help="fraction held out as a test set, in [0, 1) (default 0.25 for digits, else 0)",
    )
    parser.add_argument(
        "--n-samples", metavar="N", help="number of points of a 2-D preset (default 200)"
    )
    parser.add_argument(
        "--noise", metavar="X", help="noise of a 2-D preset (default: the preset's own)"
    )
    gradient = parser.add_mutually_exclusive_group()
    gradient.add_argument(
        "--average", action="store_true", default=None,
        help="apply η to the mean gradient instead of the lecture's sum (the default for "
        "digits networks)",
    )
    gradient.add_argument(
        "--sum", dest="average", action="store_false",
        help="apply η to the lecture's sum gradient (the default except for digits networks)",
    )
    parser.add_argument(
        "--save-model", metavar="FILE",
        help="write the trained model to FILE (.npz) for 'ascent-lab predict'",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    cli_options.add_arguments(parser)
    cli_session.add_arguments(parser, source)
    cli_figures.add_arguments(parser)
    return parser


def parse_model(spec: str) -> tuple[int, ...] | None:
    """Parse ``--model``: ``None`` for logistic regression, hidden units for an mlp.

    Parameters
    ----------
    spec : str
        ``"logistic"``, ``"mlp"`` (one hidden layer of 8), ``"mlp:8"`` or ``"mlp:16,8"``.

    Returns
    -------
    tuple of int or None
        The hidden layer sizes, or ``None`` for logistic regression.

    Raises
    ------
    UsageError
        If ``spec`` is neither form.
    """
    text = spec.strip().lower()
    if text == "logistic":
        return None
    if text == "mlp":
        return (8,)
    problem = f"--model must be 'logistic' or 'mlp:UNITS' like mlp:8 or mlp:16,8, got {spec}"
    if not text.startswith("mlp:"):
        raise UsageError(problem)
    try:
        units = tuple(int(part) for part in text[4:].split(","))
    except ValueError:
        raise UsageError(problem) from None
    if not units or any(u < 1 for u in units):
        raise UsageError(problem)
    return units


# --- Data and model ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    """Validated command-line settings."""

    preset: str | None
    data: Path | None
    hidden: tuple[int, ...] | None
    activation: str
    lr: float | None
    steps: int | None
    batch_size: int | str | None
    momentum: float | None
    seed: int
    test_fraction: float | None
    n_samples: int | None
    noise: float | None
    average: bool | None
    save_model: Path | None
    json: bool
    options: cli_options.Options = cli_options.Options()

    @property
    def source(self) -> str:
        """The preset name, or ``"data"`` for a CSV file."""
        return self.preset if self.preset is not None else "data"


def _config(args: argparse.Namespace) -> _Config:
    """Validate the parsed strings into a :class:`_Config`, raising UsageError."""
    preset = args.preset
    if preset is not None and preset not in TRAIN_PRESETS:
        raise UsageError(f"unknown preset {preset!r}; choose one of: {', '.join(TRAIN_PRESETS)}")
    if args.activation not in ACTIVATIONS:
        raise UsageError(
            f"--activation must be one of {', '.join(ACTIVATIONS)}, got {args.activation}"
        )
    test_fraction = None
    if args.test_fraction is not None:
        test_fraction = _number(args.test_fraction, "--test-fraction", "a number in [0, 1)")
        if not 0.0 <= test_fraction < 1.0:
            raise UsageError(
                f"--test-fraction must be a number in [0, 1), got {args.test_fraction}"
            )
    two_d = preset in datasets.PRESETS or preset in datasets.REGRESSION_PRESETS
    for option, value in (("--n-samples", args.n_samples), ("--noise", args.noise)):
        if value is not None and not two_d:
            raise UsageError(
                f"{option} only applies to the 2-D presets ({', '.join(datasets.PRESETS)}, "
                f"{', '.join(datasets.REGRESSION_PRESETS)})"
            )
    momentum = None
    if args.momentum is not None:
        momentum = _number(args.momentum, "--momentum", "a number in [0, 1)")
        if not 0.0 <= momentum < 1.0:
            raise UsageError(f"--momentum must be a number in [0, 1), got {args.momentum}")
    batch_size: int | str | None = None
    if args.batch_size is not None:
        batch_size = "all" if args.batch_size.strip().lower() == "all" else _integer(
            args.batch_size, "--batch-size", 1)
    save = None if args.save_model is None else Path(args.save_model)
    if save is not None and (save.is_dir() or not save.absolute().parent.is_dir()):
        what = "is a folder" if save.is_dir() else "is in a folder that does not exist"
        raise UsageError(f"--save-model {save} {what}; give a file path in an existing "
                         "folder, e.g. --save-model digits.npz")
    options = cli_options.parse_options(args, preset)
    noise = None
    if args.noise is not None:
        noise = _number(args.noise, "--noise", "a number >= 0")
        if noise < 0:
            raise UsageError(f"--noise must be a number >= 0, got {args.noise}")
    return _Config(
        preset=preset,
        data=Path(args.data) if args.data is not None else None,
        hidden=parse_model(cli_options.model_text(args.model, options.regression)),
        activation=args.activation,
        lr=None if args.lr is None else _positive_number(args.lr, "--lr"),
        steps=None if args.steps is None else _integer(args.steps, "--steps", 0),
        batch_size=batch_size,
        momentum=momentum,
        seed=_integer(args.seed, "--seed", 0),
        test_fraction=test_fraction,
        n_samples=None if args.n_samples is None else _integer(args.n_samples, "--n-samples", 2),
        noise=noise,
        average=args.average,
        save_model=save,
        json=bool(args.json),
        options=options,
    )


def _load(config: _Config) -> tuple[FloatArray, IntArray]:
    """Load or generate the dataset, raising UsageError for a bad file or combination."""
    if config.data is not None:
        try:
            return datasets.load_csv(config.data)
        except FileNotFoundError:
            raise UsageError(f"--data {config.data}: no such file") from None
        except (ValueError, OSError) as exc:
            raise UsageError(str(exc)) from None
    preset = config.source
    try:
        if config.options.regression:
            return cli_options.load_regression(preset, config.n_samples, config.noise,
                                               config.seed)  # type: ignore[return-value]
        if preset == "digits":
            if config.hidden is None:
                raise UsageError(
                    "logistic regression is binary and digits has 10 classes; "
                    "use --preset digits01 (0 versus 1) or an mlp, e.g. --model mlp:16"
                )
            return datasets.digits()
        if preset == "digits01":
            return datasets.digits_binary(0, 1)
        n_samples = 200 if config.n_samples is None else config.n_samples
        return datasets.make(preset, n_samples=n_samples, noise=config.noise, seed=config.seed)
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None


def _spec(config: _Config, n_features: int, y: IntArray) -> ModelSpec:
    """The model spec for ``config``, raising UsageError if the labels do not fit it."""
    cli_options.check_features_fit(config.options, n_features)
    if config.options.regression:
        return cli_options.with_features(cli_options.regression_spec(
            config.hidden, config.activation, config.seed, n_features), config.options)
    n_classes = max(int(y.max()) + 1, 2) if len(y) else 2
    if config.hidden is None:
        if n_classes > 2:
            raise UsageError(
                f"logistic regression is binary but the labels go up to {n_classes - 1}; "
                "give labels 0 and 1 only, or use an mlp, e.g. --model mlp:8"
            )
        return cli_options.with_features(ModelSpec("logistic", n_features=n_features),
                                         config.options)
    return cli_options.with_features(ModelSpec(
        "network", n_features=n_features, n_classes=n_classes, hidden_units=config.hidden,
        activation=config.activation, seed=config.seed), config.options)


@dataclass(frozen=True)
class _Plan:
    """How gradient ascent runs: the options given, the rest from the defaults."""

    learning_rate: float
    batch_size: int | None
    average: bool
    momentum: float
    steps: int


def _plan(config: _Config, spec: ModelSpec, X_train: FloatArray) -> _Plan:
    """Fill what ``config`` leaves open: :func:`core.policy.digits_defaults` for the digits
    presets, the lecture's choices (full batch, η on the sum, no momentum) otherwise; η
    from :func:`core.policy.default_learning_rate` unless the defaults' η still applies."""
    if config.source in DIGIT_PRESETS:
        digits = digits_defaults(spec, X_train)
        base, steps = digits.settings, digits.steps
    else:
        base, steps = None, DEFAULT_STEPS
    batch = base.batch_size if base is not None else None
    if config.batch_size is not None:
        batch = None if config.batch_size == "all" else int(config.batch_size)
    average = base.average if base is not None else False
    if config.average is not None:
        average = config.average
    momentum = base.momentum if base is not None else 0.0
    if config.momentum is not None:
        momentum = config.momentum
    eta = config.lr
    if eta is None:
        rule = digits_learning_rate if base is not None else default_learning_rate
        eta = rule(spec, X_train, batch, average, momentum, l2=config.options.l2)
    return _Plan(learning_rate=eta, batch_size=batch, average=average, momentum=momentum,
                 steps=steps if config.steps is None else config.steps)


def _record_every(plan: _Plan) -> int:
    """How often the trainer records history: every step for full batches (LL comes for
    free with the gradient); only at the start and the end for mini-batches, where a
    record is a pass over the whole training and test sets, whose large matrix products
    wake OpenBLAS's threads (on a busy machine 4 records made the digits run 1.5 times
    slower). Only the last record is reported; a mini-batch run that diverges reports
    its start."""
    return 1 if plan.batch_size is None else max(1, plan.steps)


# --- Reporting ---------------------------------------------------------------------------


def _model_name(config: _Config) -> str:
    """``"logistic"``, ``"linear"`` (linear regression) or ``"mlp:16,8"``."""
    if config.hidden is None:
        return cli_options.LINEAR_MODEL if config.options.regression else "logistic"
    return "mlp:" + ",".join(str(u) for u in config.hidden)


def _report(config: _Config, plan: _Plan, trainer: GradientAscent, n_train: int,
            n_test: int, diverged: bool, message: str | None) -> dict[str, Any]:
    """Collect the final state into a JSON-ready dict."""
    history = trainer.history
    model = trainer.model
    assert isinstance(model, (LogisticRegression, NeuralNetwork, LinearRegression))
    report: dict[str, Any] = {
        "model": _model_name(config),
        "preset": config.preset,
        "data": None if config.data is None else str(config.data),
        "learning_rate": plan.learning_rate,
        "average": plan.average,
        "batch_size": plan.batch_size,
        "momentum": plan.momentum,
        "seed": config.seed,
        "steps_requested": plan.steps,
        "steps": int(trainer.step_count),
        "n_train": n_train,
        "n_test": n_test,
        "n_features": int(model.n_features),
        "n_classes": int(model.n_classes),
        "log_likelihood": _finite_or_none(history.log_likelihood[-1]),
        "train_accuracy": _finite_or_none(history.accuracy[-1]),
        "test_log_likelihood": _finite_or_none(history.test_log_likelihood[-1]),
        "test_accuracy": _finite_or_none(history.test_accuracy[-1]),
        "n_weights": int(model.n_weights),
        "n_biases": int(model.n_biases),
        "diverged": diverged,
        "message": message,
        "model_file": None if config.save_model is None else str(config.save_model),
    }
    if isinstance(model, (LogisticRegression, LinearRegression)):
        report["theta"] = [float(t) for t in model.theta]
    else:
        report["activation"] = config.activation
        report["hidden_units"] = list(config.hidden or ())
        report["parameters"] = [p.tolist() for p in model.parameters]
    cli_options.extend_report(report, config.options, trainer)
    return report


_NOTES = ("model", "preset", "data", "activation", "hidden_units", "learning_rate", "average",
          "batch_size", "momentum", "seed", "steps", "n_train", "n_test", "train_accuracy",
          "test_accuracy")


def _model_notes(report: dict[str, Any]) -> dict[str, Any]:
    """What a model file keeps about how it was trained (its ``extra``)."""
    return {key: report[key] for key in _NOTES if key in report}


def _print_human(report: dict[str, Any], out: TextIO) -> None:
    """A few readable lines about the final state."""
    if report.get("task") == "regression":
        _write("\n".join(cli_options.regression_lines(report)) + "\n", out)
        return
    source = f"preset {report['preset']}" if report["preset"] else f"data {report['data']}"
    gradient = "mean gradient (--average)" if report["average"] else "sum gradient"
    batch = "full batch" if report["batch_size"] is None else f"batch size {report['batch_size']}"
    if report["momentum"]:
        batch += f", momentum {report['momentum']:g}"
    biases = "bias" if report["n_biases"] == 1 else "biases"
    lines = [
        f"{source}: {report['n_train']} training, {report['n_test']} test examples, "
        f"{report['n_features']} features, {report['n_classes']} classes",
        f"model {report['model']}: {report['n_weights']} weights, {report['n_biases']} {biases}"
        + (f", {report['activation']} hidden units" if "activation" in report else ""),
        f"learning rate η = {report['learning_rate']:.6g} on the {gradient}, {batch}",
        f"steps: {report['steps']}"
        + (" (stopped early: diverged)" if report["diverged"] else ""),
        f"log-likelihood (train): {report['log_likelihood']:.6g}",
        f"train accuracy: {report['train_accuracy']:.4f}",
    ]
    if report["test_accuracy"] is None:
        lines.append("test accuracy: n/a (no test set; see --test-fraction)")
    else:
        lines.append(
            f"test accuracy: {report['test_accuracy']:.4f} "
            f"(test log-likelihood {report['test_log_likelihood']:.6g})"
        )
    lines += cli_options.option_lines(report)
    if "theta" in report:
        theta = ", ".join(f"{t:.6g}" for t in report["theta"])
        lines.append(f"θ = [{theta}]  (θ0 is the bias)")
    if report["model_file"] is not None:
        lines.append(f"model saved to {report['model_file']} (see 'ascent-lab predict')")
    _write("\n".join(lines) + "\n", out)


# --- Entry point -------------------------------------------------------------------------


def _fail(message: str) -> int:
    """Print one ``ascent-lab train: error: ...`` line on stderr; return exit status 2."""
    return fail(PROG, message)


def main(argv: list[str] | None = None, figures: cli_figures.FigureMaker | None = None) -> int:
    """Run ``ascent-lab train`` with the arguments after ``train``.

    Parameters
    ----------
    argv : list of str or None
        Arguments, e.g. ``["--preset", "blobs", "--json"]``; ``None`` reads ``sys.argv[1:]``.
    figures : FigureMaker or None
        Draws ``--plot``/``--animate`` (:mod:`core.cli_figures`); None refuses them.

    Returns
    -------
    int
        0 trained, 2 bad arguments or data file (one line on stderr), 3 diverged.
    """
    arguments: Sequence[str] = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    try:
        args = parser.parse_args(list(arguments))
    except UsageError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    if args.resume is not None:
        return cli_session.resume(args, figures)

    try:
        config = _config(args)
        cli_session.save_path(args.save_session)
        X, y = _load(config)
        cli_figures.check(args, figures, X.shape[1])
        test_fraction = config.test_fraction
        if test_fraction is None:
            test_fraction = 0.25 if config.source in DIGIT_PRESETS else 0.0
        X_train, X_test, y_train, y_test = cli_options.split(
            X, y, test_fraction, config.seed, config.options.regression
        )
        check_feature_scale(X)
        spec = _spec(config, X.shape[1], y)
        model = build_model(spec)
        plan = _plan(config, spec, X_train)
        learning_rate = plan.learning_rate
        trainer = GradientAscent(
            model,
            X_train,
            y_train,
            learning_rate=learning_rate,
            batch_size=plan.batch_size,
            seed=config.seed,
            X_test=X_test if len(y_test) else None,
            y_test=y_test if len(y_test) else None,
            average=plan.average,
            momentum=plan.momentum,
            record_every=cli_figures.record_every(args, _record_every(plan), plan.steps),
            l2=config.options.l2,
            l1=config.options.l1,
        )
    except (UsageError, ValueError) as exc:  # bad arguments, bad data, labels vs. model
        return _fail(str(exc))

    diverged = False
    message: str | None = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        try:
            trainer.step(plan.steps)
        except DivergenceError as exc:
            diverged = True
            message = (
                f"gradient ascent diverged at step {exc.bad_step}: the learning rate "
                f"η = {learning_rate:g} is too large (the log-likelihood fell instead of "
                f"climbing). Reporting the last finite state, step {trainer.step_count}; "
                "try a smaller --lr or --average."
            )
        report = _report(config, plan, trainer, len(y_train), len(y_test), diverged, message)
    if config.save_model is not None:
        try:
            save_model(config.save_model, model, spec, extra=_model_notes(report))
        except (OSError, ValueError) as exc:
            return _fail(f"--save-model {config.save_model}: cannot write the model "
                         f"({exc})")
    problem = cli_session.save_run(args.save_session, trainer, spec, plan, config) or \
        cli_figures.finish(args, figures, trainer, spec)
    if problem is not None:
        return _fail(problem)
    if config.json:
        _write(json.dumps(report, allow_nan=False) + "\n", sys.stdout)
    else:
        _print_human(report, sys.stdout)
    if diverged:
        _write(f"{PROG}: {message}\n", sys.stderr)
        return EXIT_DIVERGED
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
