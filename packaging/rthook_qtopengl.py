"""PyInstaller runtime hook: a placeholder for PySide6.QtOpenGL, left out of the bundle.

pyqtgraph 0.14 imports PySide6.QtOpenGL at import time but uses it only for OpenGL drawing,
which Ascent Lab never switches on (see SHIP_QTOPENGL in packaging/bundle_rules.py). This
placeholder lets the import succeed and fails loudly at the first real use.
"""

import sys
import types


class _LeftOut(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(
            f"PySide6.QtOpenGL.{name}: Qt's OpenGL bindings are not in this build of Ascent "
            "Lab (it draws without OpenGL); see SHIP_QTOPENGL in packaging/bundle_rules.py"
        )


sys.modules.setdefault("PySide6.QtOpenGL", _LeftOut("PySide6.QtOpenGL"))
