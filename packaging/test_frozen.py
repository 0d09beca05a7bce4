"""Prove the frozen app works: run its self-test offscreen and check what it leaves behind.

    .venv/bin/python packaging/test_frozen.py [dist/ascent-lab/ascent-lab]

Runs ``BINARY --self-test --screenshot FILE`` from an empty folder (so nothing can come from
the source tree) in a bare environment, as ``env -i PATH=/usr/bin:/bin HOME=<empty folder>
QT_QPA_PLATFORM=offscreen`` gives (no locale: the app must pick a UTF-8 one itself), and
fails unless

* it exits 0 within the time limit (30 s),
* the screenshot exists and is not blank (a real window has many colours),
* its output holds no error, traceback or Qt warning;

and that the frozen headless trainer (``BINARY train --preset digits``) finds the bundled
digits through core.assets.asset_path() and trains on them.

The self-test itself (gui/__main__.py) opens the window and trains XOR through the real
widgets, then draws a 1 on the Digits board with the mouse, trains the digits network and
checks its guess; that creates every kind of view, so a module PyInstaller missed fails
here.
Prints the self-test's wall time. Needs PySide6 (from the .venv) only to read the PNG.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What must not appear in the log: Python errors ("...Error", tracebacks, PyInstaller's
# "[PYI-...:ERROR]"), Qt warnings (category lines such as "qt.qpa.plugin: ...", the classic
# "QWidget::..."/"QPainter::..." ones), fontconfig or other "warning:" lines, and the
# self-test's own report of a Qt message.
BAD_LINE = re.compile(
    r"Error|Traceback|\bqt\.[a-z]|QWidget|QPainter|QObject::|\[qt\]|"
    r"Qt(Warning|Critical|Fatal)Msg|SELF-TEST FAILED|(?i:\berror\b|warning:|\bfatal\b)"
)
# Messages of the offscreen platform itself, not of the app (gui/__main__.py agrees).
BENIGN = ("This plugin does not support propagateSizeHints()",)

MIN_COLOURS = 16  # a blank or single-colour window has 1-3; the real window has thousands


def distinct_colours(png: Path, step: int = 3) -> tuple[int, int, int]:
    """Return (width, height, number of distinct colours on a grid of every step-th pixel)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    if image.isNull():
        return 0, 0, 0
    colours = {
        image.pixel(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    }
    return image.width(), image.height(), len(colours)


def bad_lines(log: str) -> list[str]:
    """The log lines that reveal an error or a warning."""
    return [
        line for line in log.splitlines()
        if BAD_LINE.search(line) and not any(benign in line for benign in BENIGN)
    ]


def check_digits(binary: Path, env: dict[str, str], timeout: float) -> list[str]:
    """Train on the bundled digits headlessly; return what went wrong (empty list if fine)."""
    command = [str(binary), "train", "--preset", "digits", "--model", "mlp:8",
               "--steps", "20", "--json"]
    with tempfile.TemporaryDirectory(prefix="ascent-lab-frozen-") as cwd:
        try:
            result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                                    timeout=timeout)
        except subprocess.TimeoutExpired:
            return [f"'{' '.join(command[1:])}' did not exit within {timeout:g} s"]
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {}
    if result.returncode != 0 or report.get("n_features") != 64 or report.get("n_classes") != 10:
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        return [f"'{' '.join(command[1:])}' failed (exit {result.returncode}): {tail}"]
    print(f"test_frozen: frozen 'train --preset digits' read the bundled digits "
          f"({report.get('n_train')} + {report.get('n_test')} images, 64 pixels, 10 classes)")
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", nargs="?", default=str(ROOT / "dist/ascent-lab/ascent-lab"))
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--screenshot", default=str(ROOT / "build/package-test/screenshot.png"))
    parser.add_argument("--log", default=str(ROOT / "build/package-test/self-test.log"))
    args = parser.parse_args(argv)

    binary = Path(args.binary).resolve()
    screenshot = Path(args.screenshot).resolve()
    log_path = Path(args.log).resolve()
    if not binary.is_file() or not os.access(binary, os.X_OK):
        print(f"test_frozen: no executable at {binary} (run make package)", file=sys.stderr)
        return 1
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    screenshot.unlink(missing_ok=True)

    command = [str(binary), "--self-test", "--screenshot", str(screenshot)]
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ascent-lab-frozen-") as cwd:
        # a bare environment, as CI containers and `env -i` give: no locale, no display,
        # a fresh home (the app keeps the student's drawings there)
        env = {"PATH": "/usr/bin:/bin", "HOME": cwd, "QT_QPA_PLATFORM": "offscreen"}
        start = time.perf_counter()
        try:
            result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                                    timeout=args.timeout)
            code: int | None = result.returncode
            log = result.stdout + result.stderr
        except subprocess.TimeoutExpired as expired:
            code = None
            log = "".join(
                part.decode(errors="replace") if isinstance(part, bytes) else (part or "")
                for part in (expired.stdout, expired.stderr)
            )
        seconds = time.perf_counter() - start
    log_path.write_text(log, encoding="utf-8")

    if code is None:
        failures.append(f"did not exit within {args.timeout:g} s")
    elif code != 0:
        failures.append(f"exit code {code}")
    if not screenshot.is_file():
        failures.append(f"no screenshot at {screenshot}")
    else:
        width, height, colours = distinct_colours(screenshot)
        if width < 200 or height < 200:
            failures.append(f"screenshot is {width}x{height}, not a window")
        elif colours < MIN_COLOURS:
            failures.append(f"screenshot looks blank: {colours} distinct colours")
        else:
            print(f"test_frozen: screenshot {width}x{height}, {colours} distinct colours "
                  f"(sampled), {screenshot.stat().st_size} bytes")
    failures += [f"log line: {line}" for line in bad_lines(log)]

    failures += check_digits(binary, env, args.timeout)

    print(log.rstrip())
    print(f"test_frozen: {' '.join(command[:2])} took {seconds:.1f} s (limit {args.timeout:g} s);"
          f" log in {log_path}")
    if failures:
        print("test_frozen: FAILED")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("test_frozen: PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
