"""The Digits workbench's part of every frame: the test split's confusion matrix, the
misclassified test digits, and each first-layer unit's incoming weights as an 8×8
"template". Computed in the engine's worker thread from an independent model copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core import inspection
from core.logistic import LogisticRegression
from gui.engine.frames import frozen
from gui.engine.probe import ProbeContext, ProbeResult

IMAGE_SHAPE = (8, 8)
MAX_MISTAKES = 24


@dataclass(frozen=True)
class DigitsFrame:
    """The probe's part of a frame (``Frame.probe``)."""

    confusion: NDArray[np.int64]  # (K, K): [true, predicted] counts on the test split
    mistake_images: NDArray[np.float32]  # (m, 8, 8), the first misclassified test digits
    mistake_true: NDArray[np.int64]  # (m,)
    mistake_predicted: NDArray[np.int64]  # (m,)
    mistake_rows: NDArray[np.int64]  # (m,) rows of the test split
    n_mistakes: int
    templates: NDArray[np.float32]  # (units, 8, 8): θ⁽¹⁾ of each first-layer unit
    template_level: float  # the largest |weight| (colours run −level … +level)


def first_layer_templates(model: Any) -> NDArray[np.float32]:
    """Each first-layer unit's 64 incoming weights as an 8×8 image, shape (units, 8, 8).

    Logistic regression has one unit: θ₁…θ₆₄ (θ₀, the bias, is not a pixel).
    """
    if isinstance(model, LogisticRegression):
        weights = model.theta[1:].reshape(-1, 1)
    else:
        weights = model.weights[0]
    return np.ascontiguousarray(weights.T.reshape(-1, *IMAGE_SHAPE), dtype=np.float32)


class DigitsProbe:
    """Confusion matrix, mistakes and templates for each frame."""

    def __init__(self) -> None:
        self.n_classes = 10

    def attach(self, request_frame: Callable[[], None]) -> None:
        self._request_frame = request_frame

    def compute(self, model: Any, context: ProbeContext) -> ProbeResult:
        d = context.dataset
        k = int(model.n_classes)
        predicted = context.test_predictions
        if predicted.shape != d.y_test.shape:  # predictions of older data
            predicted = inspection.predictions(model, d.X_test)
        confusion = inspection.confusion_matrix(d.y_test, predicted, k)
        wrong = np.flatnonzero(predicted != d.y_test)
        shown = wrong[:MAX_MISTAKES]
        if d.X_test.shape[1] == IMAGE_SHAPE[0] * IMAGE_SHAPE[1]:
            images = d.X_test[shown].reshape(-1, *IMAGE_SHAPE).astype(np.float32)
            templates = first_layer_templates(model)
        else:
            images = np.zeros((0, *IMAGE_SHAPE), dtype=np.float32)
            templates = np.zeros((0, *IMAGE_SHAPE), dtype=np.float32)
        level = float(np.max(np.abs(templates))) if templates.size else 1.0
        part = DigitsFrame(
            confusion=frozen(confusion), mistake_images=frozen(images),
            mistake_true=frozen(d.y_test[shown].copy()),
            mistake_predicted=frozen(predicted[shown].copy()),
            mistake_rows=frozen(shown.astype(np.int64)), n_mistakes=int(wrong.size),
            templates=frozen(templates),
            template_level=level if np.isfinite(level) and level > 0 else 1.0)
        return ProbeResult(part)
