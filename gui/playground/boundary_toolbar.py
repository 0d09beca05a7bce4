"""The boundary view's toolbar: which class new points get (y = 0 … 3, each in its colour),
the editing tools (point, brush, eraser), Clear, Fit and Discretize (the class only)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QWidget

from gui import style
from gui.playground.session import MAX_CLASSES, Session
from gui.widgets import icons
from gui.widgets.flow_layout import FlowLayout
from gui.widgets.formulas_text import tip

TOOLS = ("point", "brush", "eraser")


def paired_class(label: int) -> int:
    """The class a right click or Shift+click adds: the other of the pairs 0↔1 and 2↔3
    (with two classes, simply the other class)."""
    return int(label) ^ 1


def class_tooltip(label: int) -> str:
    other = paired_class(label)
    text = (f"Active class {label} (key {label}): left click adds class {label}, right "
            f"click or Shift+click adds class {other}")
    if label >= 2:
        text += (f". A point of class {label} makes {label + 1} classes: the model's output "
                 f"becomes a softmax over {label + 1} units (undo with Ctrl+Z)")
    return text


def _group() -> tuple[QWidget, QHBoxLayout]:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    return box, row


class BoundaryToolbar(QWidget):
    """Class picker, tools, Clear and Fit: one row, wrapped into two in a narrow pane."""

    tool_chosen = Signal(str)
    fit_clicked = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        flow = FlowLayout(self, spacing=8)
        classes, bar = _group()
        add = QLabel("Add y =")
        add.setToolTip("The class of the points you add (keys 0 … 3)")
        bar.addWidget(add)
        self.class_buttons: list[QToolButton] = []
        self.class_group = QButtonGroup(self)
        for label in range(MAX_CLASSES):
            b = QToolButton()
            b.setCheckable(True)
            rgb = style.CLASS_RGB[label]
            b.setText(str(label))
            b.setIcon(icons.dot_icon(rgb))
            b.setIconSize(QSize(12, 12))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setStyleSheet(f"QToolButton {{ color: rgb{rgb}; font-weight: 600; "
                            "padding: 2px 5px; }"
                            "QToolButton:checked { background: #e4ecf6; border: 1px solid #7a9cc6;"
                            " border-radius: 3px; }")
            b.setToolTip(class_tooltip(label))
            self.class_group.addButton(b, label)
            self.class_buttons.append(b)
            bar.addWidget(b)
        self.class_group.idClicked.connect(session.set_active_class)
        session.active_class_changed.connect(self.show_active_class)
        flow.addWidget(classes)
        tools, bar = _group()
        self.tool_buttons: dict[str, QToolButton] = {}
        self.tool_group = QButtonGroup(self)
        tips = {
            "point": "Point tool: click adds a point (right click: the other class); "
                     "drag pans, wheel zooms",
            "brush": "Brush: drag to paint several points (one drag = one undo step); "
                     "right drag or Shift paints the other class",
            "eraser": "Eraser: click or drag to remove the points under the circle",
        }
        for i, tool in enumerate(TOOLS):
            b = QToolButton()
            b.setText(tool.capitalize())
            b.setCheckable(True)
            b.setToolTip(tips[tool])
            self.tool_group.addButton(b, i)
            self.tool_buttons[tool] = b
            bar.addWidget(b)
        self.tool_buttons["point"].setChecked(True)
        self.tool_group.idClicked.connect(lambda i: self.tool_chosen.emit(TOOLS[i]))
        flow.addWidget(tools)
        view, bar = _group()
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Remove every point (undo with Ctrl+Z)")
        self.clear_button.clicked.connect(session.clear_points)
        bar.addWidget(self.clear_button)
        self.fit_button = QToolButton()
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Reset the view to −6 … 6 on both axes")
        self.fit_button.clicked.connect(self.fit_clicked.emit)
        bar.addWidget(self.fit_button)
        self.discrete_button = QToolButton()
        self.discrete_button.setText("Discretize")
        self.discrete_button.setCheckable(True)
        self.discrete_button.setToolTip(
            "Show the predicted class only (ŷ > 0.5 ⇒ class 1; with more classes the most "
            "likely one), without the probability's shading")
        bar.addWidget(self.discrete_button)
        self.pull_button = QToolButton()
        self.pull_button.setText("Pull")
        self.pull_button.setCheckable(True)
        self.pull_button.setToolTip(tip(
            "∂LL/∂θ = Σᵢ (yᵢ − ŷᵢ)·xᵢ",
            "Show each example's pull, its term (y − ŷ)·x of the gradient, as an arrow at each "
            "point (networks: a disc sized by |y − ŷ| at the output)."))
        bar.addWidget(self.pull_button)
        flow.addWidget(view)
        self.show_active_class(session.active_class)

    def show_active_class(self, label: int) -> None:
        self.class_buttons[label].setChecked(True)
