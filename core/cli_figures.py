"""``ascent-lab train``'s exports: ``--plot FILE.png`` (the final boundary and LL curve),
``--animate FILE.gif`` (or ``.mp4``: the run over its recorded history), ``--history-csv``
and ``--parameters-csv`` (:mod:`core.export_csv`).

The CSV files are written here. The figures need Qt, which ``core`` never imports: the
caller passes a *figure maker* (``gui.export.cli_figures``, which ``ascent-lab train``
passes to :func:`core.cli.main`) that draws them offscreen; without one, ``--plot`` and
``--animate`` are refused in one line. Bad paths (a missing or read-only folder, a wrong
extension) are refused before training, with exit status 2.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core import export_csv
from core.cli_common import UsageError, integer, positive_number
from core.recording import DEFAULT_FPS, DEFAULT_FRAMES, MAX_FRAMES
from core.specs import ModelSpec
from core.training import GradientAscent

DEFAULT_SIZE = (960, 480)
"""--figure-size: width × height in pixels of --plot and of every --animate frame."""
MAX_SIDE = 4096
MIN_SIZE = (320, 180)  # smaller, the two plots and their axes have no room


@dataclass(frozen=True)
class FigureRequest:
    """What a figure maker draws: the finished run and where to write what."""

    trainer: GradientAscent
    spec: ModelSpec
    plot: Path | None
    animate: Path | None
    frames: int
    fps: float
    size: tuple[int, int]


class FigureMaker(Protocol):
    """Draws ``--plot`` and ``--animate`` (``gui.export.cli_figures``)."""

    animation_suffixes: tuple[str, ...]  # what --animate can write here (".gif", ".mp4")

    def __call__(self, request: FigureRequest) -> str | None:
        """Write the figures; return None, or a one-line error message."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export options to ``parser`` (in their own group)."""
    group = parser.add_argument_group(
        "exports", "Figures drawn offscreen after training (2-D data only) and CSV files.")
    group.add_argument("--plot", metavar="FILE.png",
                       help="draw the final decision boundary over the points, beside the "
                       "log-likelihood curve, into a PNG image")
    group.add_argument("--animate", metavar="FILE.gif",
                       help="animate training over the recorded history (the boundary and "
                       "the LL curve with a moving marker): an animated GIF, or .mp4 when "
                       "the optional 'video' extra (imageio-ffmpeg) is installed")
    group.add_argument("--frames", metavar="N",
                       help=f"frames of --animate, spread evenly over the run (default "
                       f"{DEFAULT_FRAMES}, at most {MAX_FRAMES})")
    group.add_argument("--fps", metavar="F",
                       help=f"frames per second of --animate (default {DEFAULT_FPS:g})")
    group.add_argument("--figure-size", metavar="WxH",
                       help=f"size in pixels of --plot and of the --animate frames (default "
                       f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]})")
    group.add_argument("--history-csv", metavar="FILE",
                       help="write the history (step, log-likelihood, accuracy, test LL, test "
                       "accuracy, objective) as CSV")
    group.add_argument("--parameters-csv", metavar="FILE",
                       help="write every parameter (layer, row, column, name, value) as CSV")


def _check_path(option: str, text: str | None, suffixes: tuple[str, ...]) -> Path | None:
    if text is None:
        return None
    path = Path(text)
    if suffixes and path.suffix.lower() not in suffixes:
        raise UsageError(f"{option} {text}: the file name must end in "
                         f"{' or '.join(suffixes)}")
    folder = path.absolute().parent
    if path.is_dir() or not folder.is_dir():
        raise UsageError(f"{option} {text}: give a file path in an existing folder")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{option} {text}: the folder {folder} is not writable")
    return path


