"""GradientAscent: the lecture's loop, its history, rewind, and safety."""

import numpy as np
import pytest

from core import DivergenceError, GradientAscent, LogisticRegression, NeuralNetwork


def blobs(n=100, seed=0, spread=1.0):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    X = rng.normal(0, spread, (n, 2)) + np.where(y[:, None] == 1, 1.5, -1.5)
    return X, y


def test_one_step_is_theta_plus_eta_times_the_whole_gradient():
    X, y = blobs()
    model = LogisticRegression(2)
    model.theta = [0.1, -0.2, 0.3]
    expected = model.theta + 0.05 * model.gradient(X, y)
    GradientAscent(model, X, y, learning_rate=0.05).step()
    np.testing.assert_allclose(model.theta, expected, rtol=1e-13)


def test_average_option_applies_eta_to_the_mean_gradient():
    X, y = blobs(80)
    model = LogisticRegression(2)
    GradientAscent(model, X, y, learning_rate=0.5, average=True).step()
    np.testing.assert_allclose(model.theta, 0.5 * LogisticRegression(2).gradient(X, y) / 80)


def test_history_records_every_step_with_train_and_test_metrics():
    X, y = blobs(100)
    trainer = GradientAscent(LogisticRegression(2), X[:80], y[:80], learning_rate=0.01,
                             X_test=X[80:], y_test=y[80:])
    trainer.step(10)
    h = trainer.history.as_arrays()
    np.testing.assert_array_equal(h["steps"], np.arange(11))
    assert h["log_likelihood"][0] == pytest.approx(-80 * np.log(2))
    assert h["test_log_likelihood"][0] == pytest.approx(-20 * np.log(2))
    assert h["log_likelihood"][-1] == pytest.approx(trainer.model.log_likelihood(X[:80], y[:80]))
    assert h["accuracy"][-1] == pytest.approx(
        np.mean(trainer.model.predict(X[:80]) == y[:80]))
    assert np.isfinite(h["test_accuracy"]).all()


def test_without_test_set_test_columns_are_nan():
    X, y = blobs()
    trainer = GradientAscent(LogisticRegression(2), X, y)
    trainer.step(3)
    assert np.isnan(trainer.history.test_log_likelihood).all()


def test_rewind_restores_parameters_and_training_resumes_from_there():
    X, y = blobs()
    model = NeuralNetwork(2, (4,), seed=1)
    trainer = GradientAscent(model, X, y, learning_rate=0.01)
    trainer.step(5)
    at_five = [p.copy() for p in model.parameters]
    trainer.step(20)
    assert trainer.rewind(5) == 5
    for p, q in zip(model.parameters, at_five, strict=True):
        np.testing.assert_array_equal(p, q)
    assert trainer.step_count == 5 and trainer.history.steps[-1] == 5
    trainer.step(20)
    assert trainer.step_count == 25 and trainer.history.steps == list(range(26))


def test_snapshots_stay_bounded_and_keep_every_recent_step():
    X, y = blobs(20)
    trainer = GradientAscent(LogisticRegression(2), X, y, learning_rate=0.01,
                             max_snapshots=60, keep_recent=20)
    trainer.step(500)
    steps = trainer.snapshots.steps()
    assert len(steps) <= 60
    assert steps[-20:] == list(range(481, 501))
    assert steps[0] == 0
    assert trainer.rewind(100) <= 100


def test_huge_learning_rate_stops_with_divergence_and_finite_parameters():
    X, y = blobs(200, spread=3.0)
    model = LogisticRegression(2)
    trainer = GradientAscent(model, X, y, learning_rate=1e6)
    with pytest.raises(DivergenceError, match="lower η") as info:
        trainer.step(100)
    assert np.all(np.isfinite(model.theta))
    assert info.value.step == trainer.step_count
    assert np.isfinite(trainer.history.log_likelihood).all()
    assert trainer.log_likelihood >= -50 * len(y)


def test_divergence_message_names_the_update_that_went_wrong():
    X, y = blobs(200, spread=3.0)
    trainer = GradientAscent(LogisticRegression(2), X, y, learning_rate=1e6)
    with pytest.raises(DivergenceError) as info:
        trainer.step(100)
    # which update first made LL insane, replayed by hand from θ = 0 one step at a time
    replay = GradientAscent(LogisticRegression(2), X, y, learning_rate=1e6)
    bad = None
    for update in range(1, 100):
        try:
            replay.step(1)
        except DivergenceError:
            bad = update
            break
        if replay.log_likelihood < -50 * len(y):
            bad = update
            break
    assert bad is not None
    assert info.value.bad_step == bad
    assert f"diverged at step {bad} " in str(info.value)


def test_divergence_in_a_network_keeps_last_finite_parameters():
    X, y = blobs(200, spread=3.0)
    model = NeuralNetwork(2, (8,), "relu")
    trainer = GradientAscent(model, X, y, learning_rate=1e6)
    with pytest.raises(DivergenceError):
        trainer.step(100)
    assert all(np.all(np.isfinite(p)) for p in model.parameters)


