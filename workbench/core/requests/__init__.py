"""Saved requests: model, formats (Hurl, .http, curl), assertions, replay, store, JUnit."""
