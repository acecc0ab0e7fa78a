"""Pure logic: no textual, no rich, no printing. The CLI and the TUI both render it."""