def parse_size(text: str | None) -> tuple[int, int]:
    """``"960x480"`` → (960, 480); None → :data:`DEFAULT_SIZE`."""
    if text is None:
        return DEFAULT_SIZE
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        width = height = 0
    if not (MIN_SIZE[0] <= width <= MAX_SIDE and MIN_SIZE[1] <= height <= MAX_SIDE):
        raise UsageError(f"--figure-size must be WIDTHxHEIGHT in pixels, from "
                         f"{MIN_SIZE[0]}x{MIN_SIZE[1]} to {MAX_SIDE}x{MAX_SIDE}, e.g. 960x480, "
                         f"got {text}")
    return width, height


def wants_figures(args: argparse.Namespace) -> bool:
    return args.plot is not None or args.animate is not None


def check(args: argparse.Namespace, figures: FigureMaker | None, n_features: int) -> None:
    """Refuse bad export options before training (UsageError, exit status 2)."""
    _check_path("--history-csv", args.history_csv, (".csv",))
    _check_path("--parameters-csv", args.parameters_csv, (".csv",))
    for option in ("--frames", "--fps", "--figure-size"):
        if getattr(args, option[2:].replace("-", "_")) is not None and args.animate is None \
                and not (option == "--figure-size" and args.plot is not None):
            raise UsageError(f"{option} applies to --animate"
                             + (" and --plot" if option == "--figure-size" else ""))
    options(args)
    if not wants_figures(args):
        return
    if figures is None:
        raise UsageError("--plot and --animate draw with the app's GUI package (Qt): run "
                         "them as 'ascent-lab train …' with the app installed")
    _check_path("--plot", args.plot, (".png",))
    _check_path("--animate", args.animate, tuple(figures.animation_suffixes))
    if n_features != 2:
        raise UsageError(f"--plot and --animate draw the plane of x₁ and x₂: they need data "
                         f"of 2 features, these have {n_features}")


def options(args: argparse.Namespace) -> tuple[int, float, tuple[int, int]]:
    """(frames, fps, size) of the figures."""
    frames = DEFAULT_FRAMES if args.frames is None else integer(args.frames, "--frames", 1)
    if frames > MAX_FRAMES:
        raise UsageError(f"--frames must be at most {MAX_FRAMES}, got {args.frames}")
    fps = DEFAULT_FPS if args.fps is None else positive_number(args.fps, "--fps")
    if not 0.5 <= fps <= 60.0:
        raise UsageError(f"--fps must be between 0.5 and 60, got {args.fps}")
    return frames, fps, parse_size(args.figure_size)


def record_every(args: argparse.Namespace, default: int, steps: int) -> int:
    """How often to record: ``default``, or often enough that --animate has its frames
    (a mini-batch run otherwise records only its start and end)."""
    if args.animate is None:
        return default
    frames = options(args)[0]
    return max(1, min(default, steps // max(frames - 1, 1)))


def finish(args: argparse.Namespace, figures: FigureMaker | None, trainer: GradientAscent,
           spec: ModelSpec) -> str | None:
    """Write the CSV files and have ``figures`` draw; an error message, or None."""
    for option, text, content in (
            ("--history-csv", args.history_csv,
             lambda: export_csv.history_csv(trainer.history.as_arrays())),
            ("--parameters-csv", args.parameters_csv,
             lambda: export_csv.parameters_csv(trainer.model.parameters,
                                               export_csv.network_layout(spec)))):
        if text is not None:
            try:
                export_csv.write_csv(text, content())
            except OSError as exc:
                return f"{option} {text}: cannot write it ({exc.strerror or exc})"
    if not wants_figures(args) or figures is None:
        return None
    frames, fps, size = options(args)
    return figures(FigureRequest(trainer, spec, None if args.plot is None else Path(args.plot),
                                 None if args.animate is None else Path(args.animate),
                                 frames, fps, size))


__all__ = ["DEFAULT_SIZE", "MIN_SIZE", "FigureMaker", "FigureRequest", "add_arguments", "check",
           "finish", "options", "parse_size", "record_every", "wants_figures"]
