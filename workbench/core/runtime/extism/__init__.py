"""Extism plugins run through the `extism` host SDK (the optional extra `workbench[extism]`)."""
