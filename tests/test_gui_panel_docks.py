"""The dockable-panel plug-in (gui.widgets.panel_docks): hidden panels get no frames, a
panel shown later catches up with the latest frame, the View menu toggles them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMainWindow

from gui.widgets.panel_docks import Panel, PanelDocks


class CountingPanel(Panel):
    name = "counting"
    title = "Counting panel"
    tooltip = "counts frames"

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.frames: list[Any] = []
        self.shown_calls: list[bool] = []

    def apply_frame(self, frame: Any) -> None:
        self.frames.append(frame)

    def panel_shown(self, shown: bool) -> None:
        self.shown_calls.append(shown)


class OtherPanel(CountingPanel):
    name = "other"
    title = "Other panel"


def test_only_showing_panels_get_frames_and_a_shown_panel_catches_up(qtbot):
    host = QMainWindow()
    qtbot.addWidget(host)
    docks = PanelDocks(host, [CountingPanel, OtherPanel], context="ctx")
    host.show()
    qtbot.waitExposed(host)
    counting = docks.panels["counting"]
    assert counting.context == "ctx"
    assert not docks.is_showing("counting")  # panels are off by default

    docks.apply_frame("frame 1")
    assert counting.frames == []

    actions = {a.text(): a for a in docks.actions()}
    assert set(actions) == {"Counting panel", "Other panel"}
    actions["Counting panel"].trigger()  # the View menu's check item
    qtbot.waitUntil(lambda: docks.is_showing("counting"))
    assert counting.frames[-1] == "frame 1"  # brought up to date at once
    assert counting.shown_calls[-1] is True
    docks.apply_frame("frame 2")
    assert counting.frames[-1] == "frame 2"
    assert docks.panels["other"].frames == []

    docks.hide_all()
    docks.apply_frame("frame 3")
    assert counting.frames[-1] == "frame 2"
    assert counting.shown_calls[-1] is False


def test_panels_floated_by_a_short_window_sit_side_by_side(shown_window, qtbot):
    """At 1024×640 panels open floating; two at once (as a lesson scene shows them) must
    not cover each other."""
    window = shown_window
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.height() <= 640)
    docks = window.workbench.panels
    docks.show_panel("landscape")
    docks.show_panel("sigmoid")
    first, second = docks.docks["landscape"], docks.docks["sigmoid"]
    qtbot.waitUntil(lambda: first.isVisible() and second.isVisible())
    assert first.isFloating() and second.isFloating()
    a, b = first.frameGeometry(), second.frameGeometry()
    assert not a.intersects(b), (a, b)
    left = window.mapToGlobal(window.rect().topLeft()).x()
    assert a.left() >= left and b.right() <= left + window.width()
    # shown again alone (a later scene), a panel takes the first place again
    docks.hide_all()
    docks.show_panel("sigmoid")
    qtbot.waitUntil(lambda: second.isVisible())
    assert second.frameGeometry().left() < b.left()


class ThirdPanel(CountingPanel):
    name = "third"
    title = "Third panel"


def test_a_third_panel_becomes_a_tab_and_a_panel_behind_a_tab_gets_no_frames(qtbot):
    host = QMainWindow()
    qtbot.addWidget(host)
    host.setCentralWidget(QMainWindow())  # (any central widget)
    host.resize(1200, 900)
    docks = PanelDocks(host, [CountingPanel, OtherPanel, ThirdPanel], context=None)
    host.show()
    qtbot.waitExposed(host)
    for name in ("counting", "other", "third"):
        docks.show_panel(name)
    qtbot.wait(50)
    third, other = docks.docks["third"], docks.docks["other"]
    assert not third.isFloating()
    assert other in host.tabifiedDockWidgets(third)  # two side by side, the third a tab
    assert docks.docks["counting"] not in host.tabifiedDockWidgets(third)
    # the third was raised: the panel behind it is not on screen and gets no frames
    docks.apply_frame("frame A")
    assert docks.panels["third"].frames[-1] == "frame A"
    assert docks.panels["counting"].frames[-1] == "frame A"
    assert "frame A" not in docks.panels["other"].frames
    other.raise_()  # its tab is clicked: it catches up at once
    qtbot.waitUntil(lambda: docks.panels["other"].frames[-1:] == ["frame A"])
