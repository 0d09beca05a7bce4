"""The links of the network diagram: one per weight, coloured by sign, thickened by size.

``LinkSet`` keeps, for every weight, its segment, its pen (style) and whether it is drawn,
and answers which link is under the pointer; ``LinksItem`` paints the drawn links, grouped by
pen (one ``drawLines`` per pen), into a cached pixmap that is redrawn only when some link
changes pen.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from gui.widgets.network_items import BLUE, ORANGE

ANTIALIAS = True  # links without it paint ~3x faster, but thin ones look dotted
LINK_LEVELS = 32  # link magnitudes are drawn in this many width/paleness steps
LINK_MIN_WIDTH = 0.5
LINK_MAX_WIDTH = 6.0
LINK_MIN_ALPHA = 0.3  # opacity (blended onto white) of the weakest link
LINK_HIT_TOLERANCE = 3.0  # px beyond a link's half width that still counts as hovering it
PICTURE_LINK_BUDGET = 192  # image-input mode: about this many links leave the picture


def link_pens(max_links_per_gap: int = 64) -> list[QPen]:
    """One pen per (magnitude level, sign): index ``2 * level + negative``.

    Widths run from LINK_MIN_WIDTH to LINK_MAX_WIDTH and thin links are paler. The paleness
    is the colour's opacity blended onto the white background, so the pens are opaque: Qt
    strokes many translucent lines 5-10x slower. Dense networks (more than 8 × 8 links
    between two columns) get thinner, paler links so that the thumbnails stay readable.
    """
    density = float(np.clip(np.sqrt(64.0 / max(max_links_per_gap, 1)), 0.45, 1.0))
    max_width = LINK_MIN_WIDTH + (LINK_MAX_WIDTH - LINK_MIN_WIDTH) * density
    min_alpha, max_alpha = LINK_MIN_ALPHA * density, 0.55 + 0.45 * density
    pens = []
    for level in range(LINK_LEVELS):
        f = level / (LINK_LEVELS - 1)
        width = LINK_MIN_WIDTH + (max_width - LINK_MIN_WIDTH) * f
        alpha = min_alpha + (max_alpha - min_alpha) * f
        for rgb in (BLUE, ORANGE):
            blended = (round(alpha * c + (1.0 - alpha) * 255) for c in rgb)
            pen = QPen(QColor(*blended), width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pens.append(pen)
    return pens



class LinksItem(QGraphicsObject):
    """Every link of the network, painted in one pass from grouped line lists."""

    def __init__(self) -> None:
        super().__init__()
        # Repainted only when the links change, not when a thumbnail over them does.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._rect = QRectF()
        self._groups: list[tuple[QPen, list[QLineF]]] = []
        self._highlight: tuple[QPen, QLineF] | None = None

    def set_bounds(self, rect: QRectF) -> None:
        """The area all links lie in (changes only on re-layout)."""
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def set_groups(self, groups: list[tuple[QPen, list[QLineF]]]) -> None:
        """Lines to draw, grouped by pen, thinnest first."""
        self._groups = groups
        self.update()

    def set_highlight(self, highlight: tuple[QPen, QLineF] | None) -> None:
        """A link drawn on top of the others (the hovered one), or None."""
        if highlight is None and self._highlight is None:
            return
        self._highlight = highlight
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, ANTIALIAS)
        for pen, lines in self._groups:
            painter.setPen(pen)
            painter.drawLines(lines)
        if self._highlight is not None:
            pen, line = self._highlight
            painter.setPen(pen)
            painter.drawLine(line)



class LinkSet:
    """Every weight's link: segment, pen, whether drawn; hit testing. Paints via ``item``.

    Links are numbered in weight order: all of ``weights[0]`` row by row (``i * n_out + j``),
    then ``weights[1]`` … . With ``picture_links`` = k > 0 (image-input mode) only the k
    strongest links into each unit of layer 1 leave the input picture (by |weight|, chosen
    again at every update); the others keep their value but are not drawn (style -1).
    """

    def __init__(self, item: LinksItem) -> None:
        self.item = item
        self.sizes: tuple[int, ...] = ()
        self.pens = link_pens()
        self._half_widths = np.array([pen.widthF() / 2 for pen in self.pens])
        self.offsets: list[int] = [0]  # first link index of each weight layer
        self.weights = np.zeros(0)
        self.style = np.zeros(0, dtype=np.intp)  # pen index of every link, -1 = not drawn
        self.lines: list[QLineF] = []
        self._segments = np.zeros((0, 4))
        self.picture_links = 0

    def rebuild(self, sizes: tuple[int, ...], picture: bool) -> None:
        """Links for a new architecture (all weights 0); ``picture``: image-input mode."""
        self.sizes = sizes
        counts = [a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        self.picture_links = 0
        drawn = list(counts)
        if picture:
            self.picture_links = int(np.clip(PICTURE_LINK_BUDGET // sizes[1], 1, sizes[0]))
            drawn[0] = self.picture_links * sizes[1]
        self.pens = link_pens(max(drawn))
        self._half_widths = np.array([pen.widthF() / 2 for pen in self.pens])
        self.offsets = [0, *np.cumsum(counts).tolist()]
        n_links = self.offsets[-1]
        self.weights = np.zeros(n_links)
        self.style = np.zeros(n_links, dtype=np.intp)
        self.lines = [QLineF() for _ in range(n_links)]
        self._segments = np.zeros((n_links, 4))
        self.restyle(force=True)

    def place(self, segments: NDArray[np.float64]) -> None:
        """New segments (links, 4): x0, y0, x1, y1 (after a re-layout)."""
        self._segments = segments
        for line, (ax, ay, bx, by) in zip(self.lines, segments.tolist(), strict=True):
            line.setLine(ax, ay, bx, by)
        pad = LINK_MAX_WIDTH + 2.0  # the widest stroke and the hover highlight
        if segments.shape[0]:
            xs, ys = segments[:, 0::2], segments[:, 1::2]
            bounds = QRectF(QPointF(xs.min() - pad, ys.min() - pad),
                            QPointF(xs.max() + pad, ys.max() + pad))
        else:
            bounds = QRectF()
        self.item.set_bounds(bounds)  # as small as possible: it is the cache pixmap's size
        self.item.update()  # the groups hold these very QLineF objects

    def set_weights(self, flat: NDArray[np.float64]) -> None:
        """All weights in link order; restyles the links."""
        self.weights = flat
        self.restyle()

    def restyle(self, force: bool = False) -> None:
        """Pen of every link from the weights; groups handed to the links item if changed."""
        w = self.weights
        if w.size == 0:
            self.item.set_groups([])
            return
        mags = np.abs(w)
        mags[~np.isfinite(mags)] = 0.0
        drawn = self._drawn_mask(mags)
        top = float(mags[drawn].max()) if drawn is not None else float(mags.max())
        if top > 0.0:
            level = np.rint(np.minimum(mags, top) * ((LINK_LEVELS - 1) / top)).astype(np.intp)
        else:
            level = np.zeros(w.size, dtype=np.intp)
        style = 2 * level + (w < 0)
        if drawn is not None:
            style[~drawn] = -1
        if not force and np.array_equal(style, self.style):
            return  # every link keeps its pen: nothing to repaint
        self.style = style
        order = np.argsort(style, kind="stable")
        keys = style[order]
        first = int(np.searchsorted(keys, 0))  # undrawn links (-1) sort first
        order, keys = order[first:], keys[first:]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]).tolist() if keys.size else []
        ends = [*starts[1:], int(keys.size)]
        order_list = order.tolist()
        lines = self.lines
        groups = [(self.pens[int(keys[s])], [lines[k] for k in order_list[s:e]])
                  for s, e in zip(starts, ends, strict=True)]
        self.item.set_groups(groups)

    def _drawn_mask(self, mags: NDArray[np.float64]) -> NDArray[np.bool_] | None:
        """Which links are drawn (None: all): the strongest out of the picture."""
        k = self.picture_links
        n_in, n_out = self.sizes[0], self.sizes[1]
        if k == 0 or k >= n_in:
            return None
        first = mags[: n_in * n_out].reshape(n_in, n_out)
        strongest = np.argpartition(-first, k - 1, axis=0)[:k]  # (k, n_out) input rows
        mask = np.ones(mags.size, dtype=bool)
        mask[: n_in * n_out] = False
        mask[strongest * n_out + np.arange(n_out)] = True
        return mask

    # ----------------------------------------------------------------- queries

    def count(self) -> int:
        """How many links are drawn."""
        return int(np.count_nonzero(self.style >= 0))

    def index(self, layer: int, i: int, j: int) -> int:
        """The link of weights[layer][i, j]."""
        sizes = self.sizes
        if not 0 <= layer < len(sizes) - 1:
            raise IndexError(f"no weight layer {layer} in {sizes}")
        if not (0 <= i < sizes[layer] and 0 <= j < sizes[layer + 1]):
            raise IndexError(f"no link ({layer}, {i}, {j}) in {sizes}")
        return self.offsets[layer] + i * sizes[layer + 1] + j

    def address(self, index: int) -> tuple[int, int, int]:
        """(layer, i, j) of a link."""
        layer = int(np.searchsorted(self.offsets, index, side="right")) - 1
        i, j = divmod(index - self.offsets[layer], self.sizes[layer + 1])
        return layer, i, j

    def pen(self, index: int) -> QPen:
        """A copy of the link's pen (NoPen if not drawn)."""
        style = int(self.style[index])
        return QPen(self.pens[style]) if style >= 0 else QPen(Qt.PenStyle.NoPen)

    def at(self, pos: QPointF) -> int | None:
        """The drawn link whose stroke is nearest the scene point, within a few pixels."""
        seg = self._segments
        if seg.shape[0] == 0:
            return None
        p = np.array([pos.x(), pos.y()])
        a, ab = seg[:, :2], seg[:, 2:] - seg[:, :2]
        t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12),
                    0.0, 1.0)
        dist = np.hypot(*(a + t[:, None] * ab - p).T)
        score = np.where(self.style >= 0, dist - self._half_widths[self.style], np.inf)
        best = int(np.argmin(score))
        return best if score[best] <= LINK_HIT_TOLERANCE else None

    def highlight(self, index: int | None) -> None:
        """Draw this link on top, opaque and at least 2 px wide (None: no highlight)."""
        if index is None or self.style[index] < 0:
            self.item.set_highlight(None)
            return
        pen = QPen(self.pens[int(self.style[index])])
        color = pen.color()
        color.setAlpha(255)
        pen.setColor(color)
        pen.setWidthF(max(pen.widthF(), 2.0))
        self.item.set_highlight((pen, self.lines[index]))


__all__ = ["LINK_LEVELS", "LINK_MAX_WIDTH", "LinkSet", "LinksItem", "link_pens"]
