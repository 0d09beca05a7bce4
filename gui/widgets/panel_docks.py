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

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QFrame,
    QMainWindow,
    QScrollArea,
    QWidget,
)

MIN_DOCKED_HEIGHT = 220
"""A docked panel gets at least this many pixels under the views; a window too short for
that opens panels floating."""


MAX_SIDE_BY_SIDE = 2
"""At most this many panels dock side by side; a third shows as a tab of the last one."""


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
        self._actions: dict[str, QAction] = {}
        self._seen: set[str] = set()  # panels on screen (not hidden, nor behind a tab)
        self._auto_floated: list[QDockWidget] = []  # floated by a window too short, in order
        previous: QDockWidget | None = None
        for panel_type in panel_types:
            panel = panel_type(context)
            dock = QDockWidget(panel_type.title, host)
            dock.setObjectName(f"panel-{panel_type.name}")
            # in a scroll area: a panel never makes the window taller or wider than the
            # screen (at 1024×640 a small dock scrolls)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(panel)
            dock.setWidget(scroll)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                             | QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            host.addDockWidget(panel_type.area, dock)
            for button, text in (("closebutton", "Close this panel (the View menu brings it "
                                  "back)"), ("floatbutton", "Float this panel in a window of "
                                             "its own, or dock it again")):
                child = dock.findChild(QAbstractButton, f"qt_dockwidget_{button}")
                if child is not None:
                    child.setToolTip(text)
            if previous is not None and host.dockWidgetArea(previous) == panel_type.area:
                host.splitDockWidget(previous, dock, Qt.Orientation.Horizontal)
            previous = dock
            action = QAction(panel_type.title, host)
            action.setCheckable(True)
            action.setToolTip(panel_type.tooltip)
            action.setStatusTip(panel_type.tooltip)
            action.triggered.connect(
                lambda checked, n=panel_type.name: self.show_panel(n, checked))
            self._actions[panel_type.name] = action
            self.panels[panel_type.name] = panel
            self.docks[panel_type.name] = dock
            dock.setVisible(panel_type.shown_by_default)
            dock.visibilityChanged.connect(
                lambda visible, n=panel_type.name: self._visibility_changed(n, visible))

    def actions(self) -> list[QAction]:
        """A checkable action per panel (for the View menu)."""
        return list(self._actions.values())

    def is_showing(self, name: str) -> bool:
        dock = self.docks[name]
        return not dock.isHidden()

    def show_panel(self, name: str, shown: bool = True) -> Panel:
        """Show (or hide) the panel called ``name``; KeyError if there is none."""
        dock = self.docks[name]
        if shown and dock.isHidden() and (
                (not dock.isFloating() and self._too_short())
                or (dock.isFloating() and dock in self._auto_floated)):
            self._float(dock)  # (again: beside the floating panels showing now)
        if shown and dock.isHidden() and not dock.isFloating():
            docked = [d for d in self.docks.values() if d is not dock and not d.isHidden()
                      and not d.isFloating()]
            if len(docked) >= MAX_SIDE_BY_SIDE:  # more would be too narrow: a tab instead
                self.host.tabifyDockWidget(docked[-1], dock)
        dock.setVisible(shown)
        if shown:
            dock.raise_()
        return self.panels[name]

    def _too_short(self) -> bool:
        """Whether docking a panel under the views would squeeze them below their minimum
        (a small window, e.g. 1024×640): then the panel opens floating instead."""
        central = self.host.centralWidget()
        needed = (central.minimumSizeHint().height() if central is not None else 0) + \
            MIN_DOCKED_HEIGHT
        docked = any(not d.isHidden() and not d.isFloating() for d in self.docks.values())
        return not docked and self.host.height() < needed

    def _float(self, dock: QDockWidget) -> None:
        """Float ``dock`` in a window of its own over the bottom of the views, beside the
        panels already floated this way (side by side, never one over another: a lesson
        scene at 1024×640 shows two panels at once)."""
        dock.setFloating(True)
        if dock in self._auto_floated:
            self._auto_floated.remove(dock)
        self._auto_floated.append(dock)
        row = [d for d in self._auto_floated
               if d.isFloating() and (d is dock or not d.isHidden())]
        gap, margin = 8, 16
        share = (self.host.width() - 2 * margin - gap * (len(row) - 1)) // len(row)
        x = margin
        for d in row:
            width = min(max(d.widget().sizeHint().width(), 420), 640, max(share, 240))
            height = min(max(d.widget().sizeHint().height(), 260), 380)
            corner = self.host.mapToGlobal(QPoint(x, max(self.host.height() - height - margin,
                                                         0)))
            d.setGeometry(corner.x(), corner.y(), width, height)
            x += width + gap

    def hide_all(self) -> None:
        for dock in self.docks.values():
            dock.setVisible(False)

    def apply_frame(self, frame: Any) -> None:
        """Hand ``frame`` to every panel that is showing."""
        self._last_frame = frame
        for name, panel in self.panels.items():
            if name in self._seen and not self.docks[name].isHidden():
                panel.apply_frame(frame)

    def _visibility_changed(self, name: str, visible: bool) -> None:
        panel = self.panels[name]
        shown = not self.docks[name].isHidden()
        self._actions[name].setChecked(shown)
        panel.panel_shown(shown)
        # a panel behind another's tab, or on a tab of the window not showing, skips
        # frames until it is seen again, and then catches up at once
        was_seen = name in self._seen
        if visible and shown:
            self._seen.add(name)
        else:
            self._seen.discard(name)
        if visible and shown and not was_seen and self._last_frame is not None:
            panel.apply_frame(self._last_frame)
