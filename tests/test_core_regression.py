"""Regression: the Gaussian log-likelihood (σ = 1), linear regression and networks with a
linear output, their presets, R² in the history; and the linear hidden activation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core import datasets
from core.formulas import LOG_SQRT_2PI, gaussian_log_likelihood, r_squared
from core.grid import evaluate_grid, grid_points
from core.inspection import model_kind, predictions, readout
from core.network import NeuralNetwork
from core.plane import unit_images
from core.policy import build_model, default_learning_rate
from core.regression import LinearRegression, RegressionNetwork, linear_regression_gradient
from core.specs import ModelSpec
from core.training import DivergenceError, GradientAscent
from tests.gradient_check import numerical_gradient


def regression_data(n=30, n_features=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    return X, 1.5 * X[:, 0] - np.sin(2 * X[:, -1]) + 0.2 * rng.normal(size=n)


def test_gaussian_log_likelihood_is_a_log_density():
    y, y_hat = np.array([1.0, -2.0, 0.5]), np.array([0.5, -1.0, 0.5])
    expected = np.sum(-0.5 * (y - y_hat) ** 2 - 0.5 * np.log(2 * np.pi))
    assert gaussian_log_likelihood(y, y_hat) == pytest.approx(expected, rel=1e-15)
    assert LOG_SQRT_2PI == pytest.approx(0.5 * np.log(2 * np.pi))
    assert r_squared(0.0, 4.0) == 1.0 and r_squared(4.0, 4.0) == 0.0
    assert np.isnan(r_squared(1.0, 0.0))


def test_linear_regression_gradient_matches_finite_differences():
    X, y = regression_data()
    model = LinearRegression(2)
    model.theta = [0.3, -0.2, 0.7]
    analytic = model.gradient(X, y)
    numeric = numerical_gradient(lambda: model.log_likelihood(X, y), model.theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(analytic, linear_regression_gradient(X, y, model.theta))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
@pytest.mark.parametrize("hidden", [(4,), (5, 3)])
def test_regression_network_gradient_matches_finite_differences(activation, hidden):
    X, y = regression_data(n_features=3)
    model = RegressionNetwork(3, hidden, activation, seed=1)
    for b in model.biases:
        b[...] = np.random.default_rng(2).normal(0, 0.3, b.shape)
    if activation == "relu":
        X = X + 0.01
    analytic = model.gradient(X, y)
    for parameter, gradient in zip(model.parameters, analytic, strict=True):
        numeric = numerical_gradient(lambda: model.log_likelihood(X, y), parameter)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("hidden", [(4,), (5, 3)])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_hidden_activation_gradient_matches_finite_differences(hidden, n_classes):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(25, 3)), rng.integers(0, n_classes, 25)
    model = NeuralNetwork(3, hidden, "linear", n_classes=n_classes, seed=1)
    for b in model.biases:
        b[...] = rng.normal(0, 0.3, b.shape)
    for parameter, gradient in zip(model.parameters, model.gradient(X, y), strict=True):
        numeric = numerical_gradient(lambda: model.log_likelihood(X, y), parameter)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-6)


def test_stacked_linear_layers_stay_linear():
    """Three linear hidden layers: the output's logit is one affine function of x."""
    net = NeuralNetwork(2, (8, 8, 8), "linear", seed=3)
    for b in net.biases:
        b += 0.4
    X = np.random.default_rng(1).normal(size=(50, 2)) * 4
    logit = np.log(net.predict_proba(X) / (1 - net.predict_proba(X)))
    W = net.weights[0] @ net.weights[1] @ net.weights[2] @ net.weights[3]
    b = net.biases[0]
    for w_next, b_next in zip(net.weights[1:], net.biases[1:], strict=True):
        b = b @ w_next + b_next
    np.testing.assert_allclose(logit, (X @ W + b)[:, 0], rtol=1e-9, atol=1e-9)
    grid = evaluate_grid(net, (-6.0, 6.0), (-6.0, 6.0), 41)
    expected = net.predict_proba(grid_points((-6.0, 6.0), (-6.0, 6.0), 41)).reshape(41, 41)
    np.testing.assert_allclose(grid.probability, expected, rtol=0, atol=2e-6)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
