"""Neural networks: logistic regressions stacked, trained by the chain rule."""

import numpy as np
import pytest

from core import GradientAscent, LogisticRegression, NeuralNetwork
from tests.gradient_check import numerical_gradient


def data(n_features, n_classes, n=25, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_features)), rng.integers(0, n_classes, n)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden_units", [(4,), (5, 3)])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_backpropagation_matches_finite_differences(activation, hidden_units, n_classes):
    X, y = data(3, n_classes)
    model = NeuralNetwork(3, hidden_units, activation, n_classes=n_classes, seed=1)
    for p in model.parameters[1::2]:  # non-zero biases so every path is exercised
        p[...] = np.random.default_rng(2).normal(0, 0.3, p.shape)
    if activation == "relu":  # keep pre-activations away from the kink at 0
        X = X + 0.01
    analytic = model.gradient(X, y)
    assert [g.shape for g in analytic] == [p.shape for p in model.parameters]
    for parameter, gradient in zip(model.parameters, analytic, strict=True):
        numeric = numerical_gradient(lambda: model.log_likelihood(X, y), parameter)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-6)


def test_the_lectures_quick_check_820_weights():
    model = NeuralNetwork(40, (20,))
    assert model.n_weights == 800 + 20
    assert model.n_biases == 20 + 1
    assert [p.shape for p in model.parameters] == [(40, 20), (20,), (20, 1), (1,)]


def test_forward_returns_every_layer_and_output_is_probability():
    X, _ = data(2, 2, n=7)
    model = NeuralNetwork(2, (8, 4), "tanh")
    layers = model.forward(X)
    assert [a.shape for a in layers] == [(7, 2), (7, 8), (7, 4), (7, 1)]
    np.testing.assert_allclose(model.predict_proba(X), layers[-1][:, 0])
    np.testing.assert_array_equal(model.predict(X), (layers[-1][:, 0] > 0.5).astype(int))


def test_softmax_output_sums_to_one_over_classes():
    X, _ = data(4, 10, n=9)
    proba = NeuralNetwork(4, (6,), n_classes=10).predict_proba(X)
    assert proba.shape == (9, 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_parameters_are_the_models_own_arrays():
    X, _ = data(2, 2, n=5)
    model = NeuralNetwork(2, (3,))
    before = model.predict_proba(X)
    model.parameters[-1][...] += 5.0  # output bias
    assert np.all(model.predict_proba(X) > before)


def test_seed_makes_init_reproducible_and_zero_init_keeps_units_identical():
    a, b = NeuralNetwork(2, (4,), seed=3), NeuralNetwork(2, (4,), seed=3)
    for p, q in zip(a.parameters, b.parameters, strict=True):
        np.testing.assert_array_equal(p, q)
    assert not np.allclose(a.parameters[0], NeuralNetwork(2, (4,), seed=4).parameters[0])

    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float) * 4 - 2
    y = np.array([0, 1, 1, 0])
    model = NeuralNetwork(2, (4,), init="zeros")
    GradientAscent(model, X, y, learning_rate=0.1).step(200)
    hidden = model.forward(X)[1]
    # symmetric units receive identical gradients: they never differ
    np.testing.assert_allclose(hidden, hidden[:, :1].repeat(4, axis=1))


def test_network_learns_xor_to_100_percent():
    rng = np.random.default_rng(0)
    corners = np.array([[-2, -2], [-2, 2], [2, -2], [2, 2]], dtype=float)
    labels = np.array([0, 1, 1, 0])
    index = rng.integers(0, 4, 200)
    X = corners[index] + rng.normal(0, 0.5, (200, 2))
    y = labels[index]
    assert LogisticRegression(2).n_weights == 2
    model = NeuralNetwork(2, (8,), "tanh", seed=0)
    trainer = GradientAscent(model, X, y, learning_rate=0.01)
    trainer.step(1500)
    assert np.mean(model.predict(X) == y) == 1.0


def test_no_hidden_layer_network_is_logistic_regression():
    X, y = data(2, 2, n=30)
    network = NeuralNetwork(2, (), init="zeros")
    logistic = LogisticRegression(2)
    assert network.log_likelihood(X, y) == pytest.approx(logistic.log_likelihood(X, y))
    g = network.gradient(X, y)
    np.testing.assert_allclose(np.concatenate([g[1], g[0][:, 0]]), logistic.gradient(X, y))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"activation": "softplus"}, "activation"), ({"hidden_units": (0,)}, "unit"),
     ({"n_classes": 1}, "n_classes"), ({"init": "ones"}, "init")],
)
def test_bad_configuration_is_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NeuralNetwork(2, **kwargs)


def test_labels_outside_classes_are_rejected():
    with pytest.raises(ValueError, match="labels in 0..2"):
        NeuralNetwork(2, (3,), n_classes=3).log_likelihood(np.ones((2, 2)), [0, 3])
