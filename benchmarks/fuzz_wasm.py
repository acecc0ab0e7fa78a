"""Hostile and third-party WebAssembly through every subcommand that reads a binary.

    python3 benchmarks/fuzz_wasm.py [--out DIR] [--real DIR...] [--spec DIR]
        [--smith N] [--edge N] [--mutate N] [--ttf N] [--groups g1,g2] [--limit N]
        [--commands c1,c2] [--big N] [--serve N] [--prebuilt N] [--timeout S]

Builds the inputs of `fuzz_wasm_corpus.py` and `fuzz_wasm_corrupt.py` (fixed seeds: the
same files every run; third-party modules from --real, spec scripts from --spec), then
runs `inspect` (human, --json, every --by view, --diff both ways, --core), `strip`
(preview and -o), `check`, `purity`, `run` and `bench` on each one in a worker process
(`fuzz_wasm_worker.py`, each command bounded by --timeout) and checks
(`fuzz_wasm_checks.py`):

- no escaped exception, no traceback in the output, no hang, exit status 0, 1 or 2;
- a failure names the file;
- a module wasmtime validates is read by inspect (exit 0) in every view, and its sections
  (start, end, size, count), function count and every function's body size equal
  wabt's `wasm-objdump -h` / `-x` (or, for proposals that wabt does not read,
  `wasm-tools objdump` / `dump`); `--by` rows add up to their total; the on-disk sizes
  of the sections plus the 8-byte header add up to the file size.

Then (`fuzz_wasm_stages.py`) the largest inputs in fresh processes (time, peak RSS),
`serve` start-up on a sample (refused with the file named, or listening; stops on
SIGTERM), and a sample as prebuilt `command` builds through build, check, run and watch.
Prints a summary per command and every problem, writes `results.jsonl` in --out; exit
status 1 when any problem was found. The worker's peak RSS column is an upper bound (a
long-lived process); the fresh-process figures are the real ones.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzz_wasm_corpus as corpus  # noqa: E402
import fuzz_wasm_corrupt as corrupt  # noqa: E402
import fuzz_wasm_stages as stages  # noqa: E402
from fuzz_wasm_checks import check, objdump  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
WORKER = Path(__file__).with_name("fuzz_wasm_worker.py")
SCRATCH = Path("/work/scratch")
RUNTIME = ("purity", "run", "bench")
BIG = 4 << 20  # run/bench/purity of files above this: only when --big-runs


def commands(case: corpus.Case, out: Path, old: Path) -> dict[str, list[str]]:
    f = str(case.path)
    cmds = {
        "inspect": ["inspect", f], "inspect-json": ["inspect", f, "--json"],
        "by-function": ["inspect", f, "--by", "function", "--json"],
        "by-data": ["inspect", f, "--by", "data", "--json"],
        "by-source": ["inspect", f, "--by", "source"],
        "by-section": ["inspect", f, "--by", "section", "--json"],
        "by-retained": ["inspect", f, "--by", "retained", "--json"],
        "by-dominators": ["inspect", f, "--by", "dominators"],
        "by-garbage": ["inspect", f, "--by", "garbage", "--json"],
        "by-monos": ["inspect", f, "--by", "monos"],
        "by-crate": ["inspect", f, "--by", "crate", "--json"],
        "diff-new": ["inspect", f, "--diff", str(old), "--json"],
        "diff-old": ["inspect", str(old), "--diff", f],
        "core0": ["inspect", f, "--core", "0", "--json"],
        "strip": ["strip", f], "strip-o": ["strip", f, "-o", str(out), "--json"],
        "check": ["check", f, "--max-bytes", "100", "--json"],
        "purity": ["purity", f, "--growth", "3"], "run": ["run", f, "--json"],
        "bench": ["bench", f, "-n", "3", "--json"],
    }
    return cmds


class Worker:
    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1", COLUMNS="100",
                   WORKBENCH_TRUST="0")
        return subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, cwd=self.cwd, env=env)

    def run(self, argv: list[str], timeout: float) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"argv": argv, "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = sel.select(timeout + 30)  # SIGALRM cannot interrupt a long C call
        sel.close()
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            self.proc.wait()
            code = self.proc.returncode
            self.proc = None
            return {"rc": None, "exc": None, "hang": not ready, "crash": ready and code,
                    "out": "", "err": "", "secs": timeout, "rss_kb": 0, "json": None}
        result = json.loads(line)
        if result["hang"] or result["exc"]:
            self.close()  # start clean after a hang or an escaped exception
        return result

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def build_corpus(args: argparse.Namespace) -> list[corpus.Case]:
    out = args.out / "inputs"
    scratch = args.out / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    w = corpus.Writer(out)
    rng = random.Random(args.seed)
    groups = set(args.groups.split(",")) if args.groups else None

    def want(group: str) -> bool:
        return groups is None or group in groups

    if want("odd"):
        for name, data in corrupt.odd():
            w.add("odd", name, data, valid=None if data[:4] == b"\0asm" else False)
    if want("real"):
        corpus.real(w, [p for p in args.real if p.exists()])
    if want("spec") and args.spec.is_dir():
        corpus.spec(w, args.spec, scratch)
    seeds = corpus.smith(w, rng, args.smith) if want("smith") or want("mutate") else []
    if want("edge"):
        corpus.edge(w, rng, args.edge, scratch)
    if want("mutate"):
        corpus.mutate(w, rng, [s for s in seeds if len(s) < 50000], args.mutate)
    if want("ttf"):
        corpus.ttf(w, rng, args.ttf, scratch)
    if want("hostile"):
        for name, data in corrupt.hostile():
            w.add("hostile", name, data)
    if want("corrupt"):
        _corruptions(w, rng, args, scratch, seeds)
    cases = w.cases
    if want("odd"):
        folder = out / "odd" / "folder.wasm"
        folder.mkdir(parents=True, exist_ok=True)
        cases.append(corpus.Case("folder.wasm", "odd", folder, None))
    return cases


def _corruptions(w: corpus.Writer, rng: random.Random, args: argparse.Namespace,
                 scratch: Path, seeds: list[bytes]) -> None:
    bases: list[tuple[str, bytes]] = []
    dwarf = corpus.dwarf_module(scratch)
    if dwarf is not None:
        bases.append(("dwarf", dwarf))
    for p in args.real:
        for name in ("proxy.wasm", "resvg_bg.wasm"):
            if (p / name).is_file():
                bases.append((name.split(".")[0].split("_")[0], (p / name).read_bytes()))
    small = [s for s in seeds if 200 < len(s) < 8000][:3]
    bases += [(f"smith{i}", s) for i, s in enumerate(small)]
    for label, data in bases:
        if data[4:8] == corrupt.COMPONENT[4:]:
            for name, mutated in corrupt.components(data, rng):
                w.add("corrupt", name, mutated)
            continue
        if len(data) > 1 << 20:  # big bases: customs only (the structural set is per section)
            for name, mutated in corrupt.customs(data, rng, label):
                w.add("corrupt", name, mutated)
            continue
        for name, mutated in corrupt.structural(data, rng, label):
            w.add("corrupt", name, mutated)
        for name, mutated in corrupt.customs(data, rng, label):
            w.add("corrupt", name, mutated)
    if dwarf is not None:
        for name, mutated in corrupt.names(dwarf):
            w.add("corrupt", name, mutated)


def run_all(cases: list[corpus.Case], args: argparse.Namespace) -> list[dict[str, Any]]:
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    old = args.out / "old.wasm"
    old.write_bytes(corpus.wasmtime.wat2wasm(
        '(module (memory (export "memory") 1) (func $f (export "f") (result i32)'
        ' (i32.const 7)) (data (i32.const 0) "abc"))'))
    only = set(args.commands.split(",")) if args.commands else None
    worker = Worker(work)
    results = []
    started = time.perf_counter()
    log = (args.out / "results.jsonl").open("w")
    try:
        for n, case in enumerate(cases):
            ref = objdump(case.path) if case.valid and case.path.is_file() else None
            for cmd, argv in commands(case, work / "stripped.wasm", old).items():
                if only is not None and cmd not in only:
                    continue
                big = case.path.is_file() and case.path.stat().st_size > BIG
                if cmd in RUNTIME and big and not args.big_runs:
                    continue
                res = worker.run(argv, args.timeout)
                problems = check(case, cmd, res, ref)
                row = {"case": case.name, "group": case.group, "path": str(case.path),
                       "valid": case.valid, "cmd": cmd, "rc": res.get("rc"),
                       "secs": res.get("secs"), "rss_kb": res.get("rss_kb"),
                       "problems": problems}
                if problems:
                    row["out"] = (res.get("out") or "")[-1500:]
                    row["err"] = (res.get("err") or "")[-1500:]
                    row["exc"] = res.get("exc")
                results.append(row)
                log.write(json.dumps(row) + "\n")
                log.flush()
            if args.progress and n % 50 == 49:
                bad = sum(1 for r in results if r["problems"])
                print(f"  {n + 1}/{len(cases)} inputs, {len(results)} commands, {bad} "
                      f"problems, {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        worker.close()
        log.close()
    return results


def summary(cases: list[corpus.Case], results: list[dict[str, Any]]) -> None:
    kinds = Counter(c.group for c in cases)
    valid = Counter(c.group for c in cases if c.valid)
    print(f"{len(cases)} inputs: " + ", ".join(f"{g} {n} ({valid[g]} valid)"
                                               for g, n in sorted(kinds.items())))
    by_cmd: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_cmd[r["cmd"]].append(r)
    print(f"{'command':<14}{'runs':>6}{'exit 0':>8}{'exit 1':>8}{'exit 2':>8}"
          f"{'problems':>10}{'slowest s':>11}{'peak MB':>9}")
    for cmd, rows in by_cmd.items():
        rcs = Counter(r["rc"] for r in rows)
        slow = max(rows, key=lambda r: r["secs"] or 0)
        peak = max(r["rss_kb"] or 0 for r in rows)
        print(f"{cmd:<14}{len(rows):>6}{rcs[0]:>8}{rcs[1]:>8}{rcs[2]:>8}"
              f"{sum(1 for r in rows if r['problems']):>10}{slow['secs'] or 0:>11.2f}"
              f"{peak / 1024:>9.0f}")
    problems = [r for r in results if r["problems"]]
    print(f"{len(problems)} problems")
    for r in problems[:200]:
        print(f"- {r['group']}/{r['case']} {r['cmd']} (exit {r['rc']}): "
              + "; ".join(r["problems"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/workbench-fuzz-wasm"))
    ap.add_argument("--real", type=Path, nargs="*",
                    default=[SCRATCH / "platforms", SCRATCH / "wasihttp"])
    ap.add_argument("--spec", type=Path, default=SCRATCH / "spec-wast")
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--smith", type=int, default=12, help="modules per smith config")
    ap.add_argument("--edge", type=int, default=30)
    ap.add_argument("--mutate", type=int, default=60)
    ap.add_argument("--ttf", type=int, default=12)
    ap.add_argument("--groups", help="only these input groups (comma-separated)")
    ap.add_argument("--commands", help="only these commands (comma-separated)")
    ap.add_argument("--limit", type=int, help="at most N inputs (after shuffling)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--big-runs", action="store_true",
                    help="also run/bench/purity inputs above 4 MiB (slow compiles)")
    ap.add_argument("--big", type=int, default=6, metavar="N",
                    help="measure the N largest inputs in fresh processes (time, peak RSS)")
    ap.add_argument("--serve", type=int, default=40, metavar="N",
                    help="`workbench serve` start-up on N inputs (refused or listening)")
    ap.add_argument("--prebuilt", type=int, default=25, metavar="N",
                    help="N inputs as the output of a `command` build: build, check, run, "
                         "and a watch while they replace each other")
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    cases = build_corpus(args)
    print(f"corpus: {len(cases)} inputs in {time.perf_counter() - t0:.0f} s", flush=True)
    if args.limit is not None:
        random.Random(args.seed).shuffle(cases)
        cases = cases[:args.limit]
    results = run_all(cases, args)
    extra = _stages(cases, args)
    summary(cases, results)
    print(f"{time.perf_counter() - t0:.0f} s in all")
    return 1 if any(r["problems"] for r in results) or any(r["problem"] for r in extra) else 0


def _stages(cases: list[corpus.Case], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Big inputs in fresh processes, serve start-up and prebuilt builds on a sample."""
    rows: list[dict[str, Any]] = []
    if args.big:
        big = stages.measure_big(cases, args)
        print(f"{'largest inputs, fresh process':<40}{'MB':>7}  {'command':<28}{'exit':>5}"
              f"{'s':>7}{'RSS MB':>8}")
        for row in big:
            print(f"{row['case'][:39]:<40}{row['size'] / 1e6:>7.1f}  {row['cmd']:<28}"
                  f"{row['rc']:>5}{row['secs']:>7.2f}{row['rss_mb']:>8}")
        rows += big
    sample = sorted(cases, key=lambda c: c.name)
    random.Random(args.seed).shuffle(sample)
    for label, count, stage in (("serve start-up", args.serve, stages.serve_startup),
                                ("prebuilt build/check/run/watch", args.prebuilt,
                                 stages.prebuilt)):
        if count:
            got = stage(sample[:count], args)
            outcomes = Counter(str(r["rc"]) for r in got)
            slow = max((r["secs"] for r in got), default=0)
            print(f"{label}: {len(got)} runs, exit statuses {dict(outcomes)}, slowest "
                  f"{slow:.1f} s, {sum(1 for r in got if r['problem'])} problems")
            for r in got:
                if r["problem"]:
                    print(f"- {r['case']} {r['cmd']} (exit {r['rc']}): {r['problem']}")
            rows += got
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
