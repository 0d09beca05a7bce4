"""The training loop's fast paths agree with the plain formulas to a few ulps."""

import numpy as np
import pytest

from core.fast.margins import BernoulliKernel
from core.formulas import bernoulli_log_likelihood, sigmoid
from core.logistic import LogisticRegression, logistic_gradient


def _sigmoid_longdouble(z):
    z = np.asarray(z, dtype=np.longdouble)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


@pytest.mark.parametrize("n", [7, 1_000, 5_001])  # 5,001: the merged log1p path, padded
@pytest.mark.parametrize("scale", [0.1, 3.0, 40.0, 800.0])  # margins up to ~1e3: the tails
def test_bernoulli_kernel_matches_the_formulas(n, scale):
    rng = np.random.default_rng(n + int(scale))
    y = rng.integers(0, 2, n)
    z = rng.normal(size=n) * scale
    z[:3] = [0.0, -0.0, 1e-300]  # predictions exactly at the boundary count as class 0
    ll, residual, n_correct = BernoulliKernel(y).evaluate(z.copy())
    assert ll == pytest.approx(bernoulli_log_likelihood(y, z), rel=1e-14)
    sign = np.where(y == 1, 1.0, -1.0)  # y − σ(z) = ±σ(∓z), in 80-bit precision
    expected = (sign * _sigmoid_longdouble(-sign * z)).astype(np.float64)
    np.testing.assert_allclose(residual, expected, rtol=4e-16, atol=0)
    np.testing.assert_allclose(residual, y - sigmoid(z), rtol=0, atol=4e-16)
    assert n_correct == np.count_nonzero((z > 0) == (y == 1))


@pytest.mark.parametrize("n", [50, 3_000])
def test_logistic_fast_path_matches_the_formulas(n):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, 3)) * 4
    y = rng.integers(0, 2, n)
    model = LogisticRegression(3)
    scratch: dict = {}
    for theta in ([0.0, 0.0, 0.0, 0.0], [0.3, -1.0, 2.0, 0.5], [5.0, 30.0, -20.0, 9.0]):
        model.theta = theta
        ll, (gradient,), n_correct = model._ascent_terms(X, y, scratch)
        z = X @ model.theta[1:] + model.theta[0]
        assert ll == pytest.approx(bernoulli_log_likelihood(y, z), rel=1e-13)
        reference = logistic_gradient(X, y, model.theta)
        np.testing.assert_allclose(gradient, reference, rtol=1e-12,
                                   atol=1e-13 * np.abs(reference).max())
        assert n_correct == np.count_nonzero(model.predict(X) == y)
        assert model._ascent_terms(X, y, scratch, with_gradient=False)[0] == ll


def test_logistic_fast_path_notices_new_data():
    rng = np.random.default_rng(1)
    model = LogisticRegression(2)
    model.theta = [0.1, 0.5, -0.3]
    scratch: dict = {}
    y = rng.integers(0, 2, 40)
    for _ in range(2):
        X = rng.normal(size=(40, 2))
        gradient = model._ascent_terms(X, y, scratch)[1][0]
        np.testing.assert_allclose(gradient, logistic_gradient(X, y, model.theta), rtol=1e-12)


