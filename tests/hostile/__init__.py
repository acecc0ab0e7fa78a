"""Hostile and third-party input for every command that reads a file or typed value."""
