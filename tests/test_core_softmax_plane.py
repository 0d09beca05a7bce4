"""More than two classes on the plane: the softmax display grid (core.grid, core.fast) and the
lines where the two most likely classes tie (core.plane), against exact float64 references."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core import LogisticRegression, NeuralNetwork, plane
from core.grid import evaluate_grid, grid_points

VIEW = ((-6.0, 6.0), (-4.0, 5.0))


def _trained_looking(hidden, activation, n_classes, seed, scale=0.5):
    net = NeuralNetwork(2, hidden, activation, n_classes=n_classes, seed=seed)
    for p in net.parameters:  # biases too, and weights big enough for sharp borders
        p += np.random.default_rng(seed + 10).normal(0.0, scale, size=p.shape)
    return net


def _exact(net, resolution, view=VIEW):
    """P(Y=k|x) in float64 on the grid's points, laid out (K, res, res) like the grid."""
    proba = net.predict_proba(grid_points(*view, resolution))
    return proba.T.reshape(net.n_classes, resolution, resolution)


@pytest.mark.parametrize("n_classes", [3, 4])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden", [(), (8,), (5, 3), (8,) * 6])
def test_softmax_grid_equals_predict_proba(n_classes, activation, hidden):
    for seed in range(2):
        net = _trained_looking(hidden, activation, n_classes, seed)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            grid = evaluate_grid(net, *VIEW, 61)
            plain = evaluate_grid(net, *VIEW, 61, with_hidden=False)
        expected = _exact(net, 61)
        for g in (grid, plain):
            assert g.n_classes == n_classes
            assert g.probabilities.dtype == np.float32
            assert g.probabilities.shape == (n_classes, 61, 61)
            np.testing.assert_allclose(g.probabilities, expected, rtol=0, atol=1e-5)
            np.testing.assert_array_equal(g.probability, g.probabilities[1])  # P(Y=1|x)
            np.testing.assert_allclose(g.probabilities.sum(axis=0), 1.0, atol=1e-6)
        assert len(grid.hidden) == len(hidden) and plain.hidden == []
        # the most likely class, wherever the top two are not within float32's reach
        ranked = np.sort(expected, axis=0)
        clear = ranked[-1] - ranked[-2] > 1e-5
        assert clear.mean() > 0.99
        np.testing.assert_array_equal(grid.most_likely[clear],
                                      np.argmax(expected, axis=0)[clear])
        assert grid.most_likely.dtype == np.int8


def test_softmax_grid_in_blocks_at_the_views_resolution():
    """200×200 without hidden maps runs in blocks of rows (each class's rows a view)."""
    net = _trained_looking((8, 8), "tanh", 3, seed=4, scale=1.0)
    grid = evaluate_grid(net, *VIEW, 200, with_hidden=False)
    np.testing.assert_allclose(grid.probabilities, _exact(net, 200), rtol=0, atol=1e-5)


def test_two_classes_keep_the_single_sigma_output():
    net = _trained_looking((4,), "sigmoid", 2, seed=0)
    grid = evaluate_grid(net, *VIEW, 31)
    assert grid.softmax is None and grid.n_classes == 2
    p = net.predict_proba(grid_points(*VIEW, 31)).reshape(31, 31)
    np.testing.assert_allclose(grid.probability, p, rtol=0, atol=2e-6)
    np.testing.assert_allclose(grid.probabilities, np.stack([1 - p, p]), rtol=0, atol=2e-6)
    np.testing.assert_array_equal(grid.most_likely, (grid.probability > 0.5).astype(np.int8))
    logistic = LogisticRegression(2)
    assert evaluate_grid(logistic, *VIEW, 8).most_likely.sum() == 0  # θ = 0 predicts 0


def test_unit_images_show_one_output_per_class():
    net = _trained_looking((5,), "tanh", 3, seed=2)
    images = plane.unit_images(net, *VIEW, 16)
    assert [im.shape for im in images.images] == [(2, 16, 16), (5, 16, 16), (3, 16, 16)]
    assert images.levels[-1] == (0.0, 1.0)
    np.testing.assert_allclose(images.images[-1], _exact(net, 16), rtol=0, atol=1e-5)


