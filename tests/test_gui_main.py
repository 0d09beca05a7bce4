"""The entry point: `ascent-lab train …` stays headless; `--self-test` passes; closing asks
before losing an edited dataset."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

ROOT = Path(__file__).resolve().parent.parent


def test_train_dispatches_to_the_headless_cli_without_importing_qt():
    code = ("import sys; from gui.__main__ import main\n"
            "rc = main(['train', '--preset', 'blobs', '--steps', '5'])\n"
            "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT', rc)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "NOQT 0"


def test_self_test_trains_xor_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                             "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "gui", "--self-test", "--screenshot",
                             str(shot)], cwd=ROOT, capture_output=True, text=True,
                            timeout=180, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SELF-TEST PASSED" in result.stdout and "train accuracy 100.0 %" in result.stdout
    assert shot.stat().st_size > 20_000


@pytest.mark.parametrize("answer, closes", [(QMessageBox.StandardButton.Cancel, False),
                                            (QMessageBox.StandardButton.Discard, True)])
def test_quitting_with_an_unsaved_edit_asks_first(qtbot, monkeypatch, answer, closes):
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args) or answer)
    window.close()  # nothing edited yet: no question
    assert asked == [] and not window.isVisible()
    window.show()
    window.session.add_point(1.0, 1.0, 0)
    assert "*" in window.windowTitle()
    window.close()
    assert len(asked) == 1 and window.isVisible() != closes
    window.prompt_on_close = False
    window.close()
    window.session.shutdown()
