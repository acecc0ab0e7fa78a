"""Run-target resolution: module + request + flags -> a Harness, a Request, hooks.

One function for `run`, `bench`, the app's Runtime view and the dev server, so they agree.

MODULE is a .wasm file or a module folder. A folder is built first through the build
layer (`workbench.config.module.load_module` + `workbench.core.build.builder.build_module`),
which also supplies the module's limits, chaos and hooks file. The KV store and secrets
belong to the workspace: the nearest folder at or above the module holding workbench.toml,
else the current folder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.config.workspace import workspace_root, workspace_settings, workspace_variables
from workbench.core.errors import UsageError
from workbench.core.http import Request, header_set, request_problem, split_url
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.limits import MAX_FUEL, Chaos, Limits
from workbench.core.runtime.secrets import Secrets
from workbench.services.kvstore import open_workspace_kv


@dataclass(frozen=True)
class RunSpec:
    """What a user asked to run: a module, a request (saved and/or by flags), overrides."""

    module: Path
    request: Path | None = None
    entry: str | None = None
    method: str | None = None
    path: str | None = None
    headers: tuple[str, ...] = ()
    data: str | None = None
    client_ip: str | None = None
    hooks: Path | None = None
    no_hooks: bool = False
    chaos: tuple[str, ...] = ()
    timeout_ms: int | None = None
    fuel: int | None = None
    cache_dir: Path | None = None
    trust: bool = False  # build a folder whose build runs its code without a trust record


@dataclass
class Target:
    harness: Harness
    request: Request
    hooks: Any
    wasm_path: Path
    warning: str | None = None  # e.g. running the last good build after a failed one


def resolve(args: RunSpec) -> Target:
    limits, chaos, hooks_path, warning = Limits(), Chaos(), None, None
    host = HostConfig()  # [[outbound]] stubs and [extism] live in module.toml
    grant: tuple[str, ...] = ()  # a bare .wasm reads no secrets: grants live in module.toml
    path: Path = args.module
    name = path.stem if path.is_file() else path.name
    if path.is_dir():
        ws = workspace_settings(path)
        ws_chaos = ws.chaos if ws else None
        wasm_path, limits, chaos, hooks_path, warning, grant, host, name = _from_folder(
            path, ws_chaos, args.trust)
    elif path.is_file():
        wasm_path = path
    elif path.exists():  # a FIFO would block the read for ever, a device never end it
        raise UsageError("not a regular file (a FIFO, device or socket)", where=str(path),
                         hint="pass a .wasm file or module folder")
    else:
        raise UsageError(f"no such module: {path}", hint="pass a .wasm file or module folder")
    if args.chaos:
        from workbench.core.runtime.chaos import parse_chaos_spec

        try:
            chaos = parse_chaos_spec(args.chaos, base=chaos)
        except ValueError as e:
            raise UsageError(str(e), where="--chaos") from None
    for flag, value in (("--timeout-ms", args.timeout_ms), ("--fuel", args.fuel)):
        if value is not None and value < 1:
            raise UsageError(f"{flag} must be at least 1, got {value}", where=flag)
    if args.fuel is not None and args.fuel > MAX_FUEL:
        raise UsageError(f"--fuel must be at most {MAX_FUEL:,}, got {args.fuel:,}", where="--fuel")
    if args.timeout_ms is not None or args.fuel is not None:
        limits = dataclasses.replace(
            limits, **{k: v for k, v in (("timeout_ms", args.timeout_ms),
                                         ("fuel", args.fuel)) if v is not None})
    from workbench.services.trust import enforce_signature

    enforce_signature(wasm_path, path)  # [trust] require_signed: SignatureRejected
    root = workspace_root(wasm_path)
    kv = open_workspace_kv(root, limits)
    if kv.notice:
        warning = f"{warning}; {kv.notice}" if warning else kv.notice
    harness = Harness(wasm_path, limits=limits, chaos=chaos, kv=kv,
                      secrets=Secrets.for_workspace(root).granted(grant),
                      cache_dir=args.cache_dir, host=host, name=name)
    return Target(harness, build_request(args, root), _hooks(args, hooks_path), wasm_path,
                  warning)


def answered_by_hooks(target: Target) -> bool:
    """Whether the hooks answer the request: the module is then never needed."""
    return target.hooks is not None and target.hooks.evaluate(target.request).response is not None


def _from_folder(folder: Path, base_chaos: Chaos | None, trust: bool = False
                 ) -> tuple[Path, Limits, Chaos, Path | None, str | None, tuple[str, ...],
                            HostConfig, str]:
    """A module folder built for a run: where the module is, its settings and its name
    (module.toml's, as purity and the app call it; not the folder's)."""
    from workbench.config.folders import load_module
    from workbench.services.folder_trust import build_for_run

    cfg = load_module(folder, base_chaos=base_chaos)
    result, warning = build_for_run(cfg, trust=trust)
    if result.wasm_path is None:
        raise UsageError(f"{cfg.name}: the build produced no module", where=str(folder))
    if result.ok:
        from workbench.services.trust import signing_step

        signing_step(cfg.root, result.wasm_path)  # module.toml sign = "..."
    return (result.wasm_path, cfg.limits, cfg.chaos, cfg.hooks, warning, cfg.secrets,
            cfg.host, cfg.name)


def _hooks(args: RunSpec, configured: Path | None) -> Any:
    if args.no_hooks:
        return None
    path = args.hooks or configured
    if path is None:
        return None
    from workbench.core.hooks.rules import load_hooks

    return load_hooks(path)


def build_request(args: RunSpec, root: Path) -> Request:
    req = Request()
    if args.entry is not None and args.request is None:
        raise UsageError("--entry picks an entry of REQUEST, and no REQUEST was given",
                         where="--entry", hint="workbench run MODULE REQUEST.hurl --entry N")
    if args.request is not None:
        req = _saved(args.request, args.entry, root)
    if args.method:
        req = dataclasses.replace(req, method=args.method.upper())
    if args.path:
        req = _with_target(req, args.path)
    for item in args.headers:
        name, colon, value = item.partition(":")
        if not colon or not name.strip():
            raise UsageError(f"bad header {item!r}", where="--header", hint="use NAME:VALUE")
        req = req.with_headers(header_set(req.headers, name.strip(), value.strip()))
    if args.data is not None:
        body = args.data.encode()
        if args.data.startswith("@"):
            from workbench.core.files import BODY_LIMIT, FileRefused, read_limited

            try:  # named on the command line: any regular file, size-capped
                body = read_limited(args.data[1:], limit=BODY_LIMIT)
            except FileRefused as e:
                raise UsageError(f"cannot read {args.data[1:]}: {e.message}",
                                 where="--data", hint=e.hint) from None
        req = dataclasses.replace(req, body=body)
        if not args.method and args.request is None:
            req = dataclasses.replace(req, method="POST")
    problem = request_problem(req.method, req.target, req.headers)
    if problem:
        flag = "--method" if problem.startswith("method") else \
            "--path" if "target" in problem else "--header"
        raise UsageError(problem, where=flag, hint="write the request as it goes on the "
                         "wire: a token method, a path without spaces or control "
                         "characters (%20 for a space), one-line header values")
    if args.client_ip:
        from workbench.core.http import ip_key

        if ip_key(args.client_ip) is None:
            raise UsageError(f"{args.client_ip!r} is not an IP address", where="--client-ip",
                             hint="e.g. --client-ip 10.1.2.3 or --client-ip fd00::7")
        req = dataclasses.replace(req, client_ip=args.client_ip)
    return req


def _with_target(req: Request, path: str) -> Request:
    """`--path /a?b=1`, or a full URL whose host becomes the Host header."""
    if path.startswith(("http://", "https://")):
        try:
            target, host = split_url(path)
        except ValueError as e:
            raise UsageError(f"{path[:80]!r} is not a URL: {e}", where="--path") from None
        if host:
            req = req.with_headers(header_set(req.headers, "Host", host))
        return dataclasses.replace(req, target=target)
    if not path.startswith("/"):
        raise UsageError(f"{path!r} is not a request path", where="--path",
                         hint=f"paths start with '/': --path {'/' + path}")
    return dataclasses.replace(req, target=path)


def _saved(path: Path, entry: str | None, root: Path) -> Request:
    from workbench.core.requests.files import load_requests

    entries = load_requests(path, workspace_variables(root))
    if not entries:
        raise UsageError(f"{path}: no request entries", hint="add a request line: GET /")
    from workbench.core.requests.standalone import standalone_request

    if entry is None:
        return standalone_request(entries, 0)
    if entry.isdecimal() and 1 <= int(entry) <= len(entries):
        return standalone_request(entries, int(entry) - 1)
    for i, e in enumerate(entries):
        if e.name == entry:
            return standalone_request(entries, i)
    names = ", ".join(repr(e.name) for e in entries[:8])
    raise UsageError(f"no entry {entry!r} in {path}", where="--entry", hint=f"one of {names}")
