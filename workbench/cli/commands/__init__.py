"""One module per subcommand; see workbench/cli/__init__.py for the protocol."""
