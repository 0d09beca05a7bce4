"""The forward pass over a grid of the plane, in float32, for drawing (core.grid), made fast.

The same math as ``LogisticRegression.predict_proba`` and ``NeuralNetwork.forward`` in
core/logistic.py and core/network.py, with the parameters cast to float32 (the models are
untouched; training stays float64), biases and exponent scales folded into each layer's
matrix, the first layer's exp taken on the grid's two axes only, and the grid evaluated in
blocks that stay in the L2 cache.

Tested equal to the float64 models (to ~2e−6) in tests/test_core_grid.py.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from core.fast.margins import sigmoid_into
from core.features import AXIS, RAW_FEATURES, along_axis

FloatArray = NDArray[np.float64]
Float32Array = NDArray[np.float32]

#: Grid points per block in network_grid_float32 (8 units × 5,000 float32
#: numbers = 160 KB per layer, well inside a 512 KB L2 cache).
GRID_BLOCK_POINTS = 5_000

#: Before its activation a grid layer holds γz, z scaled for the activation's exponent
#: e^(γz): tanh(z) = 1 − 2/(1 + e^(2z)), σ(z) = 1/(1 + e^(−z)); relu's z is taken as it is,
#: and so are a softmax output's logits ("linear": no activation in the layer itself).
GRID_EXPONENT_SCALE = {"tanh": 2.0, "sigmoid": -1.0, "relu": 1.0, "linear": 1.0}

#: Bound on |ln| of the two float32 factors of the first layer's e^(γz) (e^88.7 overflows).
GRID_FACTOR_LOG_BOUND = 80.0


def logistic_grid_float32(theta: FloatArray, xs: FloatArray, ys: FloatArray,
                          features: tuple[str, ...] = (), linear_output: bool = False
                          ) -> Float32Array:
    """σ(θ₀ + θ₁x₁ + θ₂x₂ + …) over the grid xs × ys, in float32; θᵀx is an outer sum of
    two axes (plus θ·x₁x₂, an outer product, with that feature).

    Parameters
    ----------
    theta : ndarray, shape (3 + len(features),)
    xs, ys : ndarray, shapes (nx,) and (ny,)
    features : tuple of str
        The model's engineered features (core.features, in FEATURES' order).
    linear_output : bool
        θᵀx itself (linear regression's ŷ) instead of σ(θᵀx).

    Returns
    -------
    ndarray, shape (nx, ny), float32
    """
    if not features and not linear_output:  # the lecture's θ: the fast path
        along_x = (theta[1] * xs + theta[0]).astype(np.float32)
        return sigmoid_float32(np.add.outer(along_x, (theta[2] * ys).astype(np.float32)))
    along_x, along_y, cross = axis_terms(theta[1:, None], theta[:1], xs, ys, features, 1.0)
    z = np.add.outer(along_x[0].astype(np.float32), along_y[0].astype(np.float32))
    if cross is not None:
        z += np.multiply.outer((cross[0] * xs).astype(np.float32), ys.astype(np.float32))
    return z if linear_output else sigmoid_float32(z)


def axis_terms(weights: FloatArray, bias: FloatArray, xs: FloatArray, ys: FloatArray,
               features: tuple[str, ...], gamma: float
               ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    """The first layer's γz = γ(Σₖ Wₖⱼ xₖ + bⱼ) split by the grid's axes, in float64.

    Returns
    -------
    along_x : ndarray, shape (units, nx)
        γ(W₁ⱼx₁ + Σ W_fⱼ f(x₁)) over the features f of x₁ alone (x₁², sin x₁).
    along_y : ndarray, shape (units, ny)
        γ(W₂ⱼx₂ + Σ W_fⱼ f(x₂) + bⱼ) over the features of x₂ alone.
    cross : ndarray, shape (units,), or None
        γ·W_{x₁x₂, j}, the weight of x₁x₂ (whose term γ·W·x₁x₂ is no sum of two axes);
        None without that feature.
    """
    along_x = gamma * weights[0][:, None] * xs[None, :]
    along_y = gamma * (weights[1][:, None] * ys[None, :] + bias[:, None])
    cross = None
    for row, name in enumerate(features, start=RAW_FEATURES):
        if AXIS[name] == "x1":
            along_x += gamma * weights[row][:, None] * along_axis(name, xs)[None, :]
        elif AXIS[name] == "x2":
            along_y += gamma * weights[row][:, None] * along_axis(name, ys)[None, :]
        else:
            cross = gamma * weights[row]
    return along_x, along_y, cross


def network_grid_float32(parameters: list[FloatArray], activation: str, xs: FloatArray,
                         ys: FloatArray, with_hidden: bool = True,
                         features: tuple[str, ...] = (), linear_output: bool = False
                         ) -> tuple[Float32Array, list[Float32Array]]:
    """The output and every hidden layer over the grid xs × ys, in float32 (for drawing).

    The same forward pass as ``NeuralNetwork.forward`` with the parameters cast to float32.
    Hidden layers are laid out (units, len(xs), len(ys)), so that each unit's map is
    contiguous. Without hidden layers to return, the grid is evaluated in blocks of rows of
    about ``GRID_BLOCK_POINTS`` points (every layer of a block stays in L2) through two
    reused buffers; with them, in one pass straight into the maps returned (blocks written
    into the maps' rows measured slower). Each layer's float32 matrix has the bias and the
    scale of the next exponent folded in (see :func:`grid_layer_matrices`), so no pass
    scales z or adds a bias, and the first layer takes no exp over the grid (see
    :class:`GridFirstLayer`).

    Parameters
    ----------
    parameters : list of ndarray
        [W1 (2 + len(features), units₁), b1 (units₁,), …, W_out (units, n_out),
        b_out (n_out,)]: x₁, x₂ (and engineered features) and a σ output (n_out = 1, 2
        classes) or a softmax over n_out = K > 2 classes, as ``NeuralNetwork.parameters``.
    activation : {"sigmoid", "tanh", "relu", "linear"}
        The hidden activation.
    xs, ys : ndarray, shapes (nx,) and (ny,)
    with_hidden : bool
        Whether to return the hidden layers' maps.
    features : tuple of str
        The network's engineered features (core.features), rows 2… of W1.
    linear_output : bool
        A regression network's linear output ŷ = z (n_out = 1) instead of σ(z).

    Returns
    -------
    output : ndarray, float32
        σ output: P(Y=1|x), shape (nx, ny). Softmax output: P(Y=k|x) for every class k,
        shape (K, nx, ny). Linear output: ŷ, shape (nx, ny).
    hidden : list of ndarray, each (units, nx, ny), float32; empty unless with_hidden
    """
    f32 = np.float32
    nx, ny = xs.shape[0], ys.shape[0]
    weights = parameters[0::2]
    layer_sizes = (weights[0].shape[0], *(w.shape[1] for w in weights))
    units = layer_sizes[1:-1]
    n_out = layer_sizes[-1]
    matrices = grid_layer_matrices(parameters, activation, linear_output)
    output_name = "sigmoid" if n_out == 1 and not linear_output else "linear"
    first = GridFirstLayer(parameters[0], parameters[1], xs, ys,
                           activation if units else output_name, features)
    output = np.empty((nx, ny) if n_out == 1 else (n_out, nx, ny), dtype=f32)
    rows = nx if with_hidden else max(1, GRID_BLOCK_POINTS // ny)
    slabs: list[Float32Array] = []
    if with_hidden:  # each layer's maps and a row of ones, in one allocation (which is
        # big enough for huge pages: far fewer page faults than one array per layer)
        every = np.empty((sum(units) + len(units), nx, ny), dtype=f32)
        ends = np.cumsum([n + 1 for n in units])
        slabs = [every[end - n - 1:end] for n, end in zip(units, ends, strict=True)]
    size = (max(layer_sizes[1:]) + 1) * rows * ny
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
        scratch = buffers[len(units) % 2]
        if n_out == 1:
            _grid_block_float32(activation, first, block, matrices, layers, scratch,
                                output[block], linear_output)
        else:
            _softmax_block_float32(activation, first, block, matrices, layers, scratch,
                                   output[:, block])
    return output, [slab[:-1] for slab in slabs]


def _hidden_block_float32(activation: str, first: GridFirstLayer, block: slice,
                          matrices: list[Float32Array], layers: list[Float32Array],
                          shape: tuple[int, ...]) -> None:
    """Every hidden layer of one block of rows, into ``layers`` (see _grid_block_float32)."""
    first.activate_into(block, np.reshape(layers[0][:-1], (-1, *shape), copy=False))
    for k, matrix in enumerate(matrices[:-1]):
        layers[k][-1] = 1.0
        np.matmul(matrix, layers[k], out=layers[k + 1][:-1])
        grid_activation_float32(activation, layers[k + 1][:-1])
    layers[-1][-1] = 1.0


def _grid_block_float32(activation: str, first: GridFirstLayer, block: slice,
                        matrices: list[Float32Array], layers: list[Float32Array],
                        scratch: Float32Array, out: Float32Array,
                        linear_output: bool = False) -> None:
    """One block of rows of network_grid_float32: P (or a linear output's ŷ) into ``out``.
    ``matrices`` are the layers after the first (:func:`grid_layer_matrices`); ``layers``
    hold each hidden layer's activations over the block, (units + 1, points), the last row
    set to ones here (the bias column's input); ``scratch`` (flat) is used without hidden
    layers."""
    if not layers:  # no hidden layer: the first layer is the output
        first.activate_into(block, out[None])
        return
    _hidden_block_float32(activation, first, block, matrices, layers, out.shape)
    if linear_output:  # ŷ = z (γ = 1)
        np.matmul(matrices[-1], layers[-1], out=out.reshape(1, out.size))
        return
    # the output: γz = −z (see grid_layer_matrices), P = 1/(1 + e^(−z))
    minus_z = scratch[:out.size].reshape(1, out.size)
    np.matmul(matrices[-1], layers[-1], out=minus_z)
    flat = out.reshape(-1)
    with np.errstate(over="ignore"):
        np.exp(minus_z[0], out=flat)
    flat += np.float32(1.0)
    np.divide(np.float32(1.0), flat, out=flat)


def _softmax_block_float32(activation: str, first: GridFirstLayer, block: slice,
                           matrices: list[Float32Array], layers: list[Float32Array],
                           scratch: Float32Array, out: Float32Array) -> None:
    """One block of rows of a softmax output: P(Y=k|x) into ``out``, shape (K, rows, ny)
    (a view of the (K, nx, ny) output: each class's rows are contiguous). Arguments as in
    :func:`_grid_block_float32`."""
    n_out, shape = out.shape[0], out.shape[1:]
    points = shape[0] * shape[1]
    z = scratch[:n_out * points].reshape(n_out, points)
    if not layers:  # no hidden layer: the logits are the first layer's outer sums
        first.linear_into(block, z.reshape(n_out, *shape))
    else:
        _hidden_block_float32(activation, first, block, matrices, layers, shape)
        np.matmul(matrices[-1], layers[-1], out=z)
    softmax_float32_into(z, np.reshape(out, (n_out, points), copy=False))


def softmax_float32_into(z: NDArray[np.float32], out: NDArray[np.float32]) -> None:
    """out = softmax of the logits z over axis 0 (classes), shape (K, points), in float32;
    z is overwritten. e^(z − max z) never overflows; each column of out sums to 1 (to
    float32's resolution). A column with NaN (or +inf) logits comes out NaN."""
    with np.errstate(invalid="ignore", over="ignore"):
        top = z.max(axis=0)
        np.subtract(z, top, out=z)
        np.exp(z, out=z)
        total = z.sum(axis=0)
        np.divide(z, total, out=out)


def grid_layer_matrices(parameters: list[FloatArray], activation: str,
                        linear_output: bool = False) -> list[NDArray[np.float32]]:
    """Every layer after the first as one float32 matrix M of shape (units, units_in + 1)
    with M (a; 1) = γz for the previous layer's activations a: the last column is the bias
    and γ the scale of this layer's exponent (−1 for a σ output, σ(z) = 1/(1 + e^(−z));
    1 for a softmax or a linear output, whose z are taken as they are).
    (Folding tanh's affine 1 − 2/(…) into M as well saves a pass but made P up to 3x less
    accurate on deep networks with large weights.)"""
    n_layers = len(parameters) // 2
    matrices = []
    for k in range(1, n_layers):
        weights, bias = parameters[2 * k], parameters[2 * k + 1]
        if k == n_layers - 1:
            gamma = -1.0 if weights.shape[1] == 1 and not linear_output else 1.0
        else:
            gamma = GRID_EXPONENT_SCALE[activation]
        matrix = np.empty((weights.shape[1], weights.shape[0] + 1))
        matrix[:, :-1] = gamma * weights.T
        matrix[:, -1] = gamma * bias
        matrices.append(matrix.astype(np.float32))
    return matrices


def grid_activation_float32(name: str, z: NDArray[np.float32]) -> None:
    """Activate a grid layer in place, from γz (see GRID_EXPONENT_SCALE) to a: one float32
    exp and three passes (two for σ), accurate to ~2e−7 absolute (np.tanh is ~2x slower
    than np.exp here); e^(γz) may overflow to inf, which gives the limits −1 and 1 (σ: 0
    and 1) exactly, and NaN stays NaN."""
    if name == "relu":
        np.maximum(z, np.float32(0.0), out=z)
        return
    if name == "linear":  # a = z
        return
    with np.errstate(over="ignore"):
        np.exp(z, out=z)
    z += np.float32(1.0)
    np.divide(np.float32(-2.0 if name == "tanh" else 1.0), z, out=z)
    if name == "tanh":
        z += np.float32(1.0)


class GridFirstLayer:
    """The first layer over the grid, activated block by block.

    Its γz = γ(W₁ⱼx₁ + W₂ⱼx₂ + bⱼ) is an outer sum of the two axes (so are the terms of
    engineered features of one axis, x₁², sin x₂, …: see :func:`axis_terms`), so for tanh
    and σ e^(γz) is an outer product, e^(γW₁ⱼx₁ − cⱼ) · e^(γ(W₂ⱼx₂ + bⱼ) + cⱼ), of factors
    taken in float64 on the axes: no exp over the grid at all. The shift cⱼ keeps both
    factors' logarithms within ±80 (a product beyond float32's range still gives the right
    limit); a unit's γz whose axes span more than that, or NaN or inf, falls back to an exp
    over the grid, and so does a layer with the x₁x₂ feature (its term γW·x₁x₂ is added
    over the grid).
    """

    def __init__(self, weights: FloatArray, bias: FloatArray, xs: FloatArray,
                 ys: FloatArray, name: str, features: tuple[str, ...] = ()) -> None:
        f32 = np.float32
        self.name = name
        gamma = GRID_EXPONENT_SCALE[name]
        along_x, along_y, cross = axis_terms(weights, bias, xs, ys, features, gamma)
        self.along = (along_x.astype(f32), along_y.astype(f32))
        self.cross: tuple[NDArray[np.float32], NDArray[np.float32]] | None = None
        if cross is not None:  # γW·x₁ along x (units, len(xs)) and x₂ along y
            self.cross = ((cross[:, None] * xs[None, :]).astype(f32), ys.astype(f32))
        self.factors: tuple[NDArray[np.float32], NDArray[np.float32]] | None = None
        if name in ("relu", "linear") or cross is not None:
            return
        bound = GRID_FACTOR_LOG_BOUND
        with np.errstate(invalid="ignore"):
            low = np.maximum(along_x.max(axis=1) - bound, -bound - along_y.min(axis=1))
            high = np.minimum(along_x.min(axis=1) + bound, bound - along_y.max(axis=1))
            shift = (low + high) / 2.0
            if (np.all(low <= high) and np.all(np.isfinite(shift))
                    and np.all(np.isfinite(along_x)) and np.all(np.isfinite(along_y))):
                self.factors = (np.exp(along_x - shift[:, None]).astype(f32),
                                np.exp(along_y + shift[:, None]).astype(f32))

    def linear_into(self, block: slice, z: NDArray[np.float32]) -> None:
        """The rows ``block`` of γz (no activation; z itself for "relu" and "linear") into
        z, shape (units, rows, len(ys))."""
        along_x, along_y = self.along
        np.add(along_x[:, block, None], along_y[:, None, :], out=z)
        if self.cross is not None:
            cross_x, cross_y = self.cross
            z += cross_x[:, block, None] * cross_y[None, None, :]

    def activate_into(self, block: slice, z: NDArray[np.float32]) -> None:
        """The rows ``block`` of the layer's activations into z, shape (units, rows,
        len(ys))."""
        if self.factors is None:
            self.linear_into(block, z)
            grid_activation_float32(self.name, z)
            return
        factor_x, factor_y = self.factors
        np.multiply(factor_x[:, block, None], factor_y[:, None, :], out=z)  # e^(γz)
        z += np.float32(1.0)
        np.divide(np.float32(-2.0 if self.name == "tanh" else 1.0), z, out=z)
        if self.name == "tanh":
            z += np.float32(1.0)


def sigmoid_float32(z: NDArray[np.float32]) -> NDArray[np.float32]:
    """σ(z) = 1/(1 + e^(−z)) as a new float32 array, for drawing (relative precision in
    both tails down to e^−88, below which float32 would underflow anyway: there it is 0)."""
    out = np.empty_like(z)
    with np.errstate(over="ignore"):
        sigmoid_into(z, out)
    return out
