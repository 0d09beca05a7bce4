"""core is pure numpy: importing it loads no Qt, pyqtgraph or gui (the design card)."""

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "gui", "shiboken6")


def test_core_sources_import_no_qt_pyqtgraph_or_gui():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_core_loads_no_gui_module():
    code = (
        "import sys, core, core.grid, core.training, core.network, core.logistic\n"
        "import importlib.util\n"
        "for extra in ('core.datasets', 'core.cli'):\n"
        "    if importlib.util.find_spec(extra): __import__(extra)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def _gui_imports(folder: str) -> dict[str, list[str]]:
    """Every ``gui.*`` module each file in gui/<folder> imports."""
    found: dict[str, list[str]] = {}
    for path in (ROOT / "gui" / folder).rglob("*.py"):
        names: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "gui":
                names += [f"gui.{alias.name}" for alias in node.names]  # from gui import x
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
        found[path.name] = [n for n in names if n == "gui" or n.startswith("gui.")]
    return found


def _workbenches() -> set[str]:
    """Packages of gui/ that are workbenches: everything but the engine and the widgets."""
    return {p.name for p in (ROOT / "gui").iterdir()
            if p.is_dir() and (p / "__init__.py").exists()} - {"engine", "widgets"}


def test_the_engine_imports_no_workbench_and_no_widget():
    allowed = ("gui.engine",)
    offenders = [f"engine/{f}: {m}" for f, mods in _gui_imports("engine").items()
                 for m in mods if not m.startswith(allowed)]
    assert offenders == []
    assert "playground" in _workbenches()


def test_shared_widgets_import_no_workbench():
    allowed = ("gui.engine", "gui.widgets", "gui.style")
    offenders = [f"widgets/{f}: {m}" for f, mods in _gui_imports("widgets").items()
                 for m in mods if not m.startswith(allowed)]
    assert offenders == []
