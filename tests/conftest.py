"""Shared test setup: Qt runs offscreen (set before anything imports Qt)."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def shown_window(qtbot):
    """The real main window, shown and exposed, with its first frame drawn."""
    from gui.main_window import MainWindow

    w = MainWindow()
    w.prompt_on_close = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.session.latest_frame is not None, timeout=10000)
    yield w
    w.session.shutdown()
