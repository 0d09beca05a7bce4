"""A highlight on the boundary view's plane: a ring around one training example (the one
the lecture's loop is at), drawn above the points and their rings.

One scatter item with one spot, created once and moved with ``setData``; a view that wants
to point at an example calls :meth:`ExampleHighlight.show_at` and :meth:`hide`.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

HIGHLIGHT_RGB = (20, 20, 20)


class ExampleHighlight:
    """A ring (and a soft halo) around one point of a plot, hidden until shown."""

    def __init__(self, plot_widget: pg.PlotWidget) -> None:
        self._plot_item = plot_widget.getPlotItem()
        self.halo = pg.ScatterPlotItem(pxMode=True, symbol="o", size=30,
                                       pen=pg.mkPen(255, 255, 255, 230, width=5),
                                       brush=pg.mkBrush(None))
        self.ring = pg.ScatterPlotItem(pxMode=True, symbol="o", size=26,
                                       pen=pg.mkPen(*HIGHLIGHT_RGB, width=2.5),
                                       brush=pg.mkBrush(None))
        for z, item in ((14, self.halo), (15, self.ring)):
            item.setZValue(z)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            item.setVisible(False)
            self._plot_item.addItem(item)
        self._position: tuple[float, float] | None = None

    def show_at(self, x: float, y: float) -> None:
        """Put the ring around the point (x, y) of the plane (data coordinates)."""
        position = (float(x), float(y))
        if position != self._position:
            self._position = position
            for item in (self.halo, self.ring):
                item.setData([position[0]], [position[1]])
        self.halo.setVisible(True)
        self.ring.setVisible(True)

    def hide(self) -> None:
        self._position = None
        self.halo.setVisible(False)
        self.ring.setVisible(False)

    @property
    def position(self) -> tuple[float, float] | None:
        """Where the ring is (None while hidden)."""
        return self._position

    def remove(self) -> None:
        """Take the items off the plot."""
        for item in (self.halo, self.ring):
            self._plot_item.removeItem(item)


__all__ = ["ExampleHighlight"]
