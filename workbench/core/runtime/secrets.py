"""Secrets for `edge.secret_get`, read from a local TOML file that never leaves the machine.

Looked up as `<workspace>/.workbench/secrets.toml` (the `.workbench/` folder is meant to be
git-ignored), a flat table of string values:

    API_TOKEN = "s3cr3t"

Every secret value is redacted from every log line, error message and response the
workbench shows: occurrences are replaced with `[redacted:NAME]`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError
from workbench.core.files import FileRefused, read_limited

SECRETS_FILE = Path(".workbench") / "secrets.toml"
_MIN_REDACT_LEN = 3  # redacting "a" everywhere would make every view unreadable


class Secrets:
    def __init__(self, values: Mapping[str, str] | None = None):
        self.values: dict[str, str] = dict(values or {})
        # Longest first, so a secret containing another is replaced whole.
        self._pairs = sorted(((v, k) for k, v in self.values.items()
                              if len(v) >= _MIN_REDACT_LEN), key=lambda p: -len(p[0]))
        self._bpairs = [(v.encode(), f"[redacted:{k}]".encode()) for v, k in self._pairs]

    @classmethod
    def load(cls, path: Path) -> Secrets:
        """Secrets from a TOML file; a missing file means no secrets."""
        if not path.exists():
            return cls()
        try:
            doc = tomllib.loads(read_limited(path).decode("utf-8"))
        except RecursionError:
            raise ConfigError("cannot read secrets: nested too deeply", file=str(path),
                              hint="a flat table of NAME = \"value\" lines") from None
        except FileRefused as e:
            raise ConfigError(f"cannot read secrets: {e.message}", file=str(path),
                              hint=e.hint) from None
        except UnicodeDecodeError as e:
            raise ConfigError(f"cannot read secrets: not UTF-8 text ({e.reason})",
                              file=str(path),
                              hint="a flat table of NAME = \"value\" lines") from None
        except (OSError, tomllib.TOMLDecodeError) as e:
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
