"""Exports (issue 11): File → Export in the window (figures, an animation of training, CSV)
and the figures of ``ascent-lab train --plot/--animate``.

Importing this package loads no Qt (``ascent-lab train`` imports :mod:`gui.export.headless`
and draws only when asked); :func:`install` does.
"""

from __future__ import annotations

from typing import Any


def install(window: Any) -> Any:
    """Add File → Export to ``window`` (a :class:`gui.main_window.MainWindow`); returns the
    :class:`gui.export.menu.ExportMenu`, also kept as ``window.export_menu``."""
    from gui.export.menu import ExportMenu

    window.export_menu = ExportMenu(window)
    return window.export_menu


__all__ = ["install"]