def test_softmax_grid_with_huge_logits_and_nan_stays_quiet():
    net = _trained_looking((4,), "relu", 3, seed=1)
    net.parameters[-2][...] *= 1e6  # logits ~1e6: e^(z − max z) never overflows
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = evaluate_grid(net, *VIEW, 40)
    np.testing.assert_allclose(grid.probabilities, _exact(net, 40), rtol=0, atol=1e-5)
    net.parameters[0][0, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = evaluate_grid(net, *VIEW, 40)
    assert np.isnan(grid.probabilities).any()


# --------------------------------------------------------------------------- tie lines


def _cells_of(x, y, resolution, view=VIEW):
    """The grid cell (i, j) holding each point."""
    (x0, x1), (y0, y1) = view
    dx, dy = (x1 - x0) / (resolution - 1), (y1 - y0) / (resolution - 1)
    i = np.clip(np.floor((x - x0) / dx), 0, resolution - 2).astype(int)
    j = np.clip(np.floor((y - y0) / dy), 0, resolution - 2).astype(int)
    return i, j


def test_tie_lines_of_a_linear_softmax_are_its_exact_borders():
    """Without hidden layers class k beats class j where (wₖ − wⱼ)·x + bₖ − bⱼ > 0: the
    borders are pieces of straight lines, and every segment end must lie on one."""
    net = NeuralNetwork(2, (), n_classes=3, seed=0)
    net.parameters[0][...] = [[2.0, -1.0, -1.0], [0.0, 1.7, -1.7]]
    net.parameters[1][...] = [0.3, -0.2, 0.1]
    res = 121
    grid = evaluate_grid(net, *VIEW, res)
    x, y = plane.tie_segments(grid.probabilities, *VIEW)
    assert x.size > 2 * 150 and x.size % 2 == 0
    z = np.column_stack([x, y]) @ net.parameters[0] + net.parameters[1]
    ranked = np.sort(z, axis=1)
    top, second = np.argsort(z, axis=1)[:, -1], np.argsort(z, axis=1)[:, -2]
    w, _ = net.parameters
    slope = np.linalg.norm(w[:, top] - w[:, second], axis=0)
    distance = (ranked[:, -1] - ranked[:, -2]) / slope  # to the line where the two tie
    cell = (VIEW[0][1] - VIEW[0][0]) / (res - 1)
    assert distance.max() < 0.02 * cell


def test_tie_lines_lie_where_the_top_two_tie_and_cover_every_border_once():
    net = _trained_looking((8, 8), "tanh", 4, seed=3, scale=1.0)
    res = 101
    grid = evaluate_grid(net, *VIEW, res)
    x, y = plane.tie_segments(grid.probabilities, *VIEW)
    exact = _exact(net, res)
    # at every segment end the two most likely classes are equal, up to how much any
    # class's probability changes across one cell
    proba = np.sort(net.predict_proba(np.column_stack([x, y])), axis=1)
    change = max(np.abs(np.diff(exact, axis=1)).max(), np.abs(np.diff(exact, axis=2)).max())
    assert (proba[:, -1] - proba[:, -2]).max() <= change
    # a segment in every cell whose corners disagree on the most likely class, and only there
    winner = np.argmax(exact, axis=0)
    corners = [winner[:-1, :-1], winner[1:, :-1], winner[:-1, 1:], winner[1:, 1:]]
    border = np.zeros((res - 1, res - 1), dtype=bool)
    for c in corners[1:]:
        border |= c != corners[0]
    drawn = np.zeros_like(border)
    i, j = _cells_of((x[0::2] + x[1::2]) / 2, (y[0::2] + y[1::2]) / 2, res)
    drawn[i, j] = True
    assert len(np.unique(winner)) == 4 and border.sum() > 100
    np.testing.assert_array_equal(drawn, border)
    # each border between two classes is drawn once (not once per class)
    ends = np.round(np.column_stack([x[0::2], y[0::2], x[1::2], y[1::2]]), 9)
    assert len(np.unique(ends, axis=0)) == len(ends)


def test_two_class_tie_lines_are_the_half_contour():
    net = _trained_looking((6,), "sigmoid", 2, seed=7, scale=1.0)
    grid = evaluate_grid(net, *VIEW, 81)
    tx, ty = plane.tie_segments(grid.probabilities, *VIEW)
    cx, cy = plane.contour_segments(grid.probability, 0.5, *VIEW)
    assert tx.size == cx.size > 0
    ours = np.sort(np.round(np.column_stack([tx, ty]), 5), axis=0)
    theirs = np.sort(np.round(np.column_stack([cx, cy]), 5), axis=0)
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_no_tie_lines_when_every_class_is_equally_likely():
    flat = np.full((3, 20, 20), 1 / 3, dtype=np.float32)
    assert plane.tie_segments(flat, *VIEW)[0].size == 0
    one = np.zeros((3, 20, 20), dtype=np.float32)
    one[2] = 1.0
    assert plane.tie_segments(one, *VIEW)[0].size == 0
