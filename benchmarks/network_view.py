"""Time NetworkView.update_state + the repaint it causes, offscreen, for the spec's worst case.

2 inputs, 6 hidden layers of 8 units, 1 output: 51 thumbnails (48x48, the app's resolution)
and 344 links in a 600x350 view. One frame = update_state, then the event loop until the
view has painted (as in the app). Prints the median over the frames (target ≤ 4 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/network_view.py [--frames 200]
        [--mode random|drift|static] [--digits]

random: every frame new random weights (every link changes pen: the link picture is
        redrawn every frame) and new images. The worst case.
drift:  weights take small steps, as in training (most frames still change some pen).
static: the weights stay, only the images change (the cached link picture is reused).

--digits: the Digits workbench's 64-32-10 network in image-input mode (input_shape (8, 8),
y_up False): the input as one 8x8 picture, 32 + 10 thumbnails of --resolution (default 8:
the units' receptive fields), 2,368 weights of which about 512 links are drawn.

On a shared machine the wall time also counts waiting for a core; the CPU time and the
reference loop printed at the end help to compare runs.
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

from gui.widgets.network_view import NetworkView  # noqa: E402

SIZES = (2, 8, 8, 8, 8, 8, 8, 1)
DIGIT_SIZES = (64, 32, 10)
State = tuple[list[np.ndarray], list[np.ndarray], list[tuple[float, float]]]


def make_states(sizes: tuple[int, ...], resolution: int, count: int, mode: str,
                seed: int = 0, digits: bool = False) -> list[State]:
    """``count`` (weights, unit_images, levels) states of a tanh network.

    ``digits``: the input is one 8x8 picture and the unit images are random ``resolution``
    squares (the receptive fields a Digits workbench would show).
    """
    rng = np.random.default_rng(seed)
    xs = np.linspace(-3.0, 3.0, resolution)
    gx, gy = np.meshgrid(xs, xs, indexing="ij")
    inputs = np.stack([gx, gy]).astype(np.float32)
    if digits:
        inputs = rng.uniform(0.0, 1.0, (sizes[0], resolution * resolution)).astype(np.float32)
    weights = [rng.normal(0.0, 1.0, (n_in, n_out))
               for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    states = []
    for index in range(count):
        if mode == "random" or (mode == "static" and index == 0):
            weights = [rng.normal(0.0, 1.0, w.shape) for w in weights]
        elif mode == "drift":
            weights = [w + rng.normal(0.0, 0.01, w.shape) for w in weights]
        elif mode == "static":  # same weights, other images
            pass
        images, a = [inputs], inputs.reshape(sizes[0], -1)
        if digits:
            images = [rng.uniform(0.0, 1.0, (1, 8, 8)).astype(np.float32)]
        for w in weights:
            a = np.tanh(w.T @ a + (rng.normal(0.0, 0.3, (w.shape[1], 1))
                                   if mode == "static" else 0.0))
            images.append(np.ascontiguousarray(a.reshape(-1, resolution, resolution),
                                               dtype=np.float32))
        levels = [(-3.0, 3.0)] + [(-1.0, 1.0)] * (len(sizes) - 1)
        states.append(([w.copy() for w in weights], images, levels))
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


def frame(app: QApplication, view: NetworkView, counter: PaintCounter, state: State) -> float:
    """One frame as the app runs it; returns the update_state time in ms."""
    painted = counter.count
    start = time.perf_counter()
    view.update_state(*state)
    update_ms = (time.perf_counter() - start) * 1000.0
    deadline = time.perf_counter() + 1.0
    while counter.count == painted and time.perf_counter() < deadline:
        app.processEvents()
    if counter.count == painted:
        raise RuntimeError("the view did not repaint within 1 s")
    return update_ms


def reference_ms() -> float:
    """A fixed pure-Python loop (min of 5), to compare how busy the machine was."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(200_000):
            total += i * i
        best = min(best, (time.perf_counter() - start) * 1000.0)
    return best


def main() -> None:
    """Run the benchmark and print the median frame time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--resolution", type=int, default=None,
                        help="side of each unit image, pixels (default 48, the app's; 8 with "
                             "--digits)")
    parser.add_argument("--mode", choices=("random", "drift", "static"), default="random")
    parser.add_argument("--digits", action="store_true",
                        help="64-32-10 in image-input mode instead of 2-8-8-8-8-8-8-1")
    args = parser.parse_args()
    sizes = DIGIT_SIZES if args.digits else SIZES
    resolution = args.resolution or (8 if args.digits else 48)

    app = QApplication.instance() or QApplication([])
    view = NetworkView()
    view.resize(600, 350)
    view.show()
    if args.digits:
        view.set_architecture(sizes, activation="tanh", input_shape=(8, 8), y_up=False)
    else:
        view.set_architecture(sizes, activation="tanh")
    count = 8 if args.mode != "drift" else args.frames + 8
    states = make_states(sizes, resolution, count, args.mode, digits=args.digits)
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    app.processEvents()
    for state in states[:8]:  # warm up
        frame(app, view, counter, state)

    wall, cpu, update = [], [], []
    for index in range(args.frames):
        state = states[8 + index] if args.mode == "drift" else states[index % len(states)]
        start, start_cpu = time.perf_counter(), time.process_time()
        update.append(frame(app, view, counter, state))
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.process_time() - start_cpu) * 1000.0)
    thumbs = sum(len(column) for column in view.thumbnail_items())
    print(f"network_view {'-'.join(map(str, sizes))}: {view.link_count()} links drawn, "
          f"{thumbs} thumbnails of {resolution}x{resolution}, 600x350 px, "
          f"mode {args.mode}, {args.frames} frames of update_state + repaint")
    print(f"  frame: median {statistics.median(wall):.2f} ms (CPU {statistics.median(cpu):.2f} "
          f"ms), p10 {np.percentile(wall, 10):.2f} ms, p90 {np.percentile(wall, 90):.2f} ms; "
          f"update_state alone: median {statistics.median(update):.2f} ms")
    print(f"  machine reference loop: {reference_ms():.1f} ms (lower = less busy)")


if __name__ == "__main__":
    main()
