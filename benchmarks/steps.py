"""Full-batch gradient-ascent steps per second: core (numpy) versus PyTorch on the CPU.

Run with ``make bench`` or ``python benchmarks/steps.py [--json] [--quick] [--no-torch]``.

Cases (every step uses all n examples, float64, the lecture's sum gradient):

* logistic regression, 2 features, n = 1,000 and n = 100,000;
* MLP 2-8-8-1 (sigmoid hidden units, σ output) on 1,000 points;
* MLP 64-32-10 (sigmoid hidden units, softmax output) on the 1,797 UCI digits.

"core" times ``GradientAscent(...).step(k)`` exactly as the app uses it (history and a
parameter snapshot recorded every step); "step only" is the same loop with recording
turned off (``record_every`` larger than the run), to show what recording costs.

When PyTorch is installed the same full-batch step (forward, log-likelihood as a Python
float, backward, update) is timed in float64 with 2 intra-op threads, written both with
autograd and with the explicit gradient formula; the faster of the two is reported.
PyTorch is only a benchmark reference, never a dependency of the app. It runs in a worker
process (so that neither library's idle threads, OpenMP's or OpenBLAS's spin-waiting ones,
steal a core from the other's measurement), and its timed runs alternate with core's, so
that both see the same machine: on a shared VM the speed drifts by tens of percent within
minutes.

Each figure is the median of several timed runs (~0.2 s each) after a warm-up, one per
round (a round times every contender once, back to back); the ratio core/PyTorch is the
median of the rounds' own ratios. A run during which other processes kept the CPU busy
(read from /proc/stat) is left out and its round repeated, and the case is flagged if that
keeps happening.
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

torch: Any = None  # imported only in the --torch-worker process (see TorchWorker)

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
#: A timed run counts as disturbed when other processes used more than this many cores
#: on average during it (measured from /proc/stat on Linux); such runs are repeated.
MAX_FOREIGN_CORES = 0.15
disturbed_cases: list[str] = []


def busy_cpu_seconds() -> float | None:
    """CPU seconds all processes have spent busy since boot (Linux), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(v) for v in handle.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def timed_run(run: Runner, k: int) -> tuple[float, float]:
    """(steps/s, cores used by other processes meanwhile; 0 when unknown)."""
    busy, own = busy_cpu_seconds(), own_cpu_seconds()
    start = time.perf_counter()
    run(k)
    wall = time.perf_counter() - start
    busy_after = busy_cpu_seconds()
    foreign = 0.0
    if busy is not None and busy_after is not None:
        foreign = max(0.0, (busy_after - busy) - (own_cpu_seconds() - own)) / wall
    return k / wall, foreign


def calibrate(run: Runner, target: float) -> int:
    """Warm up, and return how many steps take about ``target`` seconds."""
    k = 1
    while True:
        start = time.perf_counter()
        run(k)
        elapsed = time.perf_counter() - start
        if elapsed >= 0.05:
            return max(1, round(k * target / elapsed))
        k *= 4


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


def torch_worker() -> int:
    """Serve timed PyTorch runs over stdin/stdout, one JSON object per line.

    {"prepare": case index, "target": seconds} checks both versions against core, warms
    them up and answers {"torch": version}; {"run": "explicit" | "autograd"} answers
    {"rate": steps/s, "foreign": cores used by other processes meanwhile}.
    """
    global torch
    import torch as _torch

    torch = _torch
    torch.set_num_threads(TORCH_THREADS)
    cases, _ = make_cases()
    runners: dict[str, tuple[Runner, int]] = {}
    for line in sys.stdin:
        request = json.loads(line)
        if "prepare" in request:
            case = cases[request["prepare"]]
            check_torch_matches(case)
            runners = {}
            for name, make in TORCH_RUNNERS.items():
                run = make(case, torch_parameters(case))
                runners[name] = (run, calibrate(run, request["target"]))
            answer: dict[str, Any] = {"torch": torch.__version__}
        else:
            run, k = runners[request["run"]]
            rate, foreign = timed_run(run, k)
            answer = {"rate": rate, "foreign": foreign}
        print(json.dumps(answer), flush=True)
    return 0