@pytest.mark.parametrize("hidden", [(), (6,), (5, 3)])
def test_regression_fast_path_equals_the_plain_one(activation, hidden):
    X, y = regression_data(n=200)
    spec = ModelSpec("regression", hidden_units=hidden, activation=activation, seed=2)
    model = build_model(spec)
    if isinstance(model, LinearRegression):
        model.theta = [0.5, -1.0, 2.0]
    scratch: dict = {}
    for _ in range(3):
        ll, gradients, n_correct = model._ascent_terms(X, y, scratch)
        ll_ref, gradients_ref, y_hat = model._log_likelihood_and_gradient(X, y)
        assert n_correct == 0
        assert ll == pytest.approx(ll_ref, rel=1e-12)
        for g, g_ref in zip(gradients, gradients_ref, strict=True):
            np.testing.assert_allclose(g, g_ref, rtol=0, atol=1e-10 * (1 + np.abs(g_ref).max()))
        np.testing.assert_allclose(y_hat, model.predict(X))
        ll_only, none, _ = model._ascent_terms(X, y, scratch, with_gradient=False)
        assert none == [] and ll_only == pytest.approx(ll, rel=1e-12)
        for p, g in zip(model.parameters, gradients, strict=True):
            p += 1e-3 * g


def test_linear_activation_fast_path_equals_the_plain_one():
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(300, 2)), rng.integers(0, 2, 300)
    net = NeuralNetwork(2, (6, 4), "linear", seed=0)
    ll, gradients, n_correct = net._ascent_terms(X, y, {})
    ll_ref, gradients_ref, predicted = net._log_likelihood_and_gradient(X, y)
    assert ll == pytest.approx(ll_ref, rel=1e-12)
    assert n_correct == np.count_nonzero(predicted == y)
    for g, g_ref in zip(gradients, gradients_ref, strict=True):
        np.testing.assert_allclose(g, g_ref, rtol=0, atol=1e-10 * (1 + np.abs(g_ref).max()))


@pytest.mark.parametrize("preset", datasets.REGRESSION_PRESETS)
@pytest.mark.parametrize("hidden", [(), (8,)])
def test_training_lowers_the_squared_error_on_both_presets(preset, hidden):
    X, y = datasets.make_regression(preset, 200, seed=0)
    X_train, X_test, y_train, y_test = datasets.regression_split(X, y, 0.25, seed=0)
    spec = ModelSpec("regression", hidden_units=hidden, activation="tanh")
    model = build_model(spec)
    trainer = GradientAscent(model, X_train, y_train, default_learning_rate(spec, X_train),
                             X_test=X_test, y_test=y_test)

    def squared_error():
        return float(np.sum((y_train - model.predict(X_train)) ** 2))

    before = squared_error()
    trainer.step(1500)
    assert squared_error() < 0.6 * before
    ll = np.asarray(trainer.history.log_likelihood)
    assert ll[-1] > ll[0] and np.all(np.diff(ll) >= -1e-9)
    # the accuracy columns hold R², from LL: 1 − SSE/SST
    total = np.sum((y_train - y_train.mean()) ** 2)
    assert trainer.accuracy == pytest.approx(1 - squared_error() / total, rel=1e-9)
    assert trainer.accuracy > 0.4  # a line through the parabola of regress1d: ~0.5
    test_total = np.sum((y_test - y_test.mean()) ** 2)
    test_r2 = 1 - np.sum((y_test - model.predict(X_test)) ** 2) / test_total
    assert trainer.history.test_accuracy[-1] == pytest.approx(test_r2, rel=1e-9)


def test_features_let_linear_regression_fit_the_curves():
    X, y = datasets.make_regression("regress1d", 200, seed=0)
    spec = ModelSpec("regression", hidden_units=()).with_features(("x1sq",))
    trainer = GradientAscent(build_model(spec), X, y, default_learning_rate(spec, X))
    trainer.step(1000)
    assert trainer.accuracy > 0.95
    X, y = datasets.make_regression("regress2d", 200, seed=0)
    spec = ModelSpec("regression", hidden_units=()).with_features(("sin2",))
    model = build_model(spec)
    trainer = GradientAscent(model, X, y, default_learning_rate(spec, X))
    trainer.step(1000)
    assert trainer.accuracy > 0.95
    np.testing.assert_allclose(model.theta, [0.0, 0.5, 0.0, 2.0], atol=0.1)


