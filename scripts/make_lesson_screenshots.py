"""Screenshots of the guided lesson (Help → Lesson) at 1024×640, for docs/images/: three
scenes, each built by the lesson player and trained as far as the scene trains. Offline
and offscreen:

    .venv/bin/python scripts/make_lesson_screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from _settle import wait

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1024, 640)
SHOWN = {1: "lesson-2-one-step.png", 4: "lesson-5-hidden-layer.png",
         6: "lesson-7-drawn-digit.png"}  # scene index → file


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)  # the digits scene must not see real drawings
    from gui.__main__ import application
    from gui.main_window import MainWindow

    app = application(["ascent-lab"])
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.prompt_on_close = False
    window.resize(*SIZE)
    window.show()
    lesson = window.lesson
    try:
        wait(app, lambda: window.session.latest_frame is not None, 120.0)
        lesson.open_action.trigger()
        for index, name in SHOWN.items():
            lesson.show_scene(index)
            scene = lesson.scene
            engine = (window.session if scene.tab == "playground"
                      else window.digits_session).engine
            target = scene.steps or scene.run_to
            wait(app, lambda e=engine, t=target: not e.is_busy() and e.step_count == t
                  and e.latest_frame is not None and e.latest_frame.step == t, 120.0)
            path = out / name
            if not window.grab().save(str(path)):
                print(f"could not write {path}", file=sys.stderr)
                return 1
            print(f"{path} ({path.stat().st_size // 1024} KB)")
    finally:
        window.close()
        window.session.shutdown()
        window.digits_session.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"))
