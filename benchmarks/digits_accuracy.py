"""The default digits model against scikit-learn's MLPClassifier: test accuracy and time.

Run with ``python benchmarks/digits_accuracy.py [--rounds N] [--json]``.

Both train a 64-32-10 network on the same stratified 25 % split of the bundled UCI digits
(``core.datasets.train_test_split``, seed 0: 1,347 training and 450 test images), in the
same process, alternating round by round so both see the same machine:

* **ours**: ``ascent-lab train --preset digits --model mlp:32 --json``, through
  ``core.cli.main`` (the CLI's own code path: loading, splitting, the defaults of
  ``core.policy.digits_defaults``, training, the report), timed from the call to its
  return;
* **scikit-learn**: ``MLPClassifier((32,), random_state=0)`` with its defaults (relu
  units, Adam, L2 penalty 1e-4, mini-batches of 200, 200 epochs), timed around ``fit``.

The goal (issue "Digits"): ours ≥ 97.5 % test accuracy, in no more wall time than
scikit-learn's fit. Each time is the median over the rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import cli, datasets  # noqa: E402

ARGV = ["--preset", "digits", "--model", "mlp:32", "--json"]


def ours() -> tuple[float, float]:
    """(test accuracy, seconds) of ``ascent-lab train --preset digits --model mlp:32``."""
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        status = cli.main(list(ARGV))
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"ascent-lab train exited {status}")
    return float(json.loads(out.getvalue())["test_accuracy"]), elapsed


def sklearn_mlp() -> tuple[float, float]:
    """(test accuracy, seconds of fit) of MLPClassifier((32,)) on the same split."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = datasets.digits()
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, 0.25, seed=0)
    classifier = MLPClassifier((32,), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 200 epochs: it says "more"
        start = time.perf_counter()
        classifier.fit(X_train, y_train)
        elapsed = time.perf_counter() - start
    return float(classifier.score(X_test, y_test)), elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    ours()  # warm-up: imports, first-call costs
    sklearn_mlp()
    runs: dict[str, list[tuple[float, float]]] = {"ours": [], "sklearn": []}
    for _ in range(max(1, args.rounds)):
        runs["ours"].append(ours())
        runs["sklearn"].append(sklearn_mlp())
    result: dict[str, Any] = {}
    for name, measured in runs.items():
        result[name] = {"test_accuracy": measured[-1][0],
                        "seconds_median": statistics.median(t for _, t in measured),
                        "seconds": [round(t, 4) for _, t in measured]}
    result["time_ratio"] = result["ours"]["seconds_median"] / result["sklearn"]["seconds_median"]
    result["goal_met"] = (result["ours"]["test_accuracy"] >= 0.975
                          and result["time_ratio"] <= 1.0)
    if args.json:
        print(json.dumps(result))
        return 0
    print("64-32-10 networks on the UCI digits, stratified 25 % split (seed 0), "
          f"{args.rounds} rounds")
    for name, label in (("ours", "ascent-lab train --preset digits --model mlp:32"),
                        ("sklearn", "sklearn MLPClassifier((32,)) fit")):
        r = result[name]
        print(f"  {label:<48} test accuracy {100 * r['test_accuracy']:.2f} %   "
              f"wall time {r['seconds_median']:.3f} s (median; {r['seconds']})")
    print(f"  time ours / sklearn: {result['time_ratio']:.2f}   goal (>= 97.5 %, ratio <= 1): "
          f"{'met' if result['goal_met'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
