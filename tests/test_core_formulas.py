"""The lecture's formulas: exact, overflow-free, warning-free."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import log_sigmoid, log_softmax, sigmoid, softmax
from core.formulas import bernoulli_log_likelihood, sigmoid_derivative


def test_sigmoid_matches_definition_where_it_is_safe():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    assert sigmoid(0.0) == 0.5


@pytest.mark.parametrize("z", [1e6, -1e6, 1e3, -1e3, 710.0, -710.0])
def test_sigmoid_and_log_sigmoid_are_exact_and_silent_at_extremes(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        ls = log_sigmoid(z)
    assert 0.0 <= s <= 1.0
    if z > 0:
        assert s == 1.0 and ls == pytest.approx(-np.exp(-z), abs=1e-300)
    else:
        # log σ(z) ≈ z for very negative z: exact, not -inf
        assert ls == pytest.approx(z, rel=1e-12)


def test_sigmoid_keeps_relative_precision_in_the_left_tail():
    assert sigmoid(-700.0) == pytest.approx(np.exp(-700.0), rel=1e-12)


@given(st.floats(-50, 50))
def test_log_sigmoid_is_log_of_sigmoid_and_one_minus(z):
    assert log_sigmoid(z) == pytest.approx(np.log(sigmoid(z)), rel=1e-9, abs=1e-12)
    # log(1 − σ(z)) = log σ(−z)
    assert np.exp(log_sigmoid(-z)) == pytest.approx(1 - sigmoid(z), abs=1e-12)


@given(st.floats(-20, 20))
def test_sigmoid_derivative_is_s_times_one_minus_s(z):
    h = 1e-6
    numeric = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    assert sigmoid_derivative(sigmoid(z)) == pytest.approx(numeric, abs=1e-8)


def test_softmax_of_two_classes_is_sigmoid():
    z = np.linspace(-40, 40, 81)
    logits = np.column_stack([np.zeros_like(z), z])
    np.testing.assert_allclose(softmax(logits)[:, 1], sigmoid(z), rtol=1e-12, atol=1e-300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = log_softmax(np.array([[1e6, 0.0, -1e6]]))
    assert np.all(np.isfinite(big)) and big[0, 0] == 0.0


def test_bernoulli_log_likelihood_is_the_lecture_sum():
    y = np.array([1, 0, 1])
    z = np.array([0.3, -1.2, 2.0])
    p = 1 / (1 + np.exp(-z))
    expected = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert bernoulli_log_likelihood(y, z) == pytest.approx(expected, rel=1e-12)
    # a confident mistake is finite, not -inf
    assert np.isfinite(bernoulli_log_likelihood(np.array([1]), np.array([-1e6])))
