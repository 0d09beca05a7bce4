"""The Digits workbench's own control panels: what to train on, the student's drawings,
and the side-by-side comparison with logistic regression."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.digits.session import SOURCES, DigitsSession, Task
from gui.digits.views import ConfusionView, GuessesView
from gui.widgets import formulas_text as ft

SOURCE_TITLES = {"bundled": "bundled UCI digits", "mine": "my drawings",
                 "both": "bundled + mine"}


class DataGroup(QGroupBox):
    """All ten digits (softmax) or two (the lecture's σ), from which source."""

    def __init__(self, session: DigitsSession, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.session = session
        form = QFormLayout(self)
        self.ten_radio = QRadioButton("all ten digits (softmax output)")
        self.ten_radio.setToolTip(ft.tip(ft.SOFTMAX, "Ten classes: the output layer is a "
                                         "softmax, one unit per digit k."))
        self.two_radio = QRadioButton("two digits (σ output, the lecture)")
        self.two_radio.setToolTip(ft.tip(ft.OUTPUT, "Two classes: one σ output unit, "
                                         "ŷ = P(Y=1|x), as in the lecture; the first digit is "
                                         "y = 0, the second y = 1."))
        group = QButtonGroup(self)
        group.addButton(self.ten_radio)
        group.addButton(self.two_radio)
        self.ten_radio.setChecked(True)
        self.first_spin, self.second_spin = QSpinBox(), QSpinBox()
        for spin, value in ((self.first_spin, 0), (self.second_spin, 1)):
            spin.setRange(0, 9)
            spin.setValue(value)
            spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.first_spin.setToolTip(ft.tip(ft.OUTPUT, "The digit that is y = 0 (ŷ near 0)."))
        self.second_spin.setToolTip(ft.tip(ft.OUTPUT, "The digit that is y = 1 (ŷ near 1)."))
        pair = QHBoxLayout()
        pair.setContentsMargins(22, 0, 0, 0)  # under the radio button's text
        pair.addWidget(self.first_spin)
        pair.addWidget(QLabel("vs"))
        pair.addWidget(self.second_spin)
        pair.addStretch(1)
        form.addRow(self.ten_radio)
        form.addRow(self.two_radio)
        form.addRow(pair)
        self.source_combo = QComboBox()
        for name in SOURCES:
            self.source_combo.addItem(SOURCE_TITLES[name], name)
        self.source_combo.setToolTip("Train on the 1,797 bundled UCI digits, on the digits "
                                     "you drew and labelled, or on both")
        form.addRow("train on", self.source_combo)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        for w in (self.ten_radio, self.two_radio):
            w.toggled.connect(self._task_edited)
        self.first_spin.valueChanged.connect(self._task_edited)
        self.second_spin.valueChanged.connect(self._task_edited)
        self.source_combo.currentIndexChanged.connect(
            lambda _i: session.set_source(self.source_combo.currentData()))
        session.data_changed.connect(self._show_summary)
        session.data_changed.connect(self._show_task)
        self._show_summary()

    def _task_edited(self, *_: object) -> None:
        if self.ten_radio.isChecked():
            task = Task()
        else:
            a, b = self.first_spin.value(), self.second_spin.value()
            if a == b:
                self.session.message.emit("warning", "Choose two different digits.")
                return
            task = Task((a, b))
        self.session.set_task(task)

    def _show_task(self) -> None:
        """Follow a task or source set elsewhere (an opened session file)."""
        task, widgets = self.session.task, (self.ten_radio, self.two_radio, self.first_spin,
                                            self.second_spin, self.source_combo)
        for w in widgets:
            w.blockSignals(True)
        (self.two_radio if task.binary else self.ten_radio).setChecked(True)
        if task.binary:
            self.first_spin.setValue(task.digits[0])
            self.second_spin.setValue(task.digits[1])
        self.source_combo.setCurrentIndex(self.source_combo.findData(self.session.source))
        for w in widgets:
            w.blockSignals(False)

    def _show_summary(self) -> None:
        d = self.session.dataset
        task = self.session.task
        which = "all ten digits" if not task.binary else \
            f"{task.digits[0]} (y = 0) vs {task.digits[1]} (y = 1)"
        self.summary.setText(f"{which}: {len(d.y_train):,} train, {len(d.y_test):,} test "
                             f"(stratified 25 %)")


def _icon(ink: np.ndarray) -> QIcon:
    """A small white-on-black thumbnail of a drawing."""
    small = np.ascontiguousarray((ink[::5, ::5] * 255).astype(np.uint8))
    h, w = small.shape
    image = QImage(small.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(image))


class MineGroup(QGroupBox):
    """The student's own digits: add the board's drawing with a label, see the counts per
    class, delete wrong entries. Stored in the user's data folder."""

    label_chosen = Signal(int)

    def __init__(self, session: DigitsSession, parent: QWidget | None = None) -> None:
        super().__init__("My digits", parent)
        self.session = session
        v = QVBoxLayout(self)
        v.addWidget(QLabel("Add the drawing as (or press its key):"))
        grid = QGridLayout()
        grid.setSpacing(2)
        self.label_buttons: list[QToolButton] = []
        self.count_labels: list[QLabel] = []
        for digit in range(10):
            button = QToolButton()
            button.setText(str(digit))
            button.setToolTip(f"Add the drawing on the board to your digits as a {digit} "
                              f"(key {digit})")
            button.setMinimumWidth(26)
            button.clicked.connect(lambda _=False, d=digit: self.label_chosen.emit(d))
            count = QLabel("0")
            count.setAlignment(Qt.AlignmentFlag.AlignCenter)
            count.setObjectName("hint")
            grid.addWidget(button, 0, digit)
            grid.addWidget(count, 1, digit)
            self.label_buttons.append(button)
            self.count_labels.append(count)
        v.addLayout(grid)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(40, 40))
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMinimumHeight(70)
        self.list.setToolTip("Your drawings and their labels; select one and press Delete "
                             "to remove it (Ctrl+Z brings it back)")
        v.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected drawing (Delete key)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.where = QLabel()
        self.where.setObjectName("hint")
        self.where.setWordWrap(True)
        row.addWidget(self.where, 1)
        row.addWidget(self.delete_button)
        v.addLayout(row)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.delete_selected)
        session.drawings_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        drawings = self.session.drawings
        for digit, count in enumerate(drawings.counts()):
            self.count_labels[digit].setText(str(int(count)))
        self.list.clear()
        for index in range(len(drawings)):
            item = QListWidgetItem(_icon(drawings.ink(index)), str(int(drawings.labels[index])))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.list.addItem(item)
        n = len(drawings)
        self.where.setText(f"{n} drawing{'' if n == 1 else 's'}, kept in "
                           f"{self.session.storage.parent}")
        self.delete_button.setEnabled(len(drawings) > 0)

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.session.delete_drawing(int(item.data(Qt.ItemDataRole.UserRole)))


