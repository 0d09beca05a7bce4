"""Where the network diagram puts things: pure geometry, no graphics items.

``DiagramLayout.compute`` places one block per layer, left to right, in viewport pixels
(= scene coordinates of ``NetworkView``):

* a thumbnail block: the layer's units as squares of one side shared by every layer, in
  one column, or, for a layer too tall to keep readable thumbnails, in a few sub-columns
  filled top to bottom, left to right (unit ``u`` in sub-column ``u // rows``, row
  ``u % rows``);
* a picture block (image-input mode, layer 0 only): the input grid drawn as one picture,
  each unit one pixel of it.

Wrapping: layers wrap into sub-columns only when a single column would make the thumbnails
smaller than ``WRAP_BELOW`` px and wrapping makes them at least ``WRAP_GAIN`` times larger,
so the small networks of the 2D playground keep the one-column look. Then as few layers wrap
as keep thumbnails of ``WRAP_READABLE`` px, as large as possible.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QRectF

THUMB_MAX = 72.0  # largest thumbnail side, px
THUMB_MIN = 4.0
UNIT_GAP = 0.25  # gap between thumbnails of a column, in thumbnail sides
SUBCOLUMN_GAP = 0.3  # gap between the sub-columns of a wrapped layer, in thumbnail sides
LINK_SPAN_MIN = 1.3  # shortest link span between columns, in thumbnail sides
LINK_SPAN_MAX = 3.5  # longest link span between columns, in thumbnail sides

WRAP_BELOW = 20.0  # a layer may wrap only if one column gives thumbnails under this, px
WRAP_GAIN = 1.25  # ... and wrapping makes them at least this much larger
WRAP_SIDE_MAX = 44.0  # wrapped layers get thumbnails of at most this side, px
WRAP_READABLE = 28.0  # ... and as few wrapped layers as keep them at least this side
MAX_SUBCOLUMNS = 8

PICTURE_MAX = 260.0  # the longer side of the input picture, px
PICTURE_WIDTH_SHARE = 0.3  # ... and at most this share of the width
PICTURE_SPAN_WEIGHT = 1.5  # the links out of the picture get this many ordinary spans ...
PICTURE_SPAN_MAX = 0.6  # ... and at most this many picture widths

MARGIN = 6.0
CAPTION_GAP = 14.0  # least free space between neighbouring captions, px


@dataclass(frozen=True)
class Block:
    """One layer's rectangle and the grid of cells (thumbnails or pixels) inside it.

    A unit's cell is (column, row) of the grid; its rectangle starts at
    ``(x + column * step_x, y + row * step_y)`` and is ``cell_w`` × ``cell_h``.
    ``order`` says which unit sits in which cell: "columns" (thumbnails, top to bottom
    then left to right), "rows" (a picture in reading order: unit = row * cols + column)
    or "x_then_y_up" (a picture of the plane: unit = column * rows + rows - 1 - row).
    """

    x: float
    y: float
    n: int
    cols: int
    rows: int
    cell_w: float
    cell_h: float
    step_x: float
    step_y: float
    order: str = "columns"

    @property
    def width(self) -> float:
        return (self.cols - 1) * self.step_x + self.cell_w

    @property
    def height(self) -> float:
        return (self.rows - 1) * self.step_y + self.cell_h

    @property
    def picture(self) -> bool:
        return self.order != "columns"

    def rect(self) -> QRectF:
        return QRectF(self.x, self.y, self.width, self.height)

    def cells(self, units: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """(column, row) of these units."""
        if self.order == "columns":
            return units // self.rows, units % self.rows
        if self.order == "rows":
            return units % self.cols, units // self.cols
        return units // self.rows, self.rows - 1 - units % self.rows

    def unit_of(self, col: int, row: int) -> int | None:
        """The unit in this cell, or None."""
        if not (0 <= col < self.cols and 0 <= row < self.rows):
            return None
        if self.order == "columns":
            unit = col * self.rows + row
        elif self.order == "rows":
            unit = row * self.cols + col
        else:
            unit = col * self.rows + self.rows - 1 - row
        return unit if unit < self.n else None

    def unit_rects(self) -> NDArray[np.float64]:
        """(n, 4) array of x, y, width, height of every unit's cell."""
        col, row = self.cells(np.arange(self.n))
        out = np.empty((self.n, 4))
        out[:, 0] = self.x + col * self.step_x
        out[:, 1] = self.y + row * self.step_y
        out[:, 2] = self.cell_w
        out[:, 3] = self.cell_h
        return out

    def unit_at(self, x: float, y: float) -> int | None:
        """The unit whose cell contains the point, or None."""
        fx, fy = (x - self.x) / self.step_x, (y - self.y) / self.step_y
        col, row = math.floor(fx), math.floor(fy)
        if (x - self.x) - col * self.step_x > self.cell_w \
                or (y - self.y) - row * self.step_y > self.cell_h:
            return None  # in the gap after a cell
        return self.unit_of(col, row)


