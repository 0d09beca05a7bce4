"""The lecture's gradient-ascent loop, one training example at a time.

::

    initialize θⱼ = 0 for 0 ≤ j ≤ m
    repeat many times:
        gradient[j] = 0 for 0 ≤ j ≤ m
        for each training example (x, y):
            for each 0 ≤ j ≤ m:
                gradient[j] += (y − σ(θᵀx)) xⱼ
        θⱼ += η · gradient[j] for all 0 ≤ j ≤ m

:class:`ExampleWalkthrough` runs this loop by hand: :meth:`~ExampleWalkthrough.step_example`
adds one example's contribution to the running ``gradient`` (θ does not move), and
:meth:`~ExampleWalkthrough.finish_pass` adds the rest and then, only then, updates θ. After a
full pass the parameters equal one full-batch ``GradientAscent.step`` (the lecture's
options: no mini-batch, no averaging, no momentum, no prior). For a network an example's
contribution is its backpropagated gradient ∂ log P(yᵢ|xᵢ)/∂θ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.formulas import sigmoid
from core.logistic import LogisticRegression
from core.network import NeuralNetwork
from core.training import ascent_update
from core.validation import check_labels, check_learning_rate

FloatArray = NDArray[np.float64]

PSEUDOCODE: tuple[str, ...] = (
    "initialize θⱼ = 0 for 0 ≤ j ≤ m",
    "repeat many times:",
    "    gradient[j] = 0 for 0 ≤ j ≤ m",
    "    for each training example (x, y):",
    "        for each 0 ≤ j ≤ m:",
    "            gradient[j] += (y − σ(θᵀx)) xⱼ",
    "    θⱼ += η · gradient[j] for all 0 ≤ j ≤ m",
)
"""The lecture's loop, line by line (``ExampleWalkthrough.line`` indexes it)."""

LINE_RESET = 2
LINE_ACCUMULATE = 5
LINE_UPDATE = 6


@dataclass(frozen=True)
class ExampleContribution:
    """One example's share of the gradient, as the lecture writes it.

    For a σ output, ``z`` = θᵀx (a network: the output unit's weighted input), ``y_hat`` =
    σ(z) and ``residual`` = y − ŷ are floats; for a softmax output they are arrays of shape
    (K,) (``residual`` = onehot(y) − softmax(z)). ``contribution`` is shaped like
    ``model.parameters``: for logistic regression [(y − ŷ)·x] with x₀ = 1, shape (m + 1,).
    """

    index: int
    x: FloatArray  # (n_features,), the model's input (x₀ = 1 not included)
    y: int
    z: float | FloatArray
    y_hat: float | FloatArray
    residual: float | FloatArray
    contribution: list[FloatArray]


def logistic_contribution(x: FloatArray, y: int, theta: FloatArray
                          ) -> tuple[float, float, FloatArray]:
    """One example's term of ∂LL/∂θⱼ: (y − σ(θᵀx)) xⱼ for every j, with x₀ = 1.

    Parameters
    ----------
    x : ndarray, shape (m,), raw features (x₀ is implied)
    y : int, the label in {0, 1}
    theta : ndarray, shape (m + 1,)

    Returns
    -------
    z : float, θᵀx
    y_hat : float, σ(θᵀx)
    contribution : ndarray, shape (m + 1,)
    """
    z = float(x @ theta[1:] + theta[0])
    y_hat = float(sigmoid(z))
    contribution = np.empty_like(theta)
    contribution[0] = y - y_hat
    contribution[1:] = (y - y_hat) * x
    return z, y_hat, contribution


def network_contribution(model: NeuralNetwork, x: FloatArray, y: int
                         ) -> tuple[FloatArray, FloatArray, list[FloatArray]]:
    """One example's backpropagated ∂ log P(y|x)/∂θ, shaped like ``model.parameters``.

    Parameters
    ----------
    model : NeuralNetwork
    x : ndarray, shape (n_features,), the network's input
    y : int, the class label

    Returns
    -------
    z : ndarray, shape (1,) or (K,), the output units' weighted inputs
    y_hat : ndarray, same shape, σ(z) or softmax(z)
    contribution : list of ndarray, [∂W1, ∂b1, …] for this one example
    """
    activations, logits = model._forward(x.reshape(1, -1))
    gradient = model._backward(activations, np.array([y], dtype=np.int64))
    return logits[0], activations[-1][0], gradient


