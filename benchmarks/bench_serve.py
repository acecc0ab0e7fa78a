"""`workbench serve` throughput and latency against the same server library with no wasm.

Starts, in the same run and on the same machine:
- reference: aiohttp's low-level server answering a constant 3-byte response (the server
  library `workbench serve` is built on, with nothing else);
- `workbench serve` on a no-op edge handler (WAT: returns a constant response);
- `workbench serve` on a sample (sample_modules/json-api-c, GET /users/2; and hello-wat);
then drives each with wrk (or hey) at 1, 10 and 100 connections and prints req/s, p50 and
p99, and the ratio to the reference. Rounds alternate servers; figures are medians over
rounds. Goals (issue 11): no-op >= 0.6x the reference req/s; p99 at 100 connections
within 2x of the reference.

Isolation: a workspace with a handler looping until its 200 ms timeout on /loop and the
no-op on /; the no-op route's p99 alone, then with the looping route kept busy.

Processes: `--processes 1,2` measures `workbench serve --processes N` for each N in the
same run (N > 1: tagged [xN]); `--ref-processes 2` adds the reference run as 2
SO_REUSEPORT processes, a like-for-like reference for N = 2. Server CPU per request sums
every process of a server.

Floor (`--floor`): the same server library making only the bare warm wasm call, through
wasmtime-py's public API and through workbench's own bindings: what one handler call
costs before routing, hooks, limits, the record and the log (docs/serve.md, "The floor").

Run: python benchmarks/bench_serve.py [--duration 5] [--rounds 3] [--mode warm]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

NOOP_WAT = r'''(module (memory (export "memory") 1)
  (data (i32.const 16) "\29\00\00\00HTTP/1.1 200 OK\0d\0acontent-length: 3\0d\0a\0d\0aok\0a")
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 16)))'''
LOOP_WAT = r'''(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0)))'''

_SLOW_BODY = "finished"
_SLOW_RESP = (f"HTTP/1.1 200 OK\r\ncontent-length: {len(_SLOW_BODY)}\r\n\r\n"
              f"{_SLOW_BODY}").encode()
_SLOW_DATA = "".join(f"\\{b:02x}" for b in len(_SLOW_RESP).to_bytes(4, "little") + _SLOW_RESP)
# sleeps 600 ms in WASI poll_oneoff (one relative monotonic-clock subscription), answers
SLOW_WAT = f"""(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 4096) "{_SLOW_DATA}")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32)
    (i64.store (i32.const 1024) (i64.const 7))
    (i32.store (i32.const 1040) (i32.const 1))
    (i64.store (i32.const 1048) (i64.const 600000000))
    (drop (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))
    (i32.const 4096)))"""

# argv: processes, port (0: the first process picks one and starts the others on it,
# each with its own SO_REUSEPORT socket when processes > 1; each says "ready")
REFERENCE = textwrap.dedent('''
    import asyncio, subprocess, sys
    from aiohttp import web
    n, port = int(sys.argv[1]), int(sys.argv[2])
    async def handle(request):
        return web.Response(body=b"ok\\n")
    async def main():
        runner = web.ServerRunner(web.Server(handle, access_log=None), handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, reuse_port=n > 1).start()
        if port == 0:
            real = runner.addresses[0][1]
            others = [subprocess.Popen([sys.executable, sys.argv[0], str(n), str(real)],
                                       stdout=subprocess.PIPE) for _ in range(n - 1)]
            for p in others:
                p.stdout.readline()
            print("http://127.0.0.1:%d" % real, flush=True)
        else:
            print("ready", flush=True)
        await asyncio.Event().wait()
    asyncio.run(main())
''')

# argv: variant ("api" | "fast"), port. The least a warm edge call costs inside the same
# server library, with none of workbench's work around it (no routing, hooks, limits,
# record or log): the request as HTTP/1.1 bytes, fuel set, alloc, the bytes copied in,
# handle, the answer read back and split into status and body. "api": wasmtime-py's
# public API (Func.__call__, Memory.read/write); "fast": workbench's own bindings
# (core/runtime/fastcall.py), the cheapest calls the serve path uses.
FLOOR = textwrap.dedent('''
    import asyncio, sys
    from aiohttp import web
    import wasmtime
    variant, port = sys.argv[1], int(sys.argv[2])
    cfg = wasmtime.Config()
    cfg.consume_fuel = True
    store = wasmtime.Store(wasmtime.Engine(cfg))
    ex = wasmtime.Instance(store, wasmtime.Module(store.engine, sys.argv[3]), []).exports(store)
    alloc, handle, mem = ex["alloc"], ex["handle"], ex["memory"]
    if variant == "fast":
        from workbench.core.runtime.fastcall import FastFunc, MemView, StoreOps
        falloc, fhandle = FastFunc(store, alloc), FastFunc(store, handle)
        fmem, ops = MemView.of(store, mem), StoreOps(store)
    def call(req):
        if variant == "fast":
            ops.set_fuel(1_000_000)
            p = falloc.call1(len(req))
            fmem.write(p, req)
            return fmem.read_prefixed(fhandle.call2(p, len(req)), 1 << 20)[1]
        store.set_fuel(1_000_000)
        p = alloc(store, len(req))
        mem.write(store, req, p)
        r = handle(store, p, len(req))
        n = int.from_bytes(mem.read(store, r, r + 4), "little")
        return mem.read(store, r + 4, r + 4 + n)
    async def handle_request(request):
        req = (f"{request.method} {request.raw_path} HTTP/1.1\\r\\n".encode()
               + b"".join(k + b": " + v + b"\\r\\n" for k, v in request.raw_headers) + b"\\r\\n")
        head, _, body = call(req).partition(b"\\r\\n\\r\\n")
        return web.Response(status=int(head.split(b" ", 2)[1]), body=body)
    async def main():
        runner = web.ServerRunner(web.Server(handle_request, access_log=None),
                                  handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        print("http://127.0.0.1:%d" % runner.addresses[0][1], flush=True)
        await asyncio.Event().wait()
    asyncio.run(main())
''')


def module(folder: Path, wat: str, route: str | None = None, timeout_ms: int = 1000) -> None:
    folder.mkdir(parents=True)
    (folder / "handler.wat").write_text(wat)
    toml = f'name = "{folder.name}"\ntoolchain = "wat"\nsources = ["handler.wat"]\n'
    if route:
        toml += f'route = "{route}"\n'
    (folder / "module.toml").write_text(toml + f"\n[limits]\ntimeout_ms = {timeout_ms}\n")


class Server:
    """A server to measure. `group`: stopped by SIGTERM to its whole process group (the
    multi-process reference); else SIGTERM to the process, as a user stops it."""

    def __init__(self, cmd: list[str], json_log: bool, group: bool = False):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.group = group
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=env, start_new_session=True)
        assert self.proc.stdout is not None
        self.url = ""
        for line in self.proc.stdout:
            if not json_log and line.startswith("http://"):
                self.url = line.strip()
                break
            if json_log and line.startswith("{") and '"routes"' in line:
                self.url = json.loads(line)["url"]
                break
        if not self.url:
            raise SystemExit(f"server did not start: {cmd}")
        # Drain the request log so the pipe never fills: in 1 MiB reads, so this process
        # takes as little CPU as it can from the server it measures (2 cores, shared with
        # wrk; iterating lines in Python cost ~5% of a core at 4,000 lines/s).
        fd = self.proc.stdout.fileno()

        def drain() -> None:
            try:
                while os.read(fd, 1 << 20):
                    pass
            except OSError:
                pass
        self._drain = threading.Thread(target=drain, daemon=True)
        self._drain.start()

    def stop(self) -> None:
        if self.group:
            os.killpg(self.proc.pid, signal.SIGTERM)
        else:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        with contextlib.suppress(ProcessLookupError):  # whatever is left of its session
            os.killpg(self.proc.pid, signal.SIGKILL)


PROCESSES = 1  # `workbench serve --processes` (--processes)


def serve(path: Path, mode: str, *extra: str) -> Server:
    """`workbench serve PATH`; `extra` may set `--processes` (else PROCESSES)."""
    if "--processes" not in extra:
        extra += ("--processes", str(PROCESSES))
    return Server([sys.executable, "-m", "workbench", "serve", str(path), "--listen",
                   "127.0.0.1:0", "--json", "--mode", mode, "--no-reload", *extra],
                  json_log=True)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (and its threads) and of its children, from
    /proc (children still running: `--processes` and the multi-process reference)."""
    total = 0.0
    for d in Path("/proc").iterdir():
        if not d.name.isdecimal():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(d.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _us(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 1, "ms": 1000, "s": 1e6}[m.group(2)]


def load(url: str, conns: int, duration: float) -> tuple[float, float, float, int]:
    """(req/s, p50 us, p99 us, non-2xx count) from wrk, else hey."""
    if shutil.which("wrk"):
        threads = 1 if conns == 1 else 2
        secs = max(1, round(duration))  # wrk takes whole seconds
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{secs}s",
                              "--latency", url], capture_output=True, text=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        p50 = _us(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
        p99 = _us(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        return rps, p50, p99, int(bad.group(1)) if bad else 0
    if shutil.which("hey"):
        out = subprocess.run(["hey", "-z", f"{duration}s", "-c", str(conns), url],
                             capture_output=True, text=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        p50 = float(re.search(r"50%+ in ([\d.]+)", out).group(1)) * 1e6  # type: ignore[union-attr]
        p99 = float(re.search(r"99%+ in ([\d.]+)", out).group(1)) * 1e6  # type: ignore[union-attr]
        return rps, p50, p99, 0
    raise SystemExit("needs wrk (Debian package wrk) or hey")


def fmt_us(us: float) -> str:
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} us"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mode", default="warm", choices=("warm", "fresh", "cold"))
    ap.add_argument("--conns", default="1,10,100")
    ap.add_argument("--no-isolation", action="store_true")
    ap.add_argument("--stop", action="store_true",
                    help="also time SIGTERM/SIGINT to exit, idle and with a request in flight")
    ap.add_argument("--no-samples", action="store_true",
                    help="only the reference and the no-op handler")
    ap.add_argument("--workers-only", action="store_true",
                    help="also the no-op handler with `--no-inline` (every request on a "
                         "worker thread, as before inline runs)")
    ap.add_argument("--processes", default="1", metavar="N[,N...]",
                    help="start the workbench servers with --processes N; a list (1,2) "
                         "measures each count in the same run")
    ap.add_argument("--floor", action="store_true",
                    help="also the same server library making only the bare warm wasm call "
                         "(wasmtime-py's API, and workbench's fastcall bindings): what a "
                         "handler call costs before any of workbench's work")
    ap.add_argument("--ref-processes", type=int, default=1, metavar="N",
                    help="also run the reference as N processes (SO_REUSEPORT), like for "
                         "like; ratios are printed against both references")
    args = ap.parse_args()
    global PROCESSES
    counts = [int(n) for n in args.processes.split(",")]
    PROCESSES = counts[0]
    conns = [int(c) for c in args.conns.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    module(tmp / "noop", NOOP_WAT)
    (tmp / "reference.py").write_text(REFERENCE)
    ref = "reference (aiohttp, no wasm)"
    ref_n = f"reference x{args.ref_processes} (SO_REUSEPORT)"

    def reference(n: int) -> Server:
        return Server([sys.executable, str(tmp / "reference.py"), str(n), "0"],
                      json_log=False, group=True)

    targets: dict[str, tuple[Any, str]] = {ref: (lambda: reference(1), "/")}
    if args.ref_processes > 1:
        targets[ref_n] = (lambda: reference(args.ref_processes), "/")
    if args.floor:
        (tmp / "floor.py").write_text(FLOOR)
        for variant, label in (("api", "wasmtime-py API"), ("fast", "fastcall")):
            targets[f"floor: bare wasm call, {label}"] = (
                lambda v=variant: Server([sys.executable, str(tmp / "floor.py"), v, "0",
                                          NOOP_WAT], json_log=False), "/")
    for n in counts:
        tag = "" if len(counts) == 1 and n == 1 else f" [x{n}]"
        ps = ("--processes", str(n))
        targets[f"no-op edge handler{tag}"] = (
            lambda ps=ps: serve(tmp / "noop", args.mode, *ps), "/")
        if not args.no_samples:
            targets[f"sample json-api-c GET /users/2{tag}"] = (
                lambda ps=ps: serve(REPO / "sample_modules" / "json-api-c", args.mode, *ps),
                "/users/2")
            targets[f"sample hello-wat GET /{tag}"] = (
                lambda ps=ps: serve(REPO / "sample_modules" / "hello-wat", args.mode, *ps),
                "/")
        if args.workers_only:
            targets[f"no-op, --no-inline{tag}"] = (
                lambda ps=ps: serve(tmp / "noop", args.mode, "--no-inline", *ps), "/")
    results: dict[tuple[str, int], list[tuple[float, float, float, int]]] = {}
    cpu: dict[str, list[float]] = {}  # server CPU microseconds per request
    print(f"bench_serve: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"mode {args.mode}, {args.rounds} rounds x {args.duration:g} s per point; "
          f"workbench serve --processes {args.processes} ([xN]: N processes); reference: "
          f"1 process" + (f" and {args.ref_processes} processes" if args.ref_processes > 1
                          else ""))
    for rnd in range(args.rounds):
        for name, (start, path) in targets.items():
            server = start()
            try:
                load(server.url + path, 10, 1.0)  # warm-up: caches, instances, pools
                for c in conns:
                    before = cpu_s(server.proc.pid)
                    r = load(server.url + path, c, args.duration)
                    used = cpu_s(server.proc.pid) - before
                    results.setdefault((name, c), []).append(r)
                    if c == 10:
                        cpu.setdefault(name, []).append(
                            used * 1e6 / max(1.0, r[0] * round(args.duration)))
            finally:
                server.stop()
        print(f"  round {rnd + 1} done (load {os.getloadavg()[0]:.2f})", flush=True)
    refs = [ref] + ([ref_n] if args.ref_processes > 1 else [])
    extra = "".join(f" {'x ref' + str(i + 1) + ' req/s':>12} {'p99':>5}"
                    for i in range(len(refs)))
    print(f"\n{'server':40} {'conns':>5} {'req/s':>9} {'p50':>10} {'p99':>10}{extra} "
          f"{'non-2xx':>7}")
    for name in targets:
        for c in conns:
            runs = results[(name, c)]
            rps = statistics.median(r[0] for r in runs)
            p50 = statistics.median(r[1] for r in runs)
            p99 = statistics.median(r[2] for r in runs)
            bad = sum(r[3] for r in runs)
            ratios = ""
            for rn in refs:
                rref = statistics.median(r[0] for r in results[(rn, c)])
                pref = statistics.median(r[2] for r in results[(rn, c)])
                ratios += f" {rps / rref:>12.2f} {p99 / pref:>5.2f}"
            print(f"{name:40} {c:>5} {rps:>9.0f} {fmt_us(p50):>10} {fmt_us(p99):>10}"
                  f"{ratios} {bad:>7}")
    if len(refs) > 1:
        print(f"(ref1: {ref}; ref2: {ref_n})")
    if cpu:
        print("\nserver CPU per request at 10 connections (user+system, all threads and "
              "processes; less sensitive to other load on the machine than req/s):")
        ref_cpu = statistics.median(cpu[ref])
        for name, values in cpu.items():
            v = statistics.median(values)
            print(f"  {name:40} {v:>7.0f} us  (x{v / ref_cpu:.2f} the reference)")
    if not args.no_isolation:
        for n in counts:  # each count: a second process shares the cores with the loop
            isolation(tmp, args, n)
    if args.stop:
        for n in counts:
            stop_times(tmp, args, n)


def isolation(tmp: Path, args: argparse.Namespace, processes: int = 1) -> None:
    ws = tmp / "ws"
    module(ws / "site", NOOP_WAT, route="/")
    module(ws / "loop", LOOP_WAT, route="/loop", timeout_ms=200)
    (ws / "workbench.toml").write_text('modules = ["site", "loop"]\n')
    server = serve(ws, args.mode, "--processes", str(processes))
    try:
        load(server.url + "/", 10, 1.0)
        alone = [load(server.url + "/", 10, args.duration) for _ in range(args.rounds)]
        busy_runs = []
        for _ in range(args.rounds):
            stop = time.monotonic() + args.duration + 1
            secs = max(1, round(args.duration)) + 1
            looping = subprocess.Popen(
                ["wrk", "-t1", "-c4", f"-d{secs}s", server.url + "/loop"]
                if shutil.which("wrk") else
                ["hey", "-z", f"{args.duration + 1}s", "-c", "4", server.url + "/loop"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            busy_runs.append(load(server.url + "/", 10, args.duration))
            looping.wait(max(1.0, stop - time.monotonic() + 5))
    finally:
        server.stop()
    a99 = statistics.median(r[2] for r in alone)
    b99 = statistics.median(r[2] for r in busy_runs)
    a_rps = statistics.median(r[0] for r in alone)
    b_rps = statistics.median(r[0] for r in busy_runs)
    print(f"\nisolation [x{processes}]: no-op route at 10 connections, alone vs beside a route "
          "looping until its 200 ms timeout (4 connections)")
    print(f"  alone:        {a_rps:>7.0f} req/s  p99 {fmt_us(a99)}")
    print(f"  beside loop:  {b_rps:>7.0f} req/s  p99 {fmt_us(b99)}  "
          f"(p99 x{b99 / a99:.2f}, req/s x{b_rps / a_rps:.2f})")


def stop_times(tmp: Path, args: argparse.Namespace, processes: int = 1) -> None:
    """Signal to process exit, idle and with a 600 ms request in flight (sent 200 ms before
    the signal): the in-flight request must get its whole answer (acceptance: within 1 s)."""
    import http.client

    module(tmp / "slow", SLOW_WAT, timeout_ms=10000)
    print(f"\nstop [x{processes}]: signal to exit (the request in flight was sent 200 ms "
          "before the signal and sleeps 600 ms in the handler)")
    for sig in (signal.SIGINT, signal.SIGTERM):
        for busy in (False, True):
            times = []
            answers = []
            for _ in range(args.rounds):
                server = serve(tmp / "slow", args.mode, "--processes", str(processes))
                got: list[object] = []
                t = None
                if busy:
                    port = int(server.url.rsplit(":", 1)[1])

                    def call(port: int = port, got: list[object] = got) -> None:
                        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                        try:
                            c.request("GET", "/")
                            r = c.getresponse()
                            got.append((r.status, r.read()))
                        except OSError as e:
                            got.append(repr(e))
                    t = threading.Thread(target=call)
                    t.start()
                    time.sleep(0.2)
                t0 = time.monotonic()
                server.proc.send_signal(sig)
                server.proc.wait(30)
                times.append((time.monotonic() - t0) * 1e6)
                if t is not None:
                    t.join(30)
                    answers.append(got[0] if got else "no answer")
            ok = all(a == (200, b"finished") for a in answers)
            what = "request in flight" if busy else "idle"
            print(f"  {sig.name:7} {what:18} median {fmt_us(statistics.median(times)):>9}  "
                  f"max {fmt_us(max(times)):>9}" + (f"  answers complete: {ok}" if busy else ""))


if __name__ == "__main__":
    main()
