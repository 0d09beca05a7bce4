"""Looking inside models and at the plane: core.inspection and core.plane (pure numpy)."""

from __future__ import annotations

import numpy as np
import pytest

from core import LogisticRegression, NeuralNetwork, datasets, inspection, plane
from core.grid import evaluate_grid


def test_point_readout_is_the_models_forward_pass():
    net = NeuralNetwork(2, (3, 2), "tanh", seed=1)
    r = inspection.readout(net, (0.5, -1.0))
    acts = net.forward(np.array([[0.5, -1.0]]))
    assert r.probability == pytest.approx(acts[-1][0, 0])
    assert len(r.hidden) == 2
    np.testing.assert_allclose(r.hidden[0], acts[1][0])
    logistic = LogisticRegression(2)
    logistic.theta = [0.5, 1.0, -2.0]
    assert inspection.readout(logistic, (1.0, 1.0)).probability == pytest.approx(
        float(logistic.predict_proba([[1.0, 1.0]])[0]))


def test_unit_images_cover_every_layer_with_levels():
    net = NeuralNetwork(2, (5, 3), "relu", seed=0)
    images = plane.unit_images(net, (-6, 6), (-4, 4), 16)
    assert [im.shape for im in images.images] == [(2, 16, 16), (5, 16, 16), (3, 16, 16),
                                                   (1, 16, 16)]
    assert all(im.dtype == np.float32 for im in images.images)
    assert images.images[0][0, 0, 0] == pytest.approx(-6) and images.images[0][0, -1, 0] == 6
    assert images.images[0][1, 0, 0] == pytest.approx(-4) and images.images[0][1, 0, -1] == 4
    assert images.levels[-1] == (0.0, 1.0) and images.levels[1][0] == 0.0
    grid = evaluate_grid(net, (-6, 6), (-4, 4), 16)
    np.testing.assert_allclose(images.images[-1][0], grid.probability)
    logistic = plane.unit_images(LogisticRegression(2), (-1, 1), (-1, 1), 8)
    assert len(logistic.images) == 2 and logistic.levels[1] == (0.0, 1.0)


def test_layer_views_of_logistic_regression():
    m = LogisticRegression(2)
    m.theta = [1.0, 3.0, -4.0]
    assert inspection.layer_sizes(m) == (2, 1)
    np.testing.assert_array_equal(inspection.layer_weights(m)[0], [[3.0], [-4.0]])
    assert inspection.weight_norms(m) == [pytest.approx(5.0)]
    assert inspection.parameter_count(m) == (2, 1)
    net = NeuralNetwork(2, (4,), seed=0)
    assert inspection.parameter_count(net) == (12, 5)


def test_points_within_and_split_mask():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 3.0]])
    np.testing.assert_array_equal(plane.points_within(X, (0.1, 0.0), 1.0), [True, True, False])
    y = np.array([0] * 50 + [1] * 50)
    mask = datasets.split_mask(y, 0.2, 0)
    assert mask.sum() == 20 and mask[y == 0].sum() == 10
    assert not datasets.split_mask(y, 0.0, 0).any()


def test_contour_segments_follow_the_logistic_boundary_line():
    m = LogisticRegression(2)
    m.theta = [0.5, 1.0, -2.0]  # boundary: 0.5 + x1 - 2 x2 = 0
    grid = evaluate_grid(m, (-5, 5), (-5, 5), 101)
    xs, ys = plane.contour_segments(grid.probability, 0.5, (-5, 5), (-5, 5))
    assert len(xs) > 50 and len(xs) % 2 == 0
    np.testing.assert_allclose(0.5 + xs - 2 * ys, 0.0, atol=0.02)
    flat = np.full((10, 10), 0.5, dtype=np.float32)
    assert plane.contour_segments(flat, 0.5, (0, 1), (0, 1))[0].size == 0


def test_contour_segments_of_a_circle_close_up():
    xs = np.linspace(-2, 2, 81)
    values = xs[:, None] ** 2 + xs[None, :] ** 2
    cx, cy = plane.contour_segments(values, 1.0, (-2, 2), (-2, 2))
    np.testing.assert_allclose(np.hypot(cx, cy), 1.0, atol=0.01)


def test_readout_and_predictions_of_a_softmax_network():
    net = NeuralNetwork(64, (8,), n_classes=10, seed=0)
    x = np.random.default_rng(0).random(64)
    r = inspection.readout(net, x)
    np.testing.assert_allclose(r.probabilities, net.predict_proba(x[None])[0])
    assert r.predicted == int(np.argmax(r.probabilities)) and len(r.x) == 64
    X = np.random.default_rng(1).random((5, 64))
    np.testing.assert_array_equal(inspection.predictions(net, X), net.predict(X))
    assert inspection.predictions(net, np.zeros((0, 64))).shape == (0,)


def test_confusion_matrix_counts_true_against_predicted():
    m = inspection.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(m, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert m.trace() == 4 and m.sum() == 6
    assert inspection.confusion_matrix([], [], 10).shape == (10, 10)
    with pytest.raises(ValueError, match="predictions"):
        inspection.confusion_matrix([0, 1], [0], 2)


def test_top_two():
    assert inspection.top_two([0.1, 0.6, 0.3]) == (1, 0.6, 2, 0.3)
    assert inspection.top_two([0.5, 0.5])[:3:2] == (0, 1)


def test_readout_gives_each_units_weighted_input():
    net = NeuralNetwork(4, (3,), "tanh", n_classes=3, seed=2)
    x = np.array([0.2, -1.0, 0.5, 1.5])
    r = inspection.readout(net, x)
    z1 = x @ net.weights[0] + net.biases[0]
    np.testing.assert_allclose(r.weighted_inputs[0], z1)
    np.testing.assert_allclose(r.hidden[0], np.tanh(z1))
    np.testing.assert_allclose(r.output, r.probabilities)
    logistic = LogisticRegression(4)
    logistic.theta = [0.5, 1.0, 0.0, -1.0, 2.0]
    r = inspection.readout(logistic, x)
    assert r.weighted_inputs[0][0] == pytest.approx(0.5 + 0.2 - 0.5 + 3.0)
    assert r.output.shape == (1,) and r.output[0] == pytest.approx(r.probability)
