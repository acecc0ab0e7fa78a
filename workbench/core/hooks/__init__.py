"""Scriptless hooks: declarative rules that answer requests before a module starts."""
