"""Hook actions, validated and prepared at load time.

Terminating actions answer the request and stop evaluation: respond, redirect, block.
Non-terminating actions change the request (set_headers, flag) or only note that the rule
matched (log, a dry run) and evaluation continues with the next rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.files import BODY_LIMIT, FileRefused, read_limited
from workbench.core.hooks.context import Ctx
from workbench.core.hooks.site import Site
from workbench.core.http import Request, Response, header_remove, header_set

ACTIONS = ("respond", "redirect", "block", "set_headers", "flag", "log")
TERMINATING = frozenset({"respond", "redirect", "block"})
COMMON_KEYS = ("name", "when", "action", "enabled")
ACTION_KEYS: dict[str, tuple[str, ...]] = {
    "respond": ("status", "headers", "body", "file"),
    "redirect": ("status", "location", "keep_query"),
    "block": ("status", "headers", "body"),
    "set_headers": ("set", "remove"),
    "flag": ("header", "value"),
    "log": ("message",),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 field-name
_BAD_VALUE = re.compile(r"[\x00\r\n]")


def _header_name(site: Site, name: str, field: str) -> str:
    if not _TOKEN.match(name):
        site.fail(field, f"{name!r} is not a valid header name",
                  hint="letters, digits and !#$%&'*+.^_`|~- only: no spaces or colons")
    return name


def _header_value(site: Site, value: str, field: str) -> str:
    if _BAD_VALUE.search(value):
        site.fail(field, f"{field} contains a line break or NUL: {value!r}",
                  hint="a header value is one line (it would split the request)")
    return value


def fill(template: str, captures: dict[str, str]) -> str:
    """Replace {name} / {1} with path_regex captures (validated at load time)."""
    if "{" not in template:
        return template
    return _PLACEHOLDER.sub(lambda m: captures.get(m.group(1), m.group(0)), template)


@dataclass(frozen=True, slots=True)
class Action:
    """A prepared action. `apply` returns (response or None, new request or None, changed)."""

    kind: str
    status: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    location: str = ""
    keep_query: bool = False
    remove: tuple[str, ...] = ()
    message: str = ""
    answer: Response | None = None  # respond / block: built once at load time
    note: str = ""
    source: str = ""  # respond: the file the body was read from (HooksFile watches it)

    def __post_init__(self) -> None:
        if self.kind in ("respond", "block"):
            object.__setattr__(self, "answer", Response(self.status, self.headers, self.body))
            object.__setattr__(self, "note", f"answered {self.status} ({len(self.body)} bytes)")

    @property
    def terminating(self) -> bool:
        return self.kind in TERMINATING

    def apply(self, ctx: Ctx) -> tuple[Response | None, Request | None, str]:
        caps = ctx.captures
        if self.answer is not None:
            return self.answer, None, self.note
        if self.kind == "redirect":
            loc = fill(self.location, caps)
            if self.keep_query and ctx.qs:
                loc += ("&" if "?" in loc else "?") + ctx.qs
            resp = Response(self.status, (("location", loc),), b"")
            return resp, None, f"redirected {self.status} to {loc}"
        if self.kind == "log":
            return None, None, f"log: {fill(self.message, caps)}" if self.message else "log"
        headers = ctx.req.headers
        changes: list[str] = []
        for name in self.remove:
            if any(k.lower() == name.lower() for k, _ in headers):
                changes.append(f"removed {name}")
            headers = header_remove(headers, name)
        for name, value in self.headers:
            value = fill(value, caps)
            headers = header_set(headers, name, value)
            changes.append(f"set {name}: {value}")
        return None, ctx.req.with_headers(headers), "; ".join(changes) or "no change"


def compile_action(site: Site, rule: dict[str, Any], base_dir: Path,
                   captures: set[str]) -> Action:
    """Validate the action fields of one rule and build its Action."""
    kind = rule.get("action")
    if kind is None:
        site.fail("action", "missing action", hint="one of: " + ", ".join(ACTIONS))
    if kind not in ACTIONS:
        site.fail("action", f"unknown action {kind!r}", hint="one of: " + ", ".join(ACTIONS))
    site.check_keys(rule, COMMON_KEYS + ACTION_KEYS[kind], None, f"a {kind} rule")
    if kind == "respond":
        return _respond(site, rule, base_dir)
    if kind == "block":
        status = _status(site, rule, 403, range(400, 600))
        body = site.want(rule.get("body", ""), str, "body", "a string").encode()
        headers = _headers(site, rule.get("headers", {}), "headers", None)
        return Action(kind, status=status, headers=headers, body=body)
    if kind == "redirect":
        status = _status(site, rule, 302, (301, 302, 303, 307, 308))
        if "location" not in rule:
            site.fail("location", "redirect needs location = \"https://...\"")
        loc = _header_value(site, _template(site, rule["location"], "location", captures),
                            "location")
        if not loc:
            site.fail("location", "location is empty", hint='e.g. location = "/new-path"')
        keep = site.want(rule.get("keep_query", False), bool, "keep_query", "true or false")
        return Action(kind, status=status, location=loc, keep_query=keep)
    if kind == "set_headers":
        set_ = _headers(site, rule.get("set", {}), "set", captures)
        remove = rule.get("remove", [])
        if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
            site.fail("remove", f"remove must be a list of header names, got {remove!r}")
        for name in remove:
            _header_name(site, name, "remove")
        if not set_ and not remove:
            site.fail("set", "set_headers needs set = { name = \"value\" } and/or remove = [..]")
        return Action(kind, headers=set_, remove=tuple(remove))
    if kind == "flag":
        if "header" not in rule:
            site.fail("header", "flag needs header = \"x-flag-...\"")
        name = _header_name(site, site.want(rule["header"], str, "header", "a header name"),
                            "header")
        value = _header_value(site, _template(site, rule.get("value", "1"), "value",
                                              captures), "value")
        return Action(kind, headers=((name, value),))
    message = _template(site, rule.get("message", ""), "message", captures)
    return Action(kind, message=message)


def _status(site: Site, rule: dict[str, Any], default: int, allowed: Any) -> int:
    status = site.want(rule.get("status", default), int, "status", "an integer status code")
    if status not in allowed:
        site.fail("status", f"status {status} is not allowed for {rule['action']}",
                  hint=f"use one of {list(allowed)}" if isinstance(allowed, tuple)
                  else f"use {allowed.start}..{allowed.stop - 1}")
    return status


def _template(site: Site, value: Any, field: str, captures: set[str]) -> str:
    site.want(value, str, field, "a string")
    for name in _PLACEHOLDER.findall(value):
        if name not in captures:
            site.fail(field, f"{{{name}}} is not a capture of this rule's path_regex",
                      hint="captures: " + (", ".join(sorted(captures)) or "none (add a "
                                           "path_regex with (?P<name>...) groups)"))
    return value


def _headers(site: Site, table: Any, field: str,
             captures: set[str] | None) -> tuple[tuple[str, str], ...]:
    """Header table; values may use {captures} only where `captures` is given."""
    site.want(table, dict, field, "a table of header = \"value\"")
    out = []
    for k, v in table.items():
        _header_name(site, k, f"{field}.{k}")
        value = (site.want(v, str, f"{field}.{k}", "a string") if captures is None
                 else _template(site, v, f"{field}.{k}", captures))
        out.append((k, _header_value(site, value, f"{field}.{k}")))
    return tuple(out)


def _respond(site: Site, rule: dict[str, Any], base_dir: Path) -> Action:
    status = _status(site, rule, 200, range(100, 600))
    headers = _headers(site, rule.get("headers", {}), "headers", None)
    if "body" in rule and "file" in rule:
        site.fail("file", "respond takes body or file, not both")
    if "file" in rule:
        rel = site.want(rule["file"], str, "file", "a path relative to the hooks file")
        path = base_dir / rel
        try:  # confined to the hooks file's folder: a symlink to /proc/self/environ or a
            # FIFO in a cloned folder must not end up in a response (or hang the app)
            body = read_limited(path, inside=base_dir, limit=BODY_LIMIT)
        except FileRefused as e:
            site.fail("file", f"cannot read {path}: {e.message}",
                      hint="file is a regular file inside the hooks file's folder "
                           "(symlinks are followed)")
    else:
        body = site.want(rule.get("body", ""), str, "body", "a string").encode()
    return Action("respond", status=status, headers=headers, body=body,
                  source=str(path) if "file" in rule else "")
