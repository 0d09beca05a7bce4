"""The export dialogs: which view, what size and format (a figure); frames, speed, size and
format (an animation)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from core.cli_figures import MAX_SIDE as MAX_FIGURE_SIDE
from core.cli_figures import MIN_SIZE
from core.recording import DEFAULT_FPS, DEFAULT_FRAMES, MAX_FRAMES
from gui.export.figures import MAX_SCALE, MAX_SIDE, MIN_SIDE, FigureTarget
from gui.export.writers import animation_suffixes


def _size_row(width: QSpinBox, height: QSpinBox) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for spin in (width, height):
        spin.setRange(MIN_SIDE, MAX_SIDE)
        spin.setSuffix(" px")
        spin.setKeyboardTracking(False)
    width.setToolTip("Width of the image in pixels")
    height.setToolTip("Height of the image in pixels")
    row.addWidget(width)
    row.addWidget(QLabel("×"))
    row.addWidget(height)
    row.addStretch(1)
    return row


class FigureDialog(QDialog):
    """Choose a view (or the whole window), the image size and PNG or SVG."""

    def __init__(self, targets: list[FigureTarget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export figure")
        self.targets = targets
        form = QFormLayout(self)
        self.view_combo = QComboBox()
        self.view_combo.setToolTip("The view to save as an image (views of the tab showing)")
        for t in targets:
            self.view_combo.addItem(t.name)
        form.addRow("View:", self.view_combo)
        self.width_spin, self.height_spin = QSpinBox(), QSpinBox()
        form.addRow("Size:", _size_row(self.width_spin, self.height_spin))
        self.scale_spin = QDoubleSpinBox()
        self.scale_spin.setRange(1.0, MAX_SCALE)
        self.scale_spin.setSingleStep(0.5)
        self.scale_spin.setDecimals(1)
        self.scale_spin.setSuffix(" ×")
        self.scale_spin.setToolTip("Text and lines this many times their size on screen: at "
                                   "2 ×, the view is laid out at half the size and drawn "
                                   "twice as large (sharp on slides and in print)")
        form.addRow("Magnify:", self.scale_spin)
        self.format_combo = QComboBox()
        self.format_combo.addItem("PNG (image)", "png")
        self.format_combo.addItem("SVG (vector drawing)", "svg")
        self.format_combo.setToolTip("PNG: pixels. SVG: lines and text as vectors, for "
                                     "papers and slides")
        form.addRow("Format:", self.format_combo)
        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        form.addRow(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.view_combo.currentIndexChanged.connect(self._view_changed)
        self.width_spin.valueChanged.connect(self._width_changed)
        self._view_changed(0)

    @property
    def target(self) -> FigureTarget:
        return self.targets[max(self.view_combo.currentIndex(), 0)]

    @property
    def size_chosen(self) -> tuple[int, int]:
        return self.width_spin.value(), self.height_spin.value()

    @property
    def scale(self) -> float:
        return float(self.scale_spin.value())

    @property
    def format(self) -> str:
        return str(self.format_combo.currentData())

    def _view_changed(self, _: int) -> None:
        t = self.target
        w, h = t.screen_size()
        self.width_spin.setValue(w)
        self.height_spin.setValue(h)
        self.height_spin.setEnabled(not t.fixed_shape)
        self.scale_spin.setEnabled(not t.fixed_shape)
        self.note.setText(
            f"On screen it is {w} × {h} px. " + (
                "The whole window keeps its shape: the height follows the width, and it is "
                "drawn scaled to that width." if t.fixed_shape else
                "Another size lays the view out anew at that size (divided by Magnify)."))

    def _width_changed(self, width: int) -> None:
        t = self.target
        if t.fixed_shape:
            w, h = t.screen_size()
            self.height_spin.setValue(max(MIN_SIDE, round(width * h / w)))


class AnimationDialog(QDialog):
    """Frames (spread evenly over the recorded steps), frames per second, size, format."""

    def __init__(self, recorded_steps: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export animation of training")
        form = QFormLayout(self)
        intro = QLabel(f"The decision boundary and the log-likelihood curve, step by step "
                       f"over the {recorded_steps} recorded steps of this run.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.frames_spin = QSpinBox()
        self.frames_spin.setRange(2, MAX_FRAMES)
        self.frames_spin.setValue(min(DEFAULT_FRAMES, max(2, recorded_steps + 1)))
        self.frames_spin.setToolTip("How many frames, spread evenly over the run (at most "
                                    "one per recorded step)")
        form.addRow("Frames:", self.frames_spin)
        self.fps_spin = QDoubleSpinBox()
        self.fps_spin.setRange(0.5, 60.0)
        self.fps_spin.setDecimals(1)
        self.fps_spin.setValue(DEFAULT_FPS)
        self.fps_spin.setToolTip("Frames per second when played")
        form.addRow("Frames per second:", self.fps_spin)
        self.duration = QLabel("")
        self.duration.setObjectName("hint")
        form.addRow("", self.duration)
        self.width_spin, self.height_spin = QSpinBox(), QSpinBox()
        form.addRow("Size:", _size_row(self.width_spin, self.height_spin))
        self.width_spin.setMinimum(MIN_SIZE[0])
        self.height_spin.setMinimum(MIN_SIZE[1])
        self.width_spin.setMaximum(MAX_FIGURE_SIDE)
        self.height_spin.setMaximum(MAX_FIGURE_SIDE)
        self.width_spin.setValue(960)
        self.height_spin.setValue(480)
        self.format_combo = QComboBox()
        self.format_combo.setToolTip("GIF plays everywhere (Pillow writes it). MP4 needs the "
                                     "optional 'video' extra (imageio-ffmpeg)")
        available = animation_suffixes()
        for suffix, label in ((".gif", "Animated GIF"), (".mp4", "MP4 video")):
            self.format_combo.addItem(label, suffix)
            if suffix not in available:
                item = self.format_combo.model().item(self.format_combo.count() - 1)
                item.setEnabled(False)
                item.setToolTip("Install the optional extra: pip install 'ascent-lab[video]'"
                                if suffix == ".mp4" else "Install Pillow")
        if available:
            self.format_combo.setCurrentIndex(self.format_combo.findData(available[0]))
        form.addRow("Format:", self.format_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.frames_spin.valueChanged.connect(self._update_duration)
        self.fps_spin.valueChanged.connect(self._update_duration)
        self._update_duration()

    def _update_duration(self, *_: object) -> None:
        seconds = self.frames_spin.value() / self.fps_spin.value()
        self.duration.setText(f"plays for {seconds:.1f} s")

    @property
    def suffix(self) -> str:
        return str(self.format_combo.currentData())

    @property
    def options(self) -> tuple[int, float, tuple[int, int]]:
        """(frames, fps, (width, height))."""
        return (self.frames_spin.value(), self.fps_spin.value(),
                (self.width_spin.value(), self.height_spin.value()))


__all__ = ["AnimationDialog", "FigureDialog"]