@dataclass(frozen=True)
class _Fit:
    side: float
    cols: tuple[int, ...]  # sub-columns per layer (1 for the picture)
    picture: tuple[float, float] | None  # picture width, height


class DiagramLayout:
    """Blocks, captions and link segments of one network diagram at one viewport size."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.side = 0.0  # thumbnail side
        self.captions: list[tuple[QRectF, str]] = []
        self.caption_mode = 0
        self.names_shown = False  # input names beside the input thumbnails
        self.names_width = 0.0

    # ----------------------------------------------------------------- queries

    def unit_rect(self, layer: int, unit: int) -> QRectF:
        block = self.blocks[layer]
        col, row = block.cells(np.array([unit]))
        return QRectF(block.x + int(col[0]) * block.step_x, block.y + int(row[0]) * block.step_y,
                      block.cell_w, block.cell_h)

    def unit_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, unit) whose thumbnail or pixel contains the point."""
        for layer, block in enumerate(self.blocks):
            if block.x <= x <= block.x + block.width and block.y <= y <= block.y + block.height:
                unit = block.unit_at(x, y)
                return None if unit is None else (layer, unit)
        return None

    def link_segments(self) -> NDArray[np.float64]:
        """(links, 4) x0, y0, x1, y1 in weight order: from each unit's right edge to the next
        layer's units' left edges.

        Links out of the picture are aimed at their pixel's centre but start at the
        picture's right edge; links into or out of a wrapped layer stop at its edge (aimed
        at their unit), so that they do not run between its sub-columns.
        """
        segments = []
        for a, b in zip(self.blocks[:-1], self.blocks[1:], strict=True):
            ra, rb = a.unit_rects(), b.unit_rects()
            start_x = ra[:, 0] + (ra[:, 2] / 2 if a.picture else ra[:, 2])
            seg = np.empty((a.n * b.n, 4))
            seg[:, 0] = np.repeat(start_x, b.n)
            seg[:, 1] = np.repeat(ra[:, 1] + ra[:, 3] / 2, b.n)
            seg[:, 2] = np.tile(rb[:, 0], a.n)
            seg[:, 3] = np.tile(rb[:, 1] + rb[:, 3] / 2, a.n)
            if a.picture or a.cols > 1 or b.cols > 1:
                _clip(seg, a.x + a.width, b.x)
            segments.append(seg)
        return np.concatenate(segments) if segments else np.zeros((0, 4))

    # ----------------------------------------------------------------- layout

    def compute(self, sizes: Sequence[int], width: float, height: float, *,
                line_height: float, names_width: float,
                captions: Callable[[int], list[str]], caption_width: Callable[[str], float],
                picture_shape: tuple[int, int] | None = None, y_up: bool = True) -> None:
        """Lay out a network of these layer sizes in a width × height viewport.

        ``captions(mode)`` gives the layer captions in mode 0 (one line), 1 (two lines) or 2
        (short); the first mode whose captions do not run into each other wins.
        ``picture_shape`` (image-input mode) is the input grid as displayed: (columns, rows).
        """
        sizes = tuple(int(n) for n in sizes)
        n_cols = len(sizes)
        self.names_shown = picture_shape is None
        names_w = names_width if self.names_shown else 0.0
        left, right, bottom = MARGIN + names_w, 8.0, MARGIN
        avail_w = max(width - left - right, 1.0)
        chosen = None
        for mode in (0, 1, 2):
            caption_h = line_height * (2 if mode == 1 else 1)
            top = MARGIN + caption_h + MARGIN
            avail_h = max(height - top - bottom, 1.0)
            fit = _fit(sizes, avail_w, avail_h, picture_shape)
            blocks = _place(sizes, fit, left, top, avail_w, avail_h, picture_shape, y_up)
            texts = captions(mode)
            widths = [caption_width(t) for t in texts]
            centres = [b.x + b.width / 2 for b in blocks]
            chosen = (mode, caption_h, fit, blocks, texts, centres)
            if all(max(widths[i], widths[i + 1]) <= centres[i + 1] - centres[i] - CAPTION_GAP
                   for i in range(n_cols - 1)):
                break
        assert chosen is not None
        mode, caption_h, fit, blocks, texts, centres = chosen
        self.caption_mode = mode
        self.side = fit.side
        self.blocks = blocks
        self.names_width = names_w
        if fit.cols[0] > 1:
            self.names_shown = False  # no room between sub-columns: names show on hover

        caption_y = min(b.y for b in blocks) - MARGIN - caption_h  # above the tallest block
        self.captions = []
        for layer, text in enumerate(texts):
            gaps = [abs(centres[k] - centres[layer]) for k in (layer - 1, layer + 1)
                    if 0 <= k < n_cols]
            cap_w = max(min(gaps), blocks[layer].width + 12)
            x = float(np.clip(centres[layer] - cap_w / 2, 2.0, max(width - cap_w - 2.0, 2.0)))
            self.captions.append((QRectF(x, caption_y, cap_w, caption_h), text))


