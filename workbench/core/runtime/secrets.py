"""Secrets for `edge.secret_get`, read from a local TOML file that never leaves the machine.

Looked up as `<workspace>/.workbench/secrets.toml` (the `.workbench/` folder is meant to be
git-ignored), a flat table of string values:

    API_TOKEN = "s3cr3t"

A module reads only the secrets its module.toml grants (`secrets = ["API_TOKEN"]`):
`Secrets.for_workspace(root).granted(names)`. Redaction covers every secret of the file,
granted or not, in every encoding the workbench writes a guest's bytes in: as is, Python
repr escapes (a backslash doubled, an escaped quote, \\xNN in error previews), JSON escapes
(replay stores, `--json`), hex with and without spaces (binary previews) and
percent-encoding. Occurrences become `[redacted:NAME]`. A preview cut in the middle of a
secret can still show its first bytes (partial: previews are 64 bytes).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError
from workbench.core.files import FileRefused, read_limited
from workbench.core.tomldoc import TomlSyntax, parse_toml

SECRETS_FILE = Path(".workbench") / "secrets.toml"
_MIN_REDACT_LEN = 3  # redacting "a" everywhere would make every view unreadable


def encodings(value: str) -> set[str]:
    """The ways a value can appear in text the workbench writes (see the module docstring)."""
    raw = value.encode("utf-8")
    forms = {value, repr(value)[1:-1], repr(value + "'")[1:-2], repr(raw)[2:-1],
             repr(raw + b"'")[2:-2], json.dumps(value)[1:-1],
             json.dumps(value, ensure_ascii=False)[1:-1], raw.hex(), raw.hex().upper(),
             raw.hex(" "), raw.hex(" ").upper(), urllib.parse.quote(value, safe=""),
             urllib.parse.quote_plus(value), value.encode("unicode_escape").decode("ascii")}
    return {f for f in forms if len(f) >= _MIN_REDACT_LEN}


class Secrets:
    def __init__(self, values: Mapping[str, str] | None = None,
                 grant: Iterable[str] | None = None):
        """`values`: every secret (all are redacted); `grant`: the names `get` returns
        (None: all of them, for code that holds a module's own secrets already)."""
        self.values: dict[str, str] = dict(values or {})
        self.grant = None if grant is None else frozenset(grant)
        # Longest first, so a secret containing another is replaced whole.
        self._pairs = sorted(((form, k) for k, v in self.values.items()
                              for form in encodings(v)), key=lambda p: -len(p[0]))
        self._bpairs = [(v.encode(), f"[redacted:{k}]".encode()) for v, k in self._pairs]

    def granted(self, names: Iterable[str]) -> Secrets:
        """The same secrets (all still redacted) of which a module may read only `names`."""
        return Secrets(self.values, names)

    def refused(self, name: str) -> bool:
        """A secret that exists but was not granted to this module (a hint in its logs)."""
        return name in self.values and self.grant is not None and name not in self.grant

    @classmethod
    def load(cls, path: Path) -> Secrets:
        """Secrets from a TOML file; a missing file means no secrets."""
        if not path.exists():
            return cls()
        try:
            doc = parse_toml(read_limited(path).decode("utf-8"))
        except TomlSyntax as e:
            raise ConfigError(f"cannot read secrets: {e.message}", file=str(path),
                              line=e.line, hint=e.hint or "a flat table of NAME = \"value\" "
                              "lines") from None
        except FileRefused as e:
            raise ConfigError(f"cannot read secrets: {e.message}", file=str(path),
                              hint=e.hint) from None
        except UnicodeDecodeError as e:
            raise ConfigError(f"cannot read secrets: not UTF-8 text ({e.reason})",
                              file=str(path),
                              hint="a flat table of NAME = \"value\" lines") from None
        except OSError as e:
            raise ConfigError(f"cannot read secrets: {e}", file=str(path),
                              hint="a flat table of NAME = \"value\" lines") from None
        bad = [k for k, v in doc.items() if not isinstance(v, str)]
        if bad:
            raise ConfigError("secret values must be strings", file=str(path), key=bad[0])
        return cls(doc)

    @classmethod
    def for_workspace(cls, root: Path) -> Secrets:
        return cls.load(Path(root) / SECRETS_FILE)

    def get(self, name: str) -> str | None:
        if self.grant is not None and name not in self.grant:
            return None
        return self.values.get(name)

    def __bool__(self) -> bool:
        return bool(self.values)

    def redact(self, text: str) -> str:
        for value, name in self._pairs:
            if value in text:
                text = text.replace(value, f"[redacted:{name}]")
        return text

    def redact_bytes(self, data: bytes) -> bytes:
        for value, repl in self._bpairs:
            if value in data:
                data = data.replace(value, repl)
        return data

    def redact_json(self, doc: Any) -> Any:
        """Every string inside a JSON-like value (dicts, lists, tuples) redacted."""
        if isinstance(doc, str):
            return self.redact(doc)
        if isinstance(doc, dict):
            return {k: self.redact_json(v) for k, v in doc.items()}
        if isinstance(doc, list | tuple):
            return [self.redact_json(v) for v in doc]
        return doc
