"""The window as a new user sees it: every character drawn exists in its font, the window
fits small screens, and nothing moves or gets squeezed when a message or a unit appears."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QTabBar,
    QWidget,
)


@pytest.fixture
def window(qtbot, shown_window):
    return shown_window


def _plain(text: str) -> str:
    if "<" in text and ">" in text:  # rich text
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shown_texts(root: QWidget) -> list[tuple[QWidget, str]]:
    """Every text a visible label, button, group box, tab bar or combo box shows."""
    out: list[tuple[QWidget, str]] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel):
            out.append((w, _plain(w.text())))
        elif isinstance(w, QAbstractButton):
            out.append((w, _plain(w.text())))
        elif isinstance(w, QGroupBox):
            out.append((w, w.title()))
        elif isinstance(w, QTabBar):
            out += [(w, _plain(w.tabText(i))) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [(w, w.itemText(i)) for i in range(w.count())]
    return out


# Technical symbols, geometric shapes, dingbats and emoji (⏸ ▶ ● ⚠ ✕ ✓ …): missing from
# many fonts or drawn as colour emoji; buttons use icons instead. Math is fine (θ → ≤ ∂).
SYMBOL_RANGES = ((0x2300, 0x23FF), (0x25A0, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FFFF))


def missing_glyphs(root: QWidget) -> list[str]:
    missing = []
    for widget, text in shown_texts(root):
        metrics = QFontMetrics(widget.font())
        for ch in set(text):
            if ch.isspace() or ch == "\u2029":
                continue
            if any(lo <= ord(ch) <= hi for lo, hi in SYMBOL_RANGES):
                missing.append(f"{type(widget).__name__} {text!r}: U+{ord(ch):04X} {ch} is "
                               "a symbol glyph (use an icon)")
            if not metrics.inFontUcs4(ord(ch)):
                missing.append(f"{type(widget).__name__} {text!r}: U+{ord(ch):04X} {ch} "
                               f"not in {widget.font().family()}")
    return sorted(set(missing))


def test_every_character_shown_is_in_its_widgets_font(window, qtbot):
    s = window.session
    window.controls.model.network_radio.click()
    window.show_message("warning", "A warning")
    s.run()
    qtbot.waitUntil(lambda: window.controls.training.run_button.text().startswith("Pause"))
    assert missing_glyphs(window) == []
    s.pause()
    window.show_message("error", "An error")
    qtbot.waitUntil(lambda: window.controls.training.run_button.text().startswith("Run"))
    assert missing_glyphs(window) == []
    window.tabs.setCurrentIndex(1)
    qtbot.wait(50)
    for index in range(window.digits.tabs.count()):
        window.digits.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        assert missing_glyphs(window) == []
    assert not window.controls.training.run_button.icon().isNull()
