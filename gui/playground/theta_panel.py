"""θ as numbers: logistic regression's θ₀, θ₁, θ₂, the gradient and the boundary's equation;
a network's weight norms per layer."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.features import RAW_LABELS, input_labels
from gui.engine import Frame
from gui.style import BACKGROUND_RGB
from gui.widgets import formulas_text as ft

BACKGROUND = QColor(*BACKGROUND_RGB)

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _num(value: float, digits: int = 3) -> str:
    if not math.isfinite(value):
        return "—"
    text = f"{value:.{digits}f}" if abs(value) < 1e4 else f"{value:.3g}"
    return text.replace("-", "−")


def _short(value: float, digits: int = 3) -> str:
    """``digits`` significant digits, true minus sign."""
    return "—" if not math.isfinite(value) else f"{value:.{digits}g}".replace("-", "−")


def boundary_equation(theta: Sequence[float], names: Sequence[str] = RAW_LABELS) -> str:
    """'0.12 + 1.53·x₁ − 0.98·x₂ = 0' (signs folded into the operators); with engineered
    features their terms follow ('… + 0.50·x₁² + 0.50·x₂² = 0')."""
    parts = [_num(theta[0], 2)]
    for value, name in zip(theta[1:], names, strict=True):
        sign = "−" if value < 0 else "+"
        term = f"({name})" if " " in name else name
        parts.append(f" {sign} {_num(abs(value), 2)}·{term}")
    return "".join(parts) + " = 0"


def _theta_name(j: int) -> str:
    return "θ" + "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(j))


GRADIENT_NOTE = {False: "the last step's ∇LL",
                 True: "∇LL at this θ"}  # a past step previewed, or rewound to


class ThetaPanel(QWidget):
    """Shows the parameters of the frame being drawn.

    The text is painted directly (a QTextDocument, no child label), so new numbers every
    frame repaint only this panel and never re-layout the window around it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(2)
        self._doc.setDefaultFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._html = ""
        self.setToolTip(ft.tip(ft.GRADIENT, "The parameters θ being learned and their "
                               "gradient; logistic regression's boundary P(Y=1|x) = 0.5 is the "
                               "line θᵀx = 0."))
        line = self.fontMetrics().lineSpacing()
        self._base_height = int(line * 6.2) + 8
        self.setFixedHeight(self._base_height)  # then fitted to its text (_fit)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._key: tuple[int, int, bool] | None = None
        self._last = 0.0
        self.set_html("θ = 0")

    def set_html(self, html: str) -> None:
        if html != self._html:
            self._html = html
            self._doc.setHtml(html)
            self._fit()
            self.update()

    PAD = (4, 2)  # left and top of the text; the same again right and below

    def _fit(self, shrink: bool = False) -> None:
        """Wrap the text to the width and take its height, so no line is cut off.

        New text only makes the panel grow (a few times at most, e.g. from logistic
        regression to a network), so new numbers every frame never re-layout the window
        around it; a new width (the window resized) fits it exactly again.
        """
        self._doc.setTextWidth(max(self.width() - 2 * self.PAD[0], 40))
        needed = max(int(math.ceil(self._doc.size().height())) + 2 * self.PAD[1],
                     self._base_height)
        if needed > self.height() or (shrink and needed != self.height()):
            self.setFixedHeight(needed)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit(shrink=event.size().width() != event.oldSize().width())

    def text_rect(self) -> QRectF:
        """Where the text is drawn, in widget coordinates (tests check it fits)."""
        size = self._doc.size()
        return QRectF(self.PAD[0], self.PAD[1], max(size.width(), self._doc.idealWidth()),
                      size.height())

    def text(self) -> str:
        """The panel's text (plain)."""
        return self._doc.toPlainText()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        painter.translate(*self.PAD)
        self._doc.drawContents(painter)
        painter.end()

    MAX_RATE = 10.0  # numbers changing faster than this cannot be read anyway

    def apply_frame(self, frame: Frame) -> None:
        key = (frame.seq, frame.step, frame.preview)
        if key == self._key:
            return
        now = time.perf_counter()
        if frame.running and now - self._last < 1.0 / self.MAX_RATE:
            return
        self._last = now
        self._key = key
        self.set_html(self.text_for(frame))
    @staticmethod
    def text_for(frame: Frame) -> str:
        cell = "style='padding: 0 10px 0 0'"
        linear = frame.kind == "regression" and len(frame.parameters) == 1
        if frame.kind == "logistic" or linear:
            theta = [float(v) for v in frame.parameters[0]]
            grad = [float(v) for v in frame.gradient[0]]
            names = input_labels(frame.spec.features)
            if len(names) > 2:  # with features: one row per input, θ and ∂LL/∂θ columns
                inputs = ["1", *names]
                right = "style='padding: 0 12px 0 0' align='right'"
                rows = (f"<tr><td></td><td {right}>θ</td><td {right}>∂LL/∂θ</td></tr>"
                        + "".join(
                            f"<tr><td {cell}>{_theta_name(j)} ({inputs[j]})</td>"
                            f"<td {right}><b>{_num(theta[j])}</b></td>"
                            f"<td {right}>{_num(grad[j])}</td></tr>"
                            for j in range(len(theta))))
            else:
                rows = "".join(
                    f"<tr><td {cell}>{_theta_name(j)} = <b>{_num(theta[j])}</b></td>"
                    f"<td {cell}>∂LL/∂{_theta_name(j)} = {_num(grad[j])}</td></tr>"
                    for j in range(len(theta)))
            return (f"<table>{rows}</table>"
                    + (f"<div style='margin-top:4px'>ŷ = "
                       f"<b>{boundary_equation(theta, names)[:-4]}</b></div>" if linear else
                       f"<div style='margin-top:4px'>boundary (P = 0.5): "
                       f"<b>{boundary_equation(theta, names)}</b></div>")
                    + "<div style='color:#6e6e73'>gradient = "
                    f"{GRADIENT_NOTE[frame.gradient_at_step]}; θ += η·∇LL</div>")
        sizes = frame.layer_sizes
        deep = len(frame.weight_norms) > 4
        cell = f"style='padding: 0 {4 if deep else 8}px 0 0' align='right'"
        heads, shapes, norms, grads = [], [], [], []
        for layer, (norm, gnorm) in enumerate(zip(frame.weight_norms, frame.gradient_norms,
                                                  strict=False), start=1):
            heads.append(f"<td {cell}><b>W{str(layer).translate(_SUP)}</b></td>")
            shapes.append(f"<td {cell}>{sizes[layer - 1]}×{sizes[layer]}</td>")
            digits = 2 if deep else 3
            norms.append(f"<td {cell}><b>{_short(norm, digits)}</b></td>")
            grads.append(f"<td {cell}>{_short(gnorm, digits)}</td>")
        if deep:  # narrow column: shapes are in the diagram, short labels
            rows = [("", heads), ("‖W‖", norms), ("‖∇‖", grads)]
        else:
            rows = [("", heads), ("shape", shapes), ("‖W‖", norms), ("‖∂LL/∂W‖", grads)]
        body = "".join(f"<tr><td style='padding: 0 8px 0 0'>{name}</td>{''.join(cells)}</tr>"
                       for name, cells in rows)
        size = "font-size: 8pt;" if deep else ""
        where = "at this θ" if frame.gradient_at_step else "of the last step"
        return (f"<table style='{size}'>{body}</table>"
                "<div style='color:#6e6e73'>weight norms per layer (no biases); "
                + (f"<br>∇ = ∂LL/∂W {where}" if deep else f"∂LL/∂W {where}")
                + "</div>")
