"""Scriptless hooks: ordered declarative rules that answer or adjust requests before any
module is instantiated. The file format is documented in docs/hooks.md.

`load_hooks(path)` parses and validates a hooks.toml (raising `HooksError` that names
file:line, rule and field) and compiles every condition into a closure, so
`Hooks.evaluate(request)` does no parsing, regex compiling or CIDR parsing per request.
Rules run in file order; the first terminating rule (respond, redirect, block) answers
and stops; set_headers / flag change the request seen by later rules and by the module;
log only records that it matched. `HooksFile` reloads on save and keeps the last good
rules when the new file is bad.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter_ns
from typing import Any, NamedTuple

from workbench.core.errors import HooksError
from workbench.core.files import FileRefused, read_limited, utf8_problem
from workbench.core.hooks.actions import Action, compile_action
from workbench.core.hooks.codegen import Emitter, when_expr
from workbench.core.hooks.conditions import Check, compile_when, regex_groups
from workbench.core.hooks.context import Ctx
from workbench.core.hooks.index import RuleIndex
from workbench.core.hooks.site import Site, Source
from workbench.core.http import Request, Response
from workbench.core.tomldoc import TomlSyntax, parse_toml


class TraceEntry(NamedTuple):
    """One rule that matched: its name, action, why it matched and what it changed."""

    rule: str
    action: str
    why: str
    changed: str

    def to_json(self) -> dict[str, str]:
        return self._asdict()


class HookOutcome(NamedTuple):
    """Result of evaluating the hooks for one request.

    `response` is set when a terminating rule answered (the module must not run);
    `request` is the request to hand to the module (possibly with changed headers).
    A NamedTuple rather than a frozen dataclass: it is built on the hot path and a
    frozen dataclass costs ~0.4 us more to construct.
    """

    response: Response | None
    request: Request
    trace: tuple[TraceEntry, ...]
    elapsed_us: float
    rule: str | None = None  # the rule that answered, if any

    @property
    def answered(self) -> bool:
        return self.response is not None

    def to_json(self) -> dict[str, Any]:
        """`request` is included only when a rule changed it (this runs per request)."""
        changed = any(t.action in ("set_headers", "flag") for t in self.trace)
        return {
            "answered": self.response is not None,
            "rule": self.rule,
            "response": self.response.to_json() if self.response is not None else None,
            "request": self.request.to_json() if changed else None,
            "trace": [t._asdict() for t in self.trace],
            "elapsed_us": round(self.elapsed_us, 3),
        }


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    check: Check
    description: str  # the `when` in words, reported as "why matched"
    action: Action
    line: int | None
    has_regex: bool
    expr: str = "False"  # the condition as generated source (hooks_codegen)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "when": self.description, "action": self.action.kind,
                "terminating": self.action.terminating, "line": self.line}


@dataclass(frozen=True, slots=True)
class Hooks:
    """A compiled, validated hooks file."""

    rules: tuple[Rule, ...]
    file: str = "<hooks>"
    index: RuleIndex | None = None  # built by parse_hooks; None = reference closure path

    @property
    def files(self) -> tuple[Path, ...]:
        """Body files of respond rules: a change to one of them is a change to the hooks."""
        return tuple(Path(r.action.source) for r in self.rules if r.action.source)

    def without_index(self) -> Hooks:
        """Same rules evaluated through the plain closures (for tests and comparisons)."""
        return Hooks(self.rules, self.file, None)

    def evaluate(self, request: Request) -> HookOutcome:
        t0 = perf_counter_ns()
        ctx = Ctx(request)
        trace: list[TraceEntry] = []
        answer: Response | None = None
        if self.index is not None:
            first, scan, rules = self.index.candidates(ctx.method, ctx.path)
            j = first(ctx)
            while j >= 0:
                answer = _fire(rules[j], ctx, trace)
                if answer is not None:
                    break
                j = scan(ctx, j + 1)
        else:  # the reference path: one closure per rule, no index, no generated code
            for rule in self.rules:
                if rule.check(ctx):
                    answer = _fire(rule, ctx, trace)
                    if answer is not None:
                        break
        elapsed = (perf_counter_ns() - t0) / 1000.0
        return HookOutcome(answer, ctx.req, tuple(trace), elapsed,
                           trace[-1].rule if answer is not None else None)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "rules": [r.to_json() for r in self.rules]}


def _fire(rule: Rule, ctx: Ctx, trace: list[TraceEntry]) -> Response | None:
    """Apply a matched rule: record it, update the request, return its answer if any."""
    resp, new_req, changed = rule.action.apply(ctx)
    why = rule.description
    if rule.has_regex and ctx.captures:
        why += " (" + ", ".join(f"{k}={v!r}" for k, v in ctx.captures.items()
                                if not k.isdigit()) + ")"
    trace.append(TraceEntry(rule.name, rule.action.kind, why, changed))
    if new_req is not None:
        ctx.set_request(new_req)
    return resp


def parse_hooks(text: str, *, file: str = "<hooks>", base_dir: Path | None = None) -> Hooks:
    """Parse hooks TOML text. `base_dir` resolves respond `file = ...` paths."""
    try:
        doc = parse_toml(text)
    except TomlSyntax as e:
        raise HooksError(f"not valid TOML: {e.message}", file=file + e.position,
                         hint=e.hint or "see docs/hooks.md for the format") from None
    for key in doc:
        if key != "rule":
            raise HooksError(f"unknown top-level key {key!r}", file=file, field=key,
                             hint="a hooks file holds only [[rule]] tables")
    raw = doc.get("rule", [])
    if not isinstance(raw, list):
        raise HooksError("rule must be an array of tables: write [[rule]]", file=file,
                         field="rule")
    base = base_dir or Path(".")
    emitter = Emitter()
    source = Source(file, text)
    rules: list[Rule] = []
    whens: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, table in enumerate(raw):
        if not isinstance(table, dict):
            raise HooksError(f"rule #{index + 1} is not a table", file=file, field="rule",
                             hint="write each rule as a [[rule]] table")
        name = table.get("name")
        site = Site(source, text, index, name if isinstance(name, str) else None)
        if name is None:
            site.fail("name", "rule has no name", hint='add name = "..." (shown in traces)')
        site.want(name, str, "name", "a string")
        if name in seen:
            site.fail("name", f"duplicate rule name {name!r}", hint="names must be unique")
        seen.add(name)
        if not site.want(table.get("enabled", True), bool, "enabled", "true or false"):
            continue
        when = table.get("when", {})
        check, description = compile_when(site, when)
        action = compile_action(site, table, base, regex_groups(when))
        has_regex = isinstance(when, dict) and "path_regex" in when
        expr = when_expr(emitter, site, when)
        rules.append(Rule(name, check, description, action, site.line_of(None), has_regex,
                          expr))
        whens.append(when)
    compiled = tuple(rules)
    return Hooks(compiled, file, RuleIndex(compiled, whens, emitter.consts))


def load_hooks(path: str | os.PathLike[str]) -> Hooks:
    """Read, validate and compile a hooks file."""
    p = Path(path)
    try:
        data = read_limited(p)
    except FileRefused as e:
        raise HooksError(f"cannot read hooks file: {e.message}", file=str(p),
                         hint="check --hooks or the module's hooks setting") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        what, line, column, hint = utf8_problem(data, e)
        raise HooksError(f"hooks file is {what}", file=f"{p}:{line}:{column}",
                         hint=hint) from None
    return parse_hooks(text, file=str(p), base_dir=p.parent)


def stamps(paths: tuple[Path, ...]) -> tuple[tuple[int, int], ...]:
    """(mtime_ns, size) per path; (-1, -1) for one that cannot be read."""
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((-1, -1))
    return tuple(out)


@dataclass
class HooksFile:
    """A hooks file that reloads when it, or a respond `file`, changes (mtime or size).

    `hooks` is always the last good version; `error` is the problem with the current file
    content (None when it loaded). `evaluate` refreshes first, so it can be handed to the
    harness directly and picks up saves. An initially bad file raises on construction.
    """

    path: Path
    # `evaluate` looks at the files at most this often (seconds; 0: on every request). The
    # dev server uses a short interval: a stat per request was a measurable part of a
    # hook answer there, and a save still shows within the interval.
    recheck_s: float = 0.0
    hooks: Hooks = field(init=False)
    error: HooksError | None = field(init=False, default=None)
    _stamp: tuple[tuple[int, int], ...] = field(init=False, default=())
    _checked: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        head = stamps((self.path,))  # taken before reading: a save after it is not missed
        self.hooks = load_hooks(self.path)
        self._stamp = head + stamps(self.hooks.files)
        self._checked = time.monotonic()

    def refresh(self) -> bool:
        """Reload if the file (or a respond body file) changed. True when new rules loaded."""
        stamp = stamps((self.path, *self.hooks.files))
        if stamp == self._stamp:
            return False
        try:
            hooks = load_hooks(self.path)
        except HooksError as e:
            self._stamp = stamp  # report once per bad save, not on every request
            self.error = e
            return False
        self.hooks = hooks
        self._stamp = stamp[:1] + stamps(hooks.files)
        self.error = None
        return True

    def evaluate(self, request: Request) -> HookOutcome:
        if self.recheck_s <= 0:
            self.refresh()
        else:
            now = time.monotonic()
            if now - self._checked >= self.recheck_s:
                self._checked = now
                self.refresh()
        return self.hooks.evaluate(request)

    def to_json(self) -> dict[str, Any]:
        doc = self.hooks.to_json()
        doc["error"] = self.error.to_json() if self.error else None
        return doc
