"""Run every command that reads a text file or a typed value on hostile input.

    python3 benchmarks/hostile_inputs.py [--only GROUP,...] [--corpus DIR] [--verbose]
                                         [--keep DIR]

Groups: replay, import-curl, hooks, kv, sign, trust, init, check, build, watch, run (the
inputs: benchmarks/hostile_cases.py), and corpus: with `--corpus DIR`, every file of a
Hurl corpus kept outside the project (`ok/`, `error_parser/`; see hurl_corpus.py).

Each case runs `python -m workbench ...` from this checkout in a subprocess, bounded by
`timeout` (60 s unless the case says less), and is judged: no Python traceback, no
timeout, an exit code the command documents for it (0 success, 1 a failed
module/assertion/missing key, 2 a usage/config/request-file mistake), the words the
message must hold, bounded output, and the case's check of the files afterwards (a failed
import-curl leaves the .hurl file, a refused kv put the store, a refused sign the module).
`watch` on a malformed module.toml must exit 2 at once.

Prints one line per problem and a summary per group; exit status 1 when any case fails.
A hostile HTTP server (10k-deep JSON, 2 MB bodies, 100 KB headers) runs in-process for
`replay --url`.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile_cases as hc  # noqa: E402


class _Hostile(http.server.BaseHTTPRequestHandler):
    BODIES = {
        "/deep": b"[" * 10_000 + b"]" * 10_000,
        "/deepobj": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        "/big": b'"' + b"a" * 2_000_000 + b'"',
        "/badutf8": b'{"a": "\xff\xfe"}',
        "/deepxml": b"<a>" * 20_000 + b"</a>" * 20_000,
        "/hugeint": b"9" * 5000,
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = self.BODIES.get(self.path, b"")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml" if "xml" in self.path
                         else "application/json")
        if self.path == "/hdr":
            self.send_header("X-Long", "v" * 100_000)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on a 100 KB header is the point of that case


def _server() -> str:
    srv = _Server(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}"


def _env(extra: dict[str, str], config: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(hc.ROOT), "WORKBENCH_CONFIG_DIR": str(config),
           "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("WORKBENCH_TRUST", None)
    return {**env, **extra}


def run_case(case: hc.Case, tmp: Path) -> tuple[str | None, float]:
    """(problem or None, seconds)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "workbench", *case.argv],
                              input=case.stdin if case.stdin is not None else b"",
                              capture_output=True, timeout=case.timeout,
                              env=_env(case.env, tmp / "config"), cwd=case.cwd or tmp)
    except subprocess.TimeoutExpired:
        if case.group == "watch" and case.codes == (hc.USAGE,):
            return "watch kept running on a malformed config", case.timeout
        return f"no answer within {case.timeout:.0f} s", case.timeout
    except ValueError as e:  # a NUL in an argument: the OS cannot pass it
        return f"cannot run: {e}", 0.0
    took = time.perf_counter() - t0
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    return judge(case, proc.returncode, out), took


def judge(case: hc.Case, code: int, out: str) -> str | None:
    if "Traceback (most recent call last)" in out:
        last = [ln for ln in out.splitlines() if ln.strip()][-1:] or [""]
        return f"traceback: {last[0][:160]}"
    if code not in case.codes:
        first = next((ln for ln in out.splitlines() if ln.strip()), "")
        return f"exit {code}, expected {'/'.join(map(str, case.codes))}: {first[:160]}"
    if len(out) > case.max_output and case.group != "import-curl":
        return f"{len(out):,} characters of output"
    if code == hc.USAGE and "workbench: " not in out and "usage:" not in out:
        return "exit 2 without a 'workbench: ...' message"
    missing = [w for w in case.want if w not in out]
    if missing:
        first = next((ln for ln in out.splitlines() if ln.startswith("workbench:")), out[:160])
        return f"message lacks {missing[0]!r}: {first[:200]}"
    return case.check() if case.check is not None else None


def cases(tmp: Path, url: str, corpus: Path | None = None) -> list[hc.Case]:
    wasm = _build(tmp)
    return [*hc.hurl_cases(tmp, wasm, url), *hc.curl_cases(tmp), *hc.hooks_cases(tmp),
            *hc.kv_cases(tmp), *hc.sign_cases(tmp, wasm), *hc.init_cases(tmp),
            *hc.config_cases(tmp), *hc.run_cases(tmp, wasm),
            *(hc.corpus_cases(corpus, wasm) if corpus is not None else ())]


def _build(tmp: Path) -> Path:
    import shutil

    folder = tmp / "module"
    if not folder.exists():
        shutil.copytree(hc.ROOT / "sample_modules" / "hello-wat", folder,
                        ignore=shutil.ignore_patterns("build"))
    subprocess.run([sys.executable, "-m", "workbench", "build", str(folder)], check=True,
                   capture_output=True, env=_env({}, tmp / "config"), timeout=120)
    return folder / "build" / "hello-wat.wasm"


def main() -> int:
    args = sys.argv[1:]
    only = set(args[args.index("--only") + 1].split(",")) if "--only" in args else None
    keep = Path(args[args.index("--keep") + 1]) if "--keep" in args else None
    corpus = Path(args[args.index("--corpus") + 1]) if "--corpus" in args else None
    verbose = "--verbose" in args
    tmp = keep or Path(tempfile.mkdtemp(prefix="workbench-hostile-"))
    tmp.mkdir(parents=True, exist_ok=True)
    url = _server()
    todo = [c for c in cases(tmp, url, corpus) if only is None or c.group in only]
    counts: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    slow: list[tuple[float, str]] = []
    for case in todo:
        problem, took = run_case(case, tmp)
        counts[case.group] += 1
        slow.append((took, f"{case.group}/{case.name}"))
        if problem:
            failed[case.group] += 1
            print(f"FAIL {case.group}/{case.name}: {problem}", flush=True)
        elif verbose:
            print(f"ok   {case.group}/{case.name} ({took:.1f} s)", flush=True)
    print(f"\n{len(todo)} cases in {tmp}")
    for group in sorted(counts):
        print(f"  {group:12} {counts[group]:4} cases, {failed[group]} failed")
    print("slowest: " + ", ".join(f"{n} {t:.1f} s" for t, n in sorted(slow)[-4:]))
    return 1 if sum(failed.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
