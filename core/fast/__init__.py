"""The same math, made fast, tested equal.

The modules here compute exactly what core/formulas.py, core/logistic.py and
core/network.py compute (to a few ulps, or to float32's resolution for the display
grid), reorganised for speed: fewer passes over memory, fewer calls to exp and log, buffers
reused from one training step to the next. Read the lecture's math in those three files;
read these only to see how it is made fast. The models call them.

* :mod:`core.fast.margins`: LL, yᵢ − σ(zᵢ) and the correct count of a σ output from the
  margins tᵢ = ±zᵢ (one exp per example, merged log1p, incremental exp near convergence).
* :mod:`core.fast.logistic_kernel`: ``LogisticRegression._ascent_terms``.
* :mod:`core.fast.network_workspace`: ``NeuralNetwork._ascent_terms`` (transposed layers;
  also a regression network's linear output).
* :mod:`core.fast.linear_kernel`: ``LinearRegression._ascent_terms`` (a design matrix).
* :mod:`core.fast.display_grid`: the float32 forward pass over a grid of the plane that
  :func:`core.grid.evaluate_grid` draws.

Tests check that they are equal: tests/test_core_kernels.py (margins, logistic_kernel and
network_workspace against ``bernoulli_log_likelihood``, ``logistic_gradient`` and the plain
forward/backward pass), tests/test_core_grid.py (display_grid against ``predict_proba``
and ``forward``), tests/test_core_training.py (training with the fast path), and
tests/test_core_regression.py and tests/test_core_features.py (regressions, linear units and
engineered features, in the training loop and on the grid).
"""
