"""The argparse side of `run` and `bench`: flags -> a `services.target.RunSpec`."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.core.runtime.harness import MODES
from workbench.services.target import RunSpec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", type=Path, metavar="MODULE",
                        help="a .wasm file or a module folder (built first)")
    parser.add_argument("request", type=Path, nargs="?", metavar="REQUEST",
                        help="a saved request file (.hurl / .http); flags override it")
    parser.add_argument("--entry", help="which entry of REQUEST (name or 1-based number)")
    parser.add_argument("--method", "-X", help="HTTP method (default GET)")
    parser.add_argument("--path", help="request target, e.g. /api?x=1 (default /)")
    parser.add_argument("--header", "-H", action="append", default=[], metavar="K:V",
                        help="request header (repeatable)")
    parser.add_argument("--data", "-d", "--body", help="request body (@FILE reads a file)")
    parser.add_argument("--client-ip", help="client IP seen by hooks and the handler")
    parser.add_argument("--hooks", type=Path, metavar="FILE", help="hooks.toml to apply first")
    parser.add_argument("--no-hooks", action="store_true", help="ignore configured hooks")
    parser.add_argument("--chaos", action="append", default=[], metavar="SPEC",
                        help="fault injection on top of the configured [chaos]: "
                             "latency:FN=MS (FN a host function, http_fetch or *), kv_fail=RATE, "
                             "secret_fail=RATE, cache_miss, seed=N, off (comma-separated "
                             "or repeated)")
    parser.add_argument("--timeout-ms", type=int, help="override limits.timeout_ms")
    parser.add_argument("--fuel", type=int, help="override limits.fuel")
    parser.add_argument("--cache-dir", type=Path, help="compiled-module cache folder")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument("--trust", action="store_true",
                        help="build even when the folder's build runs its own code and it "
                             "is not trusted (CI; same as WORKBENCH_TRUST=1)")


def add_mode(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--mode", choices=MODES, default=default,
                        help=f"cold, fresh or warm instance (default {default})")


def spec(args: argparse.Namespace) -> RunSpec:
    return RunSpec(
        module=args.module, request=args.request, entry=args.entry, method=args.method,
        path=args.path, headers=tuple(args.header), data=args.data, client_ip=args.client_ip,
        hooks=args.hooks, no_hooks=args.no_hooks, chaos=tuple(args.chaos),
        timeout_ms=args.timeout_ms, fuel=args.fuel, cache_dir=args.cache_dir,
        trust=args.trust)
