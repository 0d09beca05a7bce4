"""Inside the ascent (issue 12): the lecture's loop one example at a time, the LL
landscape, the hidden space a network maps the plane into, and the margins θᵀx."""

from __future__ import annotations

import numpy as np
import pytest

from core import LogisticRegression, NeuralNetwork, datasets, inspection
from core.hidden_space import hidden_coordinates, output_line, warped_grid
from core.landscape import (
    flat_parameters,
    local_maxima,
    log_likelihood_slice,
    parameter_location,
    profile,
    slice_maximum,
)
from core.training import GradientAscent
from core.walkthrough import LINE_ACCUMULATE, LINE_RESET, LINE_UPDATE, ExampleWalkthrough


def _data(name: str = "overlap", n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    return datasets.make(name, n_samples=n, seed=3)


def _logistic() -> LogisticRegression:
    model = LogisticRegression(2)
    model.theta = [0.3, -0.5, 0.8]
    return model


def _models() -> list[LogisticRegression | NeuralNetwork]:
    return [_logistic(), NeuralNetwork(2, (3,), "tanh", seed=2),
            NeuralNetwork(2, (4, 2), "sigmoid", seed=5),
            NeuralNetwork(2, (3,), "relu", n_classes=3, seed=1)]


# --- the walkthrough ----------------------------------------------------------------------

@pytest.mark.parametrize("index", range(4))
def test_a_walkthrough_pass_is_one_gradient_ascent_step(index: int) -> None:
    model = _models()[index]
    X, y = _data()
    if model.n_classes == 3:
        y = np.arange(len(y)) % 3
    start = [p.copy() for p in model.parameters]
    twin = inspection.clone_model(model)
    walk = ExampleWalkthrough(model, X, y, 0.05)
    assert walk.line == LINE_RESET and walk.position == 0 and not walk.done
    first = walk.step_example()
    assert first.index == 0 and walk.position == 1 and walk.line == LINE_ACCUMULATE
    for _ in range(len(y) // 2):
        walk.step_example()
    for p, s in zip(model.parameters, start, strict=True):  # θ only moves in finish_pass
        np.testing.assert_array_equal(p, s)
    theta = walk.finish_pass()
    assert walk.done and walk.line == LINE_UPDATE and walk.position == len(y)
    whole = twin.gradient(X, y)
    whole = whole if isinstance(whole, list) else [whole]
    for g, w in zip(walk.gradient, whole, strict=True):
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-12)
    GradientAscent(twin, X, y, 0.05).step(1)
    for p, t, q in zip(model.parameters, theta, twin.parameters, strict=True):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(p, t)


def test_an_example_contribution_is_the_lectures_term() -> None:
    model = _logistic()
    X, y = _data()
    walk = ExampleWalkthrough(model, X, y, 0.1)
    walk.step_example()
    c = walk.step_example()
    assert c.index == 1 and c.y == y[1]
    np.testing.assert_array_equal(c.x, X[1])
    assert c.z == pytest.approx(0.3 - 0.5 * X[1, 0] + 0.8 * X[1, 1], abs=1e-14)
    assert c.y_hat == pytest.approx(1 / (1 + np.exp(-c.z)), abs=1e-15)
    assert c.residual == pytest.approx(y[1] - c.y_hat, abs=1e-15)
    np.testing.assert_allclose(c.contribution[0], c.residual * np.array([1.0, *X[1]]),
                               atol=1e-15)
    np.testing.assert_allclose(walk.gradient[0], walk.contribution(0).contribution[0]
                               + c.contribution[0], atol=1e-15)


def test_passes_repeat_and_an_unfinished_pass_refuses_more_examples() -> None:
    model = _logistic()
    X, y = _data(n=8)
    twin = _logistic()
    walk = ExampleWalkthrough(model, X, y, 0.2)
    for _ in range(len(y)):
        walk.step_example()
    with pytest.raises(RuntimeError):
        walk.step_example()
    walk.finish_pass()
    walk.step_example()  # a new pass: gradient = 0 then the first example
    assert walk.position == 1 and not walk.done and walk.line == LINE_ACCUMULATE
    walk.finish_pass()
    walk.finish_pass()  # a whole pass more
    assert walk.passes == 3
    GradientAscent(twin, X, y, 0.2).step(3)
    np.testing.assert_allclose(model.theta, twin.theta, rtol=0, atol=1e-12)
    with pytest.raises(TypeError):
        from core.regression import LinearRegression
        ExampleWalkthrough(LinearRegression(2), X, y, 0.1)  # type: ignore[arg-type]


# --- the landscape ------------------------------------------------------------------------

def test_slice_values_are_the_models_log_likelihood() -> None:
    X, y = _data()
    for model, pair in ((_logistic(), (1, 2)), (NeuralNetwork(2, (3,), seed=1), (0, 10))):
        start = flat_parameters(model)
        a = np.linspace(-2, 2, 5)
        b = np.linspace(-1, 3, 4)
        values = log_likelihood_slice(model, X, y, pair, a, b)
        assert values.shape == (5, 4)
        np.testing.assert_array_equal(flat_parameters(model), start)  # model unchanged
        for i, j in ((0, 0), (2, 3), (4, 1)):
            probe = inspection.clone_model(model)
            for index, v in zip(pair, (a[i], b[j]), strict=True):
                k, where = parameter_location(probe, index)
                probe.parameters[k][where] = v
            assert values[i, j] == pytest.approx(probe.log_likelihood(X, y), abs=1e-9)
        line = profile(model, X, y, pair[0], a)
        assert line.shape == (5,)
        here = flat_parameters(model)[pair[1]]
        np.testing.assert_allclose(line, log_likelihood_slice(model, X, y, pair, a, [here])[:, 0],
                                   atol=1e-9)
    with pytest.raises(IndexError):
        profile(_logistic(), X, y, 3, a)


@pytest.mark.parametrize("pair", [(0, 1), (1, 2), (0, 2)])
def test_logistic_slices_are_concave_with_a_single_peak(pair: tuple[int, int]) -> None:
    X, y = _data()
    a = np.linspace(-4, 4, 41)
    b = np.linspace(-4, 4, 41)
    f = log_likelihood_slice(_logistic(), X, y, pair, a, b)
    tol = 1e-9
    assert np.all(np.diff(f, 2, axis=0) <= tol)
    assert np.all(np.diff(f, 2, axis=1) <= tol)
    h = a[1] - a[0]
    faa = (f[2:, 1:-1] - 2 * f[1:-1, 1:-1] + f[:-2, 1:-1]) / h**2
    fbb = (f[1:-1, 2:] - 2 * f[1:-1, 1:-1] + f[1:-1, :-2]) / h**2
    fab = (f[2:, 2:] - f[2:, :-2] - f[:-2, 2:] + f[:-2, :-2]) / (4 * h * h)
    assert np.all(faa <= tol) and np.all(fbb <= tol)
    assert np.all(faa * fbb - fab**2 >= -1e-6 * np.maximum(1.0, faa * fbb))
    assert int(local_maxima(f).sum()) == 1
    top = slice_maximum(f, a, b)
    assert local_maxima(f)[top.i, top.j]
    assert top.log_likelihood == f.max() and (top.a, top.b) == (a[top.i], b[top.j])


# --- the hidden space ---------------------------------------------------------------------

def test_the_output_line_separates_mapped_points_as_the_model_predicts() -> None:
    X, y = _data("xor", 120)
    model = NeuralNetwork(2, (4, 2), "tanh", seed=0)
    GradientAscent(model, X, y, 0.05).step(300)
    h = hidden_coordinates(model, X)
    assert h.shape == (120, 2)
    line = output_line(model)
    predicted = model.predict(X)
    np.testing.assert_array_equal((line.weighted_input(h) > 0).astype(int), predicted)
    assert 0 < predicted.sum() < len(predicted)
    np.testing.assert_allclose(line.weighted_input(h), inspection.margins(model, X), atol=1e-12)
    ends = line.segment((h[:, 0].min(), h[:, 0].max()), (h[:, 1].min(), h[:, 1].max()))
    assert ends is not None and ends.shape == (2, 2)
    np.testing.assert_allclose(line.weighted_input(ends), 0.0, atol=1e-9)


def test_warped_grid_maps_lines_of_the_plane() -> None:
    model = NeuralNetwork(2, (5,), "sigmoid", seed=3)
    x1_lines, x2_lines = warped_grid(model, (-2, 2), (-1, 1), n_lines=3, resolution=7,
                                     units=(1, 3))
    assert x1_lines.shape == x2_lines.shape == (3, 7, 2)
    h = model.forward(np.array([[-2.0, -1.0], [0.0, 1.0 / 3.0], [2.0, 1.0]]))[-2][:, [1, 3]]
    np.testing.assert_allclose(x1_lines[0, 0], h[0])
    np.testing.assert_allclose(x1_lines[1, 4], h[1])
    np.testing.assert_allclose(x2_lines[2, 6], h[2])


def test_more_than_two_units_hold_the_others_at_their_mean() -> None:
    X, _ = _data()
    model = NeuralNetwork(2, (4,), "tanh", seed=4)
    line = output_line(model, (2, 0), X)
    hidden = model.forward(X)[-2]
    np.testing.assert_allclose(line.held, hidden[:, [1, 3]].mean(axis=0))
    at_mean = hidden.copy()
    at_mean[:, [1, 3]] = line.held
    z = at_mean @ model.weights[-1][:, 0] + model.biases[-1][0]
    np.testing.assert_allclose(line.weighted_input(at_mean[:, [2, 0]]), z, atol=1e-12)
    with pytest.raises(ValueError):
        output_line(model, (0, 1))
    with pytest.raises(ValueError):
        output_line(NeuralNetwork(2, (1,)), (0, 1))
    with pytest.raises(TypeError):
        hidden_coordinates(LogisticRegression(2), X)  # type: ignore[arg-type]


# --- margins ------------------------------------------------------------------------------

def test_margins_are_the_readouts_weighted_input() -> None:
    X, _ = _data(n=10)
    for model in _models():
        m = inspection.margins(model, X)
        for x, value in zip(X, m, strict=True):
            z = inspection.readout(model, x).weighted_inputs[-1]
            np.testing.assert_allclose(value, z[0] if z.shape == (1,) else z, atol=1e-12)
    logistic = _logistic()
    np.testing.assert_allclose(inspection.margins(logistic, X),
                               0.3 - 0.5 * X[:, 0] + 0.8 * X[:, 1], atol=1e-14)
