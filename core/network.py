"""A neural network: logistic regressions stacked, trained by the same MLE.

hⱼ = σ(Σᵢ xᵢ θ⁽ʰ⁾ᵢⱼ)  and  ŷ = σ(Σⱼ hⱼ θ⁽ŷ⁾ⱼ)  (with x₀ = h₀ = 1 giving each unit a bias).

Each layer keeps a weight matrix W of shape (units_in, units_out) and a bias vector b of
shape (units_out,); b plays the role of θ₀ⱼ for x₀ = 1. The output is σ for two classes
(ŷ = P(Y=1|x)) and softmax for more. Hidden activations: sigmoid (the lecture's), tanh, relu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.fast.margins import sigmoid_into as _sigmoid_into
from core.fast.network_workspace import network_ascent_terms
from core.formulas import (
    ACTIVATIONS,
    activate,
    activation_derivative,
    bernoulli_log_likelihood,
    log_softmax,
    sigmoid,
    softmax,
)
from core.validation import check_features, check_labels

FloatArray = NDArray[np.float64]
INITS = ("random", "zeros")


def output_log_likelihood(y: NDArray[np.int64], logits: FloatArray) -> float:
    """LL = Σᵢ log P(Y = yᵢ | xᵢ).

    Two classes (logits shape (n, 1)): Σᵢ yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ)).
    K classes (logits shape (n, K)): Σᵢ log softmax(zᵢ)_{yᵢ}.
    """
    if logits.shape[1] == 1:
        return bernoulli_log_likelihood(y, logits[:, 0])
    return float(np.sum(log_softmax(logits)[np.arange(y.shape[0]), y]))


def output_delta(y: NDArray[np.int64], output: FloatArray) -> FloatArray:
    """∂LL/∂z at the output: y − ŷ (σ output) or onehot(y) − softmax(z) (softmax output).

    The same form as logistic regression's [yᵢ − σ(θᵀxᵢ)]. Shape like ``output``.
    """
    if output.shape[1] == 1:
        return y[:, None] - output
    delta = -output.copy()
    delta[np.arange(y.shape[0]), y] += 1.0
    return delta


class NeuralNetwork:
    """A fully connected network trained by gradient ascent on the log-likelihood.

    Parameters
    ----------
    n_features : int
        Number of inputs |x|.
    hidden_units : sequence of int
        Units per hidden layer, e.g. (8,) or (16, 8). Empty means logistic regression.
    activation : {"sigmoid", "tanh", "relu"}
        Hidden activation; sigmoid is the lecture's.
    n_classes : int
        2 gives one σ output unit (ŷ = P(Y=1|x)); more gives a softmax over n_classes units.
    seed : int
        Seed of the ``np.random.Generator`` used for random initialisation.
    init : {"random", "zeros"}
        "zeros" makes every unit of a layer identical forever (symmetry is never broken),
        which the app shows on purpose.
    """

    def __init__(self, n_features: int, hidden_units: Sequence[int] = (8,),
                 activation: str = "sigmoid", n_classes: int = 2, seed: int = 0,
                 init: str = "random") -> None:
        if int(n_features) < 1:
            raise ValueError(f"n_features must be at least 1, got {n_features}")
        units = [int(u) for u in hidden_units]
        if any(u < 1 for u in units):
            raise ValueError(f"every hidden layer needs at least 1 unit, got {tuple(units)}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if int(n_classes) < 2:
            raise ValueError(f"n_classes must be at least 2, got {n_classes}")
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        self.n_features = int(n_features)
        self.hidden_units = tuple(units)
        self.activation = activation
        self.n_classes = int(n_classes)
        self.seed = int(seed)
        self.init = init
        n_out = 1 if self.n_classes == 2 else self.n_classes
        self.layer_sizes = (self.n_features, *self.hidden_units, n_out)
        self._parameters: list[FloatArray] = []
        self.reset(seed=self.seed, init=self.init)

    def reset(self, seed: int | None = None, init: str | None = None) -> None:
        """Re-initialise every weight and bias in place (same arrays, new values)."""
        if seed is not None:
            self.seed = int(seed)
        if init is not None:
            if init not in INITS:
                raise ValueError(f"init must be one of {INITS}, got {init!r}")
            self.init = init
        rng = np.random.default_rng(self.seed)
        fresh: list[FloatArray] = []
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True):
            if self.init == "zeros":
                weights = np.zeros((fan_in, fan_out))
            else:
                # Glorot scale for sigmoid/tanh, He scale for relu.
                gain = 2.0 if self.activation == "relu" else 1.0
                weights = rng.normal(0.0, np.sqrt(gain / fan_in), size=(fan_in, fan_out))
            fresh += [weights, np.zeros(fan_out)]
        if self._parameters:
            for own, new in zip(self._parameters, fresh, strict=True):
                own[...] = new
        else:
            self._parameters = fresh

    # --- parameters -------------------------------------------------------------------
    @property
    def parameters(self) -> list[FloatArray]:
        """[W1, b1, W2, b2, …]: the model's own arrays (in-place edits change the model)."""
        return self._parameters

    @property
    def weights(self) -> list[FloatArray]:
        return self._parameters[0::2]

    @property
    def biases(self) -> list[FloatArray]:
        return self._parameters[1::2]

    @property
    def n_weights(self) -> int:
        """Σ over layers of units_in × units_out (|x|=40, |h|=20, 2 classes → 820)."""
        return sum(w.size for w in self.weights)

    @property
    def n_biases(self) -> int:
        """One per hidden or output unit."""
        return sum(b.size for b in self.biases)

    # --- forward pass -----------------------------------------------------------------
    def _forward(self, X: FloatArray) -> tuple[list[FloatArray], FloatArray]:
        """Activations [x, h¹, …, ŷ] and the output logits, for validated X."""
        activations = [X]
        a = X
        n_layers = len(self.weights)
        for index, (weights, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ weights + bias
            if index < n_layers - 1:
                a = activate(self.activation, z)
            else:
                a = sigmoid(z) if z.shape[1] == 1 else softmax(z)
                activations.append(a)
                return activations, z
            activations.append(a)
        raise AssertionError("unreachable: a network has at least one layer")

    def forward(self, X: ArrayLike) -> list[FloatArray]:
        """Every layer's activations, input first.

        Returns
        -------
        list of ndarray
            [x (n, n_features), h¹ (n, units₁), …, output (n, 1) for σ or (n, K) for softmax]
        """
        return self._forward(check_features(X, self.n_features, allow_empty=True))[0]

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """ŷ = P(Y=1|x), shape (n,), for 2 classes; P(Y=k|x), shape (n, K), for more."""
        output = self.forward(X)[-1]
        return output[:, 0] if output.shape[1] == 1 else output

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """1 iff ŷ > 0.5 for 2 classes; the most likely class for more. Shape (n,)."""
        return self._predictions(self.forward(X)[-1])

    @staticmethod
    def _predictions(output: FloatArray) -> NDArray[np.int64]:
        if output.shape[1] == 1:
            return (output[:, 0] > 0.5).astype(np.int64)
        return np.argmax(output, axis=1).astype(np.int64)

    def log_likelihood(self, X: ArrayLike, y: ArrayLike) -> float:
        """LL(θ) = Σᵢ log P(Y = yᵢ | xᵢ, θ): a sum over examples, as in the lecture."""
        X = check_features(X, self.n_features)
        labels = check_labels(y, X.shape[0], self.n_classes)
        return output_log_likelihood(labels, self._forward(X)[1])

    # --- backward pass (the chain rule) -----------------------------------------------
    def _backward(self, activations: list[FloatArray], y: NDArray[np.int64]
                  ) -> list[FloatArray]:
        """∂LL/∂W and ∂LL/∂b for every layer, output first then back to the input.

        δ_out = y − ŷ;  ∂LL/∂W = aᵀδ;  ∂LL/∂b = Σᵢ δᵢ;  δ_prev = (δ Wᵀ) ⊙ act′(a_prev).
        """
        delta = output_delta(y, activations[-1])
        gradients: list[FloatArray] = [np.empty(0)] * len(self._parameters)
        for layer in range(len(self.weights) - 1, -1, -1):
            a_in = activations[layer]
            gradients[2 * layer] = a_in.T @ delta
            gradients[2 * layer + 1] = delta.sum(axis=0)
            if layer > 0:
                delta = (delta @ self.weights[layer].T) * activation_derivative(
                    self.activation, a_in)
        return gradients

    def gradient(self, X: ArrayLike, y: ArrayLike) -> list[FloatArray]:
        """∂LL/∂θ by backpropagation: a list shaped like ``parameters`` ([∂W1, ∂b1, …])."""
        X = check_features(X, self.n_features)
        labels = check_labels(y, X.shape[0], self.n_classes)
        return self._backward(self._forward(X)[0], labels)

    # --- used by GradientAscent (inputs already validated) ----------------------------
    def _log_likelihood_and_gradient(self, X: FloatArray, y: NDArray[np.int64]
                                     ) -> tuple[float, list[FloatArray], NDArray[np.int64]]:
        activations, logits = self._forward(X)
        return (output_log_likelihood(y, logits), self._backward(activations, y),
                self._predictions(activations[-1]))

    def _log_likelihood_and_predictions(self, X: FloatArray, y: NDArray[np.int64]
                                        ) -> tuple[float, NDArray[np.int64]]:
        activations, logits = self._forward(X)
        return output_log_likelihood(y, logits), self._predictions(activations[-1])

    def _ascent_terms(self, X: FloatArray, y: NDArray[np.int64], scratch: dict[str, Any],
                      with_gradient: bool = True) -> tuple[float, list[FloatArray], int]:
        """LL(θ), [∂LL/∂W1, ∂LL/∂b1, …] (``[]`` without gradient) and the number of correct
        predictions, for validated inputs.

        The training loop's fast path: the same forward pass, :func:`output_log_likelihood`
        and backpropagation as ``_forward``/``_backward`` (to a few ulps), made fast in
        core/fast/network_workspace.py with buffers kept in ``scratch`` (a dict the caller
        keeps for this X and y).
        """
        return network_ascent_terms(self._parameters, self.layer_sizes, self.activation, X,
                                    y, scratch, with_gradient)

    # --- display only: the forward pass over a grid of the plane, in float32 ------------
    def _grid_forward_float32(self, xs: FloatArray, ys: FloatArray, with_hidden: bool = True
                              ) -> tuple[NDArray[np.float32], list[NDArray[np.float32]]]:
        """P(Y=1|x) and every hidden layer over the grid xs × ys, in float32 (for drawing).

        The same forward pass as :meth:`forward` with the parameters cast to float32 (the
        model itself is untouched; training stays float64). Hidden layers are laid out
        (units, len(xs), len(ys)), so that each unit's map is contiguous. Without hidden
        layers to return, the grid is evaluated in blocks of rows of about
        ``_GRID_BLOCK_POINTS`` points (every layer of a block stays in L2) through two
        reused buffers; with them, in one pass straight into the maps returned (blocks
        written into the maps' rows measured slower). Each layer's float32 matrix
        has the bias and the scale of the next exponent folded in (see
        :func:`_grid_layer_matrices`), so no pass scales z or adds a bias, and the first
        layer takes no exp over the grid (see :class:`_GridFirstLayer`). Needs 2 features
        and 2 classes; returns (P of shape (len(xs), len(ys)), hidden, empty unless
        with_hidden).
        """
        f32 = np.float32
        nx, ny = xs.shape[0], ys.shape[0]
        units = self.layer_sizes[1:-1]
        matrices = _grid_layer_matrices(self._parameters, self.activation)
        first = _GridFirstLayer(self._parameters[0], self._parameters[1], xs, ys,
                                self.activation if units else "sigmoid")
        probability = np.empty((nx, ny), dtype=f32)
        rows = nx if with_hidden else max(1, _GRID_BLOCK_POINTS // ny)
        slabs: list[NDArray[np.float32]] = []
        if with_hidden:  # each layer's maps and a row of ones, in one allocation (which is
            # big enough for huge pages: far fewer page faults than one array per layer)
            every = np.empty((sum(units) + len(units), nx, ny), dtype=f32)
            ends = np.cumsum([n + 1 for n in units])
            slabs = [every[end - n - 1:end] for n, end in zip(units, ends, strict=True)]
        size = (max(self.layer_sizes[1:]) + 1) * rows * ny
        buffers = (np.empty(size, dtype=f32), np.empty(size, dtype=f32))  # reused by blocks
        for start in range(0, nx, rows):
            block = slice(start, min(start + rows, nx))
            points = (block.stop - start) * ny
            if with_hidden:
                layers = [np.reshape(slab[:, block], (slab.shape[0], points), copy=False)
                          for slab in slabs]
            else:
                layers = [buffers[k % 2][:(n + 1) * points].reshape(n + 1, points)
                          for k, n in enumerate(units)]
            self._grid_block_float32(first, block, matrices, layers,
                                     buffers[len(units) % 2], probability[block])
        return probability, [slab[:-1] for slab in slabs]

    def _grid_block_float32(self, first: _GridFirstLayer, block: slice,
                            matrices: list[NDArray[np.float32]],
                            layers: list[NDArray[np.float32]], scratch: NDArray[np.float32],
                            out: NDArray[np.float32]) -> None:
        """One block of rows of _grid_forward_float32: P into ``out``. ``matrices`` are the
        layers after the first (:func:`_grid_layer_matrices`); ``layers`` hold each hidden
        layer's activations over the block, (units + 1, points), the last row set to ones
        here (the bias column's input); ``scratch`` (flat) is used without hidden layers."""
        shape = out.shape
        if not layers:  # no hidden layer: the first layer is the output
            first.activate_into(block, out[None])
            return
        first.activate_into(block, np.reshape(layers[0][:-1], (-1, *shape), copy=False))
        for k, matrix in enumerate(matrices[:-1]):
            layers[k][-1] = 1.0
            np.matmul(matrix, layers[k], out=layers[k + 1][:-1])
            _grid_activation_float32(self.activation, layers[k + 1][:-1])
        # the output: γz = −z (see _grid_layer_matrices), P = 1/(1 + e^(−z))
        layers[-1][-1] = 1.0
        minus_z = scratch[:out.size].reshape(1, out.size)
        np.matmul(matrices[-1], layers[-1], out=minus_z)
        flat = out.reshape(-1)
        with np.errstate(over="ignore"):
            np.exp(minus_z[0], out=flat)
        flat += np.float32(1.0)
        np.divide(np.float32(1.0), flat, out=flat)

    def __repr__(self) -> str:
        return (f"NeuralNetwork(n_features={self.n_features}, "
                f"hidden_units={self.hidden_units}, activation={self.activation!r}, "
                f"n_classes={self.n_classes}, seed={self.seed}, init={self.init!r})")


# --- display only (core.grid): float32 helpers ------------------------------------------
#: Grid points per block in NeuralNetwork._grid_forward_float32 (8 units × 5,000 float32
#: numbers = 160 KB per layer, well inside a 512 KB L2 cache).
_GRID_BLOCK_POINTS = 5_000

#: Before its activation a grid layer holds γz, z scaled for the activation's exponent
#: e^(γz): tanh(z) = 1 − 2/(1 + e^(2z)), σ(z) = 1/(1 + e^(−z)); relu's z is taken as it is.
_GRID_EXPONENT_SCALE = {"tanh": 2.0, "sigmoid": -1.0, "relu": 1.0}

#: Bound on |ln| of the two float32 factors of the first layer's e^(γz) (e^88.7 overflows).
_GRID_FACTOR_LOG_BOUND = 80.0


def _grid_layer_matrices(parameters: list[FloatArray], activation: str
                         ) -> list[NDArray[np.float32]]:
    """Every layer after the first as one float32 matrix M of shape (units, units_in + 1)
    with M (a; 1) = γz for the previous layer's activations a: the last column is the bias
    and γ the scale of this layer's exponent (−1 for the output, σ(z) = 1/(1 + e^(−z))).
    (Folding tanh's affine 1 − 2/(…) into M as well saves a pass but made P up to 3x less
    accurate on deep networks with large weights.)"""
    n_layers = len(parameters) // 2
    matrices = []
    for k in range(1, n_layers):
        weights, bias = parameters[2 * k], parameters[2 * k + 1]
        gamma = -1.0 if k == n_layers - 1 else _GRID_EXPONENT_SCALE[activation]
        matrix = np.empty((weights.shape[1], weights.shape[0] + 1))
        matrix[:, :-1] = gamma * weights.T
        matrix[:, -1] = gamma * bias
        matrices.append(matrix.astype(np.float32))
    return matrices


def _grid_activation_float32(name: str, z: NDArray[np.float32]) -> None:
    """Activate a grid layer in place, from γz (see _GRID_EXPONENT_SCALE) to a: one float32
    exp and three passes (two for σ), accurate to ~2e−7 absolute (np.tanh is ~2x slower
    than np.exp here); e^(γz) may overflow to inf, which gives the limits −1 and 1 (σ: 0
    and 1) exactly, and NaN stays NaN."""
    if name == "relu":
        np.maximum(z, np.float32(0.0), out=z)
        return
    with np.errstate(over="ignore"):
        np.exp(z, out=z)
    z += np.float32(1.0)
    np.divide(np.float32(-2.0 if name == "tanh" else 1.0), z, out=z)
    if name == "tanh":
        z += np.float32(1.0)


class _GridFirstLayer:
    """The first layer over the grid, activated block by block.

    Its γz = γ(W₁ⱼx₁ + W₂ⱼx₂ + bⱼ) is an outer sum of the two axes, so for tanh and σ
    e^(γz) is an outer product, e^(γW₁ⱼx₁ − cⱼ) · e^(γ(W₂ⱼx₂ + bⱼ) + cⱼ), of factors taken
    in float64 on the axes: no exp over the grid at all. The shift cⱼ keeps both factors'
    logarithms within ±80 (a product beyond float32's range still gives the right limit);
    a unit's γz whose axes span more than that, or NaN or inf, falls back to an exp over
    the grid.
    """

    def __init__(self, weights: FloatArray, bias: FloatArray, xs: FloatArray,
                 ys: FloatArray, name: str) -> None:
        f32 = np.float32
        self.name = name
        gamma = _GRID_EXPONENT_SCALE[name]
        along_x = gamma * weights[0][:, None] * xs[None, :]  # (units, len(xs))
        along_y = gamma * (weights[1][:, None] * ys[None, :] + bias[:, None])
        self.along = (along_x.astype(f32), along_y.astype(f32))
        self.factors: tuple[NDArray[np.float32], NDArray[np.float32]] | None = None
        if name == "relu":
            return
        bound = _GRID_FACTOR_LOG_BOUND
        with np.errstate(invalid="ignore"):
            low = np.maximum(along_x.max(axis=1) - bound, -bound - along_y.min(axis=1))
            high = np.minimum(along_x.min(axis=1) + bound, bound - along_y.max(axis=1))
            shift = (low + high) / 2.0
            if (np.all(low <= high) and np.all(np.isfinite(shift))
                    and np.all(np.isfinite(along_x)) and np.all(np.isfinite(along_y))):
                self.factors = (np.exp(along_x - shift[:, None]).astype(f32),
                                np.exp(along_y + shift[:, None]).astype(f32))

    def activate_into(self, block: slice, z: NDArray[np.float32]) -> None:
        """The rows ``block`` of the layer's activations into z, shape (units, rows,
        len(ys))."""
        if self.factors is None:
            along_x, along_y = self.along
            np.add(along_x[:, block, None], along_y[:, None, :], out=z)
            _grid_activation_float32(self.name, z)
            return
        factor_x, factor_y = self.factors
        np.multiply(factor_x[:, block, None], factor_y[:, None, :], out=z)  # e^(γz)
        z += np.float32(1.0)
        np.divide(np.float32(-2.0 if self.name == "tanh" else 1.0), z, out=z)
        if self.name == "tanh":
            z += np.float32(1.0)


def _sigmoid_float32(z: NDArray[np.float32]) -> NDArray[np.float32]:
    """σ(z) = 1/(1 + e^(−z)) as a new float32 array, for drawing (relative precision in
    both tails down to e^−88, below which float32 would underflow anyway: there it is 0)."""
    out = np.empty_like(z)
    with np.errstate(over="ignore"):
        _sigmoid_into(z, out)
    return out
