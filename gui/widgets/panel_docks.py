"""Dockable panels: extra views a workbench offers, each a small plug-in class.

A panel is a :class:`Panel` subclass in a file of its own. The workbench lists its panel
types; :class:`PanelDocks` puts each one in a ``QDockWidget`` (hidden unless the panel
says otherwise), gives the View menu a check item per panel, and hands every engine frame
to the panels that are showing, and only to those (a hidden panel costs nothing). A panel
shown after a while is brought up to date with the latest frame at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


class Panel(QWidget):
    """One dockable view. Subclasses set the class attributes and override
    :meth:`apply_frame`.

    ``context`` is what the workbench hands every panel (the playground's workbench, which
    has ``session`` and ``boundary``).
    """

    name: ClassVar[str] = ""  # a short id: "landscape" (lessons and settings use it)
    title: ClassVar[str] = ""  # the dock's title and the View menu's item
    tooltip: ClassVar[str] = ""  # the View menu item's tooltip (the formula it shows)
    area: ClassVar[Qt.DockWidgetArea] = Qt.DockWidgetArea.BottomDockWidgetArea
    shown_by_default: ClassVar[bool] = False

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def apply_frame(self, frame: Any) -> None:
        """Draw one engine frame (called only while the panel is showing)."""

    def panel_shown(self, shown: bool) -> None:
        """The panel was shown or hidden (e.g. to remove an overlay it draws elsewhere)."""


class PanelDocks:
    """The docks of one workbench's panels, in ``host`` (a QMainWindow used as a widget)."""

    def __init__(self, host: QMainWindow, panel_types: Sequence[type[Panel]],
                 context: Any) -> None:
        self.host = host
        self.panels: dict[str, Panel] = {}
        self.docks: dict[str, QDockWidget] = {}
        self._last_frame: Any = None
        previous: QDockWidget | None = None
        for panel_type in panel_types:
            panel = panel_type(context)
            dock = QDockWidget(panel_type.title, host)
            dock.setObjectName(f"panel-{panel_type.name}")
            dock.setWidget(panel)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                             | QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            host.addDockWidget(panel_type.area, dock)
            if previous is not None and host.dockWidgetArea(previous) == panel_type.area:
                host.splitDockWidget(previous, dock, Qt.Orientation.Horizontal)
            previous = dock
            action = dock.toggleViewAction()
            action.setText(panel_type.title)
            action.setToolTip(panel_type.tooltip)
            action.setStatusTip(panel_type.tooltip)
            self.panels[panel_type.name] = panel
            self.docks[panel_type.name] = dock
            dock.visibilityChanged.connect(
                lambda visible, n=panel_type.name: self._visibility_changed(n, visible))
            dock.setVisible(panel_type.shown_by_default)

    def actions(self) -> list[QAction]:
        """A checkable action per panel (for the View menu)."""
        return [dock.toggleViewAction() for dock in self.docks.values()]

    def is_showing(self, name: str) -> bool:
        dock = self.docks[name]
        return not dock.isHidden()

    def show_panel(self, name: str, shown: bool = True) -> Panel:
        """Show (or hide) the panel called ``name``; KeyError if there is none."""
        dock = self.docks[name]
        dock.setVisible(shown)
        if shown:
            dock.raise_()
        return self.panels[name]

    def hide_all(self) -> None:
        for dock in self.docks.values():
            dock.setVisible(False)

    def apply_frame(self, frame: Any) -> None:
        """Hand ``frame`` to every panel that is showing."""
        self._last_frame = frame
        for name, panel in self.panels.items():
            if not self.docks[name].isHidden():
                panel.apply_frame(frame)

    def _visibility_changed(self, name: str, visible: bool) -> None:
        panel = self.panels[name]
        shown = not self.docks[name].isHidden()
        panel.panel_shown(shown)
        if shown and self._last_frame is not None:
            panel.apply_frame(self._last_frame)
