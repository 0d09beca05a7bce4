"""Engineered input features (x₁², x₂², x₁x₂, sin x₁, sin x₂): expansion, specs, models,
training, the display grid and the unit images."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core import datasets, features
from core.grid import evaluate_grid, grid_points
from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.plane import unit_images
from core.policy import build_model, default_learning_rate
from core.specs import ModelSpec
from core.training import GradientAscent

ALL = features.FEATURES


def test_names_labels_and_the_fixed_column_order():
    assert ALL == ("x1sq", "x2sq", "x1x2", "sin1", "sin2")
    assert [features.LABELS[n] for n in ALL] == ["x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]
    assert features.input_labels(("sin2", "x1sq")) == ("x₁", "x₂", "x₁²", "sin x₂")
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    expanded = features.expand(X, ("sin2", "x1x2", "x1sq"))  # any order in, fixed order out
    a, b = X[:, 0], X[:, 1]
    np.testing.assert_array_equal(expanded, np.column_stack([a, b, a * a, a * b, np.sin(b)]))
    np.testing.assert_array_equal(features.expand(X, ()), X)
    full = features.expand(X, ALL)
    np.testing.assert_array_equal(full[:, 2:], np.column_stack(
        [a * a, b * b, a * b, np.sin(a), np.sin(b)]))


@pytest.mark.parametrize("bad, words", [(("x3sq",), "unknown feature"),
                                        (("x1sq", "x1sq"), "once"),
                                        ("x1sq", "list of names")])
def test_bad_feature_names_say_what_is_wrong(bad, words):
    with pytest.raises(ValueError, match=words):
        features.check_feature_names(bad)


def test_expand_needs_points_of_the_plane():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        features.expand(np.zeros((3, 3)), ("x1sq",))


def test_model_spec_features_validate_and_round_trip_through_json():
    spec = ModelSpec("network", hidden_units=(3,)).with_features(["sin1", "x1sq"])
    assert spec.features == ("x1sq", "sin1") and spec.n_features == 4
    assert spec.n_raw_features == 2
    assert ModelSpec.from_dict(spec.to_dict()) == spec
    assert spec.to_dict()["features"] == ["x1sq", "sin1"]
    assert spec.with_features(()) == ModelSpec("network", hidden_units=(3,))
    assert ModelSpec.from_dict({"kind": "logistic"}).features == ()  # older JSON
    with pytest.raises(ValueError, match="with_features"):
        ModelSpec().replace(features=("x1sq",))  # n_features would still be 2
    with pytest.raises(ValueError, match="unknown feature"):
        ModelSpec.from_dict({"n_features": 3, "features": ["cos1"]})
    with pytest.raises(ValueError, match="list of names"):
        ModelSpec.from_dict({"n_features": 3, "features": "x1sq"})


@pytest.mark.parametrize("kind", ["logistic", "network"])
def test_models_count_the_engineered_inputs_and_expand_raw_points(kind):
    spec = ModelSpec(kind, hidden_units=(4,)).with_features(("x1sq", "x1x2"))
    model = build_model(spec)
    assert model.n_features == 4 and model.features == ("x1sq", "x1x2")
    assert model.n_weights == (4 if kind == "logistic" else 4 * 4 + 4)
    X = np.random.default_rng(0).normal(size=(6, 2))
    if isinstance(model, LogisticRegression):
        model.theta = [0.1, 0.2, -0.3, 0.4, -0.5]
    np.testing.assert_array_equal(model.predict_proba(X),
                                  model.predict_proba(features.expand(X, model.features)))
    with pytest.raises(ValueError, match="3 features"):
        model.predict_proba(np.zeros((2, 3)))


def test_logistic_regression_with_squares_separates_the_circles():
    """x₁² and x₂² make the circles linearly separable: the default η reaches ≥ 95 %."""
    X, y = datasets.make("circles", 200, seed=0)
    spec = ModelSpec("logistic").with_features(("x1sq", "x2sq"))
    model = build_model(spec)
    eta = default_learning_rate(spec, X)  # raw points: expanded inside
    assert eta == default_learning_rate(spec, features.expand(X, spec.features))
    trainer = GradientAscent(model, X, y, eta)  # raw points: expanded by the trainer
    assert trainer.X.shape == (200, 4)
    trainer.step(500)
    assert trainer.accuracy >= 0.95
    assert np.all(np.diff(trainer.history.log_likelihood) >= -1e-9)  # η = 1/L still climbs
    plain = GradientAscent(LogisticRegression(2), X, y, default_learning_rate(ModelSpec(), X))
    plain.step(500)
    assert plain.accuracy < 0.75  # without them, a line cannot do it


VIEW = ((-6.0, 6.0), (-4.0, 5.0))


@pytest.mark.parametrize("chosen", [("x1sq", "x2sq"), ("sin1", "sin2"), ("x1x2",), ALL])
def test_grid_evaluates_logistic_regression_with_features(chosen):
    model = LogisticRegression(2 + len(chosen), features=chosen)
    model.theta = np.random.default_rng(3).normal(0.0, 0.5, model.theta.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = evaluate_grid(model, *VIEW, 41)
    expected = model.predict_proba(grid_points(*VIEW, 41)).reshape(41, 41)
    np.testing.assert_allclose(grid.probability, expected, rtol=0, atol=2e-6)
    assert not grid.is_regression


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
@pytest.mark.parametrize("chosen", [("x1sq", "sin2"), ("x1x2",), ALL])
@pytest.mark.parametrize("hidden", [(), (6,), (5, 3)])
def test_grid_evaluates_networks_with_features(activation, chosen, hidden):
    net = NeuralNetwork(2 + len(chosen), hidden, activation, seed=1, features=chosen)
    for p in net.parameters:
        p += np.random.default_rng(7).normal(0.0, 0.2, size=p.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = evaluate_grid(net, *VIEW, 41)
        plain = evaluate_grid(net, *VIEW, 41, with_hidden=False)
    X = grid_points(*VIEW, 41)
    expected = net.predict_proba(X).reshape(41, 41)
    np.testing.assert_allclose(grid.probability, expected, rtol=0, atol=3e-6)
    np.testing.assert_allclose(plain.probability, expected, rtol=0, atol=3e-6)
    for maps, a in zip(grid.hidden, net.forward(X)[1:-1], strict=True):
        scale = max(1.0, np.abs(a).max())
        np.testing.assert_allclose(maps.reshape(a.shape[1], -1).T, a, rtol=0,
                                   atol=3e-6 * scale)


def test_grid_with_features_and_softmax():
    net = NeuralNetwork(4, (5,), "tanh", n_classes=3, seed=2, features=("x1sq", "x1x2"))
    grid = evaluate_grid(net, *VIEW, 31)
    expected = net.predict_proba(grid_points(*VIEW, 31))
    np.testing.assert_allclose(grid.softmax.reshape(3, -1).T, expected, rtol=0, atol=2e-6)


def test_unit_images_show_every_input_including_the_engineered_ones():
    net = NeuralNetwork(5, (3,), "tanh", seed=0, features=("x1sq", "x1x2", "sin2"))
    images = unit_images(net, (-6.0, 6.0), (-6.0, 6.0), resolution=13)
    inputs = images.images[0]
    assert inputs.shape == (5, 13, 13)
    assert images.input_labels == ("x₁", "x₂", "x₁²", "x₁x₂", "sin x₂")
    xs = np.linspace(-6.0, 6.0, 13)
    grid_x, grid_y = np.meshgrid(xs, xs, indexing="ij")
    for image, expected in zip(inputs, [grid_x, grid_y, grid_x ** 2, grid_x * grid_y,
                                        np.sin(grid_y)], strict=True):
        np.testing.assert_allclose(image, expected, rtol=1e-6, atol=1e-6)
    assert images.levels[0] == (-6.0, 6.0)  # the layer's range, as before
    assert images.input_levels[:2] == [(-6.0, 6.0)] * 2
    assert images.input_levels[2] == pytest.approx((-36.0, 36.0))
    assert images.input_levels[3] == pytest.approx((-36.0, 36.0))
    assert images.input_levels[4][1] == pytest.approx(np.abs(np.sin(xs)).max(), rel=1e-6)
    assert [i.shape[0] for i in images.images] == [5, 3, 1]
    # without features: two inputs, as before
    plain = unit_images(NeuralNetwork(2, (3,)), (-6.0, 6.0), (-6.0, 6.0), resolution=13)
    assert plain.images[0].shape == (2, 13, 13) and plain.input_labels == ("x₁", "x₂")
