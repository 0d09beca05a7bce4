"""The guided lesson's scenes, as data: what each one loads, trains and shows, and what
its caption says.

A :class:`Scene` names a tab, a dataset (a playground preset), a model (a ModelSpec),
training settings, how far to train, the dockable panels to show and, if a scene needs
more, a ``setup`` callable. :class:`gui.lesson.player.LessonPlayer` builds a scene from
these values; nothing here touches a widget except ``setup`` (the digits scene draws on the
board). The order follows lecture 26: logistic regression from θ = 0, one step, the climb,
XOR where it fails, a hidden layer that solves it, the hidden space, a drawn digit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.specs import ModelSpec, TrainingSettings
from gui.lesson.ink import draw_digit
from gui.playground.session import PLAYGROUND_SETTINGS

PLAYGROUND = "playground"
DIGITS = "digits"
TABS = (PLAYGROUND, DIGITS)
PRESET_SAMPLES = 200  # the preset as the Data group makes it by default
PRESET_SEED = 0

LOGISTIC = ModelSpec("logistic", n_features=2)
HIDDEN_SPACE = ("hidden_space", "hidden")  # the hidden-space panel, by either name it has had
DIGIT_DRAWN = 3  # the digit the digits scene draws on the board


@dataclass(frozen=True)
class Scene:
    """One scene of the lesson (formulas in captions hold together: no-break spaces, and
    a word joiner U+2060 after a fraction's slash).

    Attributes
    ----------
    title : str
        Shown in the lesson bar beside "Scene k of N".
    caption : str
        Two or three sentences in the lecture's words (θ, η, σ(θᵀx), LL, ŷ, hⱼ).
    tab : {"playground", "digits"}
        The workbench the scene shows.
    preset : str or None
        Playground only: the preset loaded (200 points, the preset's noise, seed 0);
        None keeps the points.
    spec : ModelSpec or None
        The model of the tab's engine (None: the tab's default, for digits the network
        the Digits tab starts with).
    settings : TrainingSettings or None
        Playground only: how gradient ascent runs (η follows the suggestion when
        ``learning_rate_auto``); the digits scene uses the Digits tab's own defaults.
    steps : int
        Gradient-ascent steps taken at once (Step ×N) after θ is reset.
    run_to : int
        If > 0: run, visibly, at ``settings.speed`` and pause at this step.
    panels : tuple of str
        Dockable playground panels to show (by ``Panel.name``); every other panel is
        hidden, and a name no panel has is skipped.
    display_unit : tuple of int or None
        Playground: a unit (layer, index) to show over the plane instead of ŷ.
    setup : callable or None
        Called with the main window after the rest (the digits scene draws a digit).
    """

    title: str
    caption: str
    tab: str = PLAYGROUND
    preset: str | None = None
    spec: ModelSpec | None = None
    settings: TrainingSettings | None = None
    steps: int = 0
    run_to: int = 0
    panels: tuple[str, ...] = ()
    display_unit: tuple[int, int] | None = None
    setup: Callable[[Any], None] | None = None

    def __post_init__(self) -> None:
        if self.tab not in TABS:
            raise ValueError(f"tab must be one of {', '.join(TABS)}, got {self.tab!r}")
        if self.steps < 0 or self.run_to < 0:
            raise ValueError("steps and run_to must be >= 0")


def draw_on_board(window: Any, digit: int = DIGIT_DRAWN) -> None:
    """Put a mouse-like drawing of ``digit`` on the Digits board as one stroke: the
    workbench makes it an undo step (Ctrl+Z brings back what the student had drawn)."""
    board = window.digits.board
    before = board.ink_uint8()
    board.set_ink(draw_digit(digit))
    board.stroke_finished.emit(before, board.ink_uint8())


SCENES: tuple[Scene, ...] = (
    Scene(
        "Two overlapping classes, θ = 0",
        "Each point is an example x = (x₁, x₂) with a label y ∈ {0, 1}; logistic regression "
        "models P(Y=1|x) = σ(θᵀx). At θ = 0 every ŷ is σ(0) = 0.5, so the plane is white "
        "and LL(θ) = n·log ½. Click to add points, or press Step (Space) to take "
        "the first step uphill.",
        preset="overlap", spec=LOGISTIC, settings=PLAYGROUND_SETTINGS,
        panels=("sigmoid",)),
    Scene(
        "One step and its gradient",
        "One step of gradient ascent: "
        "∂LL/\u2060∂θⱼ\u00a0=\u00a0Σᵢ\u00a0[yᵢ\u00a0−\u00a0σ(θᵀxᵢ)]\u00a0xᵢⱼ, then every "
        "θⱼ\u00a0+=\u00a0η·∂LL/\u2060∂θⱼ. The θ readout under the curves shows the new θ and "
        "the gradient ∇LL that moved it, and the boundary θᵀx\u00a0=\u00a00 appears. Press "
        "Step again: the gradient shrinks as θ climbs.",
        preset="overlap", spec=LOGISTIC, settings=PLAYGROUND_SETTINGS, steps=1,
        panels=("landscape", "loop")),
    Scene(
        "Climbing to the top of LL",
        "Repeat the step and LL(θ) climbs, fast at first, then flatter as the gradient goes "
        "to 0. For logistic regression LL is concave: one top, and gradient ascent finds it. "
        "The points in the overlap stay misclassified, because no straight line separates "
        "them.",
        preset="overlap", spec=LOGISTIC, settings=PLAYGROUND_SETTINGS.replace(speed=60.0),
        run_to=300, panels=("landscape", "sigmoid")),
    Scene(
        "XOR: where logistic regression fails",
        "XOR puts class 1 in two opposite corners. The boundary θᵀx = 0 is always one "
        "straight line, so after 500 steps ŷ is right for only about half the points and LL "
        "stays near n·log ½. Run it longer or change η: no θ does better.",
        preset="xor", spec=LOGISTIC, settings=PLAYGROUND_SETTINGS, steps=500,
        panels=("sigmoid",)),
    Scene(
        "One hidden layer solves XOR",
        "Feed logistic regressions into another one: each hidden unit hⱼ = σ(wⱼᵀx + bⱼ) "
        "draws its own line and ŷ = σ(θᵀh) combines them. The same gradient ascent on LL "
        "trains every weight at once, and the boundary bends around the corners. Click a "
        "unit in the diagram to see what it computes over the plane.",
        preset="xor", spec=ModelSpec("network", hidden_units=(4,), activation="sigmoid"),
        settings=PLAYGROUND_SETTINGS.replace(speed=150.0), run_to=600, panels=("loop",)),
    Scene(
        "The hidden space",
        "Two hidden units send each x to a point h = (h₁, h₂). There the output unit is "
        "plain logistic regression, ŷ = σ(θᵀh), and one straight line θᵀh = 0 separates "
        "the classes: the hidden layer learned features that make XOR linear. The plane "
        "shows h₁; click h₂ in the diagram to compare.",
        preset="xor", spec=ModelSpec("network", hidden_units=(2,), activation="sigmoid"),
        settings=PLAYGROUND_SETTINGS, steps=1500, panels=HIDDEN_SPACE, display_unit=(1, 0)),
    Scene(
        "A drawn digit",
        "The same idea with 64 inputs: a drawing is shrunk to 8×8 pixels x, a hidden layer of "
        "32 units hⱼ reads them, and a softmax over ten outputs gives ŷ. Draw over the board "
        "(the right button erases, Clear starts afresh) and watch the two guesses follow "
        "your pen.",
        tab=DIGITS, spec=ModelSpec("network", n_features=64, n_classes=10,
                                   hidden_units=(32,)),
        run_to=300, setup=draw_on_board),
)
"""The lesson, in order."""
