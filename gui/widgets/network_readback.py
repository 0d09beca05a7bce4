"""What a NetworkView shows, read back: its items, links, geometry and hover card.

Tests and benchmarks use these to click and hover at real positions and to check colours;
the workbenches only call ``viewport`` and ``thumbnail_center_in_widget`` (a mixin of
:class:`gui.widgets.network_view.NetworkView`).
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF
from PySide6.QtGui import QFont, QPen
from PySide6.QtWidgets import QWidget


class NetworkReadBack:
    """Read-only accessors of a NetworkView."""

    _thumbs: list[Any]
    _links: Any
    _layout: Any
    _canvas: Any
    _caption_font: QFont
    _hover_card: Any
    _check_unit: Any  # NetworkView's

    def thumbnail_items(self) -> list[list[pg.ImageItem]]:
        """The ImageItem of every unit, per layer (inputs first; [picture] in image mode)."""
        return [list(column) for column in self._thumbs]

    def link_count(self) -> int:
        """How many links are drawn (image-input mode: not all out of the picture)."""
        return self._links.count()

    def link_drawn(self, layer: int, i: int, j: int) -> bool:
        """Whether the link of weights[layer][i, j] is drawn."""
        return bool(self._links.style[self._links.index(layer, i, j)] >= 0)

    def link_weight(self, layer: int, i: int, j: int) -> float:
        """The value shown for weights[layer][i, j]."""
        return float(self._links.weights[self._links.index(layer, i, j)])

    def link_pen(self, layer: int, i: int, j: int) -> QPen:
        """A copy of the pen the link weights[layer][i, j] is drawn with (NoPen: not drawn)."""
        return self._links.pen(self._links.index(layer, i, j))

    def link_line(self, layer: int, i: int, j: int) -> QLineF:
        """The link's segment in scene coordinates."""
        return QLineF(self._links.lines[self._links.index(layer, i, j)])

    def link_position(self, layer: int, i: int, j: int, along: float = 0.5) -> QPoint:
        """A point on link (layer, i, j), ``along`` its length from its start (0.5: the
        middle, where links of a symmetric layout may cross), in ``viewport()``'s
        coordinates (the widget to click)."""
        line = self._links.lines[self._links.index(layer, i, j)]
        return self._canvas.mapFromScene(line.pointAt(float(along)))

    def thumbnail_scene_rect(self, layer: int, unit: int) -> QRectF:
        """The unit's thumbnail (image-input mode, layer 0: its pixel) in scene coordinates."""
        self._check_unit(layer, unit)
        return self._layout.unit_rect(layer, unit)

    def layer_scene_rect(self, layer: int) -> QRectF:
        """The area of a layer's thumbnails (layer 0 in image-input mode: the picture)."""
        self._check_unit(layer, 0)
        return self._layout.blocks[layer].rect()

    def thumbnail_center_in_widget(self, layer: int, unit: int) -> QPoint:
        """The centre of the unit's thumbnail (or pixel) in this widget's coordinates."""
        return self.scene_to_widget(self.thumbnail_scene_rect(layer, unit).center())

    def scene_to_widget(self, point: QPointF) -> QPoint:
        """A scene point in this widget's coordinates."""
        return self.viewport().mapTo(self, self._canvas.mapFromScene(point))

    def viewport(self) -> QWidget:
        """The widget that receives the mouse (send test clicks and moves here)."""
        return self._canvas.viewport()

    def graphics_view(self) -> pg.GraphicsView:
        """The pyqtgraph view everything is drawn in."""
        return self._canvas

    def captions(self) -> list[tuple[str, QRectF]]:
        """Each layer's caption and the scene rectangle it is drawn in (inputs first)."""
        return [(text, QRectF(rect)) for rect, text in self._layout.captions]

    def caption_font(self) -> QFont:
        """The font of the layer captions."""
        return QFont(self._caption_font)

    def hover_text(self) -> str:
        """The text of the floating card (link value or unit name), "" when none shows."""
        return self._hover_card.text()

    def preview_item(self) -> pg.ImageItem:
        """The enlarged image shown while a thumbnail is hovered."""
        return self._hover_card.preview
