"""The hidden space panel's screenshot for the docs (docs/images/panel-hidden-space.png):
the circles preset, a network of 8 and 2 tanh units trained 800 steps, the panel floating
at 560×500. Offline and offscreen:

    .venv/bin/python scripts/make_hidden_space_screenshot.py [OUT_PNG]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = 800


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from core.specs import ModelSpec
    from gui.__main__ import application
    from gui.main_window import MainWindow

    app = application(["ascent-lab"])
    window = MainWindow()
    window.prompt_on_close = False
    window.resize(1280, 800)
    window.show()
    s = window.session

    def wait(predicate: object, timeout: float = 60.0) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and not predicate():  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.01)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.01)

    try:
        wait(lambda: s.latest_frame is not None)
        window.controls.data.set_preset("circles")
        s.set_model_spec(ModelSpec(kind="network", hidden_units=(8, 2), activation="tanh"))
        s.step(STEPS)
        wait(lambda: not s.is_busy() and s.latest_frame.step >= STEPS)
        window.workbench.panels.show_panel("hidden_space")
        dock = window.workbench.panels.docks["hidden_space"]
        dock.setFloating(True)
        dock.resize(560, 500)
        wait(lambda: False, 0.5)
        out.parent.mkdir(parents=True, exist_ok=True)
        dock.grab().save(str(out))
        print(out)
    finally:
        window.close()
        s.shutdown()
        window.digits_session.shutdown()
    return 0


if __name__ == "__main__":
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1
                  else ROOT / "docs" / "images" / "panel-hidden-space.png"))
