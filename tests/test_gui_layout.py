"""The window as a new user sees it: every character drawn exists in its font, the window
fits small screens, and nothing moves or gets squeezed when a message or a unit appears."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QSlider,
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


# --------------------------------------------------------------------------- small screens

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QSlider)


def controls_in(root: QWidget) -> list[QWidget]:
    return [w for kind in CONTROLS for w in root.findChildren(kind)
            if w.isVisibleTo(root) and not isinstance(w, QScrollBar)
            and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox))]


def squeezed(root: QWidget) -> list[str]:
    """Visible buttons, boxes and one-line labels narrower than their text needs."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or isinstance(w, QScrollBar) \
                or isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        if isinstance(w, QLabel) and (w.wordWrap() or not w.text() or w.pixmap() is not None
                                      and not w.pixmap().isNull()):
            continue
        if isinstance(w, (*CONTROLS, QLabel)):
            need = w.minimumSizeHint()
            if w.minimumWidth() == 0 and w.width() < need.width() or w.height() < need.height():
                text = w.text() if hasattr(w, "text") else ""
                out.append(f"{type(w).__name__} {text!r}: {w.width()}x{w.height()} < "
                           f"{need.width()}x{need.height()}")
    return out


def scroll_area_of(widget: QWidget) -> QScrollArea:
    w = widget.parentWidget()
    while not isinstance(w, QScrollArea):
        w = w.parentWidget()
    return w


def reachable(qtbot, window, control: QWidget) -> bool:
    """Scrolled into view, the control is wholly inside the scroll area and the window."""
    area = scroll_area_of(control)
    corner = control.mapTo(area.widget(), QPoint(0, 0))
    w, h = control.width(), control.height()
    area.ensureVisible(corner.x() + w // 2, corner.y() + h // 2, w // 2 + 1, h // 2 + 1)
    qtbot.wait(1)
    viewport = area.viewport()
    in_view = QRect(control.mapTo(viewport, QPoint(0, 0)), control.size())
    in_window = QRect(control.mapTo(window, QPoint(0, 0)), control.size())
    ok = viewport.rect().contains(in_view) and window.rect().contains(in_window)
    return ok


def theta_text_fits(panel) -> bool:
    return QRectF(panel.rect()).contains(panel.text_rect())


def test_minimum_size_fits_a_1024x640_screen(window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 640, hint


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720)])
def test_both_tabs_are_usable_on_a_small_screen(window, qtbot, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size() == QSize(*size))
    s = window.session
    for tab, training, timeline in ((0, window.controls.training, window.workbench.timeline),
                                    (1, window.digits.training, window.digits.timeline)):
        window.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        controls = controls_in(training)
        assert len(controls) >= 14
        unreachable = [f"{type(c).__name__} {getattr(c, 'text', lambda: '')()!r}"
                       for c in controls if not reachable(qtbot, window, c)]
        assert unreachable == []
        assert timeline.slider.width() >= 100
        assert squeezed(window) == []

    window.tabs.setCurrentIndex(0)
    panel = window.theta
    for spec in (s.model_spec, s.model_spec.replace(kind="network", hidden_units=(8, 8, 8)),
                 s.model_spec.replace(kind="network", hidden_units=(4,) * 8)):
        s.set_model_spec(spec)
        qtbot.waitUntil(lambda spec=spec: s.latest_frame.spec == spec)
        qtbot.waitUntil(lambda: panel._html == panel.text_for(s.latest_frame))
        qtbot.wait(20)
        assert theta_text_fits(panel), (panel.size(), panel.text_rect(), panel.text())
        bottom = panel.mapTo(window, QPoint(0, panel.height()))
        assert bottom.y() <= window.statusBar().mapTo(window, QPoint(0, 0)).y()


# --------------------------------------------------------------------------- nothing moves


def positions(window) -> dict[int, tuple[str, QPoint, QSize]]:
    return {id(c): (type(c).__name__, c.mapToGlobal(QPoint(0, 0)), c.size())
            for c in controls_in(window)
            if c.isVisible() and not window.banner.isAncestorOf(c)}


