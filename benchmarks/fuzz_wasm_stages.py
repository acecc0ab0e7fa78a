"""The parts of `fuzz_wasm.py` that need a process of their own per input.

- `measure_big`: the largest inputs' wall time and peak RSS, each command in a fresh
  process (the worker's RSS carries every earlier input);
- `serve_startup`: `workbench serve FILE --listen 127.0.0.1:0` must either refuse the
  file (exit 2 and a message naming it) or print its URL, and stop on SIGTERM;
- `prebuilt`: a module folder whose `command` build copies the input (`cp prebuilt.wasm
  "$WORKBENCH_OUTPUT"`), through `build`, `check` and `run` of the folder, then `watch`
  of it while the input is replaced by the next one.
Each returns rows `{case, cmd, rc, secs, problem}`; `problem` is None when the rules held.
"""

from __future__ import annotations

import argparse
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from fuzz_wasm_corpus import Case

REPO = Path(__file__).resolve().parents[1]
BIG = 4 << 20
BIG_COMMANDS = (["inspect", "{f}"], ["inspect", "{f}", "--json"],
                ["inspect", "{f}", "--by", "retained", "--json"], ["strip", "{f}"],
                ["run", "{f}"])
# A small launcher process: a child's peak RSS counts the pages of the process it was
# forked from, so measuring from this (large) process would report its own size.
LAUNCH = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], "
          "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(p.returncode, "
          "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
TRACEBACK = "Traceback (most recent call last)"


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1", **extra)


def measure_big(cases: list[Case], args: argparse.Namespace) -> list[dict[str, Any]]:
    big = sorted((c for c in cases if c.path.is_file() and c.path.stat().st_size > BIG),
                 key=lambda c: -c.path.stat().st_size)[:args.big]
    rows = []
    for case in big:
        for argv in BIG_COMMANDS:
            cmd = [a.format(f=case.path) for a in argv]
            t0 = time.perf_counter()
            try:
                out = subprocess.run([sys.executable, "-c", LAUNCH, sys.executable, "-m",
                                      "workbench", *cmd], env=_env(), capture_output=True,
                                     text=True, cwd=args.out, timeout=args.timeout).stdout
                rc, kb = (int(x) for x in out.split())
            except (subprocess.TimeoutExpired, ValueError):
                rc, kb = -1, 0
            rows.append({"case": case.name, "size": case.path.stat().st_size,
                         "cmd": " ".join(argv[:1] + argv[2:]), "rc": rc,
                         "secs": round(time.perf_counter() - t0, 2), "rss_mb": kb // 1024,
                         "problem": "hang" if rc == -1 else None})
    return rows


def serve_startup(cases: list[Case], args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for case in cases:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(case.path),
                                 "--listen", "127.0.0.1:0", "--no-reload"], env=_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                cwd=args.out)
        assert proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        text, listening = "", False
        while time.perf_counter() - t0 < args.timeout and proc.poll() is None:
            if sel.select(0.2):
                line = proc.stdout.readline()
                text += line
                listening = listening or "listening on http://" in line
                if listening:
                    break
        sel.close()
        problem = None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                problem = "did not stop on SIGTERM"
            if not listening:
                problem = "neither listening nor refused (hang)"
        text += proc.stdout.read()
        if TRACEBACK in text:
            problem = "traceback"
        elif not listening and proc.returncode == 2 and case.path.name not in text:
            problem = "refusal does not name the file"
        elif not listening and proc.returncode != 2:
            problem = problem or f"exit {proc.returncode} without listening"
        rows.append({"case": case.name, "cmd": "serve", "rc": proc.returncode,
                     "secs": round(time.perf_counter() - t0, 2), "problem": problem,
                     "listening": listening})
    return rows


TOML = ('toolchain = "command"\ncommand = "cp prebuilt.wasm \\"$WORKBENCH_OUTPUT\\""\n'
        'sources = ["prebuilt.wasm"]\n')


def prebuilt(cases: list[Case], args: argparse.Namespace) -> list[dict[str, Any]]:
    root = args.out / "prebuilt"
    shutil.rmtree(root, ignore_errors=True)
    rows = []
    env = _env(WORKBENCH_TRUST="1")  # the folders' `command` builds run without a prompt
    for i, case in enumerate(cases):
        mod = root / f"m{i}"
        mod.mkdir(parents=True)
        if case.path.is_dir():
            (mod / "prebuilt.wasm").mkdir()
        else:
            shutil.copy(case.path, mod / "prebuilt.wasm")
        (mod / "module.toml").write_text(TOML)
        for argv in (["build", str(mod)], ["check", str(mod)], ["run", str(mod)]):
            rows.append(_one(case, argv, env, args))
    if cases:  # watch one folder while the input changes under it
        rows.append(_watch(cases, root / "m0", env, args))
    return rows


def _one(case: Case, argv: list[str], env: dict[str, str],
         args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "workbench", *argv], env=env,
                              capture_output=True, text=True, timeout=args.timeout,
                              cwd=args.out)
        rc, text = proc.returncode, proc.stdout + proc.stderr
        problem = ("traceback" if TRACEBACK in text else
                   f"exit {rc}" if rc not in (0, 1, 2) else None)
    except subprocess.TimeoutExpired:
        rc, problem = None, "hang"
    return {"case": case.name, "cmd": f"{argv[0]} (prebuilt)", "rc": rc,
            "secs": round(time.perf_counter() - t0, 2), "problem": problem}


def _watch(cases: list[Case], mod: Path, env: dict[str, str],
           args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "watch", str(mod), "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=args.out)
    time.sleep(3)
    for case in cases[1:12]:
        if case.path.is_file():
            shutil.copy(case.path, mod / "prebuilt.wasm")
            time.sleep(0.7)
    time.sleep(2)
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=20)
        problem = "traceback" if TRACEBACK in out else None
        if problem is None and '"event":"started"' not in out.replace(" ", ""):
            problem = "no build event"
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        problem = "did not stop on SIGTERM"
    return {"case": "watch", "cmd": "watch (prebuilt)", "rc": proc.returncode,
            "secs": round(time.perf_counter() - t0, 2), "problem": problem}
