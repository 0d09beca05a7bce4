"""Entry point: ``ascent-lab`` (the window), ``ascent-lab train …`` (headless), ``--self-test``.

Qt is imported only inside the functions that need it, so ``ascent-lab train`` loads it only
to draw ``--plot`` or ``--animate`` (offscreen: :mod:`gui.export.headless`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from typing import Any

# Qt messages that are not problems of the app: the offscreen platform plugin (used when
# there is no display) cannot propagate size hints to a window manager, and says so.
BENIGN_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)

SELF_TEST_MIN_STEPS = 300
SELF_TEST_MAX_STEPS = 5000
SELF_TEST_TIMEOUT_S = 90.0
SELF_TEST_DIGIT_STEPS = 300


def _ensure_platform() -> None:
    """Run offscreen when there is no display at all (CI, a frozen binary on a server)."""
    if not any(os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ascent-lab",
        description="Ascent Lab: watch gradient ascent on the log-likelihood train logistic "
                    "regression and neural networks. 'ascent-lab train --help' for the "
                    "headless trainer.")
    p.add_argument("--self-test", action="store_true",
                   help="open the window, train a small tanh network on XOR through the real "
                        "widgets and exit 0 only if it reaches 100%% training accuracy with no "
                        "Qt warning or Python exception")
    p.add_argument("--screenshot", metavar="FILE",
                   help="with --self-test: save a screenshot of the window to FILE (PNG)")
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="a session (.ascent) or a dataset (.csv) to open")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "train":
        from core.cli import main as train_main  # headless: Qt only for --plot/--animate
        from gui.export.headless import cli_figures

        if any(a.split("=")[0] in ("--plot", "--animate") for a in args_list[1:]):
            if not os.environ.get("QT_QPA_PLATFORM"):  # drawn, never shown: no display
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return int(train_main(args_list[1:], figures=cli_figures) or 0)
    if args_list and args_list[0] == "predict":
        from core.cli_predict import main as predict_main  # headless: never imports Qt

        return int(predict_main(args_list[1:]) or 0)
    args = _parser().parse_args(args_list)
    if args.screenshot and not args.self_test:
        _parser().error("--screenshot needs --self-test")
    if args.self_test:
        _ensure_platform()
        return self_test(args.screenshot)
    if not any(os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        if sys.platform.startswith("linux"):  # Qt would abort without a display
            print("ascent-lab: no display found (DISPLAY/WAYLAND_DISPLAY unset). Run it in a "
                  "desktop session, under 'xvfb-run -a ascent-lab', or try "
                  "'ascent-lab --self-test'.", file=sys.stderr)
            return 1
    return run_app(args.file)


def _ensure_utf8_locale() -> None:
    """Pick a UTF-8 locale when none is set, as desktop apps do.

    A bare environment (``env -i``, a CI container, a service) has no LANG/LC_*: the locale
    is "C", and Qt warns that it is not UTF-8 (file names and text with η or θ would then
    be mangled). C.UTF-8 exists on every current Linux and on macOS.
    """
    if sys.platform.startswith("win"):
        return
    current = next((os.environ[k] for k in ("LC_ALL", "LC_CTYPE", "LANG")
                    if os.environ.get(k)), "")
    if "utf-8" not in current.lower().replace("utf8", "utf-8"):
        os.environ["LC_ALL"] = "C.UTF-8"
        os.environ.pop("LANGUAGE", None)


def application(argv: list[str]) -> Any:
    """The QApplication, named and with the icon that matches packaging/ascent-lab.desktop."""
    _ensure_utf8_locale()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from core.assets import asset_path
    from gui.widgets import wheel_guard

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Ascent Lab")
    app.setDesktopFileName("ascent-lab")
    icon = asset_path("icon.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    wheel_guard.install(app)  # the wheel scrolls panels; it edits a setting only with focus
    return app


def open_window(file: str | None = None) -> Any:
    """The main window, shown: first the offer to restore unsaved work a crash left
    (gui.autosave), then ``file`` (a session or a dataset) if given."""
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.documents.offer_recovery()
    if file:
        window.documents.open(file)
    return window


def run_app(file: str | None = None) -> int:
    app = application(sys.argv[:1])
    window = open_window(file)
    code = app.exec()
    window.session.shutdown()
    window.digits_session.shutdown()
    return int(code)


def _self_test_digits(window: Any) -> list[str]:
    """Draw a 1 on the Digits board with the mouse, train, and check the guesses."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    failures: list[str] = []
    window.tabs.setCurrentIndex(1)
    digits = window.digits
    engine = window.digits_session.engine
    board = digits.board
    window.wait_for(lambda: engine.latest_frame is not None, 10)
    top, bottom = board.from_board(140, 50).toPoint(), board.from_board(140, 230).toPoint()
    QTest.mousePress(board, Qt.MouseButton.LeftButton, pos=top)
    for k in range(1, 11):
        QTest.mouseMove(board, top + (bottom - top) * (k / 10))
    QTest.mouseRelease(board, Qt.MouseButton.LeftButton, pos=bottom)
    if not board.has_ink():
        failures.append("dragging on the digits board drew no ink")
    training = digits.training
    training.step_n_spin.setValue(SELF_TEST_DIGIT_STEPS)
    QTest.mouseClick(training.step_n_button, Qt.MouseButton.LeftButton)
    window.wait_for(lambda: not engine.is_busy()
                    and engine.latest_frame.step >= SELF_TEST_DIGIT_STEPS, 60)
    window.wait_for(lambda: False, 0.3)
    f = engine.latest_frame
    guess = digits.guesses.first_text()
    readout = window.digits_session.guess(engine, digits._features) \
        if digits._features is not None else None
    if f.step < SELF_TEST_DIGIT_STEPS:
        failures.append(f"the digits model trained only {f.step} steps")
    if readout is None or abs(float(readout.probabilities.sum()) - 1.0) > 1e-9:
        failures.append("no guess for the drawing on the digits board")
    elif readout.predicted != 1:
        failures.append(f"a drawn 1 was guessed as {readout.predicted}")
    print(f"  digits: {f.step} steps, test accuracy {100 * f.test_accuracy:.1f} %, a drawn 1 "
          f"guessed as {None if readout is None else readout.predicted} (shown: {guess})")
    return failures


