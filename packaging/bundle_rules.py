"""What goes into the frozen Ascent Lab bundle, kept apart from the spec so tests can check it.

``packaging/ascent-lab.spec`` loads this file by path (the folder is not a Python package:
``import packaging`` must keep meaning the PyPI library PyInstaller and pip rely on).
Everything here is plain data plus two pure functions; nothing imports PyInstaller or Qt.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

APP_NAME = "ascent-lab"
ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
ICON_PNG = ASSETS / "icon.png"

# Every file in assets/ ships, under "assets/" in the bundle, where core.assets.asset_dir()
# looks when sys.frozen is set (sys._MEIPASS/assets).
REQUIRED_ASSETS = ("digits.npz", "icon.png", "icon.svg", "README")

# Qt's OpenGL bindings. pyqtgraph 0.14 imports PySide6.QtOpenGL and PySide6.QtOpenGLWidgets
# with importlib.import_module(f"{QT_LIB}.QtOpenGL") from PlotCurveItem, GraphicsView and
# Qt/OpenGLHelpers, at import time: PyInstaller cannot see that, and without them
# `import pyqtgraph` fails. It uses them only when OpenGL drawing is switched on
# (pg.setConfigOptions(useOpenGL=True) or enableExperimental), which the app never does: it
# draws with QPainter. So QtOpenGLWidgets (0.1 MB) ships, while the QtOpenGL bindings (8.9 MB,
# the largest module of the bundle) stay out and packaging/rthook_qtopengl.py registers a
# placeholder that raises ImportError on first use. tests/test_packaging.py checks that gui/
# turns no OpenGL drawing on; set SHIP_QTOPENGL = True if it ever must.
SHIP_QTOPENGL = False
RUNTIME_HOOKS = [] if SHIP_QTOPENGL else [str(Path(__file__).with_name("rthook_qtopengl.py"))]

# Modules PyInstaller cannot see because they are imported by computed names.
HIDDEN_IMPORTS = [
    *(["PySide6.QtOpenGL"] if SHIP_QTOPENGL else []),
    "PySide6.QtOpenGLWidgets",
    # The ui templates behind the ViewBox and PlotItem context menus and the export dialog.
    # 0.14 imports the *_generic modules statically (older releases loaded
    # *Template_pyside6 dynamically); listed anyway so a pyqtgraph upgrade cannot drop them.
    "pyqtgraph.graphicsItems.ViewBox.axisCtrlTemplate_generic",
    "pyqtgraph.graphicsItems.PlotItem.plotConfigTemplate_generic",
    "pyqtgraph.GraphicsScene.exportDialogTemplate_generic",
    "pyqtgraph.imageview.ImageViewTemplate_generic",
    # Pillow registers its file formats by computed name (Image.init): the GIF writer and
    # the PNG one (read back by the frozen self-test of exports)
    "PIL.GifImagePlugin",
    "PIL.PngImagePlugin",
]

# Python modules the app never uses but that are installed in a development venv (and would
# otherwise be dragged in through optional imports: numpy -> scipy, pyqtgraph -> matplotlib).
EXCLUDES = [
    # heavy scientific stacks: peers for benchmarks and tests only
    "scipy", "sklearn", "torch", "sympy", "networkx", "pandas", "matplotlib", "numba",
    "cupy", "h5py", "cv2", "colorcet",
    # MP4 export's encoder (a 70 MB ffmpeg): the optional extra "video", not in the bundle,
    # which writes GIF only (gui.export.writers offers MP4 where it is importable)
    "imageio_ffmpeg",
    # Pillow (GIF export) ships; its Tk and Qt bridges, colour management and the AVIF and
    # WebP codecs are not used (their libraries, ~6 MB, then go: "pillow.libs" below)
    "PIL.ImageTk", "PIL.ImageQt", "PIL.ImageCms", "PIL._imagingcms", "PIL._avif", "PIL._webp",
    "PIL.AvifImagePlugin", "PIL.WebPImagePlugin",
    # test and dev tools
    "pytest", "_pytest", "pytestqt", "hypothesis", "IPython", "jedi", "mypy", "ruff",
    "setuptools", "pkg_resources", "pip", "PyInstaller", "numpy.f2py",
    "unittest", "doctest", "lib2to3",
    # GUI toolkits and Qt bindings we do not use
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2",
    # pyqtgraph parts that need other packages (PyOpenGL, Jupyter) or are demos
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter", "pyqtgraph.canvas",
    "pyqtgraph.flowchart",
    # Qt modules: pyqtgraph needs QtCore/QtGui/QtWidgets, QtOpenGLWidgets at import time (and
    # QtOpenGL, see SHIP_QTOPENGL), QtTest for the self-test, QtSvg for its "Export... > SVG"
    # menu (small: kept). The rest is unused.
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtQuickTest", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtPrintSupport", "PySide6.QtSql", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtDBus",
    "PySide6.QtSvgWidgets", "PySide6.QtMultimedia", "PySide6.QtWebEngineCore",
    *([] if SHIP_QTOPENGL else ["PySide6.QtOpenGL"]),
]

# Qt plugins kept, by "<type>/<file stem>"; every other plugin PyInstaller collects is dropped.
# A Linux desktop needs a platform (xcb for X11 and XWayland, wayland for native Wayland,
# offscreen for tests and CI), GL glue for xcb, Wayland's shell and decorations, the compose
# input context (dead keys, accents) and ibus, and the portal theme (native file dialogs in
# sandboxes). PNG reading/writing is built into QtGui, so no imageformats plugin is needed.
KEEP_QT_PLUGINS = {
    "platforms/libqxcb",
    "platforms/libqoffscreen",
    "platforms/libqwayland",
    "xcbglintegrations/libqxcb-glx-integration",
    "xcbglintegrations/libqxcb-egl-integration",
    "platforminputcontexts/libcomposeplatforminputcontextplugin",
    "platforminputcontexts/libibusplatforminputcontextplugin",
    "platformthemes/libqxdgdesktopportal",
    "wayland-shell-integration/libxdg-shell",
    "wayland-decoration-client/libbradient",
    "wayland-decoration-client/libadwaita",
    "wayland-graphics-integration-client/libqt-plugin-wayland-egl",
}

# Folders whose shared libraries are only there because something else links to them: after
# the plugin pruning, a library here ships only if a remaining binary still needs it.
# "" is the bundle's top level, where PyInstaller puts system libraries (libX11, libcrypto...).
LIBRARY_FOLDERS = ("", "PySide6/Qt/lib", "numpy.libs", "pillow.libs")

# Extension modules of the standard library that pull in big system libraries the app does not
# use: OpenSSL (_ssl, _hashlib: hashlib falls back to its built-in hashes) and GNU readline.
EXCLUDES += ["ssl", "_ssl", "_hashlib", "readline"]
# The CJK codecs (about 1 MB): the app reads and writes UTF-8 only (core.datasets).
EXCLUDES += ["_multibytecodec", "_codecs_cn", "_codecs_hk", "_codecs_iso2022", "_codecs_jp",
             "_codecs_kr", "_codecs_tw"]


# System libraries left to the host: the ones a pip-installed PySide6 already takes from the
# system. That is the manylinux policy's list (libstdc++, libgcc_s, libX11, libXext,
# libXrender, libGL, GLib...) plus the X11/xcb, Wayland, fontconfig, freetype and D-Bus stack
# Qt's wheels link to (see the apt list in the README), like the AppImage "excludelist".
# Bundling them from the build machine gains nothing and breaks on newer hosts: an old
# fontconfig misreads the host's configuration ("Fontconfig warning" lines, missing fonts), an
# old libstdc++ stops the host's Mesa GL drivers from loading. libexpat goes too: fontconfig
# needs it, so every desktop has it, and Debian 12's copy alone would raise the bundle's glibc
# floor from 2.35 (libpython's) to 2.36 and lock out Ubuntu 22.04. Python's other small
# dependencies (libz, libbz2, liblzma, libffi) stay bundled.
HOST_LIBS = (
    "libstdc++", "libgcc_s", "libexpat",
    "libX11", "libXau", "libXdmcp", "libXext", "libXrender", "libICE", "libSM", "libxcb",
    "libxkbcommon", "libfontconfig", "libfreetype", "libpng16", "libbrotli", "libharfbuzz",
    "libgraphite2", "libdbus-1", "libsystemd", "libgcrypt", "libgpg-error", "liblz4", "libzstd",
    "libcap", "libglib-2.0", "libgthread-2.0", "libgobject-2.0", "libgio-2.0", "libgmodule-2.0",
    "libpcre2", "libbsd", "libmd", "libGL", "libEGL", "libOpenGL", "libGLX", "libGLdispatch",
    "libwayland-", "libdrm", "libgbm",
)


def _qt_relative(dest: str) -> PurePosixPath | None:
    """Return the path of ``dest`` below ``PySide6/Qt`` or None if it is not a Qt file."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    for i in range(len(parts) - 1):
        if parts[i] == "PySide6" and parts[i + 1] == "Qt":
            return PurePosixPath(*parts[i + 2:])
    return None