class ExampleWalkthrough:
    """The lecture's loop by hand, one example at a time.

    Parameters
    ----------
    model : LogisticRegression or NeuralNetwork (classification)
        Its parameters are θ; they change only in :meth:`finish_pass`. Do not change them
        elsewhere during a pass (the contributions assume one θ_old).
    X : array_like, shape (n, n_features), or raw (n, 2) points for engineered features
    y : array_like, shape (n,), class labels
    learning_rate : float
        η of θⱼ += η · gradient[j] (the sum over examples, as in the lecture).

    Attributes
    ----------
    gradient : list of ndarray
        The running Σ over the examples seen in this pass, shaped like
        ``model.parameters`` (for logistic regression one array of shape (m + 1,)).
    position : int
        How many examples of this pass have been added (the next one's index).
    passes : int
        How many passes :meth:`finish_pass` has completed (updates of θ).
    """

    def __init__(self, model: LogisticRegression | NeuralNetwork, X: ArrayLike, y: ArrayLike,
                 learning_rate: float) -> None:
        if not isinstance(model, LogisticRegression | NeuralNetwork) \
                or getattr(model, "regression", False):
            raise TypeError("the walkthrough follows logistic regression or a classification "
                            f"network, not {type(model).__name__}")
        self.model = model
        self.X = np.asarray(model.inputs(X), dtype=np.float64)
        self.y = check_labels(y, self.X.shape[0], model.n_classes)
        self.learning_rate = check_learning_rate(learning_rate)
        self.passes = 0
        self.gradient: list[FloatArray] = []
        self.position = 0
        self.line = LINE_RESET
        self._updated = False
        self.start_pass()

    def __len__(self) -> int:
        """n, the number of training examples in one pass."""
        return int(self.X.shape[0])

    @property
    def done(self) -> bool:
        """Whether this pass is over: every example added and θ updated."""
        return self._updated

    def start_pass(self) -> None:
        """gradient[j] = 0 for every j: begin a new pass (θ untouched)."""
        self.gradient = [np.zeros_like(p) for p in self.model.parameters]
        self.position = 0
        self.line = LINE_RESET
        self._updated = False

    def contribution(self, index: int) -> ExampleContribution:
        """Example ``index``'s contribution at the current θ (nothing is added)."""
        x, label = self.X[index], int(self.y[index])
        if isinstance(self.model, LogisticRegression):
            z, y_hat, term = logistic_contribution(x, label, self.model.theta)
            return ExampleContribution(index, x.copy(), label, z, y_hat, label - y_hat, [term])
        zs, outputs, terms = network_contribution(self.model, x, label)
        if zs.shape[0] == 1:
            return ExampleContribution(index, x.copy(), label, float(zs[0]), float(outputs[0]),
                                       label - float(outputs[0]), terms)
        residual = -outputs
        residual[label] += 1.0
        return ExampleContribution(index, x.copy(), label, zs, outputs, residual, terms)

    def step_example(self) -> ExampleContribution:
        """gradient[j] += this example's (y − σ(θᵀx)) xⱼ; return what was added.

        When the pass is done, a new one starts first (gradient = 0). When every example is
        in but θ is not yet updated, call :meth:`finish_pass` instead.
        """
        if self.done:
            self.start_pass()
        if self.position >= len(self):
            raise RuntimeError("every example is in the gradient: call finish_pass()")
        added = self.contribution(self.position)
        for total, term in zip(self.gradient, added.contribution, strict=True):
            total += term
        self.position += 1
        self.line = LINE_ACCUMULATE
        return added

    def finish_pass(self) -> list[FloatArray]:
        """Add the remaining examples, then θⱼ += η · gradient[j]; return the new θ (copies
        of ``model.parameters``). On a finished pass it runs a whole new pass.

        The remaining examples' terms are summed in one vectorized call (the same Σᵢ as
        adding them one by one, to rounding), so that a pass over 100,000 points is quick.
        """
        if self.done:
            self.start_pass()
        if self.position < len(self):  # the rest of the sum at once (the same Σ, fast)
            rest = slice(self.position, len(self))
            _, terms, _ = self.model._log_likelihood_and_gradient(self.X[rest], self.y[rest])
            for total, term in zip(self.gradient, terms, strict=True):
                total += term
            self.position = len(self)
        ascent_update(self.model.parameters, self.gradient, self.learning_rate)
        self.passes += 1
        self.line = LINE_UPDATE
        self._updated = True
        return [p.copy() for p in self.model.parameters]

    @property
    def line_text(self) -> str:
        """The current line of :data:`PSEUDOCODE`."""
        return PSEUDOCODE[self.line]

    def state(self) -> dict[str, Any]:
        """position, n, done, line and passes in one dict (what a view shows)."""
        return {"position": self.position, "n": len(self), "done": self.done,
                "line": self.line, "passes": self.passes}


