"""Shared test setup: Qt runs offscreen (set before anything imports Qt)."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def shown_window(qtbot, tmp_path):
    """The real main window, shown and exposed, with its first frame drawn (the student's
    drawings are kept in a fresh folder)."""
    from gui.digits.session import DigitsSession
    from gui.main_window import MainWindow

    w = MainWindow(digits=DigitsSession(storage=tmp_path / "my-digits.npz"))
    w.prompt_on_close = False

    def unexpected_dialog(title, text):  # a modal dialog would hang the test: fail instead
        raise AssertionError(f"unexpected dialog {title!r}: {text}")

    w.documents.show_error = unexpected_dialog
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.session.latest_frame is not None, timeout=10000)
    yield w
    w.session.shutdown()
    w.digits_session.shutdown()


@pytest.fixture(autouse=True, scope="session")
def _user_data_in_a_test_folder(tmp_path_factory):
    """The app keeps the student's drawings in the user's data folder (QStandardPaths)
    and remembers folders in QSettings: tests write to Qt's test locations (~/.qttest)
    and to a temporary settings folder instead."""
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    os.environ["ASCENT_LAB_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))  # autosaves
    folder = str(tmp_path_factory.mktemp("settings"))
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, folder)
    yield
