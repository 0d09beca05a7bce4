"""Never lose work: the app, with unsaved points, is killed (SIGKILL) after its autosave;
the next start offers the autosave back and restores the points."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDED = [(0.25, 1.75, 0), (-1.5, 0.5, 1), (2.0, -2.25, 1)]

DRIVER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QStandardPaths, QTimer

    if __name__ == "__main__":
        QStandardPaths.setTestModeEnabled(True)
        from gui.__main__ import application
        from gui.digits.session import DigitsSession
        from gui.main_window import MainWindow

        app = application(["ascent-lab"])
        window = MainWindow(digits=DigitsSession(storage=Path(sys.argv[1]) / "d.npz"))
        window.documents.autosave.timer.setInterval(200)
        window.show()

        def edit():
            for x, y, label in {ADDED!r}:
                window.session.add_point(x, y, label)
            print("EDITED", flush=True)

        QTimer.singleShot(300, edit)
        app.exec()
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_app_offers_its_autosave_and_restores_the_points(qtbot, tmp_path,
                                                                 monkeypatch):
    data = tmp_path / "data"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = dict(os.environ, ASCENT_LAB_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT), ASCENT_LAB_TRAIN_PROCESS="0")
    autosave = data / "autosave-playground.ascent"
    process = subprocess.Popen([sys.executable, str(driver), str(tmp_path)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not autosave.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert autosave.exists(), process.stderr.read().decode() if process.poll() else ""
    finally:
        process.send_signal(signal.SIGKILL)  # no clean quit: the autosave stays
        process.wait(10)
    assert process.returncode == -signal.SIGKILL and autosave.exists()

    from gui.digits.session import DigitsSession
    from gui.main_window import MainWindow

    monkeypatch.setenv("ASCENT_LAB_DATA_DIR", str(data))
    window = MainWindow(digits=DigitsSession(storage=tmp_path / "mine.npz"))
    qtbot.addWidget(window)
    window.show()
    offers = []
    window.documents.ask_restore = lambda text: offers.append(text) or True
    try:
        assert window.documents.offer_recovery()
        assert len(offers) == 1 and "did not quit cleanly" in offers[0]
        assert "as autosaved " in offers[0] and "autosave-" not in offers[0]  # a time
        assert window.status_message().startswith("Restored the unsaved changes")
        d = window.session.data
        added = np.array([(x, y) for x, y, _ in ADDED])
        np.testing.assert_array_equal(d.X[-3:], added)
        np.testing.assert_array_equal(d.y[-3:], [label for _, _, label in ADDED])
        assert len(d) == 200 + len(ADDED) and d.preset is None
        assert window.windowTitle() == "Untitled playground * — Ascent Lab"
        assert autosave.exists()  # kept until this session is saved or quits cleanly
    finally:
        window.prompt_on_close = False
        window.close()
    assert not autosave.exists()
