"""`workbench bench MODULE [REQUEST] -n N [--mode ...]`: percentiles per phase.

Prints p50/p90/p99/p99.9/max in microseconds for each phase, errors by kind, and the
harness overhead measured against wasmtime-py's plain `Func.__call__` in the same run.
Live progress on a terminal; Ctrl-C stops early and prints what was measured.
"""

from __future__ import annotations

import argparse
import sys
import threading

from workbench.cli.commands import _target
from workbench.cli.render import console, err_console, print_json
from workbench.core.runtime.result import BenchResult

NAME = "bench"
HELP = "run a request N times and print latency percentiles per phase (cold/fresh/warm)"
ORDER = 31


def register(parser: argparse.ArgumentParser) -> None:
    _target.add_arguments(parser)
    _target.add_mode(parser, "warm")
    parser.add_argument("-n", type=int, default=1000, help="requests (default 1000)")


def run(args: argparse.Namespace) -> int:
    if args.n < 1:
        from workbench.core.errors import UsageError

        raise UsageError("-n must be at least 1", where="-n")
    target = _target.resolve(args)
    target.harness.check()
    cancel = threading.Event()
    box: dict[str, BenchResult | BaseException] = {}
    live = sys.stderr.isatty() and not args.json

    def work(progress) -> None:  # type: ignore[no-untyped-def]
        try:
            box["r"] = target.harness.bench(target.request, args.n, args.mode,
                                            progress=progress, cancel=cancel,
                                            hooks=target.hooks)
        except BaseException as e:  # re-raised in the main thread
            box["e"] = e

    if live:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,
                      transient=True) as bar:
            task = bar.add_task(f"{args.mode} {target.harness.name}", total=args.n)
            _run_thread(lambda: work(lambda d, n: bar.update(task, completed=d)), cancel)
    else:
        _run_thread(lambda: work(None), cancel)
    if "e" in box:
        raise box["e"]  # type: ignore[misc]
    result = box["r"]
    assert isinstance(result, BenchResult)
    if args.json:
        print_json(result.to_json())
    else:
        render(result)
    return 1 if result.errors else 0


def _run_thread(fn, cancel: threading.Event) -> None:  # type: ignore[no-untyped-def]
    t = threading.Thread(target=fn, name="workbench-bench", daemon=True)
    t.start()
    try:
        while t.is_alive():
            t.join(0.1)
    except KeyboardInterrupt:
        cancel.set()
        t.join()


def render(b: BenchResult) -> None:
    from rich.table import Table

    title = f"{b.n} requests · {b.mode}" + (" · cancelled" if b.cancelled else "")
    table = Table(title=title, title_justify="left")
    table.add_column("phase (µs)")
    for col in ("p50", "p90", "p99", "p99.9", "max", "mean"):
        table.add_column(col, justify="right")
    for name, s in b.phases.items():
        table.add_row(name, *(f"{v:,.1f}" for v in (s.p50, s.p90, s.p99, s.p999, s.max,
                                                    s.mean)))
    console.print(table)
    if b.reference_us is not None and b.overhead_us is not None:
        console.print(f"plain Func.__call__ p50 {b.reference_us:.1f} µs · harness total p50 "
                      f"minus that: {b.overhead_us:+.1f} µs")
    if b.around_guest_us is not None:
        console.print(f"harness work around the guest call (total − handler p50): "
                      f"{b.around_guest_us:.1f} µs")
    console.print(f"fuel per request: {b.fuel:,}")
    if b.errors:
        errs = ", ".join(f"{k} ×{v}" for k, v in sorted(b.errors.items()))
        console.print(f"[red]errors:[/] {errs}")
