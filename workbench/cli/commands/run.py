"""`workbench run MODULE [REQUEST] [flags]`: one request through the live runtime.

Prints the response, per-phase timing, fuel, memory, the guest's log lines and any error
(with the wasm backtrace). Exit status 1 when the result carries an error, 2 for a
usage/config mistake.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.markup import escape

from workbench.cli.commands import _target
from workbench.cli.render import console, err_console, print_json
from workbench.core.errors import UsageError
from workbench.core.runtime.result import RunResult
from workbench.core.units import human_bytes
from workbench.services import target as target_svc

NAME = "run"
HELP = "send one request to a module (edge, WAGI, wasi:http) and show response, timing, logs"
ORDER = 30

_LEVEL_STYLE = {"debug": "dim", "info": "cyan", "warn": "yellow", "error": "red"}


def register(parser: argparse.ArgumentParser) -> None:
    _target.add_arguments(parser)
    _target.add_mode(parser, "fresh")
    parser.add_argument("--body-limit", type=int, default=4000,
                        help="characters of body to print (human output; default 4000)")


def run(args: argparse.Namespace) -> int:
    if args.body_limit < 0:
        raise UsageError(f"must be 0 or more, got {args.body_limit}",
                         where="--body-limit")
    target = target_svc.resolve(_target.spec(args))
    if target.warning:
        err_console.print(f"workbench: {target.warning}", markup=False)
    if not target_svc.answered_by_hooks(target):
        target.harness.check()  # typed AbiMismatch / MalformedModule before running
    result = target.harness.run(target.request, args.mode, hooks=target.hooks)
    if args.json:
        print_json(result.to_json())
    else:
        render(result, args.body_limit)
    return 1 if result.error else 0


def render(r: RunResult, body_limit: int = 4000) -> None:
    if r.response is not None:
        resp = r.response
        style = "green" if resp.status < 400 else ("yellow" if resp.status < 500 else "red")
        console.print(f"[bold {style}]{resp.status} {escape(resp.to_json()['reason'])}[/]")
        for k, v in resp.headers:
            console.print(f"[dim]{escape(k)}:[/] {escape(v)}")
        if resp.body:
            text = resp.text
            console.print()
            console.print(escape(text[:body_limit]) + ("[dim]…[/]" if len(text) > body_limit
                                                       else ""))
    if r.error is not None:
        console.print(f"[bold red]error ({r.error.kind}):[/] {escape(r.error.message)}")
        for frame in r.error.backtrace:
            console.print(f"  [dim]at[/] {escape(frame)}")
    if r.hook is not None:
        console.print(f"[magenta]hooks:[/] {escape(_hook_line(r.hook))}")
    if r.logs:
        console.print("[bold]logs[/]")
        for ln in r.logs:
            st = _LEVEL_STYLE.get(ln.level, "")
            console.print(f"  [dim]{ln.t_us / 1000:8.3f}ms[/] [{st}]{ln.level:5}[/] "
                          f"{escape(ln.message)}")
    phases = "  ".join(f"{k} {_us(v)}" for k, v in r.timing.items())
    other = r.timing.get("total", 0.0) - sum(v for k, v in r.timing.items()
                                            if k not in ("total", "prepare"))
    if other >= 0.05:  # the harness's own work (write the request, parse the response, KV)
        phases += f"  (other {_us(other)})"
    extra = f"  cache {r.cache}" if r.cache else ""
    if r.abi == "hook":  # the module never ran: no fuel, no memory to speak of
        console.print(f"[dim]{r.mode} · answered by a hook, module not run · {phases}[/]")
    else:
        # what a runtime cannot measure is said so, never shown as 0
        fuel = f"fuel {r.fuel:,}" if r.fuel_measured else "fuel n/a"
        memory = (f"memory {human_bytes(r.memory_bytes)}" if r.memory_measured
                  else "memory n/a")
        console.print(f"[dim]{r.mode} · {r.abi} · {phases} · {fuel} · {memory}{extra}[/]")
    if r.faults:
        console.print(f"[yellow]faults injected:[/] {escape(', '.join(r.faults))}")


def _hook_line(hook: dict[str, Any]) -> str:
    parts = [f"answered by rule {hook.get('rule')!r}" if hook.get("answered") else ""]
    for t in hook.get("trace") or []:
        if isinstance(t, dict):
            parts.append(f"{t.get('rule')}: {t.get('action')} ({t.get('why')}) {t.get('changed')}")
    return "; ".join(p for p in parts if p) or "no rule matched"


def _us(v: float) -> str:
    return f"{v / 1000:.2f}ms" if v >= 1000 else f"{v:.1f}µs"
