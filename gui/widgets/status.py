"""The status bar's readouts (step, LL, accuracy, speed) and the message banner."""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStatusBar, QToolButton, QWidget

from gui.engine import Frame
from gui.widgets import formulas_text as ft
from gui.widgets import icons


def number(value: float, digits: int = 3) -> str:
    """A number with a true minus sign; a dash when it is not finite."""
    if not math.isfinite(value):
        return "—"
    return f"{value:.{digits}f}".replace("-", "−")


class StatusReadouts:
    """Fixed-width labels in a status bar, filled from frames."""

    def __init__(self, bar: QStatusBar) -> None:
        self.step = QLabel("step 0")
        self.ll = QLabel("LL —")
        self.accuracy = QLabel("accuracy —")
        self.speed = QLabel("0 steps/s")
        self.step.setToolTip(ft.tip(ft.UPDATE, "Gradient-ascent steps done."))
        self.ll.setToolTip(ft.tip(ft.LOG_LIKELIHOOD, "The training set's log-likelihood (the "
                                  "lecture's sum) and per example."))
        self.accuracy.setToolTip(ft.tip(ft.ACCURACY, "Training (and test) accuracy."))
        self.speed.setToolTip("Training speed")
        for w, sample in ((self.step, "preview step 10,000,000"),
                          (self.ll, "LL −100000.00 (−0.000/pt)"),
                          (self.accuracy, "train acc 100.0 %, test 100.0 %"),
                          (self.speed, "100,000 steps/s")):
            # fixed sizes: a changing number must not re-layout (and repaint) the bar
            bar.addPermanentWidget(w)
            w.ensurePolished()  # the style sheet's monospace font decides the width
            metrics = w.fontMetrics()
            w.setFixedSize(metrics.horizontalAdvance(sample) + 20, metrics.height() + 4)
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def widgets(self) -> tuple[QLabel, ...]:
        """The readouts, left to right."""
        return (self.step, self.ll, self.accuracy, self.speed)

    def show_frame(self, frame: Frame) -> None:
        prefix = "preview " if frame.preview else ""
        self.step.setText(f"{prefix}step {frame.step:,}")
        per = frame.log_likelihood / frame.n_train if frame.n_train else math.nan
        self.ll.setText(f"LL {number(frame.log_likelihood, 2)} ({number(per, 3)}/pt)")
        if frame.spec.kind == "regression":  # the accuracy column holds R²
            r2 = "—" if not math.isfinite(frame.accuracy) else f"{frame.accuracy:.3f}"
            text = f"train R² {r2}"
            if math.isfinite(frame.test_accuracy):
                text += f", test {frame.test_accuracy:.3f}"
            self.accuracy.setText(text)
            return
        acc = "—" if not math.isfinite(frame.accuracy) else f"{100 * frame.accuracy:.1f} %"
        text = f"train acc {acc}"
        if math.isfinite(frame.test_accuracy):
            text += f", test {100 * frame.test_accuracy:.1f} %"
        self.accuracy.setText(text)
        self.speed.setText(f"{frame.steps_per_s:,.0f} steps/s")


class MessageBanner(QFrame):
    """A coloured box for problems that must not go unnoticed (divergence, bad files).

    It floats over the plots (the window places it with :meth:`place`), outside every
    layout: showing or dismissing it moves no control.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel("")
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setIcon(icons.standard_icon("close"))
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        self.icon = QLabel()
        self.icon.setFixedSize(20, 20)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)

    def show_message(self, level: str, text: str) -> None:
        self.icon.setPixmap(icons.standard_icon("warning" if level == "warning" else "error")
                            .pixmap(QSize(18, 18)))
        self.label.setText(text)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(True)
        self.raise_()

    def place(self, area: QRect) -> None:
        """Float over the top of ``area`` (in the parent's coordinates), as tall as the
        text needs at that width."""
        width = max(area.width(), 200)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else \
            self.sizeHint().height()
        self.setGeometry(area.x(), area.y(), width, max(height, self.minimumSizeHint().height()))

    def dismiss(self) -> None:
        self.setVisible(False)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
