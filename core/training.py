"""Gradient ascent on the log-likelihood, with a history the app can plot and rewind.

The lecture's loop, for every θⱼ at once::

    initialize θⱼ = 0
    repeat many times:
        gradient = ∂LL/∂θ over all n training examples   (finished before θ changes)
        θⱼ += η · gradient[j]

Options a user may expect beyond the lecture (defaults are the lecture's choice):
mini-batches (``batch_size``), η applied to the mean instead of the sum (``average``),
momentum, and a prior on the weights (``l2``, ``l1``: MAP instead of MLE, see
:func:`core.formulas.map_objective`).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.formulas import (
    LOG_SQRT_2PI,
    l1_penalty_gradient,
    l2_penalty_gradient,
    map_objective,
    r_squared,
    squared_error_from_log_likelihood,
)
from core.validation import check_features, check_labels, check_learning_rate, check_targets

FloatArray = NDArray[np.float64]


class Model(Protocol):
    """What GradientAscent needs of a model (LogisticRegression, NeuralNetwork and the
    regressions of core.regression). Optional: ``regression`` (True: real targets),
    ``features`` and ``inputs(X, allow_empty)`` (engineered features), ``weight_slices``
    (what a prior penalises), ``_ascent_terms`` (a fast path)."""

    n_features: int
    n_classes: int

    @property
    def parameters(self) -> list[FloatArray]: ...

    def _log_likelihood_and_gradient(self, X: FloatArray, y: NDArray[Any]
                                     ) -> tuple[float, list[FloatArray], NDArray[Any]]: ...

    def _log_likelihood_and_predictions(self, X: FloatArray, y: NDArray[Any]
                                        ) -> tuple[float, NDArray[Any]]: ...


class DivergenceError(ArithmeticError):
    """A step would have made a parameter or the log-likelihood non-finite.

    The parameters were left at the last finite values (those of ``step``); ``bad_step``
    is the update that went wrong (``step`` + 1 or later).
    """

    def __init__(self, message: str, step: int, bad_step: int | None = None) -> None:
        super().__init__(message)
        self.step = step
        self.bad_step = step + 1 if bad_step is None else bad_step


def _all_finite(arrays: list[FloatArray]) -> bool:
    """Whether every entry of every array is finite.

    A finite sum proves it (an inf or NaN entry makes the sum inf or NaN), so the entry-wise
    check only runs when the sum is not finite (a real inf/NaN, or overflow of the sum).
    """
    for a in arrays:
        if not math.isfinite(float(np.add.reduce(a, axis=None))) \
                and not bool(np.isfinite(a).all()):
            return False
    return True


def ascent_update(parameters: list[FloatArray], gradients: list[FloatArray],
                  learning_rate: float) -> None:
    """θⱼ += η · gradient[j], for every parameter array, in place."""
    for theta, gradient in zip(parameters, gradients, strict=True):
        theta += learning_rate * gradient


def weight_slices(model: Any) -> list[slice | None]:
    """Per parameter array of ``model``, the entries a prior penalises (the weights; a
    model without ``weight_slices`` has every entry penalised). Biases are never penalised:
    θ₀ of logistic and linear regression and every layer's b."""
    slices = getattr(model, "weight_slices", None)
    return list(slices) if slices is not None else [slice(None)] * len(model.parameters)


def penalized_weights(parameters: list[FloatArray], slices: list[slice | None]
                      ) -> list[FloatArray]:
    """Views of the penalised entries of ``parameters`` (see :func:`weight_slices`)."""
    return [p[s] for p, s in zip(parameters, slices, strict=True) if s is not None]


