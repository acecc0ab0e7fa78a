"""DWARF source attribution for wasm modules (elftools only here)."""
