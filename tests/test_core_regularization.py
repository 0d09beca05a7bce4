"""Regularization as a prior: L2 (Gaussian prior) and L1 (Laplace prior) on the weights,
MAP instead of MLE, the objective in the history, biases never penalised."""

from __future__ import annotations

import numpy as np
import pytest

from core import datasets
from core.formulas import (
    l1_penalty,
    l1_penalty_gradient,
    l2_penalty,
    l2_penalty_gradient,
    map_objective,
)
from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.policy import default_learning_rate, step_with_prior
from core.specs import ModelSpec, TrainingSettings
from core.training import (
    HISTORY_COLUMNS,
    GradientAscent,
    History,
    add_prior_gradient,
    penalized_weights,
    weight_slices,
)
from tests.gradient_check import numerical_gradient


def test_penalty_formulas():
    w = [np.array([1.0, -2.0]), np.array([[3.0], [0.0]])]
    assert l2_penalty(w, 0.5) == pytest.approx(0.5 * 14.0)
    assert l1_penalty(w, 0.5) == pytest.approx(0.5 * 6.0)
    np.testing.assert_array_equal(l2_penalty_gradient(w[0], 0.5), [-1.0, 2.0])
    np.testing.assert_array_equal(l1_penalty_gradient(w[1], 0.5), [[-0.5], [0.0]])
    assert map_objective(-3.0, w) == -3.0
    assert map_objective(-3.0, w, l2=0.5, l1=0.5) == pytest.approx(-3.0 - 7.0 - 3.0)


def test_only_weights_are_penalised_never_biases():
    logistic = LogisticRegression(3)
    assert weight_slices(logistic) == [slice(1, None)]
    net = NeuralNetwork(2, (4, 3))
    assert weight_slices(net) == [slice(None), None] * 3
    views = penalized_weights(net.parameters, weight_slices(net))
    assert [v.shape for v in views] == [w.shape for w in net.weights]


def objective_and_gradient(model, X, y, l2, l1):
    slices = weight_slices(model)
    weights = penalized_weights(model.parameters, slices)
    ll = model.log_likelihood(X, y)
    gradient = model.gradient(X, y)
    gradient = [gradient] if isinstance(gradient, np.ndarray) else gradient
    add_prior_gradient(gradient, model.parameters, slices, l2, l1)
    return map_objective(ll, weights, l2, l1), gradient


@pytest.mark.parametrize("l2, l1", [(0.7, 0.0), (0.0, 0.4), (0.3, 0.2)])
@pytest.mark.parametrize("kind", ["logistic", "network"])
def test_penalised_gradient_matches_finite_differences_of_the_objective(kind, l2, l1):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] + 0.5 * rng.normal(size=30) > 0).astype(np.int64)
    if kind == "logistic":
        model = LogisticRegression(2)
        model.theta = [0.3, -0.8, 1.1]  # away from 0, where |θ| has no derivative
    else:
        model = NeuralNetwork(2, (3, 2), "tanh", seed=4)
        for b in model.biases:
            b[...] = rng.normal(0.0, 0.3, b.shape)
    _, analytic = objective_and_gradient(model, X, y, l2, l1)
    for parameter, gradient in zip(model.parameters, analytic, strict=True):
        numeric = numerical_gradient(
            lambda: objective_and_gradient(model, X, y, l2, l1)[0], parameter)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-6)
    plain = model.gradient(X, y)
    plain = [plain] if isinstance(plain, np.ndarray) else plain
    if kind == "logistic":  # θ₀'s gradient is LL's alone
        assert analytic[0][0] == plain[0][0]
    else:
        for b_analytic, b_plain in zip(analytic[1::2], plain[1::2], strict=True):
            np.testing.assert_array_equal(b_analytic, b_plain)


@pytest.mark.parametrize("kind", ["logistic", "network"])
def test_the_trainer_steps_on_the_penalised_gradient_in_the_fast_path(kind):
    X, y = datasets.make("overlap", 120, seed=1)
    model = LogisticRegression(2) if kind == "logistic" else NeuralNetwork(2, (4,), seed=0)
    if kind == "logistic":
        model.theta = [0.1, 0.5, -0.4]
    trainer = GradientAscent(model, X, y, 0.003, l2=0.8, l1=0.3)
    expected = objective_and_gradient(model, X, y, 0.8, 0.3)[1]
    before = [p.copy() for p in model.parameters]
    trainer.step(1)  # full batch: the model's fast path
    for g, g_expected in zip(trainer.gradient, expected, strict=True):
        np.testing.assert_allclose(g, g_expected, rtol=1e-10, atol=1e-12)
    for p, p0, g in zip(model.parameters, before, expected, strict=True):
        np.testing.assert_allclose(p, p0 + 0.003 * g, rtol=1e-12, atol=1e-15)


def test_a_mini_batch_gets_its_share_of_the_prior():
    X, y = datasets.make("overlap", 100, seed=2)
    model = LogisticRegression(2)
    model.theta = [0.2, 1.0, -1.0]
    trainer = GradientAscent(model, X, y, 0.01, batch_size=25, seed=0, l2=2.0)
    trainer.step(1)
    index = trainer._order[:25]  # the first batch
    before = LogisticRegression(2)  # the gradient is taken before the step
    before.theta = [0.2, 1.0, -1.0]
    expected = before.gradient(X[index], y[index])
    expected[1:] += 25 / 100 * (-2.0 * 2.0 * before.theta[1:])
    np.testing.assert_allclose(trainer.gradient[0], expected, rtol=1e-12)