def test_logistic_fast_path_stays_exact_when_it_updates_e_incrementally():
    """Near convergence the kernel updates e^(−|t|) from the previous step without exp
    (big training sets only). Along a whole training run, with every kind of step (large
    first steps, tiny later ones, a jump back), LL, gradient and accuracy stay those of
    the plain formulas to ~1e-13, and the incremental update is really used."""
    from core.fast.logistic_kernel import LogisticKernel

    rng = np.random.default_rng(7)
    n = 20_000
    X = np.vstack([rng.normal(size=(n // 2, 2)) + 1.0, rng.normal(size=(n // 2, 2)) - 1.0])
    y = np.r_[np.ones(n // 2, dtype=np.int64), np.zeros(n // 2, dtype=np.int64)]
    model = LogisticRegression(2)
    scratch: dict = {}
    used = 0
    for step in range(300):
        if step == 200:
            model.theta = [0.5, 0.2, 0.1]  # a jump (rewind): computed afresh
        ll, (gradient,), n_correct = model._ascent_terms(X, y, scratch)
        kernel = scratch["logistic"]
        assert isinstance(kernel, LogisticKernel)
        used += kernel.updates_in_a_row > 0
        z = X @ model.theta[1:] + model.theta[0]
        assert ll == pytest.approx(bernoulli_log_likelihood(y, z), rel=1e-13)
        reference = logistic_gradient(X, y, model.theta)
        np.testing.assert_allclose(gradient, reference, rtol=0,
                                   atol=1e-12 * np.abs(X).sum())
        assert n_correct == np.count_nonzero(model.predict(X) == y)
        model.theta = model.theta + 1e-4 * gradient
    assert used > 50


def test_incremental_exp_update_is_exp_to_a_few_ulps():
    """margin_terms(from_previous=True) with margins moving by up to the allowed 1e-3: e
    stays e^(−|t|) to ~2 ulps per update, and LL and σ(−t) follow it."""
    from core.fast.margins import INCREMENTAL_MAX_CHANGE, INCREMENTAL_REFRESH, MarginKernel

    rng = np.random.default_rng(3)
    n = 10_000
    y = rng.integers(0, 2, n)
    kernel = MarginKernel(y)
    t = rng.normal(size=n) * 6
    kernel.margin_terms(t.copy())
    for update in range(1, INCREMENTAL_REFRESH + 1):
        t = t + rng.uniform(-INCREMENTAL_MAX_CHANGE, INCREMENTAL_MAX_CHANGE, n)
        ll, complement, _ = kernel.margin_terms(t.copy(), from_previous=True)
        exact = np.exp(-np.abs(t))
        np.testing.assert_allclose(kernel.e, exact, rtol=update * 5e-16, atol=0)
        z = np.where(y == 1, t, -t)
        assert ll == pytest.approx(bernoulli_log_likelihood(y, z), rel=1e-14)
        np.testing.assert_allclose(complement, _sigmoid_longdouble(-t).astype(np.float64),
                                   rtol=update * 6e-16, atol=0)


def test_exp_of_small_degree_6_is_exp_to_an_ulp_up_to_1e_2():
    from core.fast.margins import multiply_by_exp_of_small

    delta = np.linspace(-1e-2, 1e-2, 200_001)
    e = np.exp(np.linspace(-30, 30, delta.size))
    expected = e * np.exp(delta)
    multiply_by_exp_of_small(e, delta, np.empty_like(e), degree=6)
    np.testing.assert_allclose(e, expected, rtol=4.5e-16, atol=0)


@pytest.mark.parametrize("hidden", [(16,), (8, 8)])
def test_sigmoid_network_fast_path_stays_exact_with_incremental_exp(hidden):
    """Hidden σ layers update e^(−z) from the last step when it barely moved. Along a
    training run (big early steps, tiny later ones, a jump back) LL and every gradient stay
    those of the plain forward/backward pass, and the incremental update is used."""
    from core.fast.network_workspace import NetworkWorkspace
    from core.network import NeuralNetwork

    rng = np.random.default_rng(11)
    X = rng.normal(size=(600, 3))
    y = (X[:, 0] * X[:, 1] + 0.3 * X[:, 2] > 0).astype(np.int64)
    model = NeuralNetwork(3, hidden, "sigmoid", seed=2)
    scratch: dict = {}
    used = 0
    for step in range(400):
        if step == 300:  # a rewind: everything is computed afresh
            for p in model.parameters:
                p *= 0.5
        ll, gradients, n_correct = model._ascent_terms(X, y, scratch)
        work = scratch["network"]
        assert isinstance(work, NetworkWorkspace)
        used += max(work._updates_in_a_row) > 0
        ll_ref, gradients_ref, predicted = model._log_likelihood_and_gradient(X, y)
        assert ll == pytest.approx(ll_ref, rel=1e-12)
        for g, g_ref in zip(gradients, gradients_ref, strict=True):
            np.testing.assert_allclose(g, g_ref, rtol=0, atol=1e-11 * (1 + np.abs(g_ref).max()))
        assert n_correct == np.count_nonzero(predicted == y)
        for p, g in zip(model.parameters, gradients, strict=True):
            p += 5e-4 * g
    assert used > 200


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize(("n_classes", "hidden"), [(10, (32,)), (2, (8, 4)), (3, (5,))])
def test_network_batch_kernel_matches_the_plain_path(activation, n_classes, hidden):
    """core/fast/batch_kernel.py: the mini-batch step's LL, gradient and correct count equal
    NeuralNetwork._log_likelihood_and_gradient to a few ulps."""
    from core.fast.batch_kernel import network_batch_terms
    from core.network import NeuralNetwork

    rng = np.random.default_rng(5)
    net = NeuralNetwork(6, hidden, activation, n_classes=n_classes, seed=1)
    for p in net.parameters:
        p += rng.normal(0.0, 1.5, p.shape)  # large weights: saturated units, big logits
    X = rng.normal(0.0, 2.0, (16, 6))
    y = rng.integers(0, n_classes, 16)
    ll, gradient, predicted = net._log_likelihood_and_gradient(X, y)
    fast_ll, fast_gradient, n_correct = network_batch_terms(net.parameters, activation, X, y)
    assert fast_ll == pytest.approx(ll, rel=1e-12, abs=1e-12)
    for plain, fast in zip(gradient, fast_gradient, strict=True):
        np.testing.assert_allclose(fast, plain, rtol=1e-10, atol=1e-12)
    assert n_correct == int(np.count_nonzero(predicted == y))


def test_mini_batch_training_uses_the_batch_kernel_and_stays_on_the_plain_path():
    """GradientAscent's mini-batch steps (the fast kernel) follow the plain formulas."""
    from core.network import NeuralNetwork
    from core.training import GradientAscent

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4))
    y = rng.integers(0, 3, 64)
    fast = NeuralNetwork(4, (5,), n_classes=3, seed=2)
    plain = NeuralNetwork(4, (5,), n_classes=3, seed=2)
    fast_trainer = GradientAscent(fast, X, y, 0.3, batch_size=8, average=True, momentum=0.9)
    plain_trainer = GradientAscent(plain, X, y, 0.3, batch_size=8, average=True, momentum=0.9)
    plain._batch_terms = None  # an attribute set to None: GradientAscent takes the plain path
    fast_trainer.step(40)
    plain_trainer.step(40)
    for a, b in zip(fast.parameters, plain.parameters, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