def keep(dest: str) -> bool:
    """Decide whether the bundle entry with destination path ``dest`` ships.

    Drops Qt translations and the Linux Qt plugins (``.so``) not in KEEP_QT_PLUGINS; keeps
    everything else, so the plugins of Windows (``.dll``) and macOS (``.dylib``) builds, which
    KEEP_QT_PLUGINS does not name, all ship.
    """
    rel = _qt_relative(dest)
    if rel is None:
        return True
    if rel.parts[:1] == ("translations",):
        return False
    if rel.parts[:1] == ("plugins",) and len(rel.parts) >= 3 and rel.name.endswith(".so"):
        return f"{rel.parts[1]}/{rel.name.removesuffix('.so')}" in KEEP_QT_PLUGINS
    return True


def filter_toc(entries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Keep the (dest, source, typecode) entries of a PyInstaller TOC that :func:`keep` accepts."""
    return [entry for entry in entries if keep(entry[0])]


def _is_top_level(dest: str) -> bool:
    return len(PurePosixPath(dest.replace("\\", "/")).parts) == 1


def _is_library(dest: str) -> bool:
    """True for a plain shared library in one of LIBRARY_FOLDERS (not a module or plugin)."""
    path = PurePosixPath(dest.replace("\\", "/"))
    folder = "" if len(path.parts) == 1 else str(path.parent)
    return folder in LIBRARY_FOLDERS and path.name.startswith("lib") and ".so" in path.name


def prune_unreferenced(
    binaries: Iterable[tuple[str, str, str]],
    imports_of: Callable[[str], Iterable[str]],
) -> list[tuple[str, str, str]]:
    """Drop HOST_LIBS and the libraries of LIBRARY_FOLDERS that no remaining binary needs (Linux).

    Parameters
    ----------
    binaries : iterable of (dest, source, typecode)
        PyInstaller's ``a.binaries`` after :func:`filter_toc`.
    imports_of : callable
        ``imports_of(source)`` returns the file names of every library ``source`` loads,
        directly or indirectly (``ldd`` gives exactly that).

    Returns
    -------
    list of (dest, source, typecode)
        Every extension module, plugin and ``libpython`` (the roots), plus the libraries
        some root needs, minus the top-level libraries named in HOST_LIBS.
    """
    entries = [
        entry for entry in binaries
        if not (_is_top_level(entry[0]) and PurePosixPath(entry[0]).name.startswith(HOST_LIBS))
    ]
    needed: set[str] = set()
    for dest, source, _kind in entries:
        if not _is_library(dest) or PurePosixPath(dest).name.startswith("libpython"):
            needed.update(PurePosixPath(name).name for name in imports_of(source))
    return [
        entry for entry in entries
        if not _is_library(entry[0])
        or PurePosixPath(entry[0]).name.startswith("libpython")
        or PurePosixPath(entry[0]).name in needed
    ]


def drop_dangling_symlinks(
    entries: Iterable[tuple[str, str, str]], shipped: Iterable[str]
) -> list[tuple[str, str, str]]:
    """Drop SYMLINK entries whose target is not among the ``shipped`` destination paths.

    PyInstaller records a top-level link for each library inside a package folder
    (``libQt6Gui.so.6 -> PySide6/Qt/lib/libQt6Gui.so.6``); once a library is pruned its
    link must go too. SYMLINK entries are (dest, target relative to dest's folder, "SYMLINK").
    """
    targets = {str(PurePosixPath(d.replace("\\", "/"))) for d in shipped}
    kept = []
    for dest, source, kind in entries:
        if kind == "SYMLINK":
            parent = PurePosixPath(dest.replace("\\", "/")).parent
            target = posixpath.normpath(str(parent / source.replace("\\", "/")))
            if target not in targets:
                continue
        kept.append((dest, source, kind))
    return kept


def should_strip(dest: str) -> bool:
    """True for the binaries worth stripping on Linux: libpython and the stdlib's extensions.

    They carry about 20 MB of symbol tables. Everything else is left alone: Qt's libraries
    come stripped, and the libraries auditwheel patched with patchelf (numpy's extension
    modules and numpy.libs/) break when stripped ("ELF load command address/offset not
    page-aligned"), which is why PyInstaller's global ``strip=True`` is not used.
    """
    path = PurePosixPath(dest.replace("\\", "/"))
    if len(path.parts) == 1:
        return path.name.startswith("libpython")
    return len(path.parts) == 3 and path.parts[1] == "lib-dynload" and path.parts[0].startswith(
        "python3"
    )


def asset_datas() -> list[tuple[str, str]]:
    """Return the (source, dest folder) pairs for PyInstaller's ``datas``: all of assets/."""
    return [(str(path), "assets") for path in sorted(ASSETS.iterdir()) if path.is_file()]
