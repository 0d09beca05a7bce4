"""The lecture's loop, one example at a time (issue 12, item 2).

The panel shows the lecture's gradient-ascent pseudocode with the current line highlighted.
"Step example" adds one training example's (y − σ(θᵀx)) xⱼ to the running gradient[j]
(core.walkthrough.ExampleWalkthrough, on a copy of the model: θ does not move) and rings
that example on the plane; "Finish pass" adds the rest and updates θ by ONE gradient-ascent
step of the engine (``engine.step(1)``, so it is recorded on the LL curve and the
timeline), which equals θ + η·gradient of the pass. With settings other than the lecture's
(mini-batches, the mean, momentum, a prior) a step is not the lecture's pass: then Finish
pass is off and the panel says why (docs/decisions.md).

Everything follows the engine's frames: a frame whose θ, data or model differ from the
pass's start ends the pass (its numbers would describe another θ).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core import inspection
from core.features import input_labels
from core.logistic import LogisticRegression
from core.walkthrough import (
    LINE_ACCUMULATE,
    LINE_RESET,
    PSEUDOCODE,
    ExampleContribution,
    ExampleWalkthrough,
    plain_step_differences,
)
from gui.playground.highlight import ExampleHighlight
from gui.widgets.panel_docks import Panel

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
HIGHLIGHT_CSS = "background:#fff1c2; color:#1d1d1f; font-weight:600"
STEP_TIP = ("Step example: the next training example (x, y) of this pass adds its term "
            "(y − σ(θᵀx))·xⱼ to gradient[j] for every j (x₀ = 1). θ does not change: the "
            "lecture finishes the gradient before updating any part of θ")
FINISH_TIP = ("Finish pass: add the remaining examples' terms, then θⱼ += η·gradient[j] for "
              "all j: one gradient-ascent step, θ_new = θ_old + η·Σᵢ (yᵢ − σ(θ_oldᵀxᵢ))·xᵢ "
              "(recorded on the LL curve and the timeline, like Step)")


def num(value: float, digits: int = 3) -> str:
    """A number with a true minus sign ("—" if not finite)."""
    if not np.isfinite(value):
        return "—"
    text = f"{value:.{digits}f}" if abs(value) < 1e4 else f"{value:.3g}"
    return text.replace("-", "−")


def vector(values: Any, digits: int = 2) -> str:
    return "(" + ", ".join(num(float(v), digits) for v in np.ravel(values)) + ")"


def pseudocode_html(current: int | None, note: str = "") -> str:
    """The lecture's loop, line ``current`` highlighted; ``note`` after the for-each line
    (indented two spaces a level, so that it fits beside the numbers)."""
    rows = []
    for i, line in enumerate(PSEUDOCODE):
        indent = (len(line) - len(line.lstrip(" "))) // 2
        text = "&nbsp;" * indent + line.lstrip(" ").replace("<", "&lt;")
        if i == 3 and note:
            text += f" <span style='color:#6e6e73'>{note}</span>"
        style = HIGHLIGHT_CSS if i == current else "color:#3a3a3c"
        rows.append(f"<tr><td style='{style}; padding:0 4px'>{text}</td></tr>")
    return "<table cellspacing='0'>" + "".join(rows) + "</table>"


def parameter_names(walk: ExampleWalkthrough) -> list[str]:
    """θ₀, θ₁, … for logistic regression; W⁽¹⁾, b⁽¹⁾, … for a network."""
    model = walk.model
    if isinstance(model, LogisticRegression):
        return [f"θ{str(j).translate(_SUB)}" for j in range(model.theta.shape[0])]
    names = []
    for layer in range(len(model.parameters) // 2):
        sup = str(layer + 1).translate(_SUP)
        names += [f"W⁽{sup}⁾", f"b⁽{sup}⁾"]
    return names


def example_html(walk: ExampleWalkthrough, added: ExampleContribution | None,
                 feature_names: list[str]) -> str:
    """The current example's x, y, θᵀx, ŷ, y − ŷ, and a row per parameter: xⱼ, this
    example's term, the running gradient[j] and θⱼ."""
    logistic = isinstance(walk.model, LogisticRegression)
    head = ""
    if walk.done:  # every example is in and θ moved: no single example is "the" one now
        head = (f"<b>All {len(walk)} examples added</b>: gradient[j] = Σᵢ (yᵢ − ŷᵢ)·xᵢⱼ, "
                "then θⱼ += η·gradient[j].<br>θⱼ below is the new θ.")
        added = None
    elif added is not None:
        x = "(" + ", ".join(num(float(v), 2) for v in added.x[:6]) + \
            (", …)" if added.x.shape[0] > 6 else ")")
        z_name = "θᵀx" if logistic else "z (output)"
        if np.ndim(added.y_hat) == 0:
            y_hat = f"ŷ = σ({z_name}) = {num(float(added.y_hat))}"
            z_text = f"{z_name} = {num(float(added.z))}"
            residual = f"y − ŷ = <b>{num(float(added.residual))}</b>"
        else:
            y_hat = f"ŷ = softmax(z) = {vector(added.y_hat)}"
            z_text = f"z = {vector(added.z)}"
            # (a line of its own: three vectors on one line do not fit a docked panel)
            residual = f"<br>y − ŷ = <b>{vector(added.residual)}</b> (onehot(y) − ŷ)"
        head = (f"<b>Example {added.index + 1}</b> of {len(walk)}: x = {x}, "
                f"y = <b>{added.y}</b><br>{z_text} &nbsp; {y_hat} &nbsp; {residual}")
    else:
        head = ("<b>No example yet</b> in this pass: gradient[j] = 0 for every j.<br>"
                "Step example adds the first one.")
    names = parameter_names(walk)
    cell = "style='padding:0 6px; text-align:right'"
    if logistic:
        columns = ["j", "xⱼ", "(y − ŷ)·xⱼ", "gradient[j]", "θⱼ"]
        theta = walk.model.parameters[0]
        inputs = ["x₀", *feature_names]
        rows = []
        for j in range(len(names)):
            xj = "1" if j == 0 else (num(float(added.x[j - 1])) if added else "")
            term = num(float(added.contribution[0][j]), 4) if added else ""
            rows.append([f"{j} <span style='color:#6e6e73'>({inputs[j]})</span>",
                         xj, term, num(float(walk.gradient[0][j]), 4),
                         num(float(theta[j]), 4)])
    else:
        columns = ["θ part", "shape", "‖this term‖", "‖gradient‖", "‖θ‖"]
        rows = []
        for i, name in enumerate(names):
            p = walk.model.parameters[i]
            term = num(float(np.linalg.norm(added.contribution[i])), 4) if added else ""
            rows.append([name, "×".join(str(s) for s in p.shape), term,
                         num(float(np.linalg.norm(walk.gradient[i])), 4),
                         num(float(np.linalg.norm(p)), 4)])
    table = "<tr>" + "".join(f"<th {cell}>{c}</th>" for c in columns) + "</tr>"
    for row in rows:
        table += "<tr>" + "".join(f"<td {cell}>{c}</td>" for c in row) + "</tr>"
    return f"{head}<table cellspacing='0' style='margin-top:4px'>{table}</table>"


