"""Purity: is a handler safe to reuse warm and to snapshot? (see docs/purity.md)."""
