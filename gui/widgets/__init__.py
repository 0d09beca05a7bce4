"""Widgets shared by every workbench; they never import a workbench."""
