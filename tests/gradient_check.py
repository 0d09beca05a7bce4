"""Central finite differences, shared by the gradient tests."""

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], parameter: np.ndarray, h: float = 1e-6
                       ) -> np.ndarray:
    """∂f/∂p for every entry of ``parameter`` (changed in place and restored)."""
    grad = np.zeros_like(parameter)
    for index in np.ndindex(parameter.shape):
        old = parameter[index]
        parameter[index] = old + h
        up = f()
        parameter[index] = old - h
        down = f()
        parameter[index] = old
        grad[index] = (up - down) / (2 * h)
    return grad
