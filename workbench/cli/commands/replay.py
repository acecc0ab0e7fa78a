"""`workbench replay PATH... [--module M] [--hooks FILE | --no-hooks] [--json] [--junit F]`.

PATH is a module folder (its configured requests and hooks, built first), a workspace
folder with workbench.toml (every module in it), or a request file / folder of request
files replayed against `--module` (a .wasm file or a module folder). Every assertion is
evaluated; the report says per assertion what was expected, what came back and where
it is. Exit status 1 when any entry fails, 2 for a usage,
config or request-file mistake.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.config.workspace import workspace_root, workspace_variables
from workbench.core.errors import UsageError
from workbench.core.requests.files import load_requests
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.replay import DEFAULT_STORE, ReplayReport, replay

NAME = "replay"
HELP = "replay saved requests (.hurl/.http) against a module and check their assertions"
ORDER = 40


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="module folder, workspace folder, or request file/folder "
                             "(then --module)")
    parser.add_argument("--module", "-m", type=Path, metavar="M",
                        help="a .wasm file or module folder to replay request files against")
    hooks = parser.add_mutually_exclusive_group()
    hooks.add_argument("--hooks", type=Path, metavar="FILE", help="hooks.toml to apply first")
    hooks.add_argument("--no-hooks", action="store_true", help="ignore configured hooks")
    parser.add_argument("--mode", choices=("cold", "fresh", "warm"), default="fresh",
                        help="instance mode per request (default fresh)")
    parser.add_argument("--store", type=Path, metavar="FILE",
                        help="last-responses JSON (default <module>/.workbench/"
                             "last_responses.json)")
    parser.add_argument("--no-save", action="store_true",
                        help="do not update the last responses after this replay")
    parser.add_argument("--cache-dir", type=Path, help="compiled-module cache folder")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML here")
    parser.add_argument("--trust", action="store_true",
                        help="build even when the folder's build runs its own code and it "
                             "is not trusted (CI; same as WORKBENCH_TRUST=1)")
    parser.add_argument("--url", metavar="URL",
                        help="send the requests to this server instead (workbench serve, "
                             "staging): nothing is built; a workspace's modules go to their "
                             "serve routes below URL")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S",
                        help="with --url: seconds to wait for each response (default 30)")


@dataclass
class _Job:
    """One module and the entries to replay against it."""

    name: str
    wasm: Path
    entries: list[SavedRequest]
    hooks_path: Path | None
    store: Path
    limits: Any = None
    chaos: Any = None
    secrets: tuple[str, ...] = ()  # granted by module.toml (a bare .wasm: none)
    host: Any = None  # HostConfig: [[outbound]] stubs and [extism] from module.toml


def run(args: argparse.Namespace) -> int:
    if args.url is not None:
        from workbench.cli.commands._replay_url import url_reports

        reports = url_reports(args)
    else:
        reports = [_replay(job, args) for job in _jobs(args)]
    if args.junit is not None:
        from workbench.core.requests.junit import junit_xml

        try:
            args.junit.parent.mkdir(parents=True, exist_ok=True)
            args.junit.write_text(junit_xml(reports), encoding="utf-8")
        except OSError as e:
            raise UsageError(f"cannot write {args.junit}: {e.strerror}", where="--junit") \
                from None
    if args.json:
        from workbench.cli.render import print_json

        print_json({"passed": all(r.passed for r in reports),
                    "reports": [r.to_json() for r in reports]})
    else:
        from workbench.cli.commands._replay_render import render_reports

        render_reports(reports)
    return 0 if all(r.passed for r in reports) else 1


def _replay(job: _Job, args: argparse.Namespace) -> ReplayReport:
    from workbench.core.runtime.harness import Harness

    hooks = None
    path = None if args.no_hooks else (args.hooks or job.hooks_path)
    if path is not None:
        from workbench.core.hooks.rules import load_hooks

        hooks = load_hooks(path)
    from workbench.core.runtime.secrets import Secrets

    # Secrets come from the workspace (read-only); the KV store is a fresh in-memory one
    # per replay, so replays are reproducible and never touch the workspace's KV data.
    kwargs: dict[str, Any] = {"cache_dir": args.cache_dir, "name": job.name,
                              "secrets": Secrets.for_workspace(workspace_root(job.wasm))
                              .granted(job.secrets)}
    if job.limits is not None:
        kwargs["limits"] = job.limits
    if job.chaos is not None:
        kwargs["chaos"] = job.chaos
    if job.host is not None:
        kwargs["host"] = job.host
    from workbench.services.trust import enforce_signature

    enforce_signature(job.wasm)  # [trust] require_signed: SignatureRejected
    harness = Harness(job.wasm, **kwargs)
    if not _all_answered_by_hooks(job.entries, hooks):
        harness.check()  # AbiMismatch / MalformedModule once, not once per entry
    store = args.store or job.store
    return replay(job.entries, harness, hooks=hooks, mode=args.mode, store=store,
                  module=job.name, save=not args.no_save)


def _all_answered_by_hooks(entries: list[SavedRequest], hooks: Any) -> bool:
    return hooks is not None and all(hooks.evaluate(e.request).response is not None
                                     for e in entries)


def _jobs(args: argparse.Namespace) -> list[_Job]:
    jobs: list[_Job] = []
    request_paths: list[Path] = []
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
        if args.module is None and path.is_dir() and _is_module(path):
            jobs.append(_module_job(path, None, args.trust))
        elif args.module is None and (path / "workbench.toml").is_file():
            from workbench.config.workspace import load_workspace

            jobs.extend(_module_job(m.root, None, args.trust)
                        for m in load_workspace([path]).modules)
        else:
            request_paths.append(path)
    for job in jobs:
        if not job.entries:
            print(f"workbench: {job.name}: no saved requests", file=sys.stderr)
    if request_paths:
        if args.module is None:
            raise UsageError(f"{request_paths[0]} is not a module folder: which module?",
                             hint="pass --module path/to/module.wasm (or a module folder)")
        variables = workspace_variables(args.module)
        entries: list[SavedRequest] = []
        for p in request_paths:
            found = load_requests(p, variables)
            if not found:
                raise UsageError(f"{p}: no saved requests",
                                 hint="a .hurl/.http entry starts with a request line like "
                                      "'GET /path'" + (" (files end in .hurl, .http or .rest)"
                                                       if p.is_dir() else ""))
            entries += found
        jobs.append(_module_job(args.module, entries, args.trust))
    return jobs


def _is_module(folder: Path) -> bool:
    from workbench.config.module import is_module_folder

    return is_module_folder(folder)


def _module_job(module: Path, entries: list[SavedRequest] | None, trust: bool = False) -> _Job:
    """A .wasm file, or a module folder built through the build layer."""
    if module.is_file():
        if entries is None:
            raise UsageError(f"{module}: a module file has no saved requests",
                             hint="pass request files and --module")
        store = module.resolve().parent / DEFAULT_STORE
        return _Job(module.stem, module, entries, None, store)
    if not module.is_dir():
        raise UsageError(f"no such module: {module}", where="--module",
                         hint="pass a .wasm file or a module folder")
    from workbench.config.folders import load_module
    from workbench.services.folder_trust import build_for_run

    cfg = load_module(module)
    built, warning = build_for_run(cfg, trust=trust)
    if warning:
        from workbench.core.text import printable

        print(f"workbench: {printable(warning)}", file=sys.stderr)
    if built.wasm_path is None:
        raise UsageError(f"{cfg.name}: the build produced no module", where=str(module))
    from workbench.services.trust import sign_build_output

    sign_build_output(cfg.root, built.wasm_path)  # module.toml sign = "..."
    if entries is None:
        entries = load_requests(cfg.requests, workspace_variables(module)) if cfg.requests else []
    return _Job(cfg.name, built.wasm_path, entries, cfg.hooks, cfg.root / DEFAULT_STORE,
                cfg.limits, cfg.chaos, cfg.secrets, cfg.host)