def test_targets_are_validated_as_finite_real_numbers():
    X, y = regression_data()
    for bad, words in ((np.where(np.arange(30) == 3, np.nan, y), "NaN or infinite"),
                       (y[:-1], "targets"), (y.astype(str), "real numbers"),
                       (y.reshape(-1, 1), "1-D")):
        with pytest.raises(ValueError, match=words):
            GradientAscent(LinearRegression(2), X, bad, 0.01)
    GradientAscent(LinearRegression(2), X, -3.7 * np.ones(30), 0.01)  # any real numbers
    with pytest.raises(ValueError, match="labels"):  # and a classifier still wants labels
        GradientAscent(build_model(ModelSpec()), X, y, 0.01)


def test_constant_targets_give_nan_r_squared():
    X, _ = regression_data()
    trainer = GradientAscent(LinearRegression(2), X, np.full(30, 2.0), 0.01)
    trainer.step(2)
    assert np.isnan(trainer.accuracy)


def test_a_far_too_large_eta_stops_with_divergence():
    X, y = datasets.make_regression("regress2d", 200, seed=0)
    trainer = GradientAscent(LinearRegression(2), X, y, 1.0)
    with pytest.raises(DivergenceError):
        trainer.step(100)
    assert trainer.step_count < 20
    assert all(np.isfinite(p).all() for p in trainer.model.parameters)


def test_presets_are_centred_real_targets_apart_from_the_classification_sets():
    assert set(datasets.REGRESSION_PRESETS) == {"regress1d", "regress2d"}
    assert not set(datasets.REGRESSION_PRESETS) & set(datasets.PRESETS)
    for name in datasets.REGRESSION_PRESETS:
        X, y = datasets.make_regression(name, 500, seed=4)
        assert X.shape == (500, 2) and y.shape == (500,) and y.dtype == np.float64
        assert np.abs(X).max() <= 6 and np.abs(y).max() <= 6.5
        assert abs(X[:, 0].mean()) < 0.5 and abs(y.mean()) < 1.5
        X2, y2 = datasets.make_regression(name, 500, seed=4)
        np.testing.assert_array_equal(X, X2)
        np.testing.assert_array_equal(y, y2)
        assert len(np.unique(y)) == 500  # real numbers, not labels
    X, _ = datasets.make_regression("regress1d", 50)
    assert np.all(X[:, 1] == 0.0)
    _, y0 = datasets.make_regression("regress2d", 50, noise=0.0)
    X, _ = datasets.make_regression("regress2d", 50, noise=0.0)
    np.testing.assert_allclose(y0, 0.5 * X[:, 0] + 2 * np.sin(X[:, 1]))
    for bad in ({"name": "blobs"}, {"name": "regress1d", "n_samples": 1},
                {"name": "regress1d", "noise": -1.0}):
        with pytest.raises(ValueError):
            datasets.make_regression(**bad)


def test_regression_split_is_not_stratified():
    X, y = datasets.make_regression("regress2d", 100, seed=0)
    X_train, X_test, y_train, y_test = datasets.regression_split(X, y, 0.2, seed=1)
    assert len(y_test) == 20 and len(y_train) == 80
    mask = datasets.random_split_mask(100, 0.2, seed=1)
    np.testing.assert_array_equal(y_test, y[mask])
    assert not datasets.random_split_mask(5, 0.0).any()
    assert datasets.random_split_mask(2, 0.9).sum() == 1


