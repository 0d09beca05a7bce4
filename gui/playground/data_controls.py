"""The playground's Data group: presets, n/noise/seed, the test split and a summary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from core import datasets
from gui.playground.session import Session

PRESET_TITLES = {"xor": "XOR", "overlap": "Overlap (lecture)",
                 "regress1d": "Regression 1D (y = f(x₁))", "regress2d": "Regression 2D"}
MAX_TEST_PERCENT = 90  # as TF Playground (the session clamps the fraction to 0.9 too)
YOURS = "(your points)"  # the combo's entry while the points are not a preset as generated
_YOURS_KEY = "__yours__"


class DataControls(QGroupBox):
    """Edit the playground's dataset through its Session."""

    show_test_toggled = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.session = session
        self._last_preset = datasets.PRESETS[0]  # what Generate makes from "(your points)"
        self._build()

    def _build(self) -> None:
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.preset_combo = QComboBox()
        for name in datasets.PRESETS:
            self.preset_combo.addItem(PRESET_TITLES.get(name, name.capitalize()), name)
        self.preset_combo.insertSeparator(self.preset_combo.count())
        for name in datasets.REGRESSION_PRESETS:  # real targets: the model becomes a regression
            self.preset_combo.addItem(PRESET_TITLES.get(name, name), name)
        self.preset_combo.setToolTip("A built-in dataset from core.datasets (replaces the "
                                     "points; undo with Ctrl+Z)")
        self.regenerate_button = QPushButton("Generate")
        self.regenerate_button.setToolTip("Generate the preset again with these settings")
        row = QHBoxLayout()
        row.addWidget(self.preset_combo, 1)
        row.addWidget(self.regenerate_button)
        form.addRow(row)

        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(4, 100_000)
        self.samples_spin.setSingleStep(50)
        self.samples_spin.setValue(200)
        self.samples_spin.setKeyboardTracking(False)
        self.samples_spin.setToolTip("Number of points the preset generates")
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 3.0)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setDecimals(2)
        self.noise_spin.setKeyboardTracking(False)
        self.noise_spin.setToolTip("Standard deviation of the Gaussian noise added to each point")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 99999)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setToolTip("Random seed of the preset (and of the train/test split)")
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        for k, (text, spin) in enumerate((("n", self.samples_spin), ("seed", self.seed_spin),
                                          ("noise", self.noise_spin))):
            label = QLabel(text)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, k // 2, 2 * (k % 2))
            grid.addWidget(spin, k // 2, 2 * (k % 2) + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        form.addRow(grid)

        self.split_slider = QSlider(Qt.Orientation.Horizontal)
        self.split_slider.setRange(0, MAX_TEST_PERCENT)
        self.split_slider.setValue(int(round(self.session.test_fraction * 100)))
        self.split_slider.setToolTip(f"Share of each class held out as a test set (never "
                                     f"trained on), 0 … {MAX_TEST_PERCENT} %; each class "
                                     "keeps at least one training point")
        self.split_label = QLabel()
        self.split_label.setMinimumWidth(58)
        row = QHBoxLayout()
        row.addWidget(self.split_slider, 1)
        row.addWidget(self.split_label)
        form.addRow("test split", row)
        self.show_test_check = QCheckBox("Show test points (diamonds)")
        self.show_test_check.setChecked(True)
        self.show_test_check.setToolTip("Draw the held-out test points")
        form.addRow(self.show_test_check)
        self.data_hint = QLabel("")
        self.data_hint.setObjectName("hint")
        self.data_hint.setWordWrap(True)
        form.addRow(self.data_hint)

        self.preset_combo.currentIndexChanged.connect(self._preset_chosen)
        self.regenerate_button.clicked.connect(lambda: self.load_preset(merge=False))
        for spin in (self.samples_spin, self.noise_spin, self.seed_spin):
            spin.valueChanged.connect(lambda _v: self.load_preset(merge=True))
        self.split_slider.valueChanged.connect(self._split_changed)
        self.show_test_check.toggled.connect(self.show_test_toggled.emit)
        self.session.data_changed.connect(self._show_data_summary)
        self.session.data_changed.connect(self._show_preset)
        self.session.data_changed.connect(self._show_test_fraction)
        self._show_split_label()
        self._set_noise_default(datasets.PRESETS[0])

    def set_preset(self, name: str) -> None:
        """Choose a preset in the combo box (loads it)."""
        index = self.preset_combo.findData(name)
        if index < 0:
            raise ValueError(f"unknown preset {name!r}")
        if index == self.preset_combo.currentIndex():
            self.load_preset(merge=False)
        else:
            self.preset_combo.setCurrentIndex(index)

    def _set_noise_default(self, name: str) -> None:
        self.noise_spin.blockSignals(True)
        self.noise_spin.setValue(datasets.DEFAULT_REGRESSION_NOISE[name]
                                 if name in datasets.REGRESSION_PRESETS
                                 else datasets.DEFAULT_NOISE[name])
        self.noise_spin.blockSignals(False)

    def _preset_chosen(self, _index: int) -> None:
        if self.preset_combo.currentData() == _YOURS_KEY:
            return  # nothing to load: the points are already the user's
        self._set_noise_default(self.preset_combo.currentData())
        self.load_preset(merge=False)

    def _show_preset(self) -> None:
        """Name the preset the points are, or "(your points)" once they were edited, loaded
        from a file or brought back by undo."""
        preset = self.session.data.preset
        combo = self.preset_combo
        yours = combo.findData(_YOURS_KEY)
        combo.blockSignals(True)
        try:
            if preset is None:
                if yours < 0:
                    combo.addItem(YOURS, _YOURS_KEY)
                    yours = combo.count() - 1
                combo.setCurrentIndex(yours)
            else:
                self._last_preset = preset
                if yours >= 0:
                    combo.removeItem(yours)
                combo.setCurrentIndex(combo.findData(preset))
        finally:
            combo.blockSignals(False)

    def load_preset(self, merge: bool = False) -> None:
        name = self.preset_combo.currentData()
        if name == _YOURS_KEY:
            name = self._last_preset
        try:
            self.session.load_preset(name, self.samples_spin.value(), self.noise_spin.value(),
                                     self.seed_spin.value(), merge=merge)
        except ValueError as exc:
            self.session.message.emit("error", f"Could not generate '{name}': {exc}")

    def _split_changed(self, value: int) -> None:
        self._show_split_label()
        self.session.set_test_fraction(value / 100.0)

    def _show_test_fraction(self) -> None:
        """Follow a fraction set elsewhere (a file with its own split)."""
        value = int(round(self.session.test_fraction * 100))
        if value != self.split_slider.value():
            self.split_slider.blockSignals(True)
            self.split_slider.setValue(value)
            self.split_slider.blockSignals(False)
            self._show_split_label()

    def _show_split_label(self) -> None:
        self.split_label.setText(f"{self.split_slider.value()} % test")

    def _show_data_summary(self) -> None:
        d = self.session.data
        if d.regression:
            n_test = int(d.test.sum())
            self.data_hint.setText(f"{len(d)} points: {len(d) - n_test} train, {n_test} test "
                                   "(real targets y)")
            return
        counts = d.class_counts()
        n_test = int(d.test.sum())
        each = ", ".join(f"{n} × y={k}" for k, n in enumerate(counts))
        self.data_hint.setText(f"{len(d)} points: {sum(counts)} train ({each}), "
                               f"{n_test} test")
