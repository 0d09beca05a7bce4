"""Screenshots of both tabs at small screen sizes, for docs/screenshots/ (and for looking at
what is cramped): 1024×640 and 1280×720, the playground training a small network on XOR and
Digits with a drawn 7 after a few hundred steps. Offline and offscreen:

    .venv/bin/python scripts/make_screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from _settle import wait

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((1024, 640), (1280, 720))
STEPS = 300


def _draw_seven(window: object) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    board = window.digits.board  # type: ignore[attr-defined]
    for a, b in (((70, 60), (210, 60)), ((210, 60), (120, 230))):
        start, end = board.from_board(*a).toPoint(), board.from_board(*b).toPoint()
        QTest.mousePress(board, Qt.MouseButton.LeftButton, pos=start)
        for k in range(1, 13):
            point = QPointF(start) + (QPointF(end) - QPointF(start)) * (k / 12)
            QTest.mouseMove(board, point.toPoint())
        QTest.mouseRelease(board, Qt.MouseButton.LeftButton, pos=end)


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from gui.__main__ import application
    from gui.main_window import MainWindow

    app = application(["ascent-lab"])
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.prompt_on_close = False
    window.show()
    s, d = window.session, window.digits_session
    try:
        window.preset_actions["xor"].trigger()
        c = window.controls
        c.model.network_radio.click()
        c.model.activation_combo.setCurrentIndex(c.model.activation_combo.findData("tanh"))
        s.set_model_spec(s.model_spec.replace(hidden_units=(4, 4)))
        wait(app, lambda: s.latest_frame is not None and s.latest_frame.kind == "network")
        s.step(STEPS)
        wait(app, lambda: not s.is_busy() and s.latest_frame.step >= STEPS)
        window.tabs.setCurrentIndex(1)
        wait(app, lambda: d.engine.latest_frame is not None)
        _draw_seven(window)
        d.engine.step(STEPS)
        wait(app, lambda: not d.engine.is_busy() and d.engine.latest_frame.step >= STEPS)
        for width, height in SIZES:
            window.resize(width, height)
            for tab, name in ((0, "playground"), (1, "digits")):
                window.tabs.setCurrentIndex(tab)
                wait(app, lambda: False, 0.3)
                path = out / f"{name}-{width}x{height}.png"
                if not window.grab().save(str(path)):
                    print(f"could not write {path}", file=sys.stderr)
                    return 1
                print(f"{path} ({path.stat().st_size // 1024} KB)")
    finally:
        window.close()
        s.shutdown()
        d.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
