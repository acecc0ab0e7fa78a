"""One entry's run inside a replay: [Options], redirects, [Captures], retries.

`Chain` holds what flows between entries of one replay (in file order, then across files
in name order): values captured by `[Captures]` and `[Options] variable:` definitions.
`Chain.run(entry, send)` renders the entry with them, sends it (following same-host
redirects when `location: true`), captures, evaluates the assertions, and retries or
repeats as the options say. Captured values marked `redact` are kept in `secrets` so
reports can hide them like secrets.toml values. Each file has its cookie store
(`cookiejar.CookieJar`): Set-Cookie of every response kept, Cookie sent on later requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from workbench.core.errors import WorkbenchError, clip
from workbench.core.http import Request, header_get, header_remove, header_set
from workbench.core.requests.asserts import AssertionResult, evaluate_all
from workbench.core.requests.cookiejar import CookieJar
from workbench.core.requests.filters import FilterError, apply
from workbench.core.requests.jsonpath import MISSING
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.queries import Observed, QueryError, run_query

MAX_RETRIES = 100  # `retry: -1` (forever) is capped so a replay always ends


@dataclass(frozen=True, slots=True)
class Attempt:
    """One send of an entry (after redirects) and what was checked."""

    request: Request
    run: Any  # the harness's RunResult of the last hop
    results: tuple[AssertionResult, ...]
    captured: dict[str, Any]
    error: dict[str, Any] | None
    redirects: tuple[dict[str, Any], ...]
    duration_ms: float
    tries: int = 1  # sends, counting [Options] retries

    @property
    def passed(self) -> bool:
        return self.error is None and all(r.passed for r in self.results)


@dataclass
class Chain:
    variables: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)  # value -> capture name
    jars: dict[str, CookieJar] = field(default_factory=dict)  # file -> its cookie store

    def jar(self, entry: SavedRequest) -> CookieJar:
        return self.jars.setdefault(entry.file, CookieJar())

    def scope(self, entry: SavedRequest) -> dict[str, Any]:
        base = dict(entry.spec.variables) if entry.spec is not None else {}
        return {**base, **self.variables}

    def run(self, entry: SavedRequest, send: Callable[[Request], Any],
            cancel: threading.Event | None = None) -> list[Attempt] | None:
        """The attempts of every repetition (None when skipped); the last one counts."""
        opts = entry.options
        scope = self.scope(entry)
        try:
            if opts is not None:
                for name, value in opts.variables:
                    self.variables[name] = value.render(scope) if hasattr(value, "render") \
                        else value
                    scope[name] = self.variables[name]
                if opts.get("skip", scope, entry.file):
                    return None
                repeat = opts.get("repeat", scope, entry.file)
            else:
                repeat = 1
        except WorkbenchError as e:
            return [self._failed(entry, e)]
        out: list[Attempt] = []
        for _ in range(max(repeat, 0)):
            out.append(self._with_retries(entry, send, cancel))
        return out

    def _failed(self, entry: SavedRequest, e: WorkbenchError) -> Attempt:
        return Attempt(entry.request, None, (), {}, {"kind": "request-file", "message": str(e)},
                       (), 0.0)

    def _with_retries(self, entry: SavedRequest, send: Callable[[Request], Any],
                      cancel: threading.Event | None) -> Attempt:
        opts = entry.options
        scope = self.scope(entry)
        try:
            retries = opts.get("retry", scope, entry.file) if opts else 0
            interval = opts.get("retry_interval_ms", scope, entry.file) if opts else 0
            delay = opts.get("delay_ms", scope, entry.file) if opts else 0
        except WorkbenchError as e:
            return self._failed(entry, e)
        tries = MAX_RETRIES if retries < 0 else retries
        if delay and cancel is not None:
            cancel.wait(delay / 1000)
        elif delay:
            threading.Event().wait(delay / 1000)
        attempt = self._once(entry, send)
        sent = 1
        while not attempt.passed and tries > 0:
            tries -= 1
            if cancel is not None and cancel.wait(interval / 1000):
                break
            if cancel is None and interval:
                threading.Event().wait(interval / 1000)
            attempt = self._once(entry, send)
            sent += 1
        self.variables.update(attempt.captured)
        return replace(attempt, tries=sent)

    def _once(self, entry: SavedRequest, send: Callable[[Request], Any]) -> Attempt:
        scope = self.scope(entry)
        try:
            request = entry.spec.render(scope) if entry.spec is not None else entry.request
        except WorkbenchError as e:
            return self._failed(entry, e)
        opts = entry.options
        try:  # option values rendered from variables are checked only now
            follow = bool(opts.get("location", scope, entry.file)) if opts else False
            max_redirs = opts.get("max_redirs", scope, entry.file) if opts else 50
        except WorkbenchError as e:
            return self._failed(entry, e)
        redirects: list[dict[str, Any]] = []
        total_ms = 0.0
        jar = self.jar(entry)
        current = jar.apply(request)
        while True:
            run = send(current)
            if run.response is not None:
                jar.store(current, run.response.headers)
            timing = run.timing or {}
            total_ms += timing.get("total", sum(v for k, v in timing.items()
                                               if k != "total")) / 1000.0
            resp = run.response
            location = resp.header("location") if resp is not None else None
            if not (follow and resp is not None and 300 <= resp.status < 400 and location):
                break
            if len(redirects) >= max_redirs:
                return Attempt(current, run, (), {}, {"kind": "redirect", "message":
                               f"too many redirects (max-redirs {max_redirs})"},
                               tuple(redirects), total_ms)
            nxt = urljoin(current.url, location)
            parts = urlsplit(nxt)
            if parts.netloc and parts.netloc != current.host:
                return Attempt(current, run, (), {}, {"kind": "redirect", "message":
                               f"not supported: redirect to another host ({nxt}): requests "
                               f"are answered in-process by this module"}, tuple(redirects),
                               total_ms)
            redirects.append({"location": nxt, "status": resp.status})
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            method, body, headers = current.method, current.body, current.headers
            if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                method, body = "GET", b""
                headers = header_remove(header_remove(headers, "content-type"),
                                        "content-length")
            headers = header_remove(headers, "cookie")  # the jar's cookies for the new path
            own = header_get(request.headers, "cookie")
            if own:
                headers = header_set(headers, "Cookie", own)
            current = jar.apply(Request(method, target, header_set(headers, "Host",
                                                                   current.host)
                                        if current.host else headers, body, current.client_ip,
                                        parts.scheme or current.scheme))
        err = run.error
        error = {"kind": err.kind, "message": err.message} if err is not None else None
        hook = getattr(run, "hook", None)
        rule = (hook or {}).get("rule") if hook else None
        obs = Observed(run.response, total_ms, None if rule else getattr(run, "fuel", None),
                       scope, current.url, tuple(redirects))
        captured, cap_error = self._capture(entry, obs)
        if cap_error and error is None:
            error = cap_error
        obs = Observed(obs.response, obs.duration_ms, obs.fuel, {**scope, **captured},
                       obs.url, obs.redirects)
        results = evaluate_all(entry.asserts, obs)
        return Attempt(current, run, results, captured, error, tuple(redirects), total_ms)

    def _capture(self, entry: SavedRequest, obs: Observed
                 ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        out: dict[str, Any] = {}
        for c in entry.captures:
            try:
                value = run_query(c.query, c.arg, obs)
                if value is not MISSING:
                    value = apply(c.filters, value, dict(obs.variables))
            except (QueryError, FilterError, WorkbenchError) as e:
                return out, {"kind": "capture",
                             "message": f"{c.where}: capture {c.name}: {clip(str(e), 300)}"}
            if value is MISSING:
                return out, {"kind": "capture", "message":
                             f"{c.where}: capture {c.name}: {c.text!r} found nothing"}
            out[c.name] = value
            if c.redact and isinstance(value, str | int | float) and str(value):
                self.secrets[str(value)] = c.name
        return out, None

    def redact(self, doc: Any) -> Any:
        """Every string in a JSON-like value with captured secrets replaced."""
        if not self.secrets:
            return doc
        if isinstance(doc, str):
            for value, name in self.secrets.items():
                if len(value) >= 3:
                    doc = doc.replace(value, f"[redacted:{name}]")
            return doc
        if isinstance(doc, dict):
            return {k: self.redact(v) for k, v in doc.items()}
        if isinstance(doc, list | tuple):
            return [self.redact(v) for v in doc]
        return doc
