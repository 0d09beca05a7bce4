"""The guided lesson (Help → Lesson): lecture 26 in scenes, each setting up the data, the
model and the panels with a short caption, played in a bar docked above the workbenches.

:func:`install` is the window's only hook: scenes are data (:mod:`gui.lesson.scenes`), the
player builds them through the window's own parts (:mod:`gui.lesson.player`).
"""

from __future__ import annotations

from typing import Any

from gui.lesson.player import LessonPlayer
from gui.lesson.scenes import SCENES, Scene


def install(window: Any) -> LessonPlayer:
    """Give ``window`` (the main window) a lesson: Help → Lesson (F1) at the top of its
    Help menu, and the player as ``window.lesson``."""
    player = LessonPlayer(window)
    menu = window.help_menu
    first = menu.actions()[0] if menu.actions() else None
    menu.insertAction(first, player.open_action)
    if first is not None:
        menu.insertSeparator(first)
    window.lesson = player
    return player


__all__ = ["SCENES", "LessonPlayer", "Scene", "install"]
