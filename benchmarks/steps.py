"""Full-batch gradient-ascent steps per second: core (numpy) versus PyTorch on the CPU.

Run with ``make bench`` or ``python benchmarks/steps.py [--json] [--quick]``.

Cases (every step uses all n examples, float64, the lecture's sum gradient):

* logistic regression, 2 features, n = 1,000 and n = 100,000;
* MLP 2-8-8-1 (sigmoid hidden units, σ output) on 1,000 points;
* MLP 64-32-10 (sigmoid hidden units, softmax output) on the 1,797 UCI digits.

"core" times ``GradientAscent(...).step(k)`` exactly as the app uses it (history and a
parameter snapshot recorded every step); "core, step only" is the same loop with recording
turned off (``record_every`` larger than the run), to show what recording costs.

When PyTorch is installed the same full-batch step (forward, log-likelihood as a Python
float, backward, update) is timed in float64 with 2 intra-op threads, written both with
autograd and with the explicit gradient formula; the faster of the two is reported.
PyTorch is only a benchmark reference, never a dependency of the app.

Each figure is the median of several timed runs after a warm-up run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.logistic import LogisticRegression  # noqa: E402
from core.network import NeuralNetwork  # noqa: E402
from core.training import GradientAscent  # noqa: E402

torch: Any = None  # imported only in the --torch-worker subprocess (see measure_torch)

TORCH_THREADS = 2
Runner = Callable[[int], None]


# --- data ------------------------------------------------------------------------------
def two_blobs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian blobs in the plane, labels 0/1 (half each)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
    return X, y


def xor_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in [-1, 1]², label 1 where x₁·x₂ > 0 (needs a hidden layer)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def digits_data() -> tuple[np.ndarray, np.ndarray, str]:
    """The 1,797 UCI digits scaled to [0, 1], from the app's asset when available."""
    try:
        from core.datasets import digits

        X, y = digits()
        return X, y, "core.datasets.digits()"
    except (ImportError, FileNotFoundError, ValueError):
        from sklearn.datasets import load_digits

        bunch = load_digits()
        return bunch.data / 16.0, bunch.target.astype(np.int64), "sklearn load_digits()/16"


# --- the cases -------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    X: np.ndarray
    y: np.ndarray
    hidden: tuple[int, ...] | None  # None: LogisticRegression
    n_classes: int
    learning_rate: float

    def model(self) -> LogisticRegression | NeuralNetwork:
        if self.hidden is None:
            return LogisticRegression(self.X.shape[1])
        return NeuralNetwork(self.X.shape[1], self.hidden, activation="sigmoid",
                             n_classes=self.n_classes, seed=0)


def make_cases() -> tuple[list[Case], str]:
    X1, y1 = two_blobs(1_000)
    X2, y2 = two_blobs(100_000)
    X3, y3 = xor_points(1_000)
    X4, y4, source = digits_data()
    cases = [
        Case("logistic n=1,000", X1, y1, None, 2, 1e-3),
        Case("logistic n=100,000", X2, y2, None, 2, 1e-5),
        Case("MLP 2-8-8-1 n=1,000", X3, y3, (8, 8), 2, 5e-3),
        Case("MLP 64-32-10 digits", X4, y4, (32,), 10, 1e-3),
    ]
    return cases, source


# --- timing ----------------------------------------------------------------------------
def steps_per_second(run: Runner, target: float, repeats: int) -> float:
    """Median steps/s over ``repeats`` runs of about ``target`` seconds, after a warm-up."""
    k = 1
    while True:  # warm-up, doubling as calibration
        start = time.perf_counter()
        run(k)
        elapsed = time.perf_counter() - start
        if elapsed >= 0.05:
            break
        k *= 4
    k = max(1, round(k * target / elapsed))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(k)
        rates.append(k / (time.perf_counter() - start))
    return statistics.median(rates)


def core_runner(case: Case, record: bool) -> Runner:
    trainer = GradientAscent(case.model(), case.X, case.y, learning_rate=case.learning_rate,
                             record_every=1 if record else 10**12)

    def run(k: int) -> None:
        trainer.step(k)

    return run


