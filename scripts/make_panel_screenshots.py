"""Screenshots of the issue-12 panels for docs/images/: the lecture's loop mid-pass (the
window, with the example ringed on the plane), the sigmoid view, and the pull overlay.
Offline and offscreen:

    .venv/bin/python scripts/make_panel_screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from _settle import wait

ROOT = Path(__file__).resolve().parent.parent


def _steps(app: object, session: object, n: int) -> None:
    target = session.latest_frame.step + n  # type: ignore[attr-defined]
    session.step(n)  # type: ignore[attr-defined]
    wait(app, lambda: not session.is_busy()  # type: ignore[attr-defined]
          and session.latest_frame.step >= target)  # type: ignore[attr-defined]


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QStandardPaths

    from gui.__main__ import application
    from gui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    app = application(["ascent-lab"])
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.prompt_on_close = False
    window.resize(1280, 860)
    window.show()
    s = window.session
    panels = window.workbench.panels
    try:
        wait(app, lambda: s.latest_frame is not None)
        _steps(app, s, 4)
        loop = panels.show_panel("loop")
        for _ in range(7):
            loop.step_button.click()
        wait(app, lambda: True)
        window.grab().save(str(out / "panel-loop.png"))

        panels.show_panel("loop", False)
        window.boundary.toolbar.pull_button.setChecked(True)
        wait(app, lambda: True)
        window.boundary.grab().save(str(out / "overlay-pull.png"))
        window.boundary.toolbar.pull_button.setChecked(False)

        _steps(app, s, 60)
        sigmoid = panels.show_panel("sigmoid")
        dock = panels.docks["sigmoid"]
        dock.setFloating(True)
        dock.resize(760, 380)
        wait(app, lambda: True)
        sigmoid.grab().save(str(out / "panel-sigmoid.png"))
    finally:
        window.close()
        s.shutdown()
        window.digits_session.shutdown()
    print(f"wrote panel-loop.png, overlay-pull.png, panel-sigmoid.png to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"))