def test_regression_specs_build_the_regression_models():
    spec = ModelSpec("regression", hidden_units=())
    assert ModelSpec.from_dict(spec.to_dict()) == spec and spec.is_regression
    linear = build_model(spec)
    assert isinstance(linear, LinearRegression) and linear.regression
    assert np.all(linear.theta == 0) and model_kind(linear) == "regression"
    net = build_model(ModelSpec("regression", hidden_units=(5,), activation="relu", seed=3))
    assert isinstance(net, RegressionNetwork) and net.layer_sizes == (2, 5, 1)
    assert net.n_classes == 0 and model_kind(net) == "regression"
    with pytest.raises(TypeError, match="predict"):
        net.predict_proba(np.zeros((1, 2)))
    featured = build_model(ModelSpec("regression", hidden_units=(3,)).with_features(("x1x2",)))
    assert featured.n_features == 3 and featured.features == ("x1x2",)


@pytest.mark.parametrize("hidden", [(), (6,), (4, 3)])
@pytest.mark.parametrize("chosen", [(), ("x1sq", "x1x2")])
def test_grid_and_unit_images_show_a_regressions_prediction(hidden, chosen):
    spec = ModelSpec("regression", hidden_units=hidden, activation="tanh",
                     seed=1).with_features(chosen)
    model = build_model(spec)
    for p in model.parameters:
        p += np.random.default_rng(0).normal(0.0, 0.5, p.shape)
    view = ((-6.0, 6.0), (-5.0, 4.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = evaluate_grid(model, *view, 31)
        plain = evaluate_grid(model, *view, 31, with_hidden=False)
    expected = model.predict(grid_points(*view, 31)).reshape(31, 31)
    assert grid.is_regression and grid.prediction is grid.probability
    scale = max(1.0, np.abs(expected).max())
    np.testing.assert_allclose(grid.prediction, expected, rtol=0, atol=2e-6 * scale)
    np.testing.assert_allclose(plain.prediction, expected, rtol=0, atol=2e-6 * scale)
    images = unit_images(model, *view, resolution=31, evaluation=grid)
    assert images.images[-1].shape == (1, 31, 31)
    top = float(np.abs(grid.prediction).max())
    assert images.levels[-1] == pytest.approx((-top, top))


def test_inspection_reads_a_regression_and_raw_points():
    model = build_model(ModelSpec("regression", hidden_units=()).with_features(("x1sq",)))
    model.theta = [1.0, 2.0, 0.0, 0.5]
    reading = readout(model, [2.0, 3.0])
    assert reading.x == (2.0, 3.0, 4.0)
    np.testing.assert_allclose(reading.probabilities, [1.0 + 4.0 + 2.0])
    np.testing.assert_allclose(predictions(model, np.array([[2.0, 3.0], [0.0, 0.0]])),
                               [7.0, 1.0])
    net = build_model(ModelSpec("regression", hidden_units=(3,)))
    assert readout(net, [0.5, -0.5]).probabilities.shape == (1,)
    assert predictions(net, np.zeros((0, 2))).dtype == np.float64


@pytest.mark.parametrize("preset", datasets.PRESETS)
@pytest.mark.parametrize("hidden", [(4,), (8, 8, 8)])
def test_the_default_eta_of_linear_hidden_units_climbs_on_every_preset(preset, hidden):
    X, y = datasets.make(preset, 200, seed=0)
    spec = ModelSpec("network", hidden_units=hidden, activation="linear")
    trainer = GradientAscent(build_model(spec), X, y, default_learning_rate(spec, X))
    start = trainer.log_likelihood
    trainer.step(400)
    assert trainer.log_likelihood > start
    assert np.sum(np.diff(trainer.history.log_likelihood) < -1e-9) <= 5


@pytest.mark.parametrize("preset", datasets.REGRESSION_PRESETS)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
@pytest.mark.parametrize("hidden", [(), (8,), (8, 8, 8)])
def test_the_default_eta_of_a_regression_climbs_on_both_presets(preset, activation, hidden):
    X, y = datasets.make_regression(preset, 200, seed=0)
    spec = ModelSpec("regression", hidden_units=hidden, activation=activation)
    trainer = GradientAscent(build_model(spec), X, y, default_learning_rate(spec, X))
    trainer.step(400)
    assert np.sum(np.diff(trainer.history.log_likelihood) < -1e-9) <= 5
    assert trainer.history.log_likelihood[-1] > trainer.history.log_likelihood[0]
