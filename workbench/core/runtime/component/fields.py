"""wasi:http/types `fields` (also `headers` and `trailers`: one host resource type)."""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


class Fields:
    RESOURCE_ID = 10

    def __init__(self, entries: list[tuple[str, bytes]] | None = None,
                 immutable: bool = False):
        self.entries = list(entries or [])
        self.immutable = immutable

    @staticmethod
    def from_list(entries: list[tuple[str, bytes]]) -> Any:
        for name, value in entries:
            if not _TOKEN.match(name) or _BAD_VALUE.search(value):
                return ("err", ("invalid-syntax", None))
        return ("ok", Fields(entries))

    def get(self, name: str) -> list[bytes]:
        low = name.lower()
        return [v for k, v in self.entries if k.lower() == low]

    def has(self, name: str) -> bool:
        low = name.lower()
        return any(k.lower() == low for k, _ in self.entries)

    def _check(self, name: str, values: list[bytes]) -> Any:
        if self.immutable:
            return ("err", ("immutable", None))
        if not _TOKEN.match(name) or any(_BAD_VALUE.search(v) for v in values):
            return ("err", ("invalid-syntax", None))
        return None

    def set(self, name: str, values: list[bytes]) -> Any:
        bad = self._check(name, values)
        if bad:
            return bad
        low = name.lower()
        self.entries = [(k, v) for k, v in self.entries if k.lower() != low]
        self.entries += [(name, v) for v in values]
        return ("ok", None)

    def delete(self, name: str) -> Any:
        bad = self._check(name, [])
        if bad:
            return bad
        low = name.lower()
        self.entries = [(k, v) for k, v in self.entries if k.lower() != low]
        return ("ok", None)

    def get_and_delete(self, name: str) -> Any:
        values = self.get(name)
        res = self.delete(name)
        return res if res[0] == "err" else ("ok", values)

    def append(self, name: str, value: bytes) -> Any:
        bad = self._check(name, [value])
        if bad:
            return bad
        self.entries.append((name, value))
        return ("ok", None)

    def copy_entries(self) -> list[tuple[str, bytes]]:
        return list(self.entries)

    def clone(self) -> Fields:
        return Fields(self.entries)


FIELDS_FUNCS: dict[str, Any] = {
    "[constructor]fields": lambda: Fields(),
    "[static]fields.from-list": Fields.from_list,
    "[method]fields.get": Fields.get,
    "[method]fields.has": Fields.has,
    "[method]fields.set": Fields.set,
    "[method]fields.delete": Fields.delete,
    "[method]fields.get-and-delete": Fields.get_and_delete,
    "[method]fields.append": Fields.append,
    "[method]fields.entries": Fields.copy_entries,
    "[method]fields.clone": Fields.clone,
}