def _clip(seg: NDArray[np.float64], x_start: float, x_end: float) -> None:
    """Shorten left-to-right segments in place to lie between x_start and x_end."""
    x0, y0, dx, dy = seg[:, 0].copy(), seg[:, 1].copy(), seg[:, 2] - seg[:, 0], \
        seg[:, 3] - seg[:, 1]
    safe = np.where(dx > 0, dx, 1.0)
    t0 = np.clip((x_start - x0) / safe, 0.0, 1.0)
    t1 = np.clip((x_end - x0) / safe, 0.0, 1.0)
    seg[:, 0], seg[:, 1] = x0 + t0 * dx, y0 + t0 * dy
    seg[:, 2], seg[:, 3] = x0 + t1 * dx, y0 + t1 * dy


def _fit(sizes: tuple[int, ...], avail_w: float, avail_h: float,
         picture_shape: tuple[int, int] | None) -> _Fit:
    """The thumbnail side (and sub-columns, picture size) for the available area."""
    n_cols = len(sizes)
    picture = None
    spans = n_cols - 1.0
    thumb_sizes = list(sizes)
    room_w = avail_w
    if picture_shape is not None:
        longest = min(avail_h, PICTURE_WIDTH_SHARE * avail_w, PICTURE_MAX)
        pixel = longest / max(picture_shape)
        picture = (pixel * picture_shape[0], pixel * picture_shape[1])
        room_w -= picture[0]
        spans += PICTURE_SPAN_WEIGHT - 1.0
        thumb_sizes = thumb_sizes[1:]
    n_thumb = len(thumb_sizes)
    most = max(thumb_sizes)
    # One column per layer (the TensorFlow Playground look).
    side_v = avail_h / (most + (most - 1) * UNIT_GAP)
    side_h = room_w / (n_thumb + spans * LINK_SPAN_MIN)
    side = float(np.clip(min(side_v, side_h), THUMB_MIN, THUMB_MAX))
    cols = (1,) * n_cols
    if side < WRAP_BELOW:
        wrapped = _fit_wrapped(thumb_sizes, room_w, avail_h, spans)
        if wrapped is not None and wrapped[0] >= WRAP_GAIN * side:
            side = wrapped[0]
            cols = ((1,) if picture is not None else ()) + wrapped[1]
    return _Fit(side, cols, picture)


