"""The network's forward pass, LL and backpropagation for the training loop, made fast.

The same math as ``NeuralNetwork._forward``/``_backward`` and
:func:`core.network.output_log_likelihood` in core/network.py (to a few ulps), with every
layer stored transposed, (units, n), in buffers reused from one step to the next.
Transposed, adding a bias, applying an activation and summing δ over examples all run
along contiguous rows of n numbers instead of n short rows of a few units, which is
several times faster. Hidden σ layers update e^(−z) incrementally near convergence.

Tested equal to the plain forward/backward pass in tests/test_core_kernels.py.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.fast.margins import (
    INCREMENTAL_REFRESH,
    BernoulliKernel,
    multiply_by_exp_of_small,
    sigmoid_into,
)
from core.formulas import ACTIVATIONS, LOG_SQRT_2PI

FloatArray = NDArray[np.float64]


def network_ascent_terms(parameters: list[FloatArray], layer_sizes: tuple[int, ...],
                         activation: str, X: FloatArray, y: NDArray[np.int64],
                         scratch: dict[str, Any], with_gradient: bool = True,
                         gaussian: bool = False) -> tuple[float, list[FloatArray], int]:
    """LL(θ), [∂LL/∂W1, ∂LL/∂b1, …] (``[]`` without gradient) and the number of correct
    predictions (0 for a regression), for validated inputs.

    Parameters
    ----------
    parameters : list of ndarray
        [W1 (n_features, units₁), b1 (units₁,), …], as ``NeuralNetwork.parameters``.
    layer_sizes : tuple of int
        (n_features, units₁, …, n_out), n_out = 1 for a σ output, K for softmax.
    activation : {"sigmoid", "tanh", "relu", "linear"}
        The hidden activation.
    X : ndarray, shape (n, n_features)
    y : ndarray, shape (n,), labels in {0, …, K − 1} (real targets if ``gaussian``)
    scratch : dict
        Kept by the caller for this X and y: holds a :class:`NetworkWorkspace` under
        "network", rebuilt when X, y or the layer sizes change.
    with_gradient : bool
        Without it only LL and the count are computed.
    gaussian : bool
        A regression's linear output ŷ = z (n_out = 1) with the Gaussian LL of
        :func:`core.formulas.gaussian_log_likelihood` and δ = y − ŷ.
    """
    work = scratch.get("network")
    if not isinstance(work, NetworkWorkspace) or work.y is not y or work.X is not X \
            or work.layer_sizes != layer_sizes or work.gaussian != gaussian:
        work = scratch["network"] = NetworkWorkspace(layer_sizes, X, y, gaussian)
    weights = parameters[0::2]
    negate = activation == "sigmoid"  # hidden σ(z) = 1/(1 + e^(−z)): form −z
    inputs = work.inputs  # (1, aᵀ) entering each layer: the bias is row 0 of W̃
    for layer, (h, stacked) in enumerate(zip(work.hidden, work.stacked[:-1], strict=True)):
        work.stack(layer, parameters, negate)
        if negate:
            negated = work.negated_logits(layer)
            np.matmul(stacked.T, inputs[layer], out=negated)  # −zᵀ = −W̃ᵀ(1, aᵀ)
            work.sigmoid_of_negated(layer, negated, h)
        else:
            np.matmul(stacked.T, inputs[layer], out=h)  # zᵀ = W̃ᵀ(1, aᵀ)
            activate_inplace(activation, h)
    logits = work.logits
    work.stack(len(weights) - 1, parameters, False)
    np.matmul(work.stacked[-1].T, inputs[-1], out=logits)
    if work.gaussian:
        ll, delta, n_correct = work.gaussian_terms(logits), logits, 0
    elif work.bernoulli is not None:
        ll, residual, n_correct = work.bernoulli.evaluate(logits.reshape(-1), with_gradient)
        delta = residual.reshape(1, -1)
    else:
        ll, delta, n_correct = work.softmax_terms(logits, with_gradient)
    if not with_gradient:
        return ll, [], n_correct
    gradients: list[FloatArray] = [np.empty(0)] * len(parameters)
    for layer in range(len(weights) - 1, -1, -1):  # δ is δᵀ, shape (units, n)
        both = inputs[layer] @ delta.T  # (1, a)ᵀδ: row 0 is ∂LL/∂b = Σᵢ δᵢ, then ∂LL/∂W
        gradients[2 * layer], gradients[2 * layer + 1] = both[1:], both[0]
        if layer > 0:
            previous = work.deltas[layer - 1]
            if delta.shape[0] == 1:  # one unit above (the σ output): an outer product
                np.multiply(weights[layer], delta, out=previous)
            else:
                np.matmul(weights[layer], delta, out=previous)  # (δWᵀ)ᵀ
            multiply_by_derivative(activation, inputs[layer][1:], previous,
                                   work.derivative[layer - 1])
            delta = previous
    return ll, gradients, n_correct


def activate_inplace(name: str, z: NDArray[np.floating[Any]]) -> None:
    """z ← activation(z), like :func:`core.formulas.activate` but without new arrays."""
    if name == "sigmoid":
        with np.errstate(over="ignore"):  # e^(−z) = inf for z < −709 gives σ = 0
            sigmoid_into(z, z)
    elif name == "tanh":
        np.tanh(z, out=z)
    elif name == "relu":
        np.maximum(z, 0.0, out=z)
    elif name != "linear":  # linear: z itself
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")


def multiply_by_derivative(name: str, a: FloatArray, delta: FloatArray,
                            scratch: FloatArray) -> None:
    """delta ⊙= act′ written in terms of a = act(z), like
    :func:`core.formulas.activation_derivative` (σ: a(1 − a), tanh: 1 − a², relu: [a > 0],
    linear: 1, nothing to do)."""
    if name == "linear":
        return
    if name == "sigmoid":
        np.subtract(1.0, a, out=scratch)
        scratch *= a
    elif name == "tanh":
        np.multiply(a, a, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
    elif name == "relu":
        np.greater(a, 0.0, out=scratch)
    else:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {name!r}")
    delta *= scratch


#: Hidden σ layers update e^(−z) incrementally when no −zᵢⱼ moved more than this.
INCREMENTAL_MAX_CHANGE_NETWORK = 1e-2


class NetworkWorkspace:
    """Transposed (units, n) buffers for n examples X with fixed labels y, reused by
    network_ascent_terms (built for one X and y, checked by identity).

    Every layer's input is kept with a row of ones on top, (1, aᵀ), and its parameters
    stacked as W̃ = (bᵀ; W), so that W̃ᵀ(1, aᵀ) = Wᵀaᵀ + b and (1, a)ᵀδ = (Σᵢ δᵢ; aᵀδ) are
    one matrix product each, instead of a product plus a pass over every number.
    """

    def __init__(self, layer_sizes: tuple[int, ...], X: FloatArray,
                 y: NDArray[Any], gaussian: bool = False) -> None:
        n = y.shape[0]
        self.X = X
        self.y = y
        self.gaussian = gaussian
        self.layer_sizes = layer_sizes
        hidden = layer_sizes[1:-1]
        self.inputs = [np.empty((units + 1, n)) for units in layer_sizes[:-1]]
        for a in self.inputs:
            a[0] = 1.0
        self.inputs[0][1:] = X.T
        self.hidden = [a[1:] for a in self.inputs[1:]]  # activations h¹ᵀ, h²ᵀ, … (views)
        self.stacked = [np.empty((fan_in + 1, fan_out))
                        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:],
                                                   strict=True)]
        self.deltas = [np.empty((units, n)) for units in hidden]  # ∂LL/∂zᵀ per hidden layer
        self.derivative = [np.empty((units, n)) for units in hidden]
        # σ layers: −zᵀ of this call and the last (alternating) and e^(−z) of the last call,
        # for the incremental update (see sigmoid_of_negated); made on first use
        self._negated: list[list[FloatArray]] = [[] for _ in hidden]
        self._exp_negated: list[FloatArray | None] = [None] * len(hidden)
        self._updates_in_a_row = [-1] * len(hidden)  # −1: no previous call
        self._poly_scratch: FloatArray | None = None  # the polynomial's scratch, shared
        n_out = layer_sizes[-1]
        self.logits = np.empty((n_out, n))
        self.bernoulli = BernoulliKernel(y) if n_out == 1 and not gaussian else None
        if n_out > 1:
            self.exp_shifted = np.empty((n_out, n))
            self.column_max = np.empty(n)
            self.column_sum = np.empty(n)
            self.label_index = y * n + np.arange(n)  # flat index of z_{yᵢ,i}
            self.is_max = np.empty((n_out, n), dtype=bool)

    def negated_logits(self, layer: int) -> FloatArray:
        """The buffer for this call's −zᵀ of hidden ``layer`` (not the last call's)."""
        buffers = self._negated[layer]
        if not buffers:
            shape = self.hidden[layer].shape
            buffers += [np.empty(shape), np.empty(shape)]
            self._exp_negated[layer] = np.empty(shape)
        return buffers[0]

    def sigmoid_of_negated(self, layer: int, negated: FloatArray, h: FloatArray) -> None:
        """h ← σ(z) = 1/(1 + e^(−z)) from ``negated`` = −zᵀ (from negated_logits).

        e^(−z) comes from np.exp, or, when every −zᵢⱼ moved by at most
        ``INCREMENTAL_MAX_CHANGE_NETWORK`` since the last call (near convergence), from the
        last call's value times a degree-6 Taylor polynomial of the change (exact to
        float64's resolution there, about half the cost of np.exp); afresh every
        INCREMENTAL_REFRESH calls, and whenever e^(−z) could be infinite (z < −700).
        """
        previous, e = self._negated[layer][1], self._exp_negated[layer]
        assert e is not None
        updates = self._updates_in_a_row[layer]
        incremental = False
        largest_change = math.inf
        if 0 <= updates < INCREMENTAL_REFRESH and negated.size:
            change = np.subtract(negated, previous, out=h)
            largest_change = max(float(np.maximum.reduce(change, axis=None)),
                                 -float(np.minimum.reduce(change, axis=None)))
            incremental = (largest_change <= INCREMENTAL_MAX_CHANGE_NETWORK
                           and float(np.maximum.reduce(negated, axis=None)) < 700.0)
        if incremental:  # degree 4 is exact up to 1e-3, degree 6 up to 1e-2
            multiply_by_exp_of_small(e, h, self._scratch_like(h),
                                      degree=4 if largest_change <= 1e-3 else 6)
            self._updates_in_a_row[layer] = updates + 1
        else:
            with np.errstate(over="ignore"):  # e^(−z) = inf for z < −709 gives σ = 0
                np.exp(negated, out=e)
            finite = float(np.maximum.reduce(negated, axis=None)) < 700.0
            self._updates_in_a_row[layer] = 0 if finite else -1
        self._negated[layer].reverse()  # this call's −z becomes "the last call's"
        np.add(e, 1.0, out=h)
        np.divide(1.0, h, out=h)  # (np.reciprocal has no AVX2 loop: 2x slower)

    def _scratch_like(self, a: FloatArray) -> FloatArray:
        scratch = self._poly_scratch
        if scratch is None or scratch.size < a.size:
            scratch = self._poly_scratch = np.empty(a.size)
        return scratch[:a.size].reshape(a.shape)

    def stack(self, layer: int, parameters: list[FloatArray], negate: bool) -> None:
        """W̃ = (bᵀ; W) of ``layer`` into its buffer, or −W̃ if ``negate``."""
        stacked = self.stacked[layer]
        weights, bias = parameters[2 * layer], parameters[2 * layer + 1]
        if negate:
            np.negative(bias, out=stacked[0])
            np.negative(weights, out=stacked[1:])
        else:
            stacked[0] = bias
            stacked[1:] = weights

    def gaussian_terms(self, logits: FloatArray) -> float:
        """A regression's LL = −Σᵢ (yᵢ − ŷᵢ)²/2 − n·log √(2π) for ŷᵀ = ``logits`` (1, n),
        which is overwritten with δᵀ = (y − ŷ)ᵀ."""
        np.subtract(self.y, logits, out=logits)
        residual = logits[0]
        return float(-0.5 * np.dot(residual, residual) - residual.shape[0] * LOG_SQRT_2PI)

    def softmax_terms(self, logits: FloatArray, with_delta: bool
                      ) -> tuple[float, FloatArray, int]:
        """Σᵢ log softmax(zᵢ)_{yᵢ}, δᵀ = onehot(y)ᵀ − softmax(z)ᵀ and the number of correct
        argmax predictions, for logits zᵀ of shape (K, n); ``logits`` is overwritten with
        z − max_c z_c."""
        shifted, e = logits, self.exp_shifted
        np.max(logits, axis=0, out=self.column_max)
        shifted -= self.column_max
        at_label = shifted.ravel()[self.label_index]  # z_{yᵢ} − max_c z_c
        n_correct = self._count_correct(shifted, at_label)
        np.exp(shifted, out=e)
        np.sum(e, axis=0, out=self.column_sum)
        ll = float(at_label.sum() - np.log(self.column_sum).sum())
        if with_delta:
            minus_reciprocal = np.divide(-1.0, self.column_sum, out=self.column_sum)
            e *= minus_reciprocal  # −softmax: n divisions instead of K·n, and no negation
            e.ravel()[self.label_index] += 1.0
        return ll, e, n_correct

    def _count_correct(self, shifted: FloatArray, at_label: FloatArray) -> int:
        """How many i have argmax_c zᵢ = yᵢ, given shifted = z − max_c z (exactly 0 at the
        maximum): the label's entry is 0, unless a column's maximum is tied, where np.argmax
        (the first maximum) decides. Cheaper than np.argmax along axis 0."""
        is_max = np.equal(shifted, 0.0, out=self.is_max)
        if np.count_nonzero(is_max) == shifted.shape[1]:  # one maximum per column
            return int(np.count_nonzero(at_label == 0.0))
        return int(np.count_nonzero(np.argmax(shifted, axis=0) == self.y))
