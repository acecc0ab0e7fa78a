"""Modal screens of the workbench app (help)."""
