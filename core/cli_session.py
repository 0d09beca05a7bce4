"""``ascent-lab train``'s session options: ``--save-session FILE`` writes the whole run (data,
model, settings, history, snapshots, trainer state; :mod:`core.session_file`) and
``--resume FILE.ascent`` continues a saved session headlessly, bit for bit as if it had
never stopped, with the session's own settings unless ``--lr``, ``--batch-size``,
``--momentum``, ``--average``/``--sum``, ``--l2`` or ``--l1`` override one; ``--steps N``
more steps (default :data:`core.policy.DEFAULT_STEPS`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from core import cli_figures, cli_options
from core.cli_common import EXIT_USAGE, UsageError, fail, integer, number, positive_number, write
from core.model_io import save_model
from core.policy import DEFAULT_STEPS
from core.session_file import (
    SessionFileError,
    load_session,
    save_session,
    session_from_trainer,
    trainer_from_session,
)
from core.specs import ModelSpec, TrainingSettings
from core.training import DivergenceError, GradientAscent

PROG = "ascent-lab train"
EXIT_DIVERGED = 3
_FIXED = (("model", "--model"), ("features", "--features"), ("test_fraction", "--test-fraction"),
          ("n_samples", "--n-samples"), ("noise", "--noise"))
"""Options that describe a new run's data or model: a resumed session already has them."""


def add_arguments(parser: argparse.ArgumentParser, source: Any) -> None:
    """``--resume`` (in the mutually exclusive ``source`` group) and ``--save-session``."""
    source.add_argument(
        "--resume", metavar="FILE.ascent",
        help="continue a saved session with its own settings (options given override "
        "them) for --steps more steps")
    parser.add_argument(
        "--save-session", metavar="FILE",
        help="write the whole session (data, model, settings, history, trainer state) to "
        "FILE (.ascent), to resume with --resume or open in the app")


def save_path(text: str | None) -> Path | None:
    """``--save-session``'s file, refusing a folder or a missing folder."""
    if text is None:
        return None
    path = Path(text)
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"--save-session {path}: give a file path in an existing folder, "
                         "e.g. --save-session run.ascent")
    return path


def save_trained(text: str | None, trainer: GradientAscent, spec: ModelSpec,
                 settings: TrainingSettings, view: dict[str, Any]) -> str | None:
    """Write ``--save-session`` (if given); the error message, or None."""
    if text is None:
        return None
    try:
        path = save_path(text)
        assert path is not None
        workbench = "regression" if spec.is_regression else (
            "digits" if spec.n_features == 64 else "playground")
        save_session(path, session_from_trainer(trainer, spec, settings, workbench, view))
    except (UsageError, OSError, ValueError) as exc:
        return f"--save-session {text}: cannot write the session ({exc})"
    return None


def save_run(text: str | None, trainer: GradientAscent, spec: ModelSpec, plan: Any,
             config: Any) -> str | None:
    """``--save-session`` after a new run of :mod:`core.cli` (its plan and config)."""
    settings = TrainingSettings(plan.learning_rate, config.lr is None, plan.batch_size,
                                plan.average, plan.momentum, l2=config.options.l2,
                                l1=config.options.l1)
    view = {"preset": config.preset, "data": None if config.data is None else str(config.data)}
    return save_trained(text, trainer, spec, settings, view)


def _overrides(args: argparse.Namespace, settings: TrainingSettings) -> TrainingSettings:
    changes: dict[str, Any] = {}
    if args.lr is not None:
        changes["learning_rate"] = positive_number(args.lr, "--lr")
        changes["learning_rate_auto"] = False
    if args.batch_size is not None:
        changes["batch_size"] = None if args.batch_size.strip().lower() == "all" else integer(
            args.batch_size, "--batch-size", 1)
    if args.momentum is not None:
        momentum = number(args.momentum, "--momentum", "a number in [0, 1)")
        if not 0.0 <= momentum < 1.0:
            raise UsageError(f"--momentum must be a number in [0, 1), got {args.momentum}")
        changes["momentum"] = momentum
    if args.average is not None:
        changes["average"] = bool(args.average)
    for name in ("l2", "l1"):
        if getattr(args, name) is not None:
            changes[name] = cli_options.parse_rate(getattr(args, name), f"--{name}")
    return settings.replace(**changes)