@dataclass(frozen=True)
class ExamplePulls:
    """Every training example's pull on θ: its term of ∇LL = Σᵢ (yᵢ − ŷᵢ)·xᵢ.

    ``error`` is |y − ŷ| at the output, shape (n,): for a σ output |yᵢ − σ(zᵢ)|, for a
    softmax 1 − P(Y=yᵢ|xᵢ) (the true class's entry of onehot(y) − ŷ). ``residual`` is
    y − ŷ for a σ output (signed, shape (n,)), None for a softmax. ``contribution`` is
    (yᵢ − ŷᵢ)·xᵢ with x₀ = 1, shape (n, m + 1), for logistic regression only (a network's
    term is backpropagated through its layers, not a vector of x).
    """

    error: FloatArray
    residual: FloatArray | None
    contribution: FloatArray | None


def example_pulls(model: LogisticRegression | NeuralNetwork, X: ArrayLike, y: ArrayLike
                  ) -> ExamplePulls:
    """(yᵢ − ŷᵢ)·xᵢ for every example (logistic regression) and |yᵢ − ŷᵢ| at the output.

    Parameters
    ----------
    model : LogisticRegression or NeuralNetwork (classification)
    X : array_like, shape (n, n_features), or raw (n, 2) points for engineered features
    y : array_like, shape (n,), class labels

    Returns
    -------
    ExamplePulls
        Summed over the examples, ``contribution`` is ∂LL/∂θ (``model.gradient``).
    """
    if getattr(model, "regression", False):
        raise TypeError("a regression has no class to pull towards")
    inputs = np.asarray(model.inputs(X, allow_empty=True), dtype=np.float64)
    labels = check_labels(y, inputs.shape[0], model.n_classes)
    if isinstance(model, LogisticRegression):
        residual = labels - sigmoid(inputs @ model.theta[1:] + model.theta[0])
        contribution = np.empty((inputs.shape[0], inputs.shape[1] + 1))
        contribution[:, 0] = residual
        contribution[:, 1:] = residual[:, None] * inputs
        return ExamplePulls(np.abs(residual), residual, contribution)
    activations, _ = model._forward(inputs)
    output = activations[-1]
    if output.shape[1] == 1:
        residual = labels - output[:, 0]
        return ExamplePulls(np.abs(residual), residual, None)
    true_class = output[np.arange(len(labels)), labels]
    return ExamplePulls(1.0 - true_class, None, None)


def plain_step_differences(batch_size: int | None, n_examples: int, average: bool,
                           momentum: float, l2: float, l1: float) -> list[str]:
    """How the training settings differ from the lecture's loop (empty: they are the
    lecture's, so one gradient-ascent step is exactly one pass of the loop).

    The lecture: the whole training set per step, θⱼ += η · Σᵢ (not the mean), no
    momentum, no prior (λ = 0).
    """
    differences = []
    if batch_size is not None and batch_size < n_examples:
        differences.append(f"mini-batches of {batch_size}")
    if average:
        differences.append("the mean gradient (average over examples)")
    if momentum:
        differences.append(f"momentum {momentum:g}")
    if l2 or l1:
        differences.append("a prior (λ > 0)")
    return differences
