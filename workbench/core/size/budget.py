"""Size budgets from module.toml's [budget] table, and checking a module against them.

A budget caps the whole file (`max_bytes`), its gzip -9 size (`max_gzip_bytes`, what a
CDN actually ships) and any section's payload by name (`sections = { code = 40000 }`;
custom sections by their name, e.g. ".debug_info"). A limit is "over" only when the
actual size is strictly greater than the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.wasm.model import Module


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


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One limit: `limit` is "max_bytes", "max_gzip_bytes" or "section:<name>"."""

    limit: str
    actual: int
    max: int
    found: bool = True  # False: a section limit whose section is not in the module


    @property
    def over(self) -> bool:
        return self.actual > self.max

    @property
    def headroom(self) -> int:
        """Bytes left before the limit (negative when over)."""
        return self.max - self.actual

    def to_json(self) -> dict[str, Any]:
        return {"limit": self.limit, "actual": self.actual, "max": self.max,
                "over": self.over, "headroom": self.headroom, "found": self.found}


@dataclass(frozen=True)
class BudgetReport:
    lines: tuple[BudgetLine, ...]
    name: str | None = None  # module name or file, for display

    @property
    def ok(self) -> bool:
        return not any(line.over for line in self.lines)

    @property
    def over(self) -> tuple[BudgetLine, ...]:
        return tuple(line for line in self.lines if line.over)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "limits": [x.to_json() for x in self.lines]}


def section_size(module: Module, name: str) -> int:
    """Payload bytes of every section called `name` (custom sections may repeat); 0 if none."""
    return sum(s.size for s in module.sections if s.name == name)


def check_budget(module: Module, budget: Budget, gzip_size: int | None = None, *,
                 name: str | None = None) -> BudgetReport:
    """Compare a module with its budget. `gzip_size` is computed when needed and not given."""
    lines: list[BudgetLine] = []
    if budget.max_bytes is not None:
        lines.append(BudgetLine("max_bytes", module.size, budget.max_bytes))
    if budget.max_gzip_bytes is not None:
        if gzip_size is None:
            from workbench.core.size.gzip import gzip_size as compute

            gzip_size = compute(bytes(module.data))
        lines.append(BudgetLine("max_gzip_bytes", gzip_size, budget.max_gzip_bytes))
    for section, limit in sorted(budget.sections.items()):
        found = any(s.name == section for s in module.sections)
        lines.append(BudgetLine(f"section:{section}", section_size(module, section), limit,
                                found))
    return BudgetReport(tuple(lines), name)


check = check_budget  # short name used by the TUI's job table
