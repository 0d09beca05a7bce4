"""Fast checks of the desktop packaging (packaging/): the real build is `make package-test`.

These catch, without running PyInstaller, what would otherwise only show up in a frozen
build: a missing asset, a spec that no longer parses, an app module importing something the
bundle excludes, a pruning rule that drops a plugin Linux users need, a stale icon.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from core import assets

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _load(path: Path, name: str) -> ModuleType:
    # packaging/ is not a Python package: `import packaging` must stay the PyPI library.
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = _load(PACKAGING / "bundle_rules.py", "ascent_bundle_rules")
test_frozen = _load(PACKAGING / "test_frozen.py", "ascent_test_frozen")


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


# ----------------------------------------------------------------------------- spec, assets


def test_spec_parses_and_uses_the_rules_module():
    source = (PACKAGING / "ascent-lab.spec").read_text(encoding="utf-8")
    ast.parse(source)
    for needed in ("bundle_rules.py", "rules.asset_datas()", "rules.EXCLUDES",
                   "rules.HIDDEN_IMPORTS", "rules.filter_toc", "launcher.py"):
        assert needed in source


def test_launcher_calls_the_real_entry_point():
    tree = ast.parse((PACKAGING / "launcher.py").read_text(encoding="utf-8"))
    imports = [(node.module, [a.name for a in node.names]) for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom)]
    assert ("gui.__main__", ["main"]) in imports
    from gui.__main__ import main

    assert callable(main)


def test_every_listed_data_file_exists_and_lands_under_assets():
    datas = rules.asset_datas()
    names = {Path(source).name for source, _ in datas}
    assert set(rules.REQUIRED_ASSETS) <= names
    for source, dest in datas:
        assert Path(source).is_file(), source
        assert dest == "assets"  # where core.assets.asset_dir() looks when frozen


def test_asset_path_finds_every_required_asset_from_source():
    for name in rules.REQUIRED_ASSETS:
        assert assets.asset_path(name).is_file(), name


def test_asset_path_looks_in_the_bundle_when_frozen(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert assets.asset_path("digits.npz") == tmp_path / "assets" / "digits.npz"


def test_icon_is_a_256_px_png_and_matches_its_generator():
    assert _png_size(rules.ICON_PNG) == (256, 256)
    make_icon = _load(ROOT / "scripts" / "make_icon.py", "ascent_make_icon")
    assert (ROOT / "assets" / "icon.svg").read_text(encoding="utf-8") == make_icon.svg_text(), \
        "assets/icon.svg is stale: run .venv/bin/python scripts/make_icon.py"


def test_desktop_entry_has_the_keys_a_menu_needs():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(PACKAGING / "ascent-lab.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Ascent Lab"
    assert entry["Exec"].split()[0] == "ascent-lab"
    assert entry["Icon"] == "ascent-lab"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert entry["Exec"] == "ascent-lab %f"  # a file opened from the desktop is passed on
    assert "application/x-ascent-lab-session" in entry["MimeType"].split(";")


def test_the_session_mime_type_matches_dot_ascent_files():
    import xml.etree.ElementTree as ET

    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(PACKAGING / "ascent-lab.xml").getroot()
    kind = root.find("m:mime-type", ns)
    assert kind.get("type") == "application/x-ascent-lab-session"
    assert [g.get("pattern") for g in kind.findall("m:glob", ns)] == ["*.ascent"]
    assert "packaging/ascent-lab.xml" in (PACKAGING / "build.sh").read_text()


def test_scripts_are_executable_and_parse():
    build = PACKAGING / "build.sh"
    assert build.stat().st_mode & 0o111
    subprocess.run(["bash", "-n", str(build)], check=True, timeout=10)


# ----------------------------------------------------------------------------- what ships


def test_heavy_and_test_packages_are_excluded():
    for name in ("scipy", "sklearn", "torch", "pytest", "hypothesis", "IPython", "matplotlib",
                 "tkinter", "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick",
                 "PySide6.QtPdf"):
        assert name in rules.EXCLUDES, name


def test_app_sources_import_nothing_the_bundle_excludes():
    # An import of an excluded module works from source and fails only in the frozen app.
    excluded = set(rules.EXCLUDES)
    offenders = []
    for path in [*(ROOT / "core").rglob("*.py"), *(ROOT / "gui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if any(".".join(parts[:i]) in excluded for i in range(1, len(parts) + 1)):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_hidden_imports_exist_and_are_not_excluded():
    # pyqtgraph 0.14 imports QtOpenGLWidgets (and QtOpenGL) by computed name at import time.
    assert "PySide6.QtOpenGLWidgets" in rules.HIDDEN_IMPORTS
    for name in rules.HIDDEN_IMPORTS:
        assert importlib.util.find_spec(name) is not None, name
        assert not any(name == ex or name.startswith(ex + ".") for ex in rules.EXCLUDES), name


def test_qtopengl_is_either_shipped_or_replaced_by_the_placeholder():
    if rules.SHIP_QTOPENGL:
        assert "PySide6.QtOpenGL" in rules.HIDDEN_IMPORTS
    else:
        assert "PySide6.QtOpenGL" in rules.EXCLUDES
        assert [Path(hook).name for hook in rules.RUNTIME_HOOKS] == ["rthook_qtopengl.py"]
        assert all(Path(hook).is_file() for hook in rules.RUNTIME_HOOKS)


@pytest.mark.skipif(rules.SHIP_QTOPENGL, reason="QtOpenGL ships")
def test_gui_turns_no_opengl_drawing_on():
    # The bundle leaves PySide6.QtOpenGL out (SHIP_QTOPENGL): OpenGL drawing would fail there.
    # useOpenGL=False (what gui/widgets/network_items.py passes) is fine.
    turns_on = re.compile(r"useOpenGL['\"]?\s*[=:,]\s*True|enableExperimental|\bQtOpenGL\b")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group()}"
        for path in (ROOT / "gui").rglob("*.py")
        for match in turns_on.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert turns_on.search("pg.setConfigOptions(useOpenGL=True)")
    assert turns_on.search("pg.setConfigOption('useOpenGL', True)")
    assert not turns_on.search("PlotWidget(parent, useOpenGL=False)")


@pytest.mark.skipif(rules.SHIP_QTOPENGL, reason="QtOpenGL ships")
def test_pyqtgraph_imports_and_draws_with_the_qtopengl_placeholder():
    # What the frozen app does: the runtime hook runs first, then the app imports pyqtgraph.
    code = (
        "import runpy, sys\n"
        f"runpy.run_path({str(rules.RUNTIME_HOOKS[0])!r})\n"
        "import pyqtgraph as pg\n"
        "app = pg.mkQApp()\n"
        "w = pg.PlotWidget(); w.plot([0, 1, 2], [2, 0, 1]); w.addItem(pg.ImageItem())\n"
        "w.resize(200, 150); w.grab()\n"
        "from pyqtgraph.graphicsItems import PlotCurveItem as m\n"
        "try:\n"
        "    m.QtOpenGL.QOpenGLBuffer\n"
        "except ImportError as e:\n"
        "    print('placeholder:', e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "placeholder: PySide6.QtOpenGL.QOpenGLBuffer" in result.stdout


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ("PySide6/QtCore.abi3.so", True),
    ("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", True),
    ("assets/digits.npz", True),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),  # macOS builds keep their plugins
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),  # and so do Windows builds
])
def test_qt_plugin_and_translation_pruning(dest, kept):
    assert rules.keep(dest) is kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux plugin names")
def test_every_kept_qt_plugin_exists_in_the_installed_pyside6():
    import PySide6

    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins"
    missing = [p for p in rules.KEEP_QT_PLUGINS if not (plugins / f"{p}.so").is_file()]
    assert missing == []


def test_prune_unreferenced_keeps_roots_and_what_they_load():
    binaries = [
        ("PySide6/QtCore.abi3.so", "/sp/PySide6/QtCore.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/sp/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/sp/libQt6Network.so.6", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),
        ("libz.so.1", "/lib/libz.so.1", "BINARY"),
        ("libkrb5.so.3", "/lib/libkrb5.so.3", "BINARY"),
        ("libX11.so.6", "/lib/libX11.so.6", "BINARY"),
        ("libstdc++.so.6", "/lib/libstdc++.so.6", "BINARY"),
    ]
    loads = {
        "/sp/PySide6/QtCore.abi3.so": ["libQt6Core.so.6", "/lib/libX11.so.6", "libstdc++.so.6"],
        "/usr/lib/libpython3.11.so.1.0": ["/lib/libz.so.1"],
    }
    kept = [d for d, _, _ in rules.prune_unreferenced(binaries, lambda s: loads.get(s, []))]
    assert kept == ["PySide6/QtCore.abi3.so", "PySide6/Qt/lib/libQt6Core.so.6",
                    "libpython3.11.so.1.0", "libz.so.1"]


def test_dangling_symlinks_are_dropped():
    entries = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("assets/README", "/src/assets/README", "DATA"),
    ]
    kept = rules.drop_dangling_symlinks(entries, ["PySide6/Qt/lib/libQt6Core.so.6"])
    assert [d for d, _, _ in kept] == ["libQt6Core.so.6", "assets/README"]


def test_only_python_own_binaries_are_stripped():
    assert rules.should_strip("libpython3.11.so.1.0")
    assert rules.should_strip("python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so")
    # patchelf-ed by auditwheel: stripping breaks them
    assert not rules.should_strip("numpy.libs/libscipy_openblas64_-32a4b2a6.so")
    assert not rules.should_strip("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so")
    assert not rules.should_strip("PySide6/Qt/lib/libQt6Core.so.6")


# ----------------------------------------------------------------------------- frozen test


def test_frozen_log_check_flags_errors_and_qt_warnings():
    good = ("Ascent Lab self-test\n  steps 607, LL -0.3420, train accuracy 100.0 %\n"
            "This plugin does not support propagateSizeHints()\nSELF-TEST PASSED\n")
    assert test_frozen.bad_lines(good) == []
    for bad in ("Traceback (most recent call last):",
                "ModuleNotFoundError: No module named 'PySide6.QtOpenGL'",
                "qt.qpa.plugin: Could not find the Qt platform plugin \"wayland\" in \"\"",
                "QPainter::begin: Paint device returned engine == 0, type: 2",
                "QWidget::repaint: Recursive repaint detected",
                "Warning: something",
                "Fontconfig warning: \"/etc/fonts/fonts.conf\", line 5: unknown element",
                "[qt] QtWarningMsg: Could not find the Qt platform plugin",
                "[PYI-1234:ERROR] Failed to execute script 'launcher'"):
        assert test_frozen.bad_lines(good + bad) == [bad], bad


def test_frozen_screenshot_check_tells_a_window_from_a_blank(tmp_path):
    from PySide6.QtGui import QColor, QImage

    blank = QImage(400, 300, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    blank_png = tmp_path / "blank.png"
    assert blank.save(str(blank_png))
    assert test_frozen.distinct_colours(blank_png)[2] < test_frozen.MIN_COLOURS
    assert test_frozen.distinct_colours(rules.ICON_PNG)[2] >= test_frozen.MIN_COLOURS
    assert test_frozen.distinct_colours(tmp_path / "missing.png") == (0, 0, 0)