def _value(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def resume(args: argparse.Namespace, figures: cli_figures.FigureMaker | None = None) -> int:
    """Run ``ascent-lab train --resume FILE``: 0 trained, 2 bad file or option, 3 diverged.
    ``figures`` draws ``--plot``/``--animate`` (:mod:`core.cli_figures`)."""
    try:
        for attribute, option in _FIXED:
            if getattr(args, attribute, None) is not None:
                raise UsageError(f"{option} cannot change a resumed session (it keeps its "
                                 "own data and model)")
        steps = DEFAULT_STEPS if args.steps is None else integer(args.steps, "--steps", 0)
        try:
            data = load_session(args.resume)
        except SessionFileError as exc:
            raise UsageError(f"--resume: {exc}") from None
        settings = _overrides(args, data.settings)
        cli_figures.check(args, figures, data.X.shape[1])
        trainer = trainer_from_session(data, settings, record_every=cli_figures.record_every(
            args, 1 if settings.batch_size is None else max(1, steps), steps))
    except (UsageError, ValueError) as exc:
        return fail(PROG, str(exc))
    start = trainer.step_count
    message = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        try:
            trainer.step(steps)
        except DivergenceError as exc:
            message = (f"gradient ascent diverged at step {exc.bad_step}; reporting the last "
                       f"finite state, step {trainer.step_count}; try a smaller --lr")
        history = trainer.history
        report = {
            "resumed": str(args.resume), "workbench": data.workbench,
            "model": data.spec.to_dict(), "settings": settings.to_dict(),
            "steps_before": int(start), "steps_requested": steps,
            "steps": int(trainer.step_count),
            "log_likelihood": _value(history.log_likelihood[-1]),
            "train_accuracy": _value(history.accuracy[-1]),
            "test_log_likelihood": _value(history.test_log_likelihood[-1]),
            "test_accuracy": _value(history.test_accuracy[-1]),
            "diverged": message is not None, "message": message,
            "session_file": args.save_session, "model_file": args.save_model,
        }
    problem = save_trained(args.save_session, trainer, data.spec, settings, data.view) or \
        cli_figures.finish(args, figures, trainer, data.spec)
    if problem is None and args.save_model is not None:
        try:
            save_model(args.save_model, trainer.model, data.spec,  # type: ignore[arg-type]
                       extra={"resumed": str(args.resume), "steps": int(trainer.step_count)})
        except (OSError, ValueError) as exc:
            problem = f"--save-model {args.save_model}: cannot write the model ({exc})"
    if problem is not None:
        return fail(PROG, problem)
    if args.json:
        write(json.dumps(report, allow_nan=False) + "\n", sys.stdout)
    else:
        lines = [f"resumed {args.resume} at step {start}: {steps} more steps, now step "
                 f"{trainer.step_count}",
                 f"learning rate η = {settings.learning_rate:.6g}, batch "
                 f"{settings.batch_size or 'all'}, momentum {settings.momentum:g}",
                 f"log-likelihood (train): {history.log_likelihood[-1]:.6g}",
                 f"train accuracy: {history.accuracy[-1]:.4f}"]
        if args.save_session is not None:
            lines.append(f"session saved to {args.save_session}")
        write("\n".join(lines) + "\n", sys.stdout)
    if message is not None:
        write(f"{PROG}: {message}\n", sys.stderr)
        return EXIT_DIVERGED
    return 0


__all__ = ["EXIT_USAGE", "add_arguments", "resume", "save_path", "save_run", "save_trained"]
