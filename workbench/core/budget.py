"""Size budgets from module.toml's [budget] table, and checking a module against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Budget:
    max_bytes: int | None = None
    max_gzip_bytes: int | None = None
    sections: dict[str, int] = field(default_factory=dict)  # section name -> max payload bytes

    @property
    def empty(self) -> bool:
        return self.max_bytes is None and self.max_gzip_bytes is None and not self.sections

    def to_json(self) -> dict[str, Any]:
        return {"max_bytes": self.max_bytes, "max_gzip_bytes": self.max_gzip_bytes,
                "sections": dict(self.sections)}