def test_mini_batches_are_seeded_and_use_batch_gradients():
    X, y = blobs(100)
    thetas = []
    for _ in range(2):
        model = LogisticRegression(2)
        GradientAscent(model, X, y, learning_rate=0.01, batch_size=10, seed=4).step(30)
        thetas.append(model.theta.copy())
    np.testing.assert_array_equal(thetas[0], thetas[1])
    full = LogisticRegression(2)
    GradientAscent(full, X, y, learning_rate=0.01).step(30)
    assert not np.allclose(thetas[0], full.theta)


def test_single_example_batches_still_climb():
    X, y = blobs(100)
    trainer = GradientAscent(LogisticRegression(2), X, y, learning_rate=0.05, batch_size=1)
    start = trainer.log_likelihood
    trainer.step(300)
    assert trainer.log_likelihood > start


def test_momentum_is_optional_and_changes_the_path():
    X, y = blobs(100)
    plain, heavy = LogisticRegression(2), LogisticRegression(2)
    GradientAscent(plain, X, y, learning_rate=0.001).step(5)
    GradientAscent(heavy, X, y, learning_rate=0.001, momentum=0.9).step(5)
    assert not np.allclose(plain.theta, heavy.theta)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"learning_rate": 0}, "positive"), ({"learning_rate": -1}, "positive"),
     ({"learning_rate": float("nan")}, "positive"), ({"batch_size": 0}, "batch_size"),
     ({"momentum": 1.5}, "momentum")],
)
def test_bad_settings_are_rejected(kwargs, message):
    X, y = blobs(10)
    with pytest.raises(ValueError, match=message):
        GradientAscent(LogisticRegression(2), X, y, **kwargs)


def test_empty_dataset_is_a_clear_error():
    with pytest.raises(ValueError, match="at least one example"):
        GradientAscent(LogisticRegression(2), np.zeros((0, 2)), np.zeros(0))


@pytest.mark.parametrize("n", [100, 30_000])  # 30,000 takes the two-thread path
def test_training_fast_path_takes_the_same_step_as_the_lecture_formula(n):
    X, y = blobs(n, seed=5, spread=2.0)
    model = LogisticRegression(2)
    model.theta = [0.3, -0.1, 0.2]
    expected_ll = model.log_likelihood(X, y)
    expected = model.theta + 1e-4 * model.gradient(X, y)
    trainer = GradientAscent(model, X, y, learning_rate=1e-4)
    trainer.step()
    np.testing.assert_allclose(model.theta, expected, rtol=1e-12)
    assert trainer.history.log_likelihood[0] == pytest.approx(expected_ll, rel=1e-12)


@pytest.mark.parametrize(("activation", "n_classes"), [("sigmoid", 2), ("tanh", 3), ("relu", 2)])
def test_network_training_step_is_parameters_plus_eta_times_backprop(activation, n_classes):
    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(60, 3)), rng.integers(0, n_classes, 60)
    model = NeuralNetwork(3, (5, 4), activation, n_classes=n_classes, seed=2)
    expected = [p + 0.01 * g for p, g in zip(model.parameters, model.gradient(X, y), strict=True)]
    expected_ll = model.log_likelihood(X, y)
    trainer = GradientAscent(model, X, y, learning_rate=0.01)
    trainer.step()
    for p, q in zip(model.parameters, expected, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)
    assert trainer.history.log_likelihood[0] == pytest.approx(expected_ll, rel=1e-12)
    assert trainer.history.accuracy[-1] == pytest.approx(np.mean(model.predict(X) == y))


def test_snapshots_stay_spread_over_a_long_run():
    """The timeline's promise: after N steps, rewinding to any step s restores a step no
    more than N/1,000 before s (the old store thinned every older snapshot again on every
    add, so after ~30,000 steps only step 0 and the last 500 were left)."""
    X, y = blobs(20)
    trainer = GradientAscent(LogisticRegression(2), X, y, learning_rate=0.01)
    n = 40_000
    trainer.step(n)
    steps = trainer.snapshots.steps()
    assert len(steps) <= trainer.snapshots.max_snapshots
    assert steps[0] == 0 and steps[-1] == n
    assert steps[-500:] == list(range(n - 499, n + 1))
    assert max(np.diff(steps)) <= n / 1000
    for s in (1, 12_345, 19_263, 20_000, 39_400):
        restored, _ = trainer.snapshots.at_or_before(s)
        assert s - n / 1000 <= restored <= s


def test_rewind_with_momentum_resumes_exactly():
    """Snapshots keep the momentum velocity: 60 steps, rewind to 30, 30 more steps give
    bitwise the same θ as 60 steps straight."""
    X, y = blobs(40)
    straight = LogisticRegression(2)
    GradientAscent(straight, X, y, learning_rate=0.01, momentum=0.9).step(60)
    rewound = LogisticRegression(2)
    trainer = GradientAscent(rewound, X, y, learning_rate=0.01, momentum=0.9)
    trainer.step(45)
    assert trainer.rewind(30) == 30
    trainer.step(30)
    np.testing.assert_array_equal(rewound.theta, straight.theta)
