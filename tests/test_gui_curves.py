"""The shared curves widget on its own: what its axes show for the history it is given."""

from __future__ import annotations

import numpy as np

from core.specs import ModelSpec
from gui.engine.frames import Frame, HistoryMirror


def _frame(accuracy: np.ndarray, spec: ModelSpec) -> Frame:
    n = len(accuracy)
    history = {c: np.zeros(n) for c in HistoryMirror.empty()}
    history["steps"] = np.arange(n, dtype=float)
    history["accuracy"] = accuracy
    history["test_log_likelihood"] = np.full(n, np.nan)
    return Frame(seq=1, step=n - 1, data_version=1, model_version=1, running=False,
                 preview=False, log_likelihood=0.0, accuracy=float(accuracy[-1]),
                 test_log_likelihood=np.nan, test_accuracy=np.nan, steps_per_s=0.0, spec=spec,
                 model=None, parameters=(), gradient=(), layer_sizes=(2, 1), weights=(),
                 weight_norms=(), gradient_norms=(), history=history, history_length=n,
                 train_predictions=np.zeros(0, np.int64), test_predictions=np.zeros(0, np.int64),
                 n_train=10)


def test_a_negative_r2_is_on_the_regression_axis_but_accuracy_stays_in_0_1(qtbot):
    from gui.widgets.curves_view import CurvesView

    view = CurvesView()
    qtbot.addWidget(view)
    view.apply_frame(_frame(np.array([-0.6, -0.2, 0.3, 0.7]), ModelSpec("regression")))
    assert view.accuracy_label == "R²"
    assert view.acc_plot.getPlotItem().viewRange()[1][0] <= -0.6
    view.apply_frame(_frame(np.array([0.5, 0.6, 0.9, 0.95, 1.0]), ModelSpec("logistic")))
    assert view.accuracy_label == "accuracy"
    low, high = view.acc_plot.getPlotItem().viewRange()[1]
    assert -0.1 < low < 0 and 1 < high < 1.1
