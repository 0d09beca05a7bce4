"""File → Export: figures (PNG, SVG), an animation of training (GIF, MP4), the history and
the parameters (CSV). :func:`gui.export.install` adds it to the window.

Each action's method takes the path (and options) as arguments, so tests and scripts skip
the dialogs; without them it asks. Everything read from an engine's trainer is copied under
``engine.lock`` and drawn or written after the lock is released.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QProgressDialog

from core import export_csv
from core.recording import DEFAULT_FPS, DEFAULT_FRAMES, Recording, record
from gui.export.animation import TrainingFigure
from gui.export.dialogs import AnimationDialog, FigureDialog
from gui.export.figures import FigureTarget, export_figure, figure_targets
from gui.export.headless import model_title
from gui.export.job import AnimationJob

EXPORT_SUFFIXES = (".png", ".svg", ".gif", ".mp4", ".csv")


def with_suffix(path: str, suffix: str) -> str:
    """``path`` with ``suffix`` added unless it already ends in a suffix an export writes
    ("plane" → "plane.png", "run.v2" → "run.v2.png"; "plane.svg" stays)."""
    return path if Path(path).suffix.lower() in EXPORT_SUFFIXES else path + suffix


class ExportMenu(QObject):
    """The Export submenu of a :class:`gui.main_window.MainWindow` and what it does."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.menu = QMenu("&Export", window)
        self.menu.setToolTipsVisible(True)
        self.figure_action = self._action(
            "&Figure (PNG or SVG)…", "Save one view (the plane, a curve, the diagram …) or "
            "the whole window as an image, at a size you choose", lambda: self.export_figure())
        self.animation_action = self._action(
            "&Animation of training (GIF)…", "The decision boundary and the log-likelihood "
            "curve step by step over the recorded run, as an animated GIF (or MP4)",
            lambda: self.export_animation())
        self.menu.addSeparator()
        self.history_action = self._action(
            "&History (CSV)…", "Every recorded step: log-likelihood, accuracy, test LL, "
            "test accuracy and the objective", lambda: self.export_history())
        self.parameters_action = self._action(
            "&Parameters (CSV)…", "Every weight and bias θ (layer, row, column, name, value) "
            "with all its digits", lambda: self.export_parameters())
        self.job: AnimationJob | None = None
        self._banner = ""  # the text of the last warning or error an export showed
        self.progress_dialog: QProgressDialog | None = None
        self.menu.aboutToShow.connect(self._update_enabled)
        self._place()

    def _action(self, text: str, tip: str, slot: Any) -> QAction:
        action = QAction(text, self.window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def _place(self) -> None:
        """In the File menu where "Save screenshot…" was (the screenshot action moves into
        the submenu), else before Quit, else at the end."""
        file_menu: QMenu = self.window.file_menu
        screenshot = getattr(self.window, "screenshot_action", None)
        actions = file_menu.actions()
        before = screenshot if screenshot in actions else getattr(
            self.window, "quit_action", None)
        if before in actions:
            file_menu.insertMenu(before, self.menu)
        else:
            file_menu.addMenu(self.menu)
        if screenshot is not None:
            file_menu.removeAction(screenshot)
            screenshot.setText("Screenshot of the &window (PNG)…")
            self.menu.insertAction(self.figure_action, screenshot)

    def _update_enabled(self) -> None:
        playground = self.window.tabs.currentWidget() is not self.window.digits
        self.animation_action.setEnabled(playground and self.job is None)
        self.animation_action.setToolTip(
            self.animation_action.statusTip() if playground else
            "The animation draws the playground's plane: open the Playground tab")

    # ----------------------------------------------------------------- helpers

    def _engine(self) -> Any:
        return self.window.active_engine

    def _folder(self) -> str:
        folder = getattr(self.window, "last_folder", None)
        return folder() if callable(folder) else ""

    def _ask_path(self, title: str, name: str, filters: str) -> str | None:
        """A path to save to; a name typed without a suffix gets ``name``'s (.png, .gif…),
        as the file dialog's filter promised."""
        path, _ = QFileDialog.getSaveFileName(self.window, title,
                                              str(Path(self._folder() or ".") / name), filters)
        if not path:
            return None
        remember = getattr(self.window, "_remember_folder", None)
        if callable(remember):  # the next export (or save) starts in that folder
            remember(path)
        return with_suffix(path, Path(name).suffix)

    def _say(self, level: str, text: str) -> None:
        """A message; an export that worked takes down the banner of one that failed
        before (it no longer describes anything), never another banner."""
        window = self.window
        if level == "info" and self._banner and window.banner_text() == self._banner:
            window.hide_banner()
        window.show_message(level, text)
        if level in ("error", "warning"):
            self._banner = text

    # ----------------------------------------------------------------- figures

    def export_figure(self, view: str | None = None, path: str | Path | None = None,
                      size: tuple[int, int] | None = None, scale: float = 1.0) -> bool:
        """Save a view (by its name in the dialog) or the whole window as PNG or SVG."""
        targets = figure_targets(self.window)
        target: FigureTarget | None = next((t for t in targets if t.name == view), None)
        if path is None or target is None:
            dialog = FigureDialog(targets, self.window)
            if target is not None:
                dialog.view_combo.setCurrentIndex(targets.index(target))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            target, size, kind = dialog.target, dialog.size_chosen, dialog.format
            scale = dialog.scale
            stem = target.name.split(" (")[0].lower().replace(" ", "-").replace("θ", "theta")
            path = self._ask_path("Export figure", f"{stem}.{kind}",
                                  "PNG images (*.png)" if kind == "png" else "SVG (*.svg)")
            if path is None:
                return False
        if size is None:
            size = target.screen_size()
        try:
            export_figure(target, path, size, scale)
        except (OSError, ValueError) as exc:
            self._say("error", f"Could not export the figure: {exc}")
            return False
        self._say("info", f"{target.name} saved to {Path(path).name}")
        return True

    # ----------------------------------------------------------------- animation

    def _recording(self, frames: int) -> tuple[Recording | None, str]:
        """The playground's run, copied under the engine's lock."""
        engine = self.window.session.engine
        with engine.lock:
            trainer = engine.trainer
            if trainer is None or not len(trainer.snapshots):
                return None, "There is nothing to animate yet: train the model first"
            recording = record(trainer, engine.model_spec, frames)
        return recording, ""

    def export_animation(self, path: str | Path | None = None, frames: int | None = None,
                         fps: float | None = None, size: tuple[int, int] = (960, 480)
                         ) -> bool:
        """Render the playground's run into a GIF (or MP4) with a progress dialog; returns
        whether it started (``job`` runs it; ``job.finished`` says how it ended)."""
        if self.job is not None:
            return False
        engine = self.window.session.engine
        if path is None:
            with engine.lock:
                trainer = engine.trainer
                recorded = 0 if trainer is None else int(trainer.step_count)
            dialog = AnimationDialog(recorded, self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            frames, fps, size = dialog.options
            suffix = dialog.suffix
            path = self._ask_path("Export animation", f"training{suffix}",
                                  "Animated GIF (*.gif)" if suffix == ".gif" else
                                  "MP4 video (*.mp4)")
            if path is None:
                return False
        recording, problem = self._recording(frames or DEFAULT_FRAMES)
        if recording is None:
            self._say("warning", problem)
            return False
        session = self.window.session
        view = session.probe.view_range
        levels = session.probe.target_levels if recording.spec.is_regression else None
        figure = TrainingFigure(recording, size, view=view, target_levels=levels,
                                title=model_title(recording.spec))
        self.job = AnimationJob(figure, path, fps or DEFAULT_FPS, self)
        dialog = self.progress_dialog = QProgressDialog(
            f"Drawing {recording.n_frames} frames into {Path(path).name}…", "Cancel", 0,
            self.job.total, self.window)
        dialog.setWindowTitle("Export animation")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(0)
        dialog.setValue(0)
        dialog.show()
        dialog.canceled.connect(self.job.cancel)
        self.job.progressed.connect(lambda done, _total: dialog.setValue(done))
        self.job.finished.connect(self._animation_finished)
        self.job.start()
        return True

    def _animation_finished(self, ok: bool, message: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()
            self.progress_dialog.close()
        self.job = None
        self._say("info" if ok or "cancelled" in message else "error", message)

    # ----------------------------------------------------------------- CSV

    def export_history(self, path: str | Path | None = None) -> bool:
        """The active workbench's whole recorded history as CSV."""
        engine = self._engine()
        with engine.lock:
            trainer = engine.trainer
            history = None if trainer is None else trainer.history.as_arrays()
        if history is None:
            self._say("warning", "There is no history yet: give the model data to train on")
            return False
        return self._write_csv(path, "history.csv", "History",
                               lambda: export_csv.history_csv(history))

    def export_parameters(self, path: str | Path | None = None) -> bool:
        """The active workbench's parameters θ as CSV (full precision)."""
        engine = self._engine()
        with engine.lock:
            parameters = [p.copy() for p in engine.model.parameters]
            spec = engine.model_spec
        network = export_csv.network_layout(spec)
        return self._write_csv(path, "parameters.csv", "Parameters",
                               lambda: export_csv.parameters_csv(parameters, network))

    def _write_csv(self, path: str | Path | None, name: str, what: str, text: Any) -> bool:
        if path is None:
            path = self._ask_path(f"Export {what.lower()}", name, "CSV files (*.csv)")
            if path is None:
                return False
        try:
            export_csv.write_csv(path, text())
        except OSError as exc:
            self._say("error", f"Could not write {path}: {exc.strerror or exc}")
            return False
        except ValueError as exc:  # never silent: say it rather than lose it on stderr
            self._say("error", f"Could not export the {what.lower()}: {exc}")
            return False
        self._say("info", f"{what} saved to {Path(path).name}")
        return True


__all__ = ["ExportMenu", "with_suffix"]
