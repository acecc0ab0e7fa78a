"""`workbench bench MODULE [REQUEST] -n N [--mode ...]`: percentiles per phase.

Prints p50/p90/p99/p99.9/max in microseconds for each phase, the harness's own work
around the guest per request, errors by kind, and (warm mode) the harness overhead
measured against wasmtime-py's plain `Func.__call__` in the same run. `--mode all` runs
cold, fresh and warm one after the other and reports them apart. Live progress on a
terminal; Ctrl-C stops early and prints what was measured. Exit 1 when any request
failed.
"""

from __future__ import annotations

import argparse
import sys
import threading

from rich.markup import escape
from rich.text import Text

from workbench.cli.commands import _target
from workbench.cli.render import console, err_console, print_json
from workbench.core.runtime.bench import BenchOptions
from workbench.core.runtime.harness import MODES
from workbench.core.runtime.result import BenchResult, PhaseStats
from workbench.services import target as target_svc

NAME = "bench"
HELP = "run a request N times and print latency percentiles per phase (cold/fresh/warm)"
ORDER = 31


def register(parser: argparse.ArgumentParser) -> None:
    _target.add_arguments(parser)
    parser.add_argument("--mode", choices=(*MODES, "all"), default="warm",
                        help="cold, fresh or warm instance, or all three one after the "
                             "other, reported apart (default warm)")
    parser.add_argument("-n", type=int, default=1000,
                        help="requests per mode (default 1000)")


def run(args: argparse.Namespace) -> int:
    if args.n < 1:
        from workbench.core.errors import UsageError

        raise UsageError("-n must be at least 1", where="-n")
    target = target_svc.resolve(_target.spec(args))
    if target.warning:
        err_console.print(f"workbench: {target.warning}", markup=False)
    if not target_svc.answered_by_hooks(target):
        target.harness.check()
    modes = list(MODES) if args.mode == "all" else [args.mode]
    cancel = threading.Event()
    results: list[BenchResult] = []
    for mode in modes:
        if cancel.is_set():
            break
        results.append(_bench_one(target, mode, args, cancel))
    interrupted = cancel.is_set()  # set only by Ctrl-C (see _run_thread)
    if not results:
        raise KeyboardInterrupt
    if args.json:
        if args.mode == "all":
            print_json({"n": args.n, "mode": "all",
                        "runs": {r.mode: r.to_json() for r in results}})
        else:
            print_json(results[0].to_json())
    else:
        for i, r in enumerate(results):
            render(r, explain=i == len(results) - 1)
    if interrupted:
        return 130  # what was measured is printed; the exit says it was cut short
    return 1 if any(r.errors for r in results) else 0


def _bench_one(target: target_svc.Target, mode: str, args: argparse.Namespace,
               cancel: threading.Event) -> BenchResult:
    box: dict[str, BenchResult | BaseException] = {}
    live = sys.stderr.isatty() and not args.json
    done = threading.Event()

    def work(progress) -> None:  # type: ignore[no-untyped-def]
        try:
            options = BenchOptions(args.n, mode, hooks=target.hooks, progress=progress)
            box["r"] = target.harness.bench(target.request, options, cancel=cancel)
        except BaseException as e:  # re-raised in the main thread
            box["e"] = e
        finally:
            done.set()

    if live:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,
                      transient=True) as bar:
            task = bar.add_task(f"{mode} {target.harness.name}", total=args.n)
            _run_thread(lambda: work(lambda d, n: bar.update(task, completed=d)), cancel, done)
    else:
        _run_thread(lambda: work(None), cancel, done)
    if "e" in box:
        raise box["e"]  # type: ignore[misc]
    result = box.get("r")
    if not isinstance(result, BenchResult):  # pragma: no cover - the worker always sets one
        raise KeyboardInterrupt
    return result