class _Problems:
    """Qt warnings and Python exceptions seen during the self-test."""

    def __init__(self) -> None:
        self.qt: list[str] = []
        self.python: list[str] = []

    def qt_handler(self, mode: Any, context: Any, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if not any(benign in message for benign in BENIGN_QT_MESSAGES):
                self.qt.append(f"{mode.name}: {message}")
                print(f"[qt] {mode.name}: {message}", file=sys.stderr)

    def excepthook(self, kind: Any, value: Any, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        self.python.append(text)
        print(text, file=sys.stderr)


def self_test(screenshot: str | None = None) -> int:
    """Drive the real window like a student would; 0 if everything worked, else 1."""
    problems = _Problems()
    sys.excepthook = problems.excepthook
    from PySide6.QtCore import QPoint, QPointF, Qt, qInstallMessageHandler
    from PySide6.QtTest import QTest

    qInstallMessageHandler(problems.qt_handler)
    app = application(["ascent-lab"])
    from gui.main_window import MainWindow

    t_start = time.perf_counter()
    failures: list[str] = []
    window = MainWindow()
    window.prompt_on_close = False
    window.show()
    s = window.session
    c = window.controls

    def frame() -> Any:
        return s.latest_frame

    try:
        if not window.wait_for(lambda: frame() is not None, 10):
            failures.append("no frame was drawn after opening the window")
        # XOR through the Data menu, a small tanh network through the model widgets.
        window.preset_actions["xor"].trigger()
        c.model.network_radio.click()
        c.model.activation_combo.setCurrentIndex(c.model.activation_combo.findData("tanh"))
        c.model.layers_editor.spin_boxes()[0].setValue(4)
        c.training.speed_combo.setCurrentIndex(c.training.speed_combo.findData(1000))
        window.wait_for(lambda: frame() is not None and frame().kind == "network"
                        and frame().step == 0, 10)
        QTest.mouseClick(c.training.step_button, Qt.MouseButton.LeftButton)
        if not window.wait_for(lambda: frame().step >= 1 and not s.is_busy(), 10):
            failures.append("Step did not advance the step count")
        QTest.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)

        def done() -> bool:
            f = frame()
            return (f.step >= SELF_TEST_MIN_STEPS and f.accuracy >= 1.0) or \
                f.step >= SELF_TEST_MAX_STEPS or not s.running

        window.wait_for(done, SELF_TEST_TIMEOUT_S)
        if s.running:
            QTest.mouseClick(c.training.run_button, Qt.MouseButton.LeftButton)
        window.wait_for(lambda: not s.is_busy() and frame().step >= s.trainer.step_count, 10)
        window.wait_for(lambda: False, 0.2)
        from gui.engine.train_process import enabled_by_environment

        if enabled_by_environment() and not s.trains_in_process:
            failures.append("Run did not train in the training process "
                            "(see gui.engine.train_process)")

        # Hover the boundary view (readout), show a hidden unit there, and back.
        view = window.boundary
        QTest.mouseMove(view.plot_widget.viewport(), view.data_to_viewport(2.5, -2.5).toPoint())
        window.wait_for(lambda: "P(Y=1|x)" in view.readout.text(), 3)
        if "P(Y=1|x)" not in view.readout.text():
            failures.append("the hover readout did not appear")
        net = window.network
        target = (net.thumbnail_center_in_widget(1, 0)
                  if hasattr(net, "thumbnail_center_in_widget") else None)
        if isinstance(target, QPoint | QPointF):
            point = target.toPoint() if isinstance(target, QPointF) else target
            child = net.childAt(point) or net
            QTest.mouseClick(child, Qt.MouseButton.LeftButton, pos=child.mapFrom(net, point))
        else:
            net.unit_clicked.emit(1, 0)
        if not window.wait_for(lambda: frame().probe.boundary is not None
                               and frame().probe.boundary.unit == (1, 0), 5):
            failures.append("clicking a hidden unit's thumbnail did not show it")
        window.grab()  # paint the unit view once
        view.back_button.click()
        window.wait_for(lambda: frame().probe.boundary is not None
                        and frame().probe.boundary.unit is None, 5)
        window.wait_for(lambda: False, 0.2)

        failures += _self_test_digits(window)

        f = frame()
        image = window.grab().toImage()
        if image.isNull() or image.width() < 200:
            failures.append("the window could not be grabbed")
        window.tabs.setCurrentIndex(0)
        window.wait_for(lambda: False, 0.2)
        if screenshot:
            if not window.grab().save(screenshot):
                failures.append(f"could not save the screenshot to {screenshot}")
        if f.accuracy < 1.0:
            failures.append(f"training accuracy {100 * f.accuracy:.1f} % < 100 % after "
                            f"{f.step} steps")
        if f.step < SELF_TEST_MIN_STEPS:
            failures.append(f"only {f.step} steps were trained")
        times = sorted(window.frame_times)
        median = times[len(times) // 2] if times else float("nan")
        print("Ascent Lab self-test")
        print(f"  preset xor, network {s.model_spec.hidden_units} {s.model_spec.activation}, "
              f"η = {s.learning_rate:g}")
        print(f"  steps {f.step}, LL {f.log_likelihood:.4f}, train accuracy "
              f"{100 * f.accuracy:.1f} %, test accuracy {100 * f.test_accuracy:.1f} %")
        print(f"  frames drawn {len(times)}, GUI time per frame median {median:.2f} ms")
        print(f"  screenshot {screenshot or '(none)'}; "
              f"{time.perf_counter() - t_start:.1f} s")
    except Exception:  # noqa: BLE001 - any failure is a failed self-test
        problems.excepthook(*sys.exc_info())
    finally:
        window.close()
        s.shutdown()
        app.processEvents()
    failures += [f"Qt {m}" for m in problems.qt]
    failures += [f"Python exception: {e.strip().splitlines()[-1]}" for e in problems.python]
    if failures:
        print("SELF-TEST FAILED:")
        for reason in failures:
            print(f"  - {reason}")
        return 1
    print("SELF-TEST PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
