"""A file the process cannot open, also when the tests run as root (which reads a chmod
000 file anyway): `os.open` refuses paths ending in the given name."""

from __future__ import annotations

import os

import pytest


def deny_opening(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = os.open

    def denied(path: object, *args: object, **kw: object) -> int:
        if str(path).endswith(name):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
