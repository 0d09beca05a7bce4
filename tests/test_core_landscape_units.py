"""core.landscape.unit_log_likelihoods: a network unit's slice computed layer-wise equals
the model's own LL with those parameters set (log_likelihoods_at)."""

from __future__ import annotations

import numpy as np
import pytest

from core import NeuralNetwork, datasets
from core.landscape import (
    contour_segments,
    flat_parameters,
    local_maxima,
    log_likelihoods_at,
    parameter_location,
    unit_log_likelihoods,
    unit_parameter_index,
)


@pytest.mark.parametrize(("hidden", "classes", "layer", "unit"), [
    ((4, 3), 2, 0, 2), ((4, 3), 2, 1, 0), ((4, 3), 2, 2, 0), ((5,), 3, 1, 2), ((), 4, 0, 3)])
def test_a_units_slice_is_the_models_log_likelihood(hidden, classes, layer, unit) -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2))
    y = rng.integers(0, classes, size=60)
    model = NeuralNetwork(2, hidden, "tanh", n_classes=classes, seed=2)
    before = flat_parameters(model)
    fan_in = model.weights[layer].shape[0]
    rows = [0, fan_in, 1][: min(3, fan_in + 1)]
    values = rng.normal(scale=2.0, size=(17, len(rows)))
    indices = [unit_parameter_index(model, layer, unit, r) for r in rows]
    expected = log_likelihoods_at(model, X, y, indices, values)
    got = unit_log_likelihoods(model, X, y, layer, unit, rows, values)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-9)
    np.testing.assert_array_equal(flat_parameters(model), before)  # the model is unchanged


def test_unit_parameter_index_names_the_lectures_theta() -> None:
    model = NeuralNetwork(2, (3,), seed=0)
    array, where = parameter_location(model, unit_parameter_index(model, 1, 0, 2))
    assert (array, where) == (2, (1, 0))  # θ⁽²⁾₂,₁ = W2[1, 0]
    array, where = parameter_location(model, unit_parameter_index(model, 0, 2, 0))
    assert (array, where) == (1, (2,))  # θ⁽¹⁾₀,₃ = b1[2]
    with pytest.raises(IndexError):
        unit_parameter_index(model, 0, 3, 0)


def test_the_output_units_slice_has_a_single_peak() -> None:
    """With h fixed, the output unit is a logistic regression on h: concave in its θ."""
    X, y = datasets.make("overlap", n_samples=200, seed=0)
    model = NeuralNetwork(2, (4,), "tanh", seed=1)
    a = np.linspace(-6, 6, 41)
    A, B = np.meshgrid(a, a, indexing="ij")
    ll = unit_log_likelihoods(model, X, y, 1, 0, [1, 2],
                              np.stack([A.ravel(), B.ravel()], 1)).reshape(41, 41)
    assert int(local_maxima(ll).sum()) == 1


def test_contour_segments_lie_on_the_level() -> None:
    a = np.linspace(-2.0, 2.0, 41)
    b = np.linspace(-1.0, 3.0, 31)
    A, B = np.meshgrid(a, b, indexing="ij")
    values = -(A ** 2 + (B - 1.0) ** 2)  # circles around (0, 1)
    points = contour_segments(values, a, b, [-1.0, -0.25])
    assert points.shape[0] % 2 == 0 and points.shape[0] > 40
    radius = np.hypot(points[:, 0], points[:, 1] - 1.0)
    assert np.all((np.abs(radius - 1.0) < 0.02) | (np.abs(radius - 0.5) < 0.02))
    assert np.sum(np.abs(radius - 0.5) < 0.02) > 10  # both levels drawn
    segments = points.reshape(-1, 2, 2)
    assert np.all(np.hypot(*(segments[:, 1] - segments[:, 0]).T) < 0.2)  # within a cell
    # a saddle: z = a·b at level 0 gives the two axes
    saddle = contour_segments(A * (B - 1.0), a, b, [0.0])
    assert np.all((np.abs(saddle[:, 0]) < 1e-9) | (np.abs(saddle[:, 1] - 1.0) < 1e-9))
