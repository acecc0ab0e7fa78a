"""workbench: a terminal workbench for WebAssembly edge handlers."""

__version__ = "0.1.0"
