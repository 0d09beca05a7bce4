"""A spin box that says so when the number typed cannot be used.

A plain QSpinBox swallows keys that would leave its range (a minus sign, the second 9 of
99 when the maximum is 32) and silently puts the previous value back when the user leaves
it with an out-of-range number such as 0. This one lets any whole number be typed and
emits ``refused(text)`` when an unusable one is committed (Enter or leaving the box); it
then keeps its previous value, as before, so the owner can say why.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import QSpinBox, QWidget

_WHOLE = re.compile(r"[+\-−]?\d*")


class CheckedSpinBox(QSpinBox):
    """QSpinBox + ``refused(text)`` for a committed number outside the range."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setKeyboardTracking(False)

    def _body(self, text: str) -> str:
        body = text.strip()
        prefix, suffix = self.prefix().strip(), self.suffix().strip()
        if prefix and body.startswith(prefix):
            body = body[len(prefix):]
        if suffix and body.endswith(suffix):
            body = body[:-len(suffix)]
        return body.strip()

    def validate(self, text: str, pos: int) -> object:  # noqa: D401 (Qt override)
        body = self._body(text)
        if _WHOLE.fullmatch(body):
            digits = body.lstrip("+-−")
            if not digits:
                return (QValidator.State.Intermediate, text, pos)
            value = int(digits) * (-1 if body[:1] in "-−" else 1)
            inside = self.minimum() <= value <= self.maximum()
            return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate,
                    text, pos)
        return super().validate(text, pos)

    def unusable_text(self) -> str | None:
        """The text in the box if committing it would be refused, else None."""
        text = self.lineEdit().text()
        state = self.validate(text, 0)
        if isinstance(state, tuple):
            state = state[0]
        return None if state == QValidator.State.Acceptable else self._body(text)

    def _check(self) -> None:
        text = self.unusable_text()
        if text is not None:
            self.refused.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._check()
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        self._check()
        super().focusOutEvent(event)


__all__ = ["CheckedSpinBox"]