# --- PyTorch reference -----------------------------------------------------------------
def torch_parameters(case: Case) -> list[Any]:
    """The same initial parameters as core's model, as float64 tensors."""
    return [torch.tensor(np.array(p), dtype=torch.float64) for p in case.model().parameters]


def torch_forward_ll(params: list[Any], X: Any, y: Any, y_float: Any, n_classes: int,
                     logistic: bool) -> tuple[Any, list[Any]]:
    """Log-likelihood (a 0-d tensor) and the activations [x, h¹, …, logits]."""
    f = torch.nn.functional
    if logistic:
        z = X @ params[0][1:] + params[0][0]
        return -f.binary_cross_entropy_with_logits(z, y_float, reduction="sum"), [X, z]
    activations = [X]
    a = X
    for layer in range(len(params) // 2 - 1):
        a = torch.sigmoid(torch.addmm(params[2 * layer + 1], a, params[2 * layer]))
        activations.append(a)
    z = torch.addmm(params[-1], a, params[-2])
    activations.append(z)
    if n_classes == 2:
        ll = -f.binary_cross_entropy_with_logits(z[:, 0], y_float, reduction="sum")
    else:
        ll = -f.cross_entropy(z, y, reduction="sum")
    return ll, activations


def torch_explicit_runner(case: Case, params: list[Any]) -> Runner:
    """Forward, LL, the lecture's gradient written out (backprop by hand), update."""
    X = torch.tensor(case.X, dtype=torch.float64)
    y = torch.tensor(case.y, dtype=torch.int64)
    y_float = y.to(torch.float64)
    onehot = torch.nn.functional.one_hot(y, case.n_classes).to(torch.float64)
    logistic = case.hidden is None
    eta = case.learning_rate

    def step() -> float:
        ll, acts = torch_forward_ll(params, X, y, y_float, case.n_classes, logistic)
        z = acts[-1]
        if logistic:
            residual = y_float - torch.sigmoid(z)
            gradient = torch.empty_like(params[0])
            gradient[0] = residual.sum()
            gradient[1:] = X.T @ residual
            params[0].add_(gradient, alpha=eta)
            return float(ll)
        if case.n_classes == 2:
            delta = y_float[:, None] - torch.sigmoid(z)
        else:
            delta = onehot - torch.softmax(z, dim=1)
        grads = [None] * len(params)
        for layer in range(len(params) // 2 - 1, -1, -1):
            a_in = acts[layer]
            grads[2 * layer] = a_in.T @ delta
            grads[2 * layer + 1] = delta.sum(dim=0)
            if layer > 0:
                delta = (delta @ params[2 * layer].T) * a_in * (1.0 - a_in)
        for p, g in zip(params, grads, strict=True):
            p.add_(g, alpha=eta)
        return float(ll)

    def run(k: int) -> None:
        for _ in range(k):
            step()

    return run


def torch_autograd_runner(case: Case, params: list[Any]) -> Runner:
    """Forward, LL, ``LL.backward()``, update under ``no_grad``."""
    X = torch.tensor(case.X, dtype=torch.float64)
    y = torch.tensor(case.y, dtype=torch.int64)
    y_float = y.to(torch.float64)
    for p in params:
        p.requires_grad_()
    eta = case.learning_rate

    def run(k: int) -> None:
        for _ in range(k):
            ll, _ = torch_forward_ll(params, X, y, y_float, case.n_classes, case.hidden is None)
            ll.backward()
            with torch.no_grad():
                for p in params:
                    p.add_(p.grad, alpha=eta)
                    p.grad = None
            float(ll.detach())

    return run


TORCH_RUNNERS: dict[str, Callable[[Case, list[Any]], Runner]] = {
    "explicit": torch_explicit_runner,
    "autograd": torch_autograd_runner,
}


def check_torch_matches(case: Case) -> None:
    """Core and both PyTorch versions take the same first steps (an honest comparison)."""
    trainer = GradientAscent(case.model(), case.X, case.y, learning_rate=case.learning_rate)
    trainer.step(3)
    for name, make in TORCH_RUNNERS.items():
        params = torch_parameters(case)
        make(case, params)(3)
        for ours, theirs in zip(trainer.model.parameters, params, strict=True):
            np.testing.assert_allclose(theirs.detach().numpy(), ours, rtol=1e-9, atol=1e-12,
                                       err_msg=f"{case.name}: PyTorch {name} differs from core")


def torch_worker(quick: bool) -> int:
    """Time every case in PyTorch and print {case: [steps/s, implementation]} as JSON."""
    global torch
    import torch as _torch

    torch = _torch
    torch.set_num_threads(TORCH_THREADS)
    target, repeats = timing(quick)
    cases, _ = make_cases()
    rates = {}
    for case in cases:
        check_torch_matches(case)
        rates[case.name] = max(
            (steps_per_second(make(case, torch_parameters(case)), target, repeats), name)
            for name, make in TORCH_RUNNERS.items())
    print(json.dumps({"torch": torch.__version__, "rates": rates}))
    return 0


def measure_torch(quick: bool) -> tuple[str | None, dict[str, tuple[float, str]]]:
    """PyTorch figures from a separate process, so that neither library's idle worker
    threads (OpenMP spin-waiting, OpenBLAS) steal a core from the other's measurement."""
    if importlib.util.find_spec("torch") is None:
        return None, {}
    command = [sys.executable, str(Path(__file__).resolve()), "--torch-worker"]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["torch"], {case: (rate, impl) for case, (rate, impl) in answer["rates"].items()}


# --- report ----------------------------------------------------------------------------
def timing(quick: bool) -> tuple[float, int]:
    """(seconds per timed run, number of timed runs)."""
    return (0.05, 3) if quick else (0.2, 5)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")
    parser.add_argument("--quick", action="store_true", help="shorter runs (noisier)")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch reference")
    parser.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.torch_worker:
        return torch_worker(args.quick)
    target, repeats = timing(args.quick)

    cases, digits_source = make_cases()
    core_rates = []
    for case in cases:
        app = steps_per_second(core_runner(case, record=True), target, repeats)
        bare = steps_per_second(core_runner(case, record=False), target, repeats)
        core_rates.append((app, bare))
        if not args.json:
            print(f"  measured core: {case.name}", file=sys.stderr, flush=True)
    torch_version, torch_rates = (None, {}) if args.no_torch else measure_torch(args.quick)

    results = []
    for case, (app, bare) in zip(cases, core_rates, strict=True):
        torch_rate, torch_impl = torch_rates.get(case.name, (None, None))
        results.append({
            "case": case.name,
            "steps_per_s": round(app, 1),
            "step_only_steps_per_s": round(bare, 1),
            "torch_steps_per_s": None if torch_rate is None else round(torch_rate, 1),
            "torch_implementation": torch_impl,
            "ratio": None if torch_rate is None else round(app / torch_rate, 3),
        })
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"CPU: {cpu_model()} ({os.cpu_count()} cores); Python {platform.python_version()}, "
          f"numpy {np.__version__}, torch {torch_version or 'not installed'} "
          f"({TORCH_THREADS} threads, float64); digits from {digits_source}")
    header = (f"{'case':<22} {'core steps/s':>13} {'step only':>11} {'torch steps/s':>14} "
              f"{'core/torch':>10}")
    print(header)
    print("-" * len(header))
    for row in results:
        torch_text = "-" if row["torch_steps_per_s"] is None else \
            f"{row['torch_steps_per_s']:,.0f} ({row['torch_implementation']})"
        ratio_text = "-" if row["ratio"] is None else f"{row['ratio']:.2f}x"
        print(f"{row['case']:<22} {row['steps_per_s']:>13,.0f} "
              f"{row['step_only_steps_per_s']:>11,.0f} {torch_text:>14} {ratio_text:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
