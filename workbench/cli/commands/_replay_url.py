"""`workbench replay PATH... --url URL`: the saved requests against a running server.

Nothing is built or run here: entries are sent with `core.requests.remote.UrlTarget` and
checked with the same assertions as a local replay. A module folder's requests go to URL;
a workspace's modules go to URL plus their `workbench serve` mount (`route`, or
`/<name>` when the workspace has several modules), so `replay sample_modules --url
http://127.0.0.1:8787` checks what `serve sample_modules` serves. Last responses are
kept only with `--store` (another server's answers are no baseline for the module's).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.config.workspace import workspace_variables
from workbench.core.errors import UsageError
from workbench.core.requests.files import load_requests
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.remote import BadUrl, UrlTarget
from workbench.core.requests.replay import ReplayReport, replay


def url_reports(args: argparse.Namespace) -> list[ReplayReport]:
    for flag, value in (("--module", args.module), ("--hooks", args.hooks),
                        ("--no-hooks", args.no_hooks)):
        if value:
            raise UsageError(f"{flag} does not apply with --url: the server runs its own "
                             "module and hooks", where=flag)
    if args.timeout <= 0:
        raise UsageError(f"must be more than 0, got {args.timeout}", where="--timeout")
    try:
        UrlTarget(args.url)
    except BadUrl as e:
        raise UsageError(str(e), where="--url",
                         hint="e.g. --url http://127.0.0.1:8787 or https://staging.example.com"
                         ) from None
    reports = []
    for name, prefix, entries in _jobs(args.paths):
        target = UrlTarget(args.url.rstrip("/") + prefix, timeout_s=args.timeout)
        try:
            reports.append(replay(entries, target, store=args.store, module=name,
                                  save=args.store is not None and not args.no_save))
        finally:
            target.close()
    return reports


def _jobs(paths: list[Path]) -> list[tuple[str, str, list[SavedRequest]]]:
    """(name, URL path prefix, entries) per module or request file."""
    from workbench.config.folders import load_module
    from workbench.config.module import is_module_folder
    from workbench.config.workspace import load_workspace
    from workbench.services.serve.routes import mount_for

    jobs: list[tuple[str, str, list[SavedRequest]]] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
        if path.is_dir() and is_module_folder(path):
            cfg = load_module(path)
            jobs.append((cfg.name, "", _entries(cfg.requests, path)))
        elif path.is_dir() and (path / "workbench.toml").is_file():
            modules = load_workspace([path]).modules
            for cfg in modules:
                prefix, _ = mount_for(cfg.route, cfg.name, len(modules) == 1)
                jobs.append((cfg.name, "" if prefix == "/" else prefix,
                             _entries(cfg.requests, cfg.root)))
        else:
            found = load_requests(path, workspace_variables(path))
            if not found:
                raise UsageError(f"{path}: no saved requests",
                                 hint="a .hurl/.http entry starts with a request line")
            jobs.append((path.stem, "", found))
    return [j for j in jobs if j[2]]


def _entries(requests: Path | None, where: Path) -> list[SavedRequest]:
    return load_requests(requests, workspace_variables(where)) if requests else []