class LoopPanel(Panel):
    """The lecture's gradient-ascent loop, stepped one training example at a time."""

    name = "loop"
    title = "The loop, one example at a time"
    tooltip = ("The lecture's gradient ascent: gradient[j] += (y − σ(θᵀx))·xⱼ for each "
               "example, then θⱼ += η·gradient[j] (θ changes only when the pass ends)")
    area = Qt.DockWidgetArea.BottomDockWidgetArea

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.engine = context.session.engine
        self.walk: ExampleWalkthrough | None = None
        self.added: ExampleContribution | None = None
        self._anchor: tuple[Any, ...] | None = None  # (data version, spec, step, θ)
        self._expected: tuple[int, list[np.ndarray]] | None = None  # after Finish pass
        self._frame: Any = None
        self._note = ""
        self._note_key: Any = None  # the state (frame key) the note describes
        self._highlight: ExampleHighlight | None = None
        self._shown = False
        self._texts: dict[str, str] = {}

        self.step_button = QPushButton("Step example")
        self.step_button.setToolTip(STEP_TIP)
        self.step_button.clicked.connect(self.step_example)
        self.finish_button = QPushButton("Finish pass")
        self.finish_button.setToolTip(FINISH_TIP)
        self.finish_button.clicked.connect(self.finish_pass)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.status.setToolTip("η of θⱼ += η·gradient[j], what the last action did, or why "
                               "Finish pass is off")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.code = QLabel("")
        self.code.setFont(mono)
        self.code.setTextFormat(Qt.TextFormat.RichText)
        self.code.setToolTip("The lecture's pseudocode; the line being done is highlighted. "
                             "x₀ = 1 is inserted before training, so θ₀ is the bias")
        self.numbers = QLabel("")
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.numbers.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.numbers.setToolTip("The example just added: ŷ = σ(θᵀx) = P(Y=1|x), its term "
                                "(y − ŷ)·xⱼ of ∂LL/∂θⱼ, the running sum gradient[j] of this "
                                "pass, and θⱼ (unchanged until the pass ends)")

        buttons = QHBoxLayout()
        buttons.addWidget(self.step_button)
        buttons.addWidget(self.finish_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(buttons)
        left.addWidget(self.code)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.numbers)
        right.addWidget(self.status, 1)
        # side by side when the panel is wide enough for the code and the numbers; else the
        # numbers go under the code (a narrow dock would cut the table's right columns)
        layout = self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(left, 0)
        layout.addLayout(right, 1)
        self.engine.settings_changed.connect(lambda _s: self._refresh())
        self.engine.running_changed.connect(lambda _r: self._refresh())
        self._refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Numbers beside the code if both fit in the panel's width, else under it."""
        margins = self._layout.contentsMargins()
        needed = (self.code.sizeHint().width() + self.numbers.sizeHint().width()
                  + self._layout.spacing() + margins.left() + margins.right())
        direction = QBoxLayout.Direction.LeftToRight if self.width() >= needed else \
            QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)

    # ----------------------------------------------------------------- frames

    def apply_frame(self, frame: Any) -> None:
        self._frame = frame
        if self._note and self._note_key != _key(frame):
            self._note = ""  # it described an earlier state
        if self.walk is not None and not self._still_valid(frame):
            self._end_pass("θ, the data or the model changed: the pass starts again from "
                           "the θ shown.")
        expected = self._expected
        if expected is not None and not frame.preview and frame.step == expected[0]:
            self._expected = None
            gap = max(float(np.max(np.abs(np.asarray(p) - q)))
                      for p, q in zip(frame.parameters, expected[1], strict=True))
            self._say(f"θ updated by one gradient-ascent step (now step {frame.step:,}); "
                      f"max |θ(loop) − θ(engine)| = {gap:.1e}.")
        self._refresh()

    def panel_shown(self, shown: bool) -> None:
        self._shown = shown
        self._show_highlight()

    def _say(self, note: str) -> None:
        """Show ``note`` until a frame shows another state."""
        self._note = note
        self._note_key = _key(self._frame) if self._frame is not None else None

    def _still_valid(self, frame: Any) -> bool:
        """Whether ``frame`` shows the state this pass started from (or, after Finish
        pass, the step it made)."""
        anchor = self._anchor
        if anchor is None or frame.preview:
            return False
        version, spec, step, theta = anchor
        if frame.data_version != version or frame.spec != spec:
            return False
        if frame.step == step:
            return _same(frame.parameters, theta)
        return self.walk is not None and self.walk.done and frame.step == step + 1

    # ----------------------------------------------------------------- actions

    def step_example(self) -> None:
        """Add the next example's term (starting a pass from the engine's θ if needed)."""
        walk = self.walk
        if walk is None or walk.done:
            walk = self._start_pass()
            if walk is None:
                return
        if walk.position >= len(walk):
            self._say("Every example is in the gradient: Finish pass updates θ.")
            self._refresh()
            return
        self.added = walk.step_example()
        self._note = ""
        self._refresh()

    def finish_pass(self) -> None:
        """Add the rest, then θ += η·gradient as one engine step (lecture settings only)."""
        reason = self._finish_blocked()
        if reason:
            self._say(reason)
            self._refresh()
            return
        walk = self.walk
        if walk is None or walk.done:
            walk = self._start_pass()
            if walk is None:
                return
        if not self._engine_at_anchor():
            self._end_pass("θ changed before the pass ended: start again.")
            self._refresh()
            return
        walk.learning_rate = self.engine.learning_rate
        theta = walk.finish_pass()
        self.added = None  # the numbers now describe the whole pass, not one example
        assert self._anchor is not None
        self._expected = (self._anchor[2] + 1, theta)
        self._say("Updating θ: θⱼ += η·gradient[j] …")
        self.engine.step(1)
        self._refresh()

    # ----------------------------------------------------------------- state

    def _start_pass(self) -> ExampleWalkthrough | None:
        """A new pass from the engine's current θ (pausing a run first)."""
        engine = self.engine
        if engine.running:
            engine.pause()
        elif engine.is_busy():
            return None  # a step is on its way: its frame comes first
        with engine.lock:
            trainer = engine.trainer
            if trainer is None:
                self._say(engine.trainable()[1])
                self._refresh()
                return None
            model = inspection.clone_model(engine.model)
            dataset = engine.dataset
            step = trainer.step_count
            spec = engine.model_spec
        try:
            walk = ExampleWalkthrough(model, dataset.X_train, dataset.y_train,
                                      engine.learning_rate)
        except TypeError:
            self._say("The loop follows a classifier: not available for a regression.")
            self._refresh()
            return None
        self.walk, self.added, self._expected = walk, None, None
        self._anchor = (dataset.version, spec, step, [p.copy() for p in model.parameters])
        return walk

    def _engine_at_anchor(self) -> bool:
        anchor = self._anchor
        if anchor is None:
            return False
        engine = self.engine
        with engine.lock:
            trainer = engine.trainer
            return (trainer is not None and trainer.step_count == anchor[2]
                    and engine.dataset.version == anchor[0] and engine.model_spec == anchor[1]
                    and _same(engine.model.parameters, anchor[3]))

    def _end_pass(self, note: str) -> None:
        if self.walk is not None and not self.walk.done:
            self._say(note)
        self.walk = None
        self.added = None
        self._anchor = None
        self._expected = None

    def _finish_blocked(self) -> str:
        """Why Finish pass cannot be one engine step now ("" if it can)."""
        engine = self.engine
        if self._frame is not None and self._frame.preview:
            return "Previewing a past step on the timeline: release it first."
        if engine.model_spec.kind == "regression":
            return "The loop follows a classifier: not available for a regression."
        s = engine.settings
        different = plain_step_differences(s.batch_size, len(engine.dataset.y_train),
                                           s.average, s.momentum, s.l2, s.l1)
        if different:
            return ("Finish pass is off: this loop is the lecture's plain full-batch pass, "
                    f"but your settings use {', '.join(different)}, so a step is not this "
                    "pass. Use full batch, no averaging, momentum 0 and λ = 0 to apply it.")
        return ""

    # ----------------------------------------------------------------- drawing

    def _refresh(self) -> None:
        walk = self.walk
        frame = self._frame
        preview = frame is not None and frame.preview
        busy = self._expected is not None
        regression = self.engine.model_spec.kind == "regression"
        for widget in (self.step_button, self.finish_button, self.code, self.numbers):
            if widget.isHidden() != regression:  # a regression: only the (wrapped) reason
                widget.setHidden(regression)
        _enable(self.step_button, not preview and not busy and not regression)
        blocked = self._finish_blocked()
        _enable(self.finish_button, not blocked and not busy)
        if self.finish_button.toolTip() != (blocked or FINISH_TIP):
            self.finish_button.setToolTip(blocked or FINISH_TIP)
        if walk is None:
            line: int | None = LINE_RESET
            note = ""
        elif walk.done:
            line, note = walk.line, f"← all {len(walk)}"
        elif walk.position == 0:
            line, note = LINE_RESET, ""
        else:
            line, note = LINE_ACCUMULATE, f"← {walk.position} of {len(walk)}"
        self._set("code", self.code, pseudocode_html(line, note))
        self._set("numbers", self.numbers, self._numbers_html())
        status = self._note or blocked
        if not status:
            status = (f"η = {self.engine.learning_rate:.3g}. θ changes only when the pass "
                      "ends, as the lecture insists.")
            if preview:
                status = "Previewing a past step: release the timeline to walk from there."
            elif self.engine.running:
                status = "Training runs: Step example pauses it and starts a pass from θ."
        self._set("status", self.status, status)
        self._show_highlight()

    def _numbers_html(self) -> str:
        walk = self.walk
        if walk is not None:
            names = input_labels(walk.model.features) if getattr(walk.model, "features",
                                                                  None) else ["x₁", "x₂"]
            return example_html(walk, self.added, list(names))
        frame = self._frame
        if frame is None:
            return ""
        if frame.spec.kind == "regression":
            return "<b>The loop follows a classifier</b>: not available for a regression."
        if frame.running or self.engine.is_busy():  # (the θ panel shows θ live; this
            # text stays put meanwhile: a new text each frame would re-layout the docks)
            return ("<b>No pass under way</b> while training runs: gradient[j] = 0 for "
                    "every j.<br>Step example pauses and starts a pass at the θ reached.")
        theta = "  ".join(f"θ{str(j).translate(_SUB)} = {num(float(v), 4)}"
                          for j, v in enumerate(frame.parameters[0])) \
            if frame.spec.kind == "logistic" else \
            "‖θ‖ per layer: " + ", ".join(num(float(np.linalg.norm(w)), 3)
                                          for w in frame.parameters[0::2])
        return (f"<b>No pass under way</b> (step {frame.step:,}): gradient[j] = 0 for every j."
                f"<br>{theta}<br>Step example starts a pass at this θ.")

    def _set(self, key: str, label: QLabel, text: str) -> None:
        if self._texts.get(key) != text:
            self._texts[key] = text
            label.setText(text)
            if key == "numbers":
                self._arrange()

    def _show_highlight(self) -> None:
        added = self.added
        if self._shown and added is not None and self.walk is not None \
                and not self.walk.done and added.index < len(self.engine.dataset.y_train):
            if self._highlight is None:
                self._highlight = ExampleHighlight(self.context.boundary.plot_widget)
            x = self.engine.dataset.X_train[added.index]
            self._highlight.show_at(float(x[0]), float(x[1]))
        elif self._highlight is not None:
            self._highlight.hide()

    @property
    def highlight(self) -> ExampleHighlight | None:
        """The ring on the plane around the example just added (None until first shown)."""
        return self._highlight


def _key(frame: Any) -> tuple[Any, ...]:
    return (frame.data_version, frame.model_version, frame.step, frame.preview)


def _enable(button: QPushButton, enabled: bool) -> None:
    if button.isEnabled() != enabled:  # (setting it again would still repaint the button)
        button.setEnabled(enabled)


def _same(parameters: Any, reference: list[np.ndarray]) -> bool:
    return len(parameters) == len(reference) and all(
        np.array_equal(p, r) for p, r in zip(parameters, reference, strict=True))


__all__ = ["LoopPanel", "example_html", "pseudocode_html"]
