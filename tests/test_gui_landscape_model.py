"""The landscape panel's bookkeeping (no drawing): sticky axis ranges, the ascent path
grown in place, and a grid computed a piece at a time equal to core's in one go."""

from __future__ import annotations

import numpy as np

from core import LogisticRegression, datasets
from core.landscape import log_likelihood_slice
from gui.playground.panels.landscape_model import (
    AscentPath,
    Job,
    describe_slice,
    fit_range,
    grid_task,
    logistic_choice,
    nice_scale,
)


def test_a_range_holds_the_path_and_stays_while_the_path_stays_inside() -> None:
    first = fit_range(None, np.array([0.0, 2.0]))
    assert first[0] < 0.0 and first[1] > 2.0
    assert fit_range(first, np.array([0.2, 1.9])) == first  # inside: unchanged
    grown = fit_range(first, np.array([0.0, 5.0]))  # the path left it
    assert grown != first and grown[1] > 5.0
    assert fit_range(grown, np.array([1.0, 1.01]))[1] - fit_range(
        grown, np.array([1.0, 1.01]))[0] < grown[1] - grown[0]  # far inside: shrinks
    assert nice_scale(0.037) == 0.02 and nice_scale(730.0) == 500.0


def test_the_path_grows_in_place_and_thins_a_long_run() -> None:
    path = AscentPath()
    for step in range(AscentPath.MAX_POINTS + 10):
        path.append(step, np.array([step, -step], dtype=float))
    assert path.length < AscentPath.MAX_POINTS
    assert path.steps[0] == 0 and path.last_step == AscentPath.MAX_POINTS + 9
    np.testing.assert_array_equal(path.values[:, 0], path.steps)  # rows stay paired
    np.testing.assert_array_equal(path.high, [AscentPath.MAX_POINTS + 9, 0])


def test_a_grid_computed_in_pieces_equals_the_slice_in_one_go() -> None:
    X, y = datasets.make("overlap", n_samples=120, seed=1)
    model = LogisticRegression(2)
    model.theta[:] = [0.2, 1.0, -0.5]
    choice = logistic_choice(())
    task, a, b = grid_task((1, 2), (-2.0, 2.0), (-1.0, 3.0), 12)
    job = Job(choice, model, X, y, model.theta.copy(), [task])
    rounds = 0
    while not job.advance(1e-6):  # a tiny budget: a few points a call
        rounds += 1
    assert rounds > 1
    expected = log_likelihood_slice(model, X, y, (1, 2), a, b)
    np.testing.assert_allclose(task.result.reshape(12, 12), expected, rtol=1e-12)


def test_a_peak_beyond_the_view_is_not_blamed_on_separable_data() -> None:
    """At θ = 0 the ±1 view of the overlapping (not separable) lecture data has its highest
    point at the edge: the caption says the top lies further out, not that the data are
    separable."""
    a = np.linspace(-1.0, 1.0, 21)
    b = np.linspace(-1.0, 1.0, 21)
    ll = -((a[:, None] - 3.0) ** 2 + (b[None, :] - 2.0) ** 2)  # a top at (3, 2), outside
    head, best, _ = describe_slice(logistic_choice(()), a, b, ll)
    assert best == (1.0, 1.0)
    assert "top lies further out" in head
    assert "(separable data make" not in head