def _fit_wrapped(sizes: list[int], room_w: float, avail_h: float, spans: float
                 ) -> tuple[float, tuple[int, ...]] | None:
    """Side (0.5 px steps) and sub-columns per layer for tall layers wrapped to fit.

    As few wrapped layers as keep thumbnails of ``WRAP_READABLE`` px, or of 2/3 of the
    largest side possible if that is smaller (a layer that fits one column stays one), then
    the largest side.
    """
    fits = []
    side = WRAP_SIDE_MAX
    while side >= THUMB_MIN:
        max_rows = int((avail_h + UNIT_GAP * side) // ((1.0 + UNIT_GAP) * side))
        if max_rows >= 1:
            cols = tuple(-(-n // max_rows) for n in sizes)
            if max(cols) <= MAX_SUBCOLUMNS:
                need = sum(c * side + (c - 1) * SUBCOLUMN_GAP * side for c in cols)
                if need + spans * LINK_SPAN_MIN * side <= room_w:
                    fits.append((side, cols))
        side -= 0.5
    if not fits:
        return None
    enough = min(2.0 * fits[0][0] / 3.0, WRAP_READABLE)
    return min((fit for fit in fits if fit[0] >= enough),
               key=lambda fit: sum(c > 1 for c in fit[1]))  # ties: the first, largest side


def _place(sizes: tuple[int, ...], fit: _Fit, left: float, top: float, avail_w: float,
           avail_h: float, picture_shape: tuple[int, int] | None, y_up: bool) -> list[Block]:
    """Blocks of the fitted sizes, centred, with equal link spans (the picture's wider)."""
    side = fit.side
    shapes = []  # (n, cols, rows, cell_w, cell_h, step_x, step_y, order)
    for layer, n in enumerate(sizes):
        if layer == 0 and fit.picture is not None and picture_shape is not None:
            cols, rows = picture_shape
            pw, ph = fit.picture[0] / cols, fit.picture[1] / rows
            shapes.append((n, cols, rows, pw, ph, pw, ph, "x_then_y_up" if y_up else "rows"))
            continue
        cols = fit.cols[layer]
        rows = -(-n // cols)
        shapes.append((n, cols, rows, side, side, side * (1 + SUBCOLUMN_GAP),
                       side * (1 + UNIT_GAP), "columns"))
    widths = [(c - 1) * sx + cw for _, c, _, cw, _, sx, _, _ in shapes]
    heights = [(r - 1) * sy + ch for _, _, r, _, ch, _, sy, _ in shapes]
    weights = [1.0] * (len(sizes) - 1)
    if fit.picture is not None:
        weights[0] = PICTURE_SPAN_WEIGHT
    free = avail_w - sum(widths)
    span = min(free / sum(weights), LINK_SPAN_MAX * side)
    spans = [w * span for w in weights]
    if fit.picture is not None:
        spans[0] = min(spans[0], max(PICTURE_SPAN_MAX * fit.picture[0],
                                     PICTURE_SPAN_WEIGHT * LINK_SPAN_MIN * side))
    x = left + (avail_w - sum(widths) - sum(spans)) / 2
    blocks = []
    for layer, (n, cols, rows, cw, ch, sx, sy, order) in enumerate(shapes):
        y = top + (avail_h - heights[layer]) / 2
        blocks.append(Block(x, y, n, cols, rows, cw, ch, sx, sy, order))
        if layer < len(spans):
            x += widths[layer] + spans[layer]
    return blocks
