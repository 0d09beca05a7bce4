"""How long the GUI thread needs per frame while training runs (offscreen).

Four cases (issues 3 and 12):

* ``logistic``: 1,000 points (overlap), logistic regression, boundary 200x200, an LL curve
  of 10,000 steps;
* ``deep``: spiral, 6 hidden layers of 8 tanh units (48 thumbnails and their links),
  boundary 200x200.
* ``deep-panels`` and ``logistic-panels``: the same with every dockable playground panel
  showing (landscape, the lecture's loop, the sigmoid view, the hidden space ...).

For each case the real main window trains at maximum speed in its worker thread, inside the
real Qt event loop. The cost of a frame is measured on the GUI thread: ``apply_frame`` plus
every repaint of the window (its ``UpdateRequest`` handling, which paints all dirty widgets)
until the next frame arrives. Steps per second come from the frames' step counts.

Usage::

    QT_QPA_PLATFORM=offscreen python benchmarks/frames.py [--json] [--seconds S] [--panels]
        [--case logistic|deep|deep-panels|logistic-panels]

Goals (2-core machine): logistic median ≤ 8 ms, p95 ≤ 16 ms, ≥ 1,000 full-batch steps/s;
deep median ≤ 16 ms with ≥ 200 steps/s; with every panel open (issue 12), median ≤ 16 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import numpy as np  # noqa: E402
from _window import open_window  # noqa: E402  (benchmarks/_window.py)

GOALS = {"logistic": (8.0, 16.0, 1000.0), "deep": (16.0, None, 200.0),
         "deep-panels": (16.0, None, None), "logistic-panels": (16.0, None, None)}


def _timed_window_class() -> type:
    from PySide6.QtCore import QEvent

    from gui.main_window import MainWindow

    class TimedWindow(MainWindow):
        """Records, per applied frame, apply_frame + every repaint until the next frame."""

        def __init__(self) -> None:
            self.measuring = False
            self.costs: list[float] = []
            self.marks: list[tuple[float, int]] = []
            self._paint_ms = 0.0
            self._pending: float | None = None
            super().__init__()

        def event(self, e: QEvent) -> bool:
            if e.type() == QEvent.Type.UpdateRequest:
                t0 = time.perf_counter()
                result = super().event(e)
                self._paint_ms += (time.perf_counter() - t0) * 1000.0
                return result
            return super().event(e)

        def apply_frame(self, frame: object) -> None:
            t0 = time.perf_counter()
            if self.measuring and self._pending is not None:
                self.costs.append(self._pending + self._paint_ms)
            self._paint_ms = 0.0
            super().apply_frame(frame)  # type: ignore[arg-type]
            self._pending = (time.perf_counter() - t0) * 1000.0
            if self.measuring:
                self.marks.append((time.perf_counter(), frame.step))  # type: ignore[attr-defined]

    return TimedWindow


def run_case(name: str, seconds: float, speed: float | None = None, panels: bool = False
             ) -> dict[str, float | str | int]:
    from PySide6.QtCore import QEventLoop, QTimer

    from core.specs import ModelSpec

    window = open_window(_timed_window_class())
    s = window.session
    c = window.controls
    panels = panels or name.endswith("-panels")
    if name.startswith("logistic"):
        c.data.samples_spin.setValue(1000)  # overlap preset, 1,000 points
        history = 10_000
    else:
        c.data.set_preset("spiral")
        s.set_model_spec(ModelSpec(kind="network", hidden_units=(8,) * 6, activation="tanh"))
        history = 300
    if panels:  # every playground panel open, and the pull overlay on
        for panel in window.workbench.panels.panels:
            window.workbench.panels.show_panel(panel)
        window.boundary.toolbar.pull_button.setChecked(True)
    s.set_stop(None, None)
    s.step(history)  # an LL curve of this many steps before measuring
    window.wait_for(lambda: not s.is_busy() and s.latest_frame.step >= history, 120)
    window.wait_for(lambda: False, 0.2)

    # Measure inside the real event loop (it blocks when idle, as in the app).
    s.set_speed(speed)
    s.run()
    loop = QEventLoop()
    QTimer.singleShot(500, lambda: setattr(window, "measuring", True))  # warm-up
    QTimer.singleShot(int(500 + seconds * 1000), loop.quit)
    loop.exec()
    window.measuring = False
    s.pause()
    window.close()
    s.shutdown()
    marks = window.marks
    if len(marks) >= 2:
        (t_a, s_a), (t_b, s_b) = marks[0], marks[-1]
        steps_per_s = (s_b - s_a) / (t_b - t_a) if t_b > t_a else 0.0
    else:
        steps_per_s = 0.0
    arr = np.asarray(window.costs) if window.costs else np.asarray([float("nan")])
    return {"case": name, "median_ms": round(float(np.median(arr)), 2),
            "p95_ms": round(float(np.percentile(arr, 95)), 2),
            "steps_per_s": round(float(steps_per_s), 1), "frames": len(window.costs),
            "fps": round(len(window.costs) / seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per case")
    parser.add_argument("--case", choices=sorted(GOALS), action="append",
                        help="run only this case (repeatable)")
    parser.add_argument("--panels", action="store_true",
                        help="every case with every playground panel open and the pull "
                        "overlay on (as the *-panels cases)")
    args = parser.parse_args(argv)
    names = args.case or ["logistic", "deep", "deep-panels"]
    cases = [run_case(name, args.seconds, panels=args.panels) for name in names]
    if args.json:
        print(json.dumps({"cases": [{k: c[k] for k in ("case", "median_ms", "p95_ms",
                                                        "steps_per_s")} for c in cases]}))
        return 0
    print(f"{'case':16s} {'median ms':>10s} {'p95 ms':>8s} {'steps/s':>9s} {'frames':>7s} "
          f"{'fps':>6s}   goal")
    for c in cases:
        med, p95, sps = GOALS[str(c["case"])]
        goal = f"median ≤ {med:g} ms" + (f", p95 ≤ {p95:g} ms" if p95 else "") + \
            (f", ≥ {sps:,.0f} steps/s" if sps else "")
        print(f"{c['case']:16s} {c['median_ms']:10.2f} {c['p95_ms']:8.2f} "
              f"{c['steps_per_s']:9,.0f} {c['frames']:7d} {c['fps']:6.1f}   {goal}")
    print("GUI-thread time per frame = apply_frame + repainting what changed (offscreen), "
          "while the worker trains at maximum speed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
