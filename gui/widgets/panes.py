"""How a workbench is laid out: its own view on the left, the training views in the middle,
and a scrolling column of control groups on the right, in one splitter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLayout,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)


def controls_column(content: QWidget) -> QScrollArea:
    """``content`` (the control groups) in a column that scrolls vertically when the
    window is small, never horizontally."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(content)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(content.minimumSizeHint().width() + 24)
    scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    return scroll


def three_panes(owner: QWidget, panes: Sequence[QWidget], stretch: Sequence[int],
                sizes: Sequence[int]) -> QSplitter:
    """Put ``panes`` (left, middle, right) side by side in a splitter that fills ``owner``;
    no pane can be collapsed to nothing."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    for index, (pane, factor) in enumerate(zip(panes, stretch, strict=True)):
        splitter.addWidget(pane)
        splitter.setStretchFactor(index, factor)
    splitter.setSizes(list(sizes))
    splitter.setChildrenCollapsible(False)
    layout: QLayout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
    return splitter
