"""Widgets of the workbench app: the module list and one view per tab."""
