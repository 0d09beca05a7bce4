"""``ascent-lab predict``: read drawn digits with a saved model, without a window.

Usage::

    ascent-lab predict --model FILE.npz IMAGES.npy [--binarize] [--json]

``FILE.npz`` is a model saved by ``ascent-lab train ... --save-model FILE.npz`` (64 input
features: the 8×8 digits). ``IMAGES.npy`` holds an (n, H, W) float array of ink in [0, 1],
white (1) on black (0), any H and W (e.g. 280×280 drawings); every image goes through
:func:`core.digits.preprocess` and the model gives its two most likely classes.

``--json`` prints a list with one object per image::

    {"index": 0, "first": 7, "first_probability": 0.93, "second": 1,
     "second_probability": 0.05, "empty": false}

(``empty``: the image has no ink, so the answer is the model's guess for a blank board).
Without ``--json``, one readable line per image.

Exit status: 0 done, 2 bad arguments, a bad model file or a bad image file (one line on
stderr, never a traceback).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core import digits
from core.cli_common import Parser as _Parser
from core.cli_common import UsageError, fail, write
from core.logistic import LogisticRegression
from core.model_io import load_model
from core.network import NeuralNetwork
from core.policy import Model

__all__ = ["PROG", "Prediction", "build_parser", "main", "predict_images", "top_two"]

PROG = "ascent-lab predict"
EXIT_OK = 0

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Prediction:
    """A model's two most likely classes for one image."""

    index: int
    first: int
    first_probability: float
    second: int
    second_probability: float
    empty: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {"index": self.index, "first": self.first,
                "first_probability": self.first_probability, "second": self.second,
                "second_probability": self.second_probability, "empty": self.empty}


def build_parser() -> _Parser:
    """The parser of ``ascent-lab predict`` (errors raise UsageError)."""
    parser = _Parser(
        prog=PROG,
        description="Read drawn digits (an (n, H, W) .npy array of ink in [0, 1], white on "
        "black) with a model saved by 'ascent-lab train ... --save-model FILE'.",
        epilog="Exit status: 0 done, 2 bad arguments, model file or image file.",
    )
    parser.add_argument("--model", required=True, metavar="FILE",
                        help="a model file written by 'ascent-lab train --save-model'")
    parser.add_argument("images", metavar="IMAGES.npy",
                        help="an (n, H, W) float array of ink in [0, 1], white on black")
    parser.add_argument("--binarize", action="store_true",
                        help="threshold the features at 0.5 (the lecture's 0/1 vector); "
                        "use it for a model trained on binarized digits")
    parser.add_argument("--json", action="store_true", help="print one JSON list")
    return parser


def top_two(probabilities: FloatArray) -> tuple[NDArray[np.int64], FloatArray]:
    """The two most likely classes of every row and their probabilities.

    Parameters
    ----------
    probabilities : ndarray of shape (n, K), K >= 2, rows summing to 1

    Returns
    -------
    classes : ndarray of shape (n, 2), int64
        Most likely first; ties go to the smaller class.
    chosen : ndarray of shape (n, 2)
        Their probabilities.
    """
    order = np.argsort(-probabilities, axis=1, kind="stable")[:, :2].astype(np.int64)
    return order, np.take_along_axis(probabilities, order, axis=1)


def _class_probabilities(model: Model, features: FloatArray) -> FloatArray:
    """P(Y = k | x) for every class, shape (n, K): [1 − p, p] for one σ output."""
    if not isinstance(model, (LogisticRegression, NeuralNetwork)):
        raise ValueError("a regression model has no class probabilities")
    proba = np.asarray(model.predict_proba(features), dtype=np.float64)
    if proba.ndim == 1:
        return np.column_stack([1.0 - proba, proba])
    return proba


def predict_images(model: Model, images: FloatArray, binarize: bool = False
                   ) -> list[Prediction]:
    """Preprocess every image (:func:`core.digits.preprocess`) and read it with ``model``.

    Parameters
    ----------
    model : LogisticRegression or NeuralNetwork
        With 64 input features.
    images : ndarray of shape (n, H, W)
        Ink in [0, 1], white on black.
    binarize : bool
        Threshold the features at 0.5.

    Returns
    -------
    list of Prediction, one per image

    Raises
    ------
    ValueError
        If the images are not an (n, H, W) array of ink in [0, 1], or the model does not
        read 64 features.
    """
    expected = digits.GRID * digits.GRID
    if model.n_features != expected:
        raise ValueError(f"the model reads {model.n_features} features, but predict turns "
                         f"drawings into the {expected} features of the 8×8 digits; train "
                         "it with --preset digits or digits01")
    stack = digits.check_images(images)
    if len(stack) == 0:
        return []
    features = digits.preprocess_many(stack, binarize=binarize)
    empty = [digits.ink_box(image) is None for image in stack]
    classes, chosen = top_two(_class_probabilities(model, features))
    return [Prediction(index=i, first=int(classes[i, 0]),
                       first_probability=float(chosen[i, 0]), second=int(classes[i, 1]),
                       second_probability=float(chosen[i, 1]), empty=empty[i])
            for i in range(len(stack))]


def _load_images(path: Path) -> FloatArray:
    """The (n, H, W) array in ``path``, or UsageError saying what is wrong."""
    if not path.exists():
        raise UsageError(f"{path}: no such image file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give an .npy file of shape (n, H, W)")
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise UsageError(f"{path}: not a numpy .npy array file ({exc})") from None
    if not isinstance(loaded, np.ndarray):
        loaded.close()
        raise UsageError(f"{path}: is an .npz archive; save the images with np.save as one "
                         "(n, H, W) array")
    if loaded.ndim == 2:
        raise UsageError(f"{path}: holds one 2-D image of shape {loaded.shape}; save a stack "
                         "of shape (n, H, W), e.g. np.save(path, image[None])")
    if not (np.issubdtype(loaded.dtype, np.number) or loaded.dtype == bool):
        raise UsageError(f"{path}: holds {loaded.dtype} values; expected numbers (ink in "
                         "[0, 1])")
    return np.asarray(loaded, dtype=np.float64)


def _print_human(predictions: list[Prediction]) -> None:
    """One line per image."""
    lines = []
    for p in predictions:
        note = "  (empty: no ink)" if p.empty else ""
        lines.append(f"image {p.index}: {p.first} (p = {p.first_probability:.3f}), then "
                     f"{p.second} (p = {p.second_probability:.3f}){note}")
    write("".join(line + "\n" for line in lines) or "no images\n", sys.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ascent-lab predict`` with the arguments after ``predict``.

    Returns
    -------
    int
        0 done, 2 bad arguments, model file or image file (one line on stderr).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(arguments)
    except UsageError as exc:
        return fail(PROG, str(exc))
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    try:
        try:
            model, spec = load_model(args.model)
            if spec.kind == "regression":
                raise ValueError(f"{args.model} holds a regression model; predict reads "
                                 "digits with a classifier (train one with --preset digits)")
        except FileNotFoundError:
            raise UsageError(f"--model {args.model}: no such model file") from None
        except ValueError as exc:
            raise UsageError(f"--model {exc}") from None
        images = _load_images(Path(args.images))
        try:
            predictions = predict_images(model, images, binarize=bool(args.binarize))
        except ValueError as exc:
            raise UsageError(f"{args.images}: {exc}") from None
    except UsageError as exc:
        return fail(PROG, str(exc))
    if args.json:
        write(json.dumps([p.to_dict() for p in predictions], allow_nan=False) + "\n",
              sys.stdout)
    else:
        _print_human(predictions)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
