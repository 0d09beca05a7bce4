"""Shared by the GUI benchmarks: the real main window, shown, with its first frame drawn."""

from __future__ import annotations

from typing import Any


def open_window(window_class: type | None = None) -> Any:
    """Create (once) the QApplication, then show a 1400x900 main window of ``window_class``."""
    from PySide6.QtWidgets import QApplication

    if window_class is None:
        from gui.main_window import MainWindow

        window_class = MainWindow
    if QApplication.instance() is None:
        QApplication([])
    window = window_class()
    window.prompt_on_close = False
    window.resize(1400, 900)
    window.show()
    window.wait_for(lambda: window.session.latest_frame is not None, 10)
    return window