class ComparePanel(QWidget):
    """Logistic regression beside the student's network on the same split: test accuracy,
    confusion matrix, and both guesses for the drawing on the board."""

    def __init__(self, session: DigitsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        self.titles = [QLabel(), QLabel()]
        self.accuracies = [QLabel("—"), QLabel("—")]
        self.confusions = [ConfusionView(), ConfusionView()]
        self.guesses = [GuessesView(), GuessesView()]
        for column in range(2):
            self.titles[column].setWordWrap(True)
            grid.addWidget(self.titles[column], 1, column)
            grid.addWidget(self.accuracies[column], 2, column)
            grid.addWidget(self.confusions[column], 3, column)
            grid.addWidget(self.guesses[column], 4, column)
        grid.setRowStretch(3, 3)
        grid.setRowStretch(4, 2)
        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train logistic regression")
        self.train_button.setCheckable(True)
        self.train_button.setToolTip("Run gradient ascent on the comparison model (same data, "
                                     "same split, its own default η); click again to pause")
        self.reset_button = QPushButton("Reset it")
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 0, 0, 1, 2)  # first, so it is never scrolled away
        compare = session.compare
        self.train_button.clicked.connect(compare.toggle_run)
        self.reset_button.clicked.connect(compare.reset_parameters)
        compare.running_changed.connect(self._show_running)
        for column, engine in enumerate((session.engine, compare)):
            engine.frame_ready.connect(lambda f, c=column: self.apply_frame(c, f))

    def _show_running(self, running: bool) -> None:
        self.train_button.setChecked(running)
        self.train_button.setText("Pause" if running else "Train logistic regression")

    def apply_frame(self, column: int, frame: object) -> None:
        f = frame
        spec = f.spec  # type: ignore[attr-defined]
        if spec.n_classes != self.session.task.n_classes:
            return  # from before the task changed
        if spec.kind == "logistic":
            name = "Logistic regression σ(θᵀx)"
        elif not spec.hidden_units:
            name = "Softmax regression (logistic regression for 10 classes)"
        else:
            sizes = "-".join(str(n) for n in f.layer_sizes)  # type: ignore[attr-defined]
            name = f"Your network {sizes} ({spec.activation})"
        self.titles[column].setText(f"<b>{name}</b>")
        acc = f.test_accuracy  # type: ignore[attr-defined]
        self.accuracies[column].setText(
            f"step {f.step:,}: test accuracy "  # type: ignore[attr-defined]
            + ("—" if not np.isfinite(acc) else f"{100 * acc:.1f} %"))
        if f.probe is not None:  # type: ignore[attr-defined]
            self.confusions[column].show(f.probe.confusion,  # type: ignore[attr-defined]
                                         self.session.task.labels)

    def show_guess(self, column: int, probabilities: np.ndarray | None) -> None:
        if probabilities is None:
            self.guesses[column].clear()
        else:
            self.guesses[column].show(probabilities, self.session.task.labels)
