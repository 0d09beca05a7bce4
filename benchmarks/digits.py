"""The Digits workbench while it trains (offscreen): GUI time per frame, and the time from
a stroke's mouse event to updated guesses.

Goals (the Digits issue): the workbench's frame (board, downsampled view, guesses, a
64-32-10 diagram, confusion matrix, gallery, curves) median ≤ 16 ms; a stroke's mouse
event to updated guesses ≤ 16 ms median.

Frames: the real window, Digits tab, a drawn 7 on the board, the default 64-32-10 network
Runs at maximum speed; each of the middle tabs (curves, confusion matrix, mistakes) is
shown in turn for ``--seconds``. The cost of a frame is measured on the GUI thread:
``apply_frame`` plus every repaint until the next frame (as ``benchmarks/frames.py``).

Strokes: while it trains, an input thread posts mouse presses, moves and releases along a
stroke on the board every ``--interval`` ms (``QCoreApplication.postEvent``, as a window
system delivers input). The latency of one move = the moment the guesses view holds the
new guesses − the moment the move was scheduled.

Usage::

    QT_QPA_PLATFORM=offscreen python benchmarks/digits.py [--json] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import numpy as np  # noqa: E402
from frames import _timed_window_class  # noqa: E402  (benchmarks/frames.py)

GOAL_MS = 16.0
TABS = ("Curves", "Confusion", "Mistakes")


def _seven() -> np.ndarray:
    ink = np.zeros((280, 280), dtype=np.float32)
    for t in np.linspace(0, 1, 200):
        for x, y in ((80 + 120 * t, 70.0), (200 - 80 * t, 70 + 160 * t)):
            ink[int(y) - 9:int(y) + 9, int(x) - 9:int(x) + 9] = 1.0
    return ink


def run(seconds: float, interval_ms: float) -> dict[str, object]:
    from PySide6.QtCore import (
        QCoreApplication,
        QEvent,
        QEventLoop,
        QObject,
        QStandardPaths,
        Qt,
        QTimer,
    )
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)  # never touch the user's own drawings
    app = QApplication.instance() or QApplication([])
    window = _timed_window_class()()
    window.prompt_on_close = False
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentIndex(1)
    digits = window.digits
    engine = window.digits_session.engine
    window.wait_for(lambda: engine.latest_frame is not None, 10)
    digits.board.set_ink(_seven())
    engine.set_stop(None, None)  # train for as long as it is measured
    engine.set_speed(None)
    engine.run()

    def measure(span: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(300, lambda: setattr(window, "measuring", True))
        QTimer.singleShot(int(300 + span * 1000), loop.quit)
        loop.exec()
        window.measuring = False

    frames: dict[str, dict[str, float]] = {}
    for index, name in enumerate(TABS):
        digits.tabs.setCurrentIndex(index)
        window.costs.clear()
        window.marks.clear()
        measure(seconds)
        costs = np.asarray(window.costs or [np.nan])
        marks = window.marks
        rate = ((marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0])
                if len(marks) > 1 and marks[-1][0] > marks[0][0] else 0.0)
        frames[name] = {"median_ms": round(float(np.median(costs)), 2),
                        "p95_ms": round(float(np.percentile(costs, 95)), 2),
                        "frames": len(window.costs), "steps_per_s": round(rate, 1)}

    # strokes while training: every move is timed from its schedule to new guesses
    board = digits.board
    scheduled: dict[int, float] = {}
    updated: dict[int, float] = {}
    current: list[int | None] = [None]

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if watched is board and event.type() == QEvent.Type.MouseMove:
                current[0] = int(event.position().x()) * 1000 + int(  # type: ignore[attr-defined]
                    event.position().y())  # type: ignore[attr-defined]
            return False

    watch = Watch()
    board.installEventFilter(watch)
    keys: dict[int, int] = {}
    original = digits.guesses.show

    def show(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        key = keys.get(current[0] if current[0] is not None else -1)
        if key is not None:
            updated.setdefault(key, time.perf_counter())

    digits.guesses.show = show  # type: ignore[method-assign]
    stop = threading.Event()

    def post(kind: QEvent.Type, x: float, y: float, buttons: Qt.MouseButton) -> None:
        point = board.from_board(x, y)
        button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else \
            Qt.MouseButton.NoButton
        event = QMouseEvent(kind, point, board.mapToGlobal(point), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QCoreApplication.postEvent(board, event)

    def strokes() -> None:
        k = 0
        left = Qt.MouseButton.LeftButton
        t0 = time.perf_counter()
        while not stop.is_set():
            x0 = 60 + (k * 17) % 160
            post(QEvent.Type.MouseButtonPress, x0, 60, left)
            for step in range(1, 30):
                target = t0 + k * interval_ms / 1000.0
                delay = target - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                if stop.is_set():
                    break
                y = 60 + 5.5 * step
                point = board.from_board(x0, y)
                keys[int(point.x()) * 1000 + int(point.y())] = k
                scheduled[k] = target
                post(QEvent.Type.MouseMove, x0, y, left)
                k += 1
            post(QEvent.Type.MouseButtonRelease, x0, 220, Qt.MouseButton.NoButton)

    digits.tabs.setCurrentIndex(0)
    thread = threading.Thread(target=strokes, daemon=True)
    thread.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    stop.set()
    thread.join(1.0)
    window.wait_for(lambda: False, 0.2)
    engine.pause()
    board.removeEventFilter(watch)
    window.close()
    window.session.shutdown()
    window.digits_session.shutdown()
    del app
    done = sorted(k for k in scheduled if k in updated)
    lat = np.array([(updated[k] - scheduled[k]) * 1000 for k in done]) if done else \
        np.array([np.nan])
    return {"frames": frames,
            "strokes": {"moves": len(scheduled), "answered": len(done),
                        "median_ms": round(float(np.median(lat)), 2),
                        "p95_ms": round(float(np.percentile(lat, 95)), 2),
                        "max_ms": round(float(np.max(lat)), 2)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--seconds", type=float, default=4.0, help="measuring time per part")
    parser.add_argument("--interval", type=float, default=20.0, help="ms between moves")
    args = parser.parse_args(argv)
    r = run(args.seconds, args.interval)
    if args.json:
        print(json.dumps(r))
        return 0
    print(f"Digits workbench, 64-32-10 running at max speed (goal: median ≤ {GOAL_MS:g} ms)")
    for name, f in r["frames"].items():  # type: ignore[union-attr]
        print(f"  frame, tab {name!r:20s} median {f['median_ms']:6.2f} ms  p95 "
              f"{f['p95_ms']:6.2f} ms  {f['frames']:4d} frames  {f['steps_per_s']:8,.0f} "
              "steps/s")
    s = r["strokes"]
    print(f"  stroke move → new guesses: median {s['median_ms']} ms, p95 {s['p95_ms']} ms, "
          f"max {s['max_ms']} ms ({s['answered']} of {s['moves']} moves)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
