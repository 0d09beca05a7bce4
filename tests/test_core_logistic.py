"""Logistic regression as the lecture defines it, checked against calculus and scikit-learn."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from core import GradientAscent, LogisticRegression
from tests.gradient_check import numerical_gradient


def overlapping_blobs(n=300, seed=3):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(0, 1.2, (n, 2)) + np.where(y[:, None] == 1, [1.0, 0.5], [-1.0, -0.5])
    return X, y


def test_theta_starts_at_zero_and_predicts_one_half():
    model = LogisticRegression(3)
    assert model.theta.shape == (4,) and not model.theta.any()
    np.testing.assert_array_equal(model.predict_proba(np.ones((5, 3))), 0.5)
    # ŷ = 0.5 is not > 0.5: predict 0
    np.testing.assert_array_equal(model.predict(np.ones((5, 3))), 0)


def test_bias_is_theta0_with_x0_equal_one():
    model = LogisticRegression(2)
    model.theta = [2.0, -1.0, 0.5]
    X = np.array([[1.0, 2.0], [0.0, 0.0]])
    z = 2.0 + X @ np.array([-1.0, 0.5])
    np.testing.assert_allclose(model.predict_proba(X), 1 / (1 + np.exp(-z)))
    np.testing.assert_array_equal(model.predict(X), (z > 0).astype(int))


def test_gradient_is_the_lecture_formula_and_matches_finite_differences():
    X, y = overlapping_blobs(60)
    model = LogisticRegression(2)
    model.theta = [0.2, -0.4, 0.7]
    Xb = np.hstack([np.ones((len(X), 1)), X])
    by_formula = ((y - 1 / (1 + np.exp(-Xb @ model.theta)))[:, None] * Xb).sum(axis=0)
    np.testing.assert_allclose(model.gradient(X, y), by_formula, rtol=1e-12)
    numeric = numerical_gradient(lambda: model.log_likelihood(X, y), model.theta)
    np.testing.assert_allclose(model.gradient(X, y), numeric, rtol=1e-6, atol=1e-6)


def test_log_likelihood_is_a_sum_not_a_mean():
    X, y = overlapping_blobs(50)
    model = LogisticRegression(2)
    assert model.log_likelihood(X, y) == pytest.approx(-50 * np.log(2))


def test_gradient_ascent_reaches_scikit_learn_unpenalized_fit():
    X, y = overlapping_blobs(300)
    model = LogisticRegression(2)
    trainer = GradientAscent(model, X, y, learning_rate=0.01)
    trainer.step(3000)
    reference = SkLogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    expected = np.concatenate([reference.intercept_, reference.coef_[0]])
    np.testing.assert_allclose(model.theta, expected, rtol=1e-4)
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X)[:, 1],
                               atol=1e-6)


def test_log_likelihood_never_decreases_with_a_small_learning_rate():
    X, y = overlapping_blobs(200, seed=7)
    trainer = GradientAscent(LogisticRegression(2), X, y, learning_rate=0.002)
    trainer.step(500)
    ll = np.asarray(trainer.history.log_likelihood)
    assert len(ll) == 501
    assert np.all(np.diff(ll) >= -1e-9)
    assert ll[-1] > ll[0]


def test_prediction_never_changes_parameters():
    X, y = overlapping_blobs(40)
    model = LogisticRegression(2)
    model.theta = [0.1, 0.2, 0.3]
    before = model.theta.copy()
    model.predict(X), model.predict_proba(X), model.log_likelihood(X, y), model.gradient(X, y)
    np.testing.assert_array_equal(model.theta, before)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.zeros((0, 2)), np.zeros(0), "empty"),
        (np.zeros((3, 3)), np.zeros(3), "features"),
        (np.array([[np.nan, 1.0]]), np.array([1]), "NaN"),
        (np.ones((2, 2)), np.array([0, 2]), "labels"),
        (np.ones((2, 2)), np.array([0, 1, 1]), "labels"),
        (np.ones(4), np.array([0, 1, 1, 0]), "2-D"),
    ],
)
def test_bad_inputs_raise_value_errors_that_say_what_to_fix(X, y, message):
    with pytest.raises(ValueError, match=message):
        LogisticRegression(2).log_likelihood(X, y)


def test_theta_setter_checks_shape():
    with pytest.raises(ValueError, match="shape"):
        LogisticRegression(2).theta = [1.0, 2.0]