def test_l2_keeps_theta_finite_on_separable_blobs():
    """On separable data the MLE's ‖θ‖ grows without bound; the MAP estimate stays put."""
    X, y = datasets.make("blobs", 200, seed=0)
    eta = default_learning_rate(ModelSpec(), X)
    norms = {}
    for l2 in (0.0, 0.5):
        model = LogisticRegression(2)
        trainer = GradientAscent(model, X, y, eta, l2=l2)
        trainer.step(3000)
        middle = np.linalg.norm(trainer.snapshots.at_or_before(1500)[1][0][1:])
        norms[l2] = (middle, np.linalg.norm(model.theta[1:]))
    assert norms[0.5][1] < norms[0.0][1]
    assert norms[0.0][1] > norms[0.0][0] * 1.05  # the MLE keeps growing
    assert norms[0.5][1] == pytest.approx(norms[0.5][0], rel=1e-3)  # the MAP converged


@pytest.mark.parametrize("l2, l1", [(1.0, 0.0), (0.0, 0.5), (0.5, 0.5)])
@pytest.mark.parametrize("model", ["logistic", "network"])
def test_the_objective_never_decreases_at_small_eta(model, l2, l1):
    X, y = datasets.make("overlap", 200, seed=3)
    net = LogisticRegression(2) if model == "logistic" else NeuralNetwork(2, (4,), seed=1)
    spec = ModelSpec() if model == "logistic" else ModelSpec("network", hidden_units=(4,))
    eta = default_learning_rate(spec, X, l2=l2) / 4
    trainer = GradientAscent(net, X, y, eta, l2=l2, l1=l1)
    trainer.step(400)
    objective = np.array(trainer.history.objective)
    assert np.all(np.diff(objective) >= -1e-9)
    assert objective[-1] > objective[0]
    weights = penalized_weights(net.parameters, weight_slices(net))
    expected = trainer.history.log_likelihood[-1] - l2_penalty(weights, l2) \
        - l1_penalty(weights, l1)
    assert objective[-1] == pytest.approx(expected, rel=1e-12)


def test_without_a_prior_the_objective_is_the_log_likelihood():
    X, y = datasets.make("xor", 80, seed=0)
    trainer = GradientAscent(NeuralNetwork(2, (4,)), X, y, 0.01)
    trainer.step(5)
    assert trainer.history.objective == trainer.history.log_likelihood
    arrays = trainer.history.as_arrays()
    assert tuple(arrays) == HISTORY_COLUMNS
    assert HISTORY_COLUMNS[:5] == ("steps", "log_likelihood", "accuracy",
                                   "test_log_likelihood", "test_accuracy")


def test_history_rows_without_an_objective_stay_valid():
    """Rows appended with the five older columns (as the GUI's child process copies
    them) take LL as their objective; truncation keeps every column aligned."""
    history = History()
    history.append(0, -5.0, 0.5, np.nan, np.nan)
    history.append(1, -4.0, 0.6, np.nan, np.nan, -4.5)
    history.append(2, -3.0, 0.7, np.nan, np.nan, -3.5)
    assert history.objective == [-5.0, -4.5, -3.5]
    history.truncate_after(1)
    assert {len(getattr(history, c)) for c in HISTORY_COLUMNS} == {2}


def test_rates_are_validated_and_can_change():
    X, y = datasets.make("blobs", 40)
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="l2"):
            GradientAscent(LogisticRegression(2), X, y, 0.01, l2=bad)
        with pytest.raises(ValueError, match="l1"):
            GradientAscent(LogisticRegression(2), X, y, 0.01, l1=bad)
    trainer = GradientAscent(LogisticRegression(2), X, y, 0.01)
    trainer.step(3)
    trainer.set_regularization(l2=2.0)
    trainer.step(3)
    ll, objective = trainer.history.log_likelihood, trainer.history.objective
    assert objective[:4] == ll[:4] and objective[-1] < ll[-1]


def test_training_settings_carry_the_rates_through_json():
    settings = TrainingSettings(l2=0.5, l1=0.25)
    assert TrainingSettings.from_dict(settings.to_dict()) == settings
    assert TrainingSettings().l2 == 0.0 and TrainingSettings().l1 == 0.0
    assert TrainingSettings.from_dict({"learning_rate": 0.1}).l2 == 0.0  # older JSON
    for bad in (-0.1, float("nan"), "1", True):
        with pytest.raises(ValueError, match="l2"):
            TrainingSettings(l2=bad)
        with pytest.raises(ValueError, match="l1"):
            TrainingSettings(l1=bad)


def test_the_default_step_makes_room_for_a_large_l2():
    X, y = datasets.make("overlap", 200, seed=0)
    spec = ModelSpec()
    assert default_learning_rate(spec, X, l2=0.0) == default_learning_rate(spec, X)
    eta = default_learning_rate(spec, X, l2=1000.0)
    assert eta < default_learning_rate(spec, X)
    assert step_with_prior(0.5, 0.0, 10) == 0.5
    trainer = GradientAscent(LogisticRegression(2), X, y, eta, l2=1000.0)
    trainer.step(200)
    assert np.all(np.diff(trainer.history.objective) >= -1e-9)