class TorchWorker:
    """The parent's handle on the PyTorch worker process (see torch_worker)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--torch-worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.version: str | None = None

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the PyTorch worker exited (see its error above)")
        return json.loads(answer)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


#: Seconds to wait when switching between the processes, so that the other library's idle
#: worker threads stop spinning (OpenBLAS after ~0.1 s, Intel OpenMP after 0.2 s).
SETTLE = 0.25


def measure_case(case: Case, index: int, worker: TorchWorker | None, target: float,
                 repeats: int) -> dict[str, Any]:
    """Interleaved timed runs of core (app, step only) and PyTorch (both versions).

    A round times each contender once, back to back. Steps/s are medians over the rounds;
    the ratio is the median of the rounds' own ratios (core's run over PyTorch's run in the
    same round, both clean), which the machine's slow drift in speed does not skew the way
    it can skew a ratio of two medians taken a few seconds apart.
    """
    core = {"core": core_runner(case, record=True), "step only": core_runner(case, record=False)}
    sizes = {name: calibrate(run, target) for name, run in core.items()}
    contenders = list(core)
    if worker is not None:
        worker.version = worker.ask({"prepare": index, "target": target})["torch"]
        contenders += list(TORCH_RUNNERS)
    rounds: list[dict[str, tuple[float, bool]]] = []  # name -> (rate, clean)
    for _ in range(3 * repeats):
        timed: dict[str, tuple[float, bool]] = {}
        for name in contenders:
            if name in core:
                rate, foreign = timed_run(core[name], sizes[name])
            else:
                time.sleep(SETTLE)
                answer = worker.ask({"run": name}) if worker is not None else {}
                rate, foreign = answer["rate"], answer["foreign"]
                time.sleep(SETTLE)
            timed[name] = (rate, foreign <= MAX_FOREIGN_CORES)
        rounds.append(timed)
        if sum(all(clean for _, clean in r.values()) for r in rounds) >= repeats:
            break
    medians = {}
    for name in contenders:
        clean = [r[name][0] for r in rounds if r[name][1]]
        rates = clean if len(clean) >= 2 else [r[name][0] for r in rounds]
        medians[name] = statistics.median(rates)
        if len(clean) < repeats:
            disturbed_cases.append(case.name if name in core else f"{case.name} (torch)")
    result: dict[str, Any] = {
        "case": case.name,
        "steps_per_s": round(medians["core"], 1),
        "step_only_steps_per_s": round(medians["step only"], 1),
        "torch_steps_per_s": None, "torch_implementation": None, "ratio": None,
    }
    if worker is not None:
        rate, name = max((medians[name], name) for name in TORCH_RUNNERS)
        paired = [r["core"][0] / r[name][0] for r in rounds if r["core"][1] and r[name][1]]
        if len(paired) < 2:
            paired = [r["core"][0] / r[name][0] for r in rounds]
        result.update(torch_steps_per_s=round(rate, 1), torch_implementation=name,
                      ratio=round(statistics.median(paired), 3))
    result["disturbed"] = sorted({d for d in disturbed_cases if d.startswith(case.name)})
    return result


# --- report ----------------------------------------------------------------------------
def timing(quick: bool) -> tuple[float, int]:
    """(seconds per timed run, number of timed runs)."""
    return (0.05, 3) if quick else (0.2, 9)


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
        return torch_worker()
    target, repeats = timing(args.quick)
    cases, digits_source = make_cases()
    use_torch = not args.no_torch and importlib.util.find_spec("torch") is not None
    worker = TorchWorker() if use_torch else None
    torch_version = None
    results = []
    try:
        for index, case in enumerate(cases):
            results.append(measure_case(case, index, worker, target, repeats))
            if not args.json:
                print(f"  measured {case.name}", file=sys.stderr, flush=True)
        torch_version = worker.version if worker is not None else None
    finally:
        if worker is not None:
            worker.close()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    torch_text = "skipped" if args.no_torch else (torch_version or "not installed")
    print(f"CPU: {cpu_model()} ({os.cpu_count()} cores); Python {platform.python_version()}, "
          f"numpy {np.__version__}, torch {torch_text} "
          f"({TORCH_THREADS} threads, float64); digits from {digits_source}")
    header = (f"{'case':<22} {'core steps/s':>13} {'step only':>11} {'torch steps/s':>20} "
              f"{'core/torch':>10}")
    print(header)
    print("-" * len(header))
    for row in results:
        torch_cell = "-" if row["torch_steps_per_s"] is None else \
            f"{row['torch_steps_per_s']:,.0f} ({row['torch_implementation']})"
        ratio_text = "-" if row["ratio"] is None else f"{row['ratio']:.2f}x"
        print(f"{row['case']:<22} {row['steps_per_s']:>13,.0f} "
              f"{row['step_only_steps_per_s']:>11,.0f} {torch_cell:>20} {ratio_text:>10}")
    if disturbed_cases:
        print(f"warning: other processes kept the CPU busy while timing "
              f"{', '.join(sorted(set(disturbed_cases)))}; those figures are unreliable")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
