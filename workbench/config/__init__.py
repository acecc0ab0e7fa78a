"""Module and workspace configuration: module.toml, workbench.toml, their checks."""
