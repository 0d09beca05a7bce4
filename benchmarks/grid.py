"""Milliseconds per ``core.grid.evaluate_grid`` call, the app's per-frame boundary image.

Run with ``python benchmarks/grid.py [--json]``. Each figure is the median of many calls
(runs during which other processes kept the CPU busy are repeated, as in steps.py).
Targets for a 200×200 grid: ≤ 8 ms for a 6-hidden-layer, 8-unit tanh network and ≤ 1 ms
for logistic regression; a softmax output (3 or 4 classes) costs about as much again as a
hidden layer. Engineered features of one axis (x², sin) cost nothing per grid point; x₁x₂
adds a product per point and an exp over the grid in the first layer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from steps import MAX_FOREIGN_CORES, busy_cpu_seconds, own_cpu_seconds  # noqa: E402

from core.features import FEATURES  # noqa: E402
from core.grid import evaluate_grid  # noqa: E402
from core.logistic import LogisticRegression  # noqa: E402
from core.network import NeuralNetwork  # noqa: E402

RESOLUTION = 200
VIEW = ((-6.0, 6.0), (-6.0, 6.0))


def models() -> list[tuple[str, LogisticRegression | NeuralNetwork, bool]]:
    logistic = LogisticRegression(2)
    logistic.theta = [0.3, 2.0, -1.0]
    featured = LogisticRegression(4, features=("x1sq", "x2sq"))
    featured.theta = [-3.0, 0.1, 0.0, 0.4, 0.45]
    return [
        ("logistic", logistic, False),
        ("MLP 2-8-8-1 sigmoid", NeuralNetwork(2, (8, 8), "sigmoid", seed=0), False),
        ("MLP 6x8 tanh", NeuralNetwork(2, (8,) * 6, "tanh", seed=0), False),
        ("MLP 6x8 tanh, with hidden", NeuralNetwork(2, (8,) * 6, "tanh", seed=0), True),
        ("MLP 2-8-8-3 sigmoid, softmax", NeuralNetwork(2, (8, 8), "sigmoid", n_classes=3,
                                                       seed=0), False),
        ("MLP 6x8 tanh, 4-class softmax", NeuralNetwork(2, (8,) * 6, "tanh", n_classes=4,
                                                         seed=0), False),
        ("logistic + x1², x2²", featured, False),
        ("MLP 8-8 sigmoid + x1², sin x2", NeuralNetwork(
            4, (8, 8), "sigmoid", seed=0, features=("x1sq", "sin2")), False),
        ("MLP 8-8 sigmoid + 5 features", NeuralNetwork(
            7, (8, 8), "sigmoid", seed=0, features=FEATURES), False),
    ]


def milliseconds(model: LogisticRegression | NeuralNetwork, with_hidden: bool,
                 calls: int = 20, repeats: int = 7) -> tuple[float, bool]:
    """(median ms per call over clean runs, whether the machine was busy throughout)."""
    for _ in range(3):  # warm-up
        evaluate_grid(model, *VIEW, RESOLUTION, with_hidden=with_hidden)
    clean: list[float] = []
    every: list[float] = []
    for _ in range(3 * repeats):
        busy, own = busy_cpu_seconds(), own_cpu_seconds()
        start = time.perf_counter()
        for _ in range(calls):
            evaluate_grid(model, *VIEW, RESOLUTION, with_hidden=with_hidden)
        wall = time.perf_counter() - start
        busy_after = busy_cpu_seconds()
        foreign = 0.0
        if busy is not None and busy_after is not None:
            foreign = max(0.0, (busy_after - busy) - (own_cpu_seconds() - own)) / wall
        every.append(wall / calls * 1e3)
        if foreign <= MAX_FOREIGN_CORES:
            clean.append(every[-1])
            if len(clean) == repeats:
                return statistics.median(clean), False
    return statistics.median(clean if len(clean) >= 2 else every), True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")
    args = parser.parse_args(argv)
    results = []
    for name, model, with_hidden in models():
        ms, disturbed = milliseconds(model, with_hidden)
        results.append({"case": f"{name} {RESOLUTION}x{RESOLUTION}", "ms": round(ms, 3),
                        "disturbed": disturbed})
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"evaluate_grid, numpy {np.__version__}")
    for row in results:
        flag = "  (machine busy: unreliable)" if row["disturbed"] else ""
        print(f"{row['case']:<36} {row['ms']:8.2f} ms{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
