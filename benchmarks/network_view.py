"""Time NetworkView.update_state + a repaint, offscreen, for the worst case of the spec.

2 inputs, 6 hidden layers of 8 units, 1 output: 51 thumbnails and 344 links. Prints the
median over the frames (target ≤ 4 ms). Usage:
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/network_view.py [--frames 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.network_view import NetworkView  # noqa: E402


def make_states(sizes: tuple[int, ...], resolution: int, count: int, seed: int = 0
                ) -> list[tuple[list[np.ndarray], list[np.ndarray], list[tuple[float, float]]]]:
    """``count`` different (weights, unit_images, levels) states of a tanh network."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(-3.0, 3.0, resolution)
    gx, gy = np.meshgrid(xs, xs, indexing="ij")
    inputs = np.stack([gx, gy]).astype(np.float32)
    states = []
    for _ in range(count):
        weights, images = [], [inputs]
        a = inputs.reshape(sizes[0], -1)
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            w = rng.normal(0.0, 1.0, (n_in, n_out))
            weights.append(w)
            a = np.tanh(w.T @ a)
            images.append(np.ascontiguousarray(a.reshape(n_out, resolution, resolution),
                                               dtype=np.float32))
        levels = [(-3.0, 3.0)] + [(-1.0, 1.0)] * (len(sizes) - 1)
        states.append((weights, images, levels))
    return states


class PaintCounter(QObject):
    """Counts the paint events of the widget it filters."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def frame(app: QApplication, view: NetworkView, counter: PaintCounter, state: tuple) -> None:
    """One frame as the app runs it: update_state, then the event loop until it has painted."""
    painted = counter.count
    view.update_state(*state)
    deadline = time.perf_counter() + 1.0
    while counter.count == painted and time.perf_counter() < deadline:
        app.processEvents()
    if counter.count == painted:
        raise RuntimeError("the view did not repaint within 1 s")


def main() -> None:
    """Run the benchmark and print the median frame time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--resolution", type=int, default=48,
                        help="side of each unit image, pixels (default 48, the app's)")
    parser.add_argument("--static-weights", action="store_true",
                        help="keep the first state's weights (only the images change), so "
                             "the cached link picture is reused")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    sizes = (2, 8, 8, 8, 8, 8, 8, 1)
    view = NetworkView()
    view.resize(600, 350)
    view.show()
    view.set_architecture(sizes, activation="tanh")
    states = make_states(sizes, args.resolution, 8)
    if args.static_weights:
        states = [(states[0][0], images, levels) for _, images, levels in states]
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    app.processEvents()
    for state in states:  # warm up
        frame(app, view, counter, state)

    wall, cpu = [], []
    for index in range(args.frames):
        start, start_cpu = time.perf_counter(), time.process_time()
        frame(app, view, counter, states[index % len(states)])
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.process_time() - start_cpu) * 1000.0)
    print(f"network_view {'-'.join(map(str, sizes))}: {view.link_count()} links, "
          f"{sum(sizes)} thumbnails of {args.resolution}x{args.resolution}, 600x350 px, "
          f"{args.frames} frames of update_state + event loop until painted "
          f"(every frame new images and "
          f"{'the same weights' if args.static_weights else 'new weights'}):")
    print(f"  wall median {statistics.median(wall):.2f} ms, p90 {np.percentile(wall, 90):.2f} ms; "
          f"CPU median {statistics.median(cpu):.2f} ms (CPU time is what the process itself "
          f"spent; wall time also counts waiting for a core on a busy machine)")


if __name__ == "__main__":
    main()