def add_prior_gradient(gradients: list[FloatArray], parameters: list[FloatArray],
                       slices: list[slice | None], l2: float = 0.0, l1: float = 0.0,
                       fraction: float = 1.0) -> None:
    """gradient += fraction · ∂(−λ₂‖θ‖² − λ₁‖θ‖₁)/∂θ = fraction·(−2λ₂θ − λ₁ sign θ), in place,
    on the penalised entries only (:func:`core.formulas.l2_penalty_gradient`,
    :func:`core.formulas.l1_penalty_gradient`).

    ``fraction`` is B/n for a mini-batch of B of the n training examples: the batch's sum
    gradient estimates B/n of LL's, so the prior gets the same share, and the steps of an
    epoch add up to one full-batch step on the objective.
    """
    for gradient, theta, s in zip(gradients, parameters, slices, strict=True):
        if s is None:
            continue
        if l2:
            gradient[s] += fraction * l2_penalty_gradient(theta[s], l2)
        if l1:
            gradient[s] += fraction * l1_penalty_gradient(theta[s], l1)


def _rate(value: float, name: str) -> float:
    """A regularization rate λ: a finite number ≥ 0."""
    rate = float(value)
    if not (math.isfinite(rate) and rate >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return rate


HISTORY_COLUMNS: tuple[str, ...] = ("steps", "log_likelihood", "accuracy",
                                     "test_log_likelihood", "test_accuracy", "objective")
"""Every column of :class:`History`, in the order of :meth:`History.append`'s arguments."""


@dataclass
class History:
    """What was recorded, one row per recorded step (row k is the state *after* step k).

    Columns: ``steps``; ``log_likelihood`` LL(θ) on the training set (a sum);
    ``accuracy`` the fraction of training examples classified right, or for a regression
    R² (1 − Σ(y − ŷ)²/Σ(y − ȳ)², may be negative; NaN when the targets are constant);
    ``test_log_likelihood`` and ``test_accuracy`` the same on the test set (NaN without
    one); ``objective`` what gradient ascent maximises on the training set, LL(θ) −
    λ₂‖θ‖² − λ₁‖θ‖₁ (equal to ``log_likelihood`` when λ = 0).
    """

    steps: list[int] = field(default_factory=list)
    log_likelihood: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    test_log_likelihood: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    objective: list[float] = field(default_factory=list)

    def append(self, step: int, ll: float, acc: float, test_ll: float, test_acc: float,
               objective: float | None = None) -> None:
        """Add a row; ``objective`` None (rows written before it existed) means LL."""
        self.steps.append(step)
        self.log_likelihood.append(ll)
        self.accuracy.append(acc)
        self.test_log_likelihood.append(test_ll)
        self.test_accuracy.append(test_acc)
        self.objective.append(ll if objective is None else objective)

    def truncate_after(self, step: int) -> None:
        """Forget every row recorded after ``step``."""
        keep = int(np.searchsorted(np.asarray(self.steps), step, side="right"))
        for name in HISTORY_COLUMNS:
            del getattr(self, name)[keep:]

    def __len__(self) -> int:
        return len(self.steps)

    def as_arrays(self) -> dict[str, NDArray[np.float64]]:
        """Every column as a numpy array (for plotting)."""
        return {name: np.asarray(getattr(self, name), dtype=np.float64)
                for name in HISTORY_COLUMNS}


@dataclass(frozen=True)
class Snapshot:
    """The trainer's state after one step: what rewinding there restores.

    ``velocity`` is the momentum velocity (None when it was zero, the lecture's plain
    ascent), so that a rewound run with momentum resumes exactly.
    """

    parameters: list[FloatArray]
    velocity: list[FloatArray] | None = None


class SnapshotStore:
    """Parameter snapshots by step, in bounded memory, spread evenly over the whole run.

    The most recent ``keep_recent`` snapshots are all kept. Older ones are kept only at
    multiples of a ``stride`` (a power of two) that doubles whenever more than
    ``max_snapshots − keep_recent`` older snapshots would be kept. So after N recorded steps
    the older snapshots are at most ``stride ≤ 2N / (max_snapshots − keep_recent)`` steps
    apart: with the defaults (2,600 and 500), rewinding to any step s restores a step no
    more than N/1,000 before s, in at most 2,600 snapshots.
    """

    def __init__(self, max_snapshots: int = 2600, keep_recent: int = 500) -> None:
        if keep_recent < 1 or max_snapshots <= keep_recent:
            raise ValueError("need max_snapshots > keep_recent >= 1")
        self.max_snapshots = int(max_snapshots)
        self.keep_recent = int(keep_recent)
        self.stride = 1
        self._snapshots: dict[int, Snapshot] = {}
        self._steps: list[int] = []  # sorted

    def add(self, step: int, parameters: list[FloatArray],
            velocity: list[FloatArray] | None = None) -> None:
        """Keep a copy of ``parameters`` (and a non-zero momentum ``velocity``) at ``step``."""
        step = int(step)
        moving = velocity is not None and any(bool(np.any(v)) for v in velocity)
        if step not in self._snapshots:
            if not self._steps or step > self._steps[-1]:
                self._steps.append(step)
            else:
                bisect.insort(self._steps, step)
        self._snapshots[step] = Snapshot(
            [p.copy() for p in parameters],
            [v.copy() for v in velocity] if moving and velocity is not None else None)
        self._thin()

    def _thin(self) -> None:
        """Drop the snapshot that just left the recent window unless it is on the stride;
        double the stride when too many older ones are kept."""
        n_older = len(self._steps) - self.keep_recent
        if n_older <= 0:
            return
        leaving = self._steps[n_older - 1]
        if leaving % self.stride:
            del self._steps[n_older - 1]
            del self._snapshots[leaving]
            n_older -= 1
        if n_older > self.max_snapshots - self.keep_recent:
            self.stride *= 2
            older, recent = self._steps[:n_older], self._steps[n_older:]
            kept = [s for s in older if s % self.stride == 0]
            for s in older:
                if s % self.stride:
                    del self._snapshots[s]
            self._steps = kept + recent

    def steps(self) -> list[int]:
        """The steps that have a snapshot, in increasing order."""
        return list(self._steps)

    def restore_point(self, step: int) -> tuple[int, Snapshot]:
        """The latest snapshot at or before ``step``: (its step, the snapshot)."""
        index = bisect.bisect_right(self._steps, int(step))
        if index == 0:
            raise ValueError(f"no snapshot at or before step {step}")
        best = self._steps[index - 1]
        return best, self._snapshots[best]

    def at_or_before(self, step: int) -> tuple[int, list[FloatArray]]:
        """The latest snapshot's parameters at or before ``step``: (its step, parameters)."""
        best, snapshot = self.restore_point(step)
        return best, snapshot.parameters

    def drop_after(self, step: int) -> None:
        """Forget every snapshot after ``step``."""
        keep = bisect.bisect_right(self._steps, int(step))
        for s in self._steps[keep:]:
            del self._snapshots[s]
        del self._steps[keep:]

    def __len__(self) -> int:
        return len(self._steps)


def _total_sum_of_squares(y: FloatArray) -> float:
    """Σ(yᵢ − ȳ)², the denominator of R²."""
    return float(np.sum((y - y.mean()) ** 2)) if len(y) else 0.0


class GradientAscent:
    """Train a model by gradient ascent on its log-likelihood.

    Parameters
    ----------
    model : LogisticRegression, NeuralNetwork, LinearRegression or RegressionNetwork
    X : array_like, shape (n, n_features)
        The model's inputs; for a model with engineered features (``model.features``)
        also the raw (n, 2) points, expanded here (``self.X`` holds the expanded matrix).
    y : array_like, shape (n,)
        Labels in 0..n_classes−1; for a regression (``model.regression``) real targets.
    learning_rate : float
        η, a constant set before training (the lecture). Must be finite and > 0.
    batch_size : int or None
        None (default, the lecture): the gradient over all n examples. B < n: mini-batches
        of B shuffled examples (B = 1 is stochastic gradient ascent).
    seed : int
        Seed of the ``np.random.Generator`` that shuffles mini-batches.
    X_test, y_test : array_like or None
        A held-out set, only evaluated (never trained on; parameters never change there).
    average : bool
        False (default, the lecture): θ += η · Σᵢ(...). True: θ += η · (1/B) Σᵢ(...).
    momentum : float
        0 (default, the lecture). μ in v ← μv + η·gradient, θ += v.
    record_every : int
        Record history and a snapshot every this many steps (1 = every step).
    divergence_nats : float
        Training stops with :class:`DivergenceError` when the parameters or LL become
        non-finite, or when the mean log-likelihood per example falls below
        −divergence_nats (the model then gives the true labels probability < e^−50 on
        average: η is far too large, LL is jumping away from the maximum, not climbing).
        For a regression the bound is −divergence_nats·max(1, mean(y²)/2) − log √(2π)
        per example, 50 times worse than predicting ŷ = 0.
    l2, l1 : float
        λ ≥ 0 of a prior on the weights (0, the lecture's MLE, by default). Gradient ascent
        then maximises the objective LL(θ) − λ₂‖θ‖² − λ₁‖θ‖₁ (MAP: a Gaussian prior for
        L2, a Laplace prior for L1) over the weights only, never the biases; the history's
        ``objective`` column records it. See :meth:`set_regularization`.
    """

    def __init__(self, model: Model, X: ArrayLike, y: ArrayLike, learning_rate: float = 0.01,
                 batch_size: int | None = None, seed: int = 0, X_test: ArrayLike | None = None,
                 y_test: ArrayLike | None = None, average: bool = False, momentum: float = 0.0,
                 record_every: int = 1, max_snapshots: int = 2600, keep_recent: int = 500,
                 divergence_nats: float = 50.0, l2: float = 0.0, l1: float = 0.0) -> None:
        self.model = model
        self.regression = bool(getattr(model, "regression", False))
        self.X = self._inputs(X)
        self.y = self._targets(y, self.X.shape[0])
        self.learning_rate = check_learning_rate(learning_rate)
        if batch_size is not None and int(batch_size) < 1:
            raise ValueError(f"batch_size must be None (full batch) or >= 1, got {batch_size}")
        self.batch_size = None if batch_size is None or int(batch_size) >= len(self.y) \
            else int(batch_size)
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if int(record_every) < 1:
            raise ValueError(f"record_every must be >= 1, got {record_every}")
        self.average = bool(average)
        self.momentum = float(momentum)
        self.record_every = int(record_every)
        self.divergence_nats = float(divergence_nats)
        self.rng = np.random.default_rng(seed)
        if (X_test is None) != (y_test is None):
            raise ValueError("give both X_test and y_test, or neither")
        self.X_test: FloatArray | None = None
        self.y_test: NDArray[Any] | None = None
        if X_test is not None and y_test is not None:
            Xt = self._inputs(X_test, allow_empty=True)
            yt = self._targets(y_test, Xt.shape[0])
            if len(yt):
                self.X_test, self.y_test = Xt, yt
        self.l2 = self.l1 = 0.0
        self.set_regularization(l2, l1)
        self._slices = weight_slices(model)
        # a regression's R² needs Σ(y − ȳ)² of each set; its divergence bound, mean(y²)
        self._total = _total_sum_of_squares(self.y) if self.regression else 0.0
        self._test_total = (_total_sum_of_squares(self.y_test)
                            if self.regression and self.y_test is not None else 0.0)
        self._nats_scale = (max(1.0, 0.5 * float(np.mean(self.y ** 2)))
                            if self.regression else 1.0)
        self.history = History()
        self.snapshots = SnapshotStore(max_snapshots, keep_recent)
        self.step_count = 0
        self._velocity = [np.zeros_like(p) for p in model.parameters]
        self._order = np.arange(0)
        self._cursor = 0
        self.gradient: list[FloatArray] = [np.zeros_like(p) for p in model.parameters]
        # Buffers the model's fast path keeps between steps, for self.X/y and the test set.
        self._scratch: dict[str, Any] = {}
        self._test_scratch: dict[str, Any] = {}
        self._record_current()

    def _inputs(self, X: ArrayLike, allow_empty: bool = False) -> FloatArray:
        """X validated (and expanded with engineered features) as the model's input."""
        inputs = getattr(self.model, "inputs", None)
        if inputs is not None:
            return np.asarray(inputs(X, allow_empty=allow_empty), dtype=np.float64)
        return check_features(X, self.model.n_features, allow_empty=allow_empty)

    def _targets(self, y: ArrayLike, n_examples: int) -> NDArray[Any]:
        """Real targets for a regression, class labels otherwise."""
        if self.regression:
            return check_targets(y, n_examples)
        return check_labels(y, n_examples, self.model.n_classes)

    def set_regularization(self, l2: float = 0.0, l1: float = 0.0) -> None:
        """Set the prior's rates λ₂ (L2, −λ₂‖θ‖²) and λ₁ (L1, −λ₁‖θ‖₁), each ≥ 0.

        They take effect from the next step; rows already in the history keep the objective
        of the rates they were recorded with.
        """
        self.l2 = _rate(l2, "l2")
        self.l1 = _rate(l1, "l1")

    def objective(self, ll: float) -> float:
        """The objective at the current parameters given their training LL:
        LL − λ₂‖θ‖² − λ₁‖θ‖₁ (:func:`core.formulas.map_objective`); LL when λ = 0."""
        if not (self.l2 or self.l1):
            return ll
        weights = penalized_weights(self.model.parameters, self._slices)
        return map_objective(ll, weights, self.l2, self.l1)

    # --- evaluation -------------------------------------------------------------------
    def _evaluate(self, X: FloatArray, y: NDArray[np.int64], scratch: dict[str, Any],
                  with_gradient: bool) -> tuple[float, list[FloatArray], int]:
        """LL, gradient (``[]`` unless with_gradient) and number of correct predictions on
        all of (X, y), by the model's fast path when it has one."""
        fast = getattr(self.model, "_ascent_terms", None)
        if fast is not None:
            return fast(X, y, scratch, with_gradient)
        if with_gradient:
            ll, gradient, predicted = self.model._log_likelihood_and_gradient(X, y)
        else:
            (ll, predicted), gradient = self.model._log_likelihood_and_predictions(X, y), []
        return ll, gradient, int(np.count_nonzero(predicted == y))

    def _metric(self, ll: float, n_correct: int, n: int, total: float) -> float:
        """Accuracy n_correct/n, or for a regression R² from LL (Σ(y − ŷ)² follows from
        the Gaussian LL, no extra pass) and ``total`` = Σ(y − ȳ)²."""
        if self.regression:
            return r_squared(squared_error_from_log_likelihood(ll, n), total)
        return n_correct / n

    def _test_metrics(self) -> tuple[float, float]:
        if self.X_test is None or self.y_test is None:
            return float("nan"), float("nan")
        ll, _, n_correct = self._evaluate(self.X_test, self.y_test, self._test_scratch, False)
        return ll, self._metric(ll, n_correct, len(self.y_test), self._test_total)

    def _record(self, step: int, ll: float, n_correct: int) -> None:
        """Append a history row (n_correct: correct predictions on the training set)."""
        test_ll, test_acc = self._test_metrics()
        if self.regression or self.l2 or self.l1:
            acc = self._metric(ll, n_correct, len(self.y), self._total)
            self.history.append(step, ll, acc, test_ll, test_acc, self.objective(ll))
        else:  # the lecture's MLE: the objective is LL
            self.history.append(step, ll, n_correct / len(self.y), test_ll, test_acc, ll)
        self.snapshots.add(step, self.model.parameters, self._velocity)

    def _is_sane(self, ll: float, n_examples: int) -> bool:
        """LL is finite and not absurdly low (see ``divergence_nats``)."""
        if self.regression:
            bound = self.divergence_nats * self._nats_scale + LOG_SQRT_2PI
        else:
            bound = self.divergence_nats
        return math.isfinite(ll) and ll >= -bound * max(n_examples, 1)

    def _record_current(self) -> None:
        """Evaluate LL and accuracy on the whole training set at the current parameters."""
        if self.history.steps and self.history.steps[-1] == self.step_count:
            return
        ll, _, n_correct = self._evaluate(self.X, self.y, self._scratch, False)
        if not self._is_sane(ll, len(self.y)) and len(self.snapshots):
            self._fail(self.step_count)
        self._record(self.step_count, ll, n_correct)

    def _divergence_message(self, bad_step: int) -> str:
        """``bad_step``: the update (1, 2, …) whose parameters were insane."""
        return (f"Gradient ascent diverged at step {max(bad_step, 1)} with η = "
                f"{self.learning_rate:g}: the log-likelihood fell far below where it started "
                "(or became infinite/NaN) instead of climbing. The last good parameters were "
                "kept; lower η (or use 'average over examples') and continue.")

    # --- the loop ---------------------------------------------------------------------
    def _next_batch(self) -> tuple[FloatArray, NDArray[np.int64]]:
        if self.batch_size is None:
            return self.X, self.y
        if self._cursor + self.batch_size > len(self._order):
            self._order = self.rng.permutation(len(self.y))
            self._cursor = 0
        index = self._order[self._cursor:self._cursor + self.batch_size]
        self._cursor += self.batch_size
        return self.X[index], self.y[index]

    def step(self, n: int = 1) -> float:
        """Do ``n`` gradient-ascent updates; return the training log-likelihood after them.

        Raises
        ------
        DivergenceError
            If an update would make a parameter or LL non-finite. The parameters stay at
            the last finite values, which are recorded in the history.
        """
        if int(n) < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        parameters = self.model.parameters
        prior = bool(self.l2 or self.l1)
        for _ in range(int(n)):
            if self.batch_size is None:
                n_examples = len(self.y)
                ll, gradient, n_correct = self._evaluate(self.X, self.y, self._scratch, True)
            else:
                X, y = self._next_batch()
                n_examples = len(y)
                batch_terms = getattr(self.model, "_batch_terms", None)
                if batch_terms is not None:  # the same numbers, fewer numpy calls
                    ll, gradient, _ = batch_terms(X, y)
                else:
                    ll, gradient, _ = self.model._log_likelihood_and_gradient(X, y)
            if not self._is_sane(ll, n_examples):  # the last update's θ is insane
                self._fail(self.step_count)
            if self.batch_size is None and self.step_count % self.record_every == 0:
                # LL of the parameters before this update: record it for free.
                if not (self.history.steps and self.history.steps[-1] == self.step_count):
                    self._record(self.step_count, ll, n_correct)
            if prior:
                add_prior_gradient(gradient, parameters, self._slices, self.l2, self.l1,
                                   n_examples / len(self.y))
            scale = self.learning_rate / n_examples if self.average else self.learning_rate
            if self.momentum:
                for v, g in zip(self._velocity, gradient, strict=True):
                    v *= self.momentum
                    v += scale * g
                ascent_update(parameters, self._velocity, 1.0)
            else:
                ascent_update(parameters, gradient, scale)
            if not _all_finite(parameters):  # this update's θ
                self._fail(self.step_count + 1)
            self.gradient = gradient
            self.step_count += 1
            if self.batch_size is not None and self.step_count % self.record_every == 0:
                self._record_current()
        self._record_current()
        return self.history.log_likelihood[-1]

    def _fail(self, bad_step: int) -> None:
        """Go back to the last recorded (finite, sane) parameters and raise."""
        message = self._divergence_message(bad_step)
        raise DivergenceError(message, self._restore(self.step_count), max(bad_step, 1))

    # --- rewind -----------------------------------------------------------------------
    def rewind(self, step: int) -> int:
        """Restore the parameters recorded at ``step`` (or the nearest earlier snapshot).

        The history after that step is forgotten, so training resumes from there.
        Returns the step actually restored.
        """
        return self._restore(int(step))

    def _restore(self, step: int) -> int:
        restored, snapshot = self.snapshots.restore_point(step)
        for p, saved in zip(self.model.parameters, snapshot.parameters, strict=True):
            p[...] = saved
        self.step_count = restored
        self.history.truncate_after(restored)
        self.snapshots.drop_after(restored)
        self._velocity = ([v.copy() for v in snapshot.velocity] if snapshot.velocity is not None
                          else [np.zeros_like(p) for p in self.model.parameters])
        return restored

    @property
    def log_likelihood(self) -> float:
        """Training LL at the current parameters."""
        self._record_current()
        return self.history.log_likelihood[-1]

    @property
    def accuracy(self) -> float:
        self._record_current()
        return self.history.accuracy[-1]
