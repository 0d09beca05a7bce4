"""The playground's dockable panels (View menu), one file each.

To add a panel: write a :class:`gui.widgets.panel_docks.Panel` subclass in a new module
here and add it to :func:`panel_types`. Each panel receives the playground workbench
(``workbench.session``, ``workbench.boundary``) and every engine frame while it shows.
"""

from __future__ import annotations

from gui.playground.panels.hidden_space import HiddenSpacePanel
from gui.playground.panels.landscape import LandscapePanel
from gui.playground.panels.loop import LoopPanel
from gui.playground.panels.sigmoid import SigmoidPanel
from gui.widgets.panel_docks import Panel


def panel_types() -> list[type[Panel]]:
    """The playground's panels, in View-menu order."""
    return [LandscapePanel, LoopPanel, SigmoidPanel, HiddenSpacePanel]
