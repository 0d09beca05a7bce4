"""The network drawn as TensorFlow Playground draws it, updated live while training runs.

Inputs → hidden layers → output, left to right. Every unit is a thumbnail (an image the
caller computes: the unit's activation over the plane, a digit unit's receptive field …);
every weight is a link coloured by its sign (blue positive, orange negative, the ends of the
app's orange(0)–white(0.5)–blue(1) colormap) and thickened by its magnitude. Hovering a
thumbnail shows a larger preview, hovering a link shows θ⁽ˡ⁾ᵢ,ⱼ, clicking a thumbnail emits
``unit_clicked(layer, unit)``. The widget only takes arrays; it knows no workbench.

Speed (redrawn up to 60 times a second): the graphics items (``network_items``,
``network_links``) are created once per architecture; ``update_state`` colours each layer's
images in one numpy pass and restyles the links from one array. Geometry lives in
``network_layout``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.widgets import formulas_text as ft
from gui.widgets.network_items import (
    BLUE,
    ORANGE,
    WHITE,
    DecorItem,
    DiagramCanvas,
    HoverCard,
    PixelImageItem,
    argb_images,
    diverging_lut,
    format_value,
    image_transform,
    subscript,
    superscript,
)
from gui.widgets.network_layout import DiagramLayout
from gui.widgets.network_links import LinkSet, LinksItem
from gui.widgets.network_readback import NetworkReadBack
from gui.widgets.tooltips import TooltipOnlyWhere

_DEFAULT_INPUT_NAMES: tuple[str, ...] = ("x₁", "x₂")
Texts = list[tuple[QRectF, int, str, QFont, QColor]]


class NetworkView(NetworkReadBack, QWidget):
    """The network as a diagram: unit thumbnails, weighted links, captions, hover and click.

    ``layer`` in this API is an index into ``layer_sizes`` (0 = inputs), ``unit`` a 0-based
    unit index; weight links are addressed by ``(layer, i, j)`` = ``weights[layer][i, j]``,
    from unit i of layer ``layer`` to unit j of layer ``layer + 1``. Shown to the student
    1-based, as in the lecture: θ⁽ˡ⁺¹⁾ᵢ₊₁,ⱼ₊₁ and h¹₁ … .

    Image-input mode (``input_shape`` given): the inputs are the pixels of one picture (an
    8×8 digit: 64 inputs) drawn as one picture instead of a thumbnail per input; a pixel is
    hovered and clicked like a unit (``unit_clicked(0, pixel)``). Out of the picture only the
    strongest links into each unit of layer 1 are drawn (about 192 in all, chosen again at
    every update), leaving the picture's right edge aimed at their pixel; the others are
    still in ``link_weight``.

    Big layers: a layer is one column of thumbnails, as in TensorFlow Playground, unless one
    column would make the thumbnails smaller than 20 px; then tall layers wrap into
    sub-columns filled top to bottom (h¹₁…h¹₈ in the first, h¹₉… in the next), if that makes
    the thumbnails at least 25 % larger, wrapping as few layers as keep them readable (see
    ``network_layout``). Links into or out of a wrapped layer stop at its edge, aimed at
    their unit. A 64-32-10 network in image-input mode in 600×350 px: a 176 px picture, the
    32 hidden units in 4 columns of 8 and the 10 outputs in one column, thumbnails 25 px
    (one column of 32 would give 8 px); in 900×500 px, 38 px.
    """

    unit_clicked = Signal(int, int)
    link_clicked = Signal(int, int, int)  # weight layer, unit i of it, unit j of the next

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = DiagramCanvas(self)
        self._unit_values: tuple[list[np.ndarray | None], object] | None = None
        self._notes: list[list[str]] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._canvas)
        # the formulas show where no unit preview or link card answers the mouse
        self._canvas.setToolTip(ft.tip(f"{ft.HIDDEN_UNIT},  {ft.OUTPUT}", "Each unit's "
                                       "picture is its value over the inputs; a link's width "
                                       "and colour are its weight θ."))
        TooltipOnlyWhere(self._canvas.viewport(), lambda _pos: self._hover is None)

        self._caption_font = QFont(self.font())
        self._caption_font.setPointSizeF(9.5)
        self._small_font = QFont(self.font())
        self._small_font.setPointSizeF(8.5)
        self._lut = diverging_lut()

        self._sizes: tuple[int, ...] = ()
        self._input_shape: tuple[int, int] | None = None
        self._y_up = True
        self._input_names: tuple[str, ...] = ()
        self._output_names: tuple[str, ...] | None = None
        self._activation = "sigmoid"
        self._thumbs: list[list[PixelImageItem]] = []  # layer 0 in image-input mode: [picture]
        self._image_shapes: list[tuple[int, int] | None] = []
        # Per layer: the thumbnails' ARGB32 pixels (units, H, W), refilled in place.
        self._pixel_buffers: list[NDArray[np.uint32] | None] = []
        self._levels: list[tuple[float, float]] = []
        self._layout = DiagramLayout()
        self._hover: tuple[str, int, int] | None = None
        self._selected: tuple[int, int] | None = None  # the unit framed (set_selected_unit)
        self._pressed: tuple[int, int] | None = None
        self._pressed_link: int | None = None

        links_item = LinksItem()
        links_item.setZValue(0)
        self._links = LinkSet(links_item)
        self._decor = DecorItem()
        self._decor.setZValue(2)
        for item in (links_item, self._decor):
            self._canvas.addItem(item)
        self._hover_card = HoverCard(self._canvas, self._small_font, self._lut)

        self._canvas.resized.connect(self._relayout)
        self._canvas.mouse_moved.connect(self._on_mouse_moved)
        self._canvas.mouse_pressed.connect(self._on_mouse_pressed)
        self._canvas.mouse_released.connect(self._on_mouse_released)
        self._canvas.mouse_left.connect(lambda: self._set_hover(None))

    # ----------------------------------------------------------------- public API

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, 350)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 120)

    def set_architecture(self, layer_sizes: Sequence[int],
                         input_names: Sequence[str] = _DEFAULT_INPUT_NAMES,
                         activation: str = "sigmoid", input_shape: tuple[int, int] | None = None,
                         y_up: bool = True, output_names: Sequence[str] | None = None) -> None:
        """Show a network of these layer sizes, e.g. (2, 8, 8, 1) or (64, 32, 10).

        ``input_names``: one per input (default x₁, x₂ … ). ``input_shape``: (a, b) with
        a·b = layer_sizes[0] turns on image-input mode: the inputs are the pixels of an a×b
        image, input k = ``image.ravel()[k]``. ``y_up``: how every image (thumbnails, the
        input picture) is indexed: True (the plane) ``image[i, j]`` with i along x₁ to the
        right and j along x₂ upwards; False (a picture) ``image[r, c]`` with row r from the
        top and column c from the left, as ``sklearn.datasets.load_digits().images``.
        ``output_names``: one per output unit, as hovering names them (default ŷ for one
        output, ŷ₁, ŷ₂ … for more; a workbench whose classes count from 0 may say
        P(Y=0|x) …). Graphics items are rebuilt only when sizes, input_shape or y_up change;
        a new activation or new names only change the captions.
        """
        sizes = tuple(int(n) for n in layer_sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer_sizes needs an input and an output layer of at least one "
                             f"unit each, got {tuple(layer_sizes)}")
        shape = None
        if input_shape is not None:
            shape = (int(input_shape[0]), int(input_shape[1]))
            if len(input_shape) != 2 or min(shape) < 1 or shape[0] * shape[1] != sizes[0]:
                raise ValueError(f"input_shape {tuple(input_shape)} does not hold "
                                 f"{sizes[0]} inputs")
        names = tuple(str(n) for n in input_names)
        if len(names) != sizes[0]:
            if input_names is not _DEFAULT_INPUT_NAMES:
                raise ValueError(f"{len(names)} input names given for {sizes[0]} inputs")
            names = tuple(f"x{subscript(i + 1)}" for i in range(sizes[0]))
        outputs = None if output_names is None else tuple(str(n) for n in output_names)
        if outputs is not None and len(outputs) != sizes[-1]:
            raise ValueError(f"{len(outputs)} output names given for {sizes[-1]} outputs")
        if (sizes, shape, bool(y_up)) != (self._sizes, self._input_shape, self._y_up):
            self._input_shape, self._y_up = shape, bool(y_up)
            self._rebuild(sizes)
        self._input_names = names
        self._output_names = outputs
        self._activation = str(activation)
        self._relayout()

    def update_state(self, weights: Sequence[np.ndarray], unit_images: Sequence[np.ndarray],
                     levels: Sequence[tuple[float, float]]) -> None:
        """Show new weights, unit images and colour ranges.

        ``weights[l]``: (layer_sizes[l], layer_sizes[l + 1]), the links from layer l to l+1.
        ``unit_images[l]``: (layer_sizes[l], H, W), one image per unit (any H, W, indexed as
        set by ``y_up``); in image-input mode ``unit_images[0]`` is (1, *input_shape): the
        current input picture. ``levels[l]``: the (low, high) values drawn orange and blue.
        """
        mats, stacks, new_levels = _checked_state(
            self._sizes, self._input_shape, weights, unit_images, levels)
        relayout = False
        for layer, stack in enumerate(stacks):
            shape = (int(stack.shape[1]), int(stack.shape[2]))
            if shape != self._image_shapes[layer]:
                self._image_shapes[layer] = shape
                relayout = True
            lv = new_levels[layer]
            column = self._thumbs[layer]
            if np.isnan(stack.min()):  # a diverged unit: pyqtgraph draws NaN transparent
                for unit, item in enumerate(column):
                    item.setImage(stack[unit], levels=lv, autoLevels=False)
                continue
            pixels = self._pixel_buffers[layer]
            pixel_shape = (stack.shape[0], *column[0].pixel_shape(shape))
            if pixels is None or pixels.shape != pixel_shape:
                pixels = np.empty(pixel_shape, dtype=np.uint32)
                self._pixel_buffers[layer] = pixels  # items bind it in show_image below
            argb_images(stack, lv, column[0].argb_lut, out=pixels, col_major=self._y_up)
            lv_array = np.array(lv)
            for unit, item in enumerate(column):
                if not item.swap_image(stack[unit], lv_array):
                    item.show_image(stack[unit], lv, pixels[unit])
        self._levels = new_levels
        self._links.set_weights(np.concatenate(mats))
        if relayout:
            self._place_thumbnails()
        self._refresh_hover()
        self._canvas.viewport().update()  # every thumbnail changed: one repaint for all

    def set_unit_values(self, values: Sequence[np.ndarray] | None,
                        levels: Sequence[tuple[float, float]] | None = None,
                        notes: Sequence[Sequence[str]] | None = None) -> None:
        """Frame each unit in the colour of its value for one input (e.g. its activation
        for the drawing on the board) and add ``notes[l][unit]`` to its hover card.

        ``values[l]``: (layer_sizes[l],) or None for a layer without frames; ``levels[l]``:
        the (low, high) values drawn orange and blue. ``values=None`` removes the frames.
        """
        self._unit_values = None if values is None else (list(values), levels)
        self._notes = [list(n) for n in notes] if notes is not None else None
        self._place_value_frames()
        self._place_selection()
        self._refresh_hover()

    def _place_value_frames(self) -> None:
        frames: list[tuple[QRectF, QColor]] = []
        if self._unit_values is not None and self._sizes:
            values, levels = self._unit_values
            lut = diverging_lut()
            for layer, layer_values in enumerate(values):
                if layer_values is None or layer >= len(self._sizes) or (
                        layer == 0 and self._input_shape is not None):
                    continue
                low, high = _safe_levels(*(levels[layer] if levels else (0.0, 1.0)))
                v = np.nan_to_num(np.asarray(layer_values, dtype=np.float64))
                index = np.clip((v - low) / (high - low) * (len(lut) - 1), 0, len(lut) - 1)
                for unit, k in enumerate(index.astype(np.int64)[: self._sizes[layer]]):
                    r, g, b = (int(c) for c in lut[k][:3])
                    frames.append((self._layout.unit_rect(layer, unit), QColor(r, g, b)))
        self._decor.set_value_frames(frames)

    def unit_note(self, layer: int, unit: int) -> str:
        """The extra hover text of a unit ("" when none was given)."""
        notes = self._notes
        if notes is None or layer >= len(notes) or unit >= len(notes[layer]):
            return ""
        return notes[layer][unit]

    # ----------------------------------------------------------------- building

    def _rebuild(self, sizes: tuple[int, ...]) -> None:
        """New thumbnails and links for a new architecture, input shape or y direction."""
        self._unit_values = None
        self._notes = None
        self._set_hover(None)
        self._pressed = None
        for column in self._thumbs:
            for item in column:
                self._canvas.removeItem(item)
        axis_order = "col-major" if self._y_up else "row-major"
        self._hover_card.set_axis_order(axis_order)
        self._sizes = sizes
        self._thumbs = []
        for layer, n in enumerate(sizes):
            column = []
            for _ in range(1 if layer == 0 and self._input_shape is not None else n):
                item = PixelImageItem(self._lut, axis_order)
                item.setZValue(1)
                self._canvas.addItem(item)
                column.append(item)
            self._thumbs.append(column)
        self._image_shapes = [None] * len(sizes)
        self._pixel_buffers = [None] * len(sizes)
        self._levels = [(0.0, 1.0)] * len(sizes)
        self._links.rebuild(sizes, picture=self._input_shape is not None)

    # ----------------------------------------------------------------- layout

    def _captions(self, mode: int) -> list[str]:
        """Layer captions: 0 one line "h¹ (8, tanh)", 1 two lines, 2 just "h¹"."""
        out = []
        last = len(self._sizes) - 1
        for layer, n in enumerate(self._sizes):
            if layer == 0:
                out.append("x")
            elif layer == last:
                out.append("ŷ")
            else:
                name = f"h{superscript(layer)}"
                detail = f"{n}, {self._activation}"
                out.append((f"{name} ({detail})", f"{name}\n{detail}", name)[mode])
        return out

    def _relayout(self) -> None:
        """Place everything for the current viewport size."""
        if not self._sizes:
            return
        vp = self._canvas.viewport()
        width, height = float(vp.width()), float(vp.height())
        caption_metrics = QFontMetricsF(self._caption_font)
        small_metrics = QFontMetricsF(self._small_font)
        names_w = max(small_metrics.horizontalAdvance(s) for s in self._input_names) + 8
        shape = self._input_shape
        lay = self._layout
        lay.compute(
            self._sizes, width, height, line_height=caption_metrics.height(),
            names_width=names_w, captions=self._captions,
            caption_width=lambda text: caption_metrics.boundingRect(
                QRectF(0, 0, 1000, 1000), int(Qt.AlignmentFlag.AlignHCenter), text).width(),
            picture_shape=None if shape is None else (shape if self._y_up else shape[::-1]),
            y_up=self._y_up)

        texts: Texts = []
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        for rect, caption in lay.captions:
            texts.append((rect, flags, caption, self._caption_font, QColor(40, 40, 40)))
        if lay.names_shown:
            name_flags = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for unit, name in enumerate(self._input_names):
                rect = lay.unit_rect(0, unit)
                texts.append((QRectF(rect.left() - names_w - 2, rect.top(), names_w - 2,
                                     rect.height()),
                              name_flags, name, self._small_font, QColor(70, 70, 70)))
        frames = [self._item_rect(layer, unit) for layer, column in enumerate(self._thumbs)
                  for unit in range(len(column))]
        self._decor.set_content(QRectF(0, 0, width, height), frames, texts)

        self._links.place(lay.link_segments())
        self._place_thumbnails()
        self._place_value_frames()
        self._refresh_hover()

    def set_selected_unit(self, unit: tuple[int, int] | None) -> None:
        """Frame unit ``(layer, index)`` in blue (the one the workbench shows), or none."""
        if unit != self._selected:
            self._selected = unit
            self._place_selection()

    def _place_selection(self) -> None:
        unit = self._selected
        shown = unit is not None and 0 < unit[0] < len(self._thumbs) \
            and 0 <= unit[1] < len(self._thumbs[unit[0]])
        self._decor.set_selected(self._item_rect(*unit) if shown and unit else None)

    def _item_rect(self, layer: int, index: int) -> QRectF:
        """Where thumbnail item ``index`` of a layer goes (the picture: its whole block)."""
        if layer == 0 and self._input_shape is not None:
            return self._layout.blocks[0].rect()
        return self._layout.unit_rect(layer, index)

    def _place_thumbnails(self) -> None:
        """Scale each ImageItem onto its square (see ``image_transform``)."""
        for layer, column in enumerate(self._thumbs):
            shape = self._image_shapes[layer] or (1, 1)
            for index, item in enumerate(column):
                item.setTransform(image_transform(self._item_rect(layer, index), shape,
                                                  self._y_up))

    # ----------------------------------------------------------------- mouse and hover

    def _check_unit(self, layer: int, unit: int) -> None:
        if not (0 <= layer < len(self._sizes) and 0 <= unit < self._sizes[layer]):
            raise IndexError(f"no unit ({layer}, {unit}) in {self._sizes}")

    def _on_mouse_moved(self, pos: QPointF) -> None:
        unit = self._layout.unit_at(pos.x(), pos.y()) if self._sizes else None
        if unit is not None:
            self._set_hover(("unit", unit[0], unit[1]), pos)
            return
        if self._hover_card.over_preview(pos):
            return  # over the preview card: keep it
        link = self._links.at(pos)
        self._set_hover(("link", link, 0) if link is not None else None, pos)

    def _on_mouse_pressed(self, pos: QPointF, button: int) -> None:
        left = button == Qt.MouseButton.LeftButton.value and bool(self._sizes)
        self._pressed = self._layout.unit_at(pos.x(), pos.y()) if left else None
        self._pressed_link = self._links.at(pos) if left and self._pressed is None else None

    def _on_mouse_released(self, pos: QPointF, button: int) -> None:
        pressed, self._pressed = self._pressed, None
        link, self._pressed_link = self._pressed_link, None
        if pressed is not None and button == Qt.MouseButton.LeftButton.value \
                and self._layout.unit_at(pos.x(), pos.y()) == pressed:
            self.unit_clicked.emit(*pressed)
        elif link is not None and button == Qt.MouseButton.LeftButton.value \
                and self._links.at(pos) == link:
            self.link_clicked.emit(*self._links.address(link))

    def _set_hover(self, hover: tuple[str, int, int] | None,
                   pos: QPointF | None = None) -> None:
        """Show the preview for a unit, the value card for a link, or nothing."""
        if hover == self._hover:
            if hover is not None and hover[0] == "link" and pos is not None:
                self._hover_card.follow(pos)
            return
        self._hover = hover
        self._refresh_hover(pos)

    def _refresh_hover(self, pos: QPointF | None = None) -> None:
        """Redraw the hover feedback (after a move, a new state or a re-layout)."""
        hover = self._hover
        if hover is not None and hover[0] == "link" and self._links.style[hover[1]] < 0:
            hover = self._hover = None  # the hovered link is no longer drawn
        if hover is None or not self._sizes:
            self._hover_card.hide()
            self._decor.set_hovered(None)
            self._links.highlight(None)
            return
        if hover[0] == "unit":
            if hover[1] == 0 and self._input_shape is not None:
                self._show_pixel(hover[2])
            else:
                self._show_preview(hover[1], hover[2])
            return
        index = hover[1]
        layer, i, j = self._links.address(index)
        self._decor.set_hovered(None)
        text = (f"θ⁽{superscript(layer + 1)}⁾{subscript(i + 1)},{subscript(j + 1)} = "
                f"{format_value(float(self._links.weights[index]))}\n"
                f"{self._unit_name(layer, i)} → {self._unit_name(layer + 1, j)}")
        self._links.highlight(index)
        self._hover_card.show_text_near(text, pos, self._links.lines[index].center())

    def _show_pixel(self, unit: int) -> None:
        """An input pixel: its name, place and value, beside the picture (no preview)."""
        self._decor.set_hovered(self._layout.unit_rect(0, unit))
        self._links.highlight(None)
        a, b = np.unravel_index(unit, self._input_shape or (1, 1))
        where = f"row {a + 1}, column {b + 1}" if not self._y_up else f"({a + 1}, {b + 1})"
        item = self._thumbs[0][0]
        value = "" if item.image is None else \
            f" = {format_value(float(np.asarray(item.image)[a, b]))}"
        self._hover_card.show_text_beside(
            f"{self._unit_name(0, unit)}  ·  layer 0, unit {unit + 1}\npixel {where}{value}",
            self._layout.blocks[0].rect())

    def _show_preview(self, layer: int, unit: int) -> None:
        """Enlarged image of the unit beside its thumbnail, titled with its name."""
        thumb = self._layout.unit_rect(layer, unit)
        self._decor.set_hovered(thumb)
        self._links.highlight(None)
        note = self.unit_note(layer, unit)
        self._hover_card.show_preview_beside(
            f"{self._unit_name(layer, unit)}  ·  layer {layer}, unit {unit + 1}"
            + (f"\n{note}" if note else ""), thumb,
            self._thumbs[layer][unit], self._levels[layer],
            float(np.clip(3 * self._layout.side, 110, 170)), self._y_up)

    def _unit_name(self, layer: int, unit: int) -> str:
        """x₁, h¹₃, ŷ … as in the lecture."""
        if layer == 0:
            return self._input_names[unit]
        if layer == len(self._sizes) - 1:
            if self._output_names is not None:
                return self._output_names[unit]
            return "ŷ" if self._sizes[layer] == 1 else f"ŷ{subscript(unit + 1)}"
        return f"h{superscript(layer)}{subscript(unit + 1)}"


def _safe_levels(low: float, high: float) -> tuple[float, float]:
    """Levels an image can be drawn with (NaN or empty ranges would break the colours)."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return (0.0, 1.0)
    if high <= low:
        pad = 1e-6 * max(1.0, abs(low))
        return (low - pad, low + pad) if high == low else (high, low)
    return (low, high)


