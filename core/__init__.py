"""Ascent Lab's math: the lecture's logistic regression and neural networks in pure numpy.

This package never imports Qt, pyqtgraph or ``gui`` (tests/test_architecture.py checks it).
"""

from core.formulas import log_sigmoid, log_softmax, sigmoid, softmax
from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.regression import LinearRegression, RegressionNetwork
from core.training import DivergenceError, GradientAscent, History

__all__ = [
    "DivergenceError",
    "GradientAscent",
    "History",
    "LinearRegression",
    "LogisticRegression",
    "NeuralNetwork",
    "RegressionNetwork",
    "log_sigmoid",
    "log_softmax",
    "sigmoid",
    "softmax",
]
