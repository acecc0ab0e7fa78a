"""Shared helpers: a stub harness that answers every request with one response."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.http import Request, Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import ReplayReport, replay


@dataclass
class _Run:
    response: Response | None
    timing: dict[str, float] = field(default_factory=lambda: {"total": 1500.0})
    fuel: int = 10
    error: Any = None
    hook: Any = None


class StubHarness:
    """Answers every request with `response`; remembers what it was sent."""

    def __init__(self, response: Response) -> None:
        self.response, self.sent = response, []

    def run(self, request: Request, mode: str = "fresh", hooks: Any = None) -> _Run:
        self.sent.append(request)
        return _Run(self.response)


def replay_text(text: str, body: bytes, *, file: Path | str = "t.hurl",
                ctype: str = "text/plain") -> ReplayReport:
    entries = parse_hurl(text, file=str(file), variables={})
    harness = StubHarness(Response(200, (("Content-Type", ctype),), body))
    return replay(entries, harness, store=None, save=False)  # type: ignore[arg-type]