def _checked_state(sizes: tuple[int, ...], input_shape: tuple[int, int] | None,
                   weights: Sequence[np.ndarray], unit_images: Sequence[np.ndarray],
                   levels: Sequence[tuple[float, float]]
                   ) -> tuple[list[NDArray[np.float64]], list[NDArray[np.float32]],
                              list[tuple[float, float]]]:
    """update_state's arguments checked: flat weights, float32 image stacks, safe levels."""
    if not sizes:
        raise ValueError("update_state called before set_architecture")
    n_layers = len(sizes)
    expected = f"for layer_sizes {sizes}"
    if len(weights) != n_layers - 1:
        raise ValueError(f"expected {n_layers - 1} weight matrices {expected}, "
                         f"got {len(weights)}")
    if len(unit_images) != n_layers:
        raise ValueError(f"expected {n_layers} unit image stacks (inputs, hidden layers "
                         f"and output) {expected}, got {len(unit_images)}")
    if len(levels) != n_layers:
        raise ValueError(f"expected {n_layers} (low, high) levels {expected}, "
                         f"got {len(levels)}")
    mats = []
    for layer, w in enumerate(weights):
        mat = np.asarray(w, dtype=np.float64)
        want = (sizes[layer], sizes[layer + 1])
        if mat.shape != want:
            raise ValueError(f"weights[{layer}] has shape {mat.shape}, expected {want} "
                             f"{expected}")
        mats.append(mat.ravel())
    stacks = []
    for layer, img in enumerate(unit_images):
        stack = np.asarray(img)
        if layer == 0 and input_shape is not None:
            if stack.shape != (1, *input_shape):
                raise ValueError(f"unit_images[0] has shape {stack.shape}, expected "
                                 f"(1, {input_shape[0]}, {input_shape[1]}) (the input "
                                 f"picture) for input_shape {input_shape}")
        elif stack.ndim != 3 or stack.shape[0] != sizes[layer] or min(stack.shape) < 1:
            raise ValueError(f"unit_images[{layer}] has shape {stack.shape}, expected "
                             f"({sizes[layer]}, H, W) {expected}")
        stacks.append(np.ascontiguousarray(stack, dtype=np.float32))
    new_levels = []
    for layer, pair in enumerate(levels):
        values = np.asarray(pair, dtype=np.float64).ravel()
        if values.shape != (2,):
            raise ValueError(f"levels[{layer}] must be a (low, high) pair, got {pair!r}")
        new_levels.append(_safe_levels(float(values[0]), float(values[1])))
    return mats, stacks, new_levels


__all__ = ["BLUE", "ORANGE", "WHITE", "NetworkView", "diverging_lut", "format_value", "subscript",
           "superscript"]
