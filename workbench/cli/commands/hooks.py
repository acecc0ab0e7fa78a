"""`workbench hooks FILE [--path P ...] [--requests R] [--json]`: validate and try hooks.

Without a request: validates the file (exit 2 with file:line, rule and field when it is
bad) and lists its rules in order, terminating or not. With `--path` (and friends) or
`--requests FILE`: evaluates the hooks alone, no module involved, and prints for each
request which rules matched, why, what they changed, and the answer if one answered.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.core.errors import UsageError
from workbench.core.hooks.rules import HookOutcome, Hooks, load_hooks
from workbench.core.http import Request, header_set, request_problem

NAME = "hooks"
HELP = "validate a hooks file, list its rules, or show what it does to requests"
ORDER = 42


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE",
                        help="hooks.toml, or a module folder (its hooks file)")
    parser.add_argument("--method", "-X", help="request method (default GET)")
    parser.add_argument("--path", help="request target, e.g. /blog/x?utm=1")
    parser.add_argument("--header", "-H", action="append", default=[], metavar="K:V",
                        help="request header (repeatable)")
    parser.add_argument("--client-ip", help="client IP (default local)")
    parser.add_argument("--requests", type=Path, metavar="R",
                        help="evaluate every entry of a .hurl/.http file or folder")
    parser.add_argument("--json", action="store_true", help="JSON on stdout")


def run(args: argparse.Namespace) -> int:
    from workbench.cli.commands._folders import hooks_file

    args.file = hooks_file(args.file)  # a module folder stands for its hooks file
    hooks = load_hooks(args.file)
    requests = _requests(args)
    if not requests:
        return _list(hooks, args.json)
    outcomes = [(name, hooks.evaluate(req)) for name, req in requests]
    if args.json:
        from workbench.cli.render import print_json

        print_json({"file": str(args.file), "results": [
            {"request": name, **o.to_json()} for name, o in outcomes]})
        return 0
    for name, outcome in outcomes:
        _show(name, outcome)
    return 0


def _requests(args: argparse.Namespace) -> list[tuple[str, Request]]:
    out: list[tuple[str, Request]] = []
    if args.requests is not None:
        from workbench.config.workspace import workspace_variables
        from workbench.core.requests.files import load_requests

        entries = load_requests(args.requests, workspace_variables(args.requests))
        if not entries:
            raise UsageError(f"{args.requests}: no saved requests", where="--requests",
                             hint="pass a .hurl/.http file (or a folder of them) with at "
                                  "least one request line like 'GET /path'")
        out += [(e.name, e.request) for e in entries]
    if args.path is None and (args.header or args.client_ip or args.method):
        raise UsageError("--method, --header and --client-ip describe the request of --path",
                         hint="add --path /some/path")
    if args.path is not None:
        from workbench.core.http import ip_key

        client_ip = args.client_ip or "127.0.0.1"
        if ip_key(client_ip) is None:
            raise UsageError(f"{client_ip!r} is not an IP address", where="--client-ip")
        if not args.path.startswith(("/", "http://", "https://")):
            raise UsageError(f"{args.path!r} is not a request path", where="--path",
                             hint=f"paths start with '/': --path {'/' + args.path}")
        req = Request((args.method or "GET").upper(), args.path, (), b"", client_ip)
        for item in args.header:
            name, colon, value = item.partition(":")
            if not colon or not name.strip():
                raise UsageError(f"bad header {item!r}", where="--header", hint="use K:V")
            req = req.with_headers(header_set(req.headers, name.strip(), value.strip()))
        problem = request_problem(req.method, req.target.split("://", 1)[-1], req.headers)
        if problem:
            raise UsageError(problem, where="--method" if problem.startswith("method") else
                             "--path" if "target" in problem else "--header")
        out.append((f"{req.method} {req.target}", req))
    return out


def _list(hooks: Hooks, as_json: bool) -> int:
    if as_json:
        from workbench.cli.render import print_json

        print_json(hooks.to_json())
        return 0
    from rich.markup import escape

    from workbench.cli.render import console

    console.print(f"[bold]{escape(hooks.file)}[/]: {len(hooks.rules)} rules, valid")
    for i, r in enumerate(hooks.rules, 1):
        kind = "stops" if r.action.terminating else "continues"
        console.print(f" {i:3}. [bold]{escape(r.name)}[/] [dim](line {r.line})[/] "
                      f"{r.action.kind} [dim]({kind})[/]\n      when {escape(r.description)}")
    return 0


def _show(name: str, o: HookOutcome) -> None:
    from rich.markup import escape

    from workbench.cli.render import console

    if o.response is not None:
        head = f"[green]answered {o.response.status}[/] by [bold]{escape(o.rule or '')}[/]"
        loc = o.response.header("location")
        if loc:
            head += f" → {escape(loc)}"
    else:
        head = "[dim]goes to the module[/]"
    console.print(f"{escape(name)}: {head} [dim]({o.elapsed_us:.1f} us)[/]")
    for t in o.trace:
        console.print(f"   [magenta]{escape(t.rule)}[/] {t.action}: {escape(t.why)}"
                      f" [dim]→ {escape(t.changed)}[/]")
