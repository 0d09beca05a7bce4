"""core.grid.evaluate_grid: the float32 display grid against the float64 model."""

import warnings

import numpy as np
import pytest

from core.fast.display_grid import GRID_EXPONENT_SCALE, grid_activation_float32
from core.grid import evaluate_grid, grid_points
from core.network import NeuralNetwork


@pytest.mark.parametrize("name, exact", [("tanh", np.tanh),
                                         ("sigmoid", lambda z: 0.5 * (1 + np.tanh(z / 2)))])
def test_grid_activations_max_error_on_a_dense_sweep(name, exact):
    z = np.concatenate([np.linspace(-20, 20, 2_000_001),
                        [-1e30, 1e30, -np.inf, np.inf, -1e-30, 1e-30, 0.0, -0.0]])
    z = z.astype(np.float32)
    y = (np.float32(GRID_EXPONENT_SCALE[name]) * z).astype(np.float32)  # exact (×2, ×−1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid_activation_float32(name, y)
    assert y.dtype == np.float32
    assert np.abs(y - exact(z.astype(np.float64))).max() <= 2e-7
    low, high = (-1.0, 1.0) if name == "tanh" else (0.0, 1.0)
    assert np.all(y[-8:-6] == [low, high]) and np.all(y[-6:-4] == [low, high])
    nan = np.array([np.nan, -np.nan], dtype=np.float32)
    grid_activation_float32(name, nan)
    assert np.isnan(nan).all()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden", [(), (8,), (5, 3), (8,) * 6, (16, 4, 7)])
def test_grid_probability_agrees_with_predict_proba(activation, hidden):
    for seed in range(3):
        net = NeuralNetwork(2, hidden, activation, seed=seed)
        for p in net.parameters:  # trained-looking biases too
            p += np.random.default_rng(seed + 10).normal(0.0, 0.3, size=p.shape)
        view = ((-6.0, 6.0), (-4.0, 5.0))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            grid = evaluate_grid(net, *view, 61)
            plain = evaluate_grid(net, *view, 61, with_hidden=False)
        X = grid_points(*view, 61)
        expected = net.predict_proba(X).reshape(61, 61)
        assert grid.probability.dtype == np.float32 and grid.probability.shape == (61, 61)
        np.testing.assert_allclose(grid.probability, expected, rtol=0, atol=2e-6)
        np.testing.assert_allclose(plain.probability, grid.probability, rtol=0, atol=1e-6)
        assert plain.hidden == []
        activations = net.forward(X)[1:-1]
        assert len(grid.hidden) == len(hidden)
        for maps, a in zip(grid.hidden, activations, strict=True):
            assert maps.dtype == np.float32 and maps.flags.c_contiguous
            assert maps.shape == (a.shape[1], 61, 61)
            scale = max(1.0, np.abs(a).max())
            np.testing.assert_allclose(maps.reshape(a.shape[1], -1).T, a, rtol=0,
                                       atol=2e-6 * scale)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_grid_first_layer_with_huge_weights_and_nan(activation):
    net = NeuralNetwork(2, (4, 3), activation, seed=1)
    net.parameters[0][...] = [[40.0, -30.0, 0.5, 1e-3], [-25.0, 60.0, 2.0, 0.0]]
    net.parameters[1][...] = [3.0, -200.0, 0.1, 0.0]
    view = ((-5.0, 5.0), (-5.0, 5.0))
    grid = evaluate_grid(net, *view, 40)
    expected = net.predict_proba(grid_points(*view, 40)).reshape(40, 40)
    np.testing.assert_allclose(grid.probability, expected, rtol=0, atol=2e-6)
    net.parameters[0][0, 1] = np.nan
    grid = evaluate_grid(net, *view, 40)
    assert np.isnan(grid.hidden[0][1]).all() and np.isfinite(grid.hidden[0][0]).all()