@pytest.mark.parametrize("size", [(1024, 640), (1400, 900)])
def test_a_banner_moves_no_control_and_covers_none(window, qtbot, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size() == QSize(*size))
    for tab in (0, 1):
        window.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        eta = (window.controls if tab == 0 else window.digits).training.eta_edit
        before, eta_at = positions(window), eta.mapToGlobal(QPoint(0, 0))
        window.show_message("error", "Gradient ascent diverged: η = 1e6 is far too large "
                                     "for these data; the last good parameters are kept. "
                                     "Try η = 0.01.")
        qtbot.wait(50)
        banner = window.banner
        assert banner.isVisible() and "diverged" in window.banner_text()
        assert eta.mapToGlobal(QPoint(0, 0)) == eta_at
        assert positions(window) == before
        area = QRect(banner.mapToGlobal(QPoint(0, 0)), banner.size())
        label = banner.label
        assert label.height() >= label.heightForWidth(label.width())  # no line cut off
        covered = [name for name, corner, sz in before.values()
                   if area.intersects(QRect(corner, sz))
                   and not banner.isAncestorOf(window.childAt(window.mapFromGlobal(corner)))]
        assert covered == []
        window.hide_banner()
        qtbot.wait(20)
        assert positions(window) == before



def test_clicking_a_unit_keeps_the_splitter_sizes(window, qtbot):
    s = window.session
    window.controls.model.network_radio.click()
    qtbot.waitUntil(lambda: s.latest_frame.kind == "network")
    qtbot.wait(50)
    splitter = window.workbench.splitter
    sizes = splitter.sizes()
    for unit in ((1, 0), (1, 3), None):
        if unit is None:
            window.boundary.back_button.click()
        else:
            window.network.unit_clicked.emit(*unit)
        qtbot.waitUntil(lambda unit=unit: s.latest_frame.probe.boundary.unit == unit)
        qtbot.wait(50)
        assert splitter.sizes() == sizes


def test_the_hover_readout_moves_nothing_and_fits_its_lines(window, qtbot):
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() == 1024)
    s = window.session
    window.controls.model.network_radio.click()
    s.set_model_spec(s.model_spec.replace(hidden_units=(8, 8, 8, 8)))
    qtbot.waitUntil(lambda: s.latest_frame.layer_sizes == (2, 8, 8, 8, 8, 1))
    view = window.boundary
    plot = view.plot_widget
    where = (plot.mapTo(window, QPoint(0, 0)), plot.size())
    qtbot.mouseMove(plot.viewport(), view.data_to_viewport(-4.5, 3.0).toPoint())
    qtbot.waitUntil(lambda: "more layers" in view.hover_text(), timeout=3000)
    qtbot.wait(20)
    assert (plot.mapTo(window, QPoint(0, 0)), plot.size()) == where
    label = view.readout
    metrics = QFontMetrics(label.font())
    lines = label.text().splitlines()
    assert len(lines) == 3 and lines[0].startswith("x = (")
    assert all(metrics.horizontalAdvance(line) <= label.contentsRect().width()
               for line in lines)
    assert len(lines) * metrics.lineSpacing() <= label.contentsRect().height()


def test_a_long_status_message_is_cut_with_an_ellipsis_and_whole_in_the_tooltip(
        shown_window, qtbot):
    window = shown_window
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() <= 1030)
    text = ("Loaded 2,000 points from a file with a very long name, and this message goes on "
            "to explain several more things that do not fit beside the readouts at all")
    window.show_message("info", text)
    bar = window.statusBar()
    shown = bar.currentMessage()
    assert shown.endswith("…") and text.startswith(shown[:-1])
    assert bar.fontMetrics().horizontalAdvance(shown) < bar.width()
    assert bar.toolTip() == text and window.status_message() == text
    bar.clearMessage()  # the tooltip does not outlive the message
    assert bar.toolTip() == "" and window.status_message() == ""


def test_the_unit_shown_on_the_plane_is_framed_in_the_diagram(window, qtbot):
    s = window.session
    window.controls.model.network_radio.click()
    qtbot.waitUntil(lambda: s.latest_frame.kind == "network")
    network = window.network
    decor = network._decor
    assert decor._selected is None  # the plane shows the output: nothing framed
    window.network.unit_clicked.emit(1, 2)  # a click on hidden unit 3 of layer 1
    qtbot.waitUntil(lambda: s.latest_frame.probe.boundary.unit == (1, 2))
    qtbot.waitUntil(lambda: decor._selected is not None)
    assert decor._selected == network._item_rect(1, 2)
    qtbot.wait(50)
    image = network.grab().toImage()
    rect = network._canvas.mapFromScene(decor._selected.adjusted(-3, -3, 3, 3)).boundingRect()
    edge = network._canvas.mapTo(network, rect.topLeft()) + QPoint(rect.width() // 2, 0)
    colour = image.pixelColor(edge)
    assert colour.blue() > 150 and colour.red() < 100  # the blue frame is drawn there
    window.boundary.back_button.click()  # back to the output
    qtbot.waitUntil(lambda: decor._selected is None)