def _run_thread(fn, cancel: threading.Event,  # type: ignore[no-untyped-def]
                done: threading.Event) -> None:
    """Run `fn` in a worker; Ctrl-C sets `cancel` and waits for the worker to finish.

    Waits on `done` (set by the worker), not `Thread.join`: a KeyboardInterrupt landing
    inside `join` can leave the thread marked finished while it still runs (CPython
    < 3.13), and the process then exits with the worker inside wasmtime, which aborts
    in the Rust runtime (exit 134). Cancelling wakes a guest sleeping in WASI at once;
    a guest computing ends at its deadline."""
    t = threading.Thread(target=fn, name="workbench-bench", daemon=True)
    t.start()
    while True:
        try:
            while not done.wait(0.1):
                pass
            return
        except KeyboardInterrupt:
            cancel.set()  # a second Ctrl-C only repeats this: the worker is finishing


# What "around guest" is made of, per ABI (the harness's own work around the handler call)
AROUND_GUEST = {
    "wagi": "the CGI environment and stdin file, parse the CGI output, build the result",
    "wasi-http": "the wasi:http request resources, collect the response-outparam and body, "
                 "build the result",
    "extism": "the Extism SDK call with the request body as input, build the result",
    "edge": "write the request via alloc, read and parse the response, build the result",
}


def render(b: BenchResult, explain: bool = True) -> None:
    from rich.table import Table

    ran_as = ""
    if b.last is not None and b.last.abi == "wagi" and b.last.mode != b.mode:
        ran_as = f" (WAGI: each request runs {b.last.mode}, a command cannot be reused)"
    elif b.last is not None and b.last.mode != b.mode:  # a componentize-js component
        ran_as = f" (each request runs {b.last.mode}: one request per instance)"
    title = (f"{b.n:,} requests · {b.mode}{ran_as}" + (" · cancelled" if b.cancelled else "")
             + (f" · module {b.last.module}" if b.last and b.last.module else ""))
    # its own line: as the table's title it wrapped at the table's width, which moves
    # with the figures (mid-phrase, from run to run)
    console.print(Text(title, style="italic"))
    table = Table()
    table.add_column("phase (µs)")
    for col in ("p50", "p90", "p99", "p99.9", "max", "mean"):
        table.add_column(col, justify="right")
    for name, s in b.phases.items():
        table.add_row(name, *_cells(s))
    if b.around_guest is not None:
        table.add_row("[dim]around guest[/]", *(f"[dim]{c}[/]" for c in _cells(b.around_guest)))
    console.print(table)
    if b.mode == "warm" and b.reference_us is not None and b.overhead_us is not None:
        total = b.phases["total"].p50
        ratio = total / b.reference_us if b.reference_us else float("nan")
        more = (f"{b.overhead_us:.1f} µs more" if b.overhead_us > 0
                else f"{-b.overhead_us:.1f} µs less")
        console.print(f"warm overhead, p50, same run: whole harness request {total:.1f} µs "
                      f"vs one plain wasmtime-py Func.__call__ {b.reference_us:.1f} µs = "
                      f"{ratio:.2f}× ({more}; target: at most 3 µs more)")
    console.print(f"fuel per request: {b.fuel:,}")
    if explain and b.around_guest is not None:
        work = AROUND_GUEST.get(b.last.abi if b.last is not None else "edge",
                                AROUND_GUEST["edge"])
        console.print("[dim]around guest = total − hooks − compile/cache_load − instantiate "
                      f"− handler, per request: the harness's own work ({work})[/]")
    if b.faults:
        shown = ", ".join(f"{k} ×{v:,}" for k, v in sorted(b.faults.items()))
        console.print(f"[yellow]faults injected:[/] {escape(shown)}")
    if b.errors:
        errs = ", ".join(f"{k} ×{v}" for k, v in sorted(b.errors.items()))
        console.print(f"[red]errors:[/] {errs}")


def _cells(s: PhaseStats) -> list[str]:
    return [f"{v:,.1f}" for v in (s.p50, s.p90, s.p99, s.p999, s.max, s.mean)]
