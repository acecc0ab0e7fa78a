"""Every subcommand that takes a module x hostile inputs, through `python -m workbench` in a
fresh interpreter: the README's exit-status rule (0 success, 1 a module failed, 2 a usage
or configuration mistake), a message on stderr naming the file, no traceback, and with
`--json` a stdout that is valid JSON or empty.

Used by tests/cli/test_exit_matrix.py; `python3 -m tests.cli.exit_matrix` prints the table.
Third-party inputs come from $WORKBENCH_PLATFORM_SAMPLES (default /work/scratch/platforms).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("WORKBENCH_PLATFORM_SAMPLES", "/work/scratch/platforms"))
EDGE_WAT = '''(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) i32.const 1024)
  (func (export "handle") (param i32 i32) (result i32) i32.const 0))'''

# command -> argv with {f} (the module), {d} (the scratch folder), and whether --json exists
COMMANDS: dict[str, list[str]] = {
    "inspect": ["inspect", "{f}"],
    "strip": ["strip", "{f}"],
    "check": ["check", "{f}"],
    "purity": ["purity", "{f}", "--growth", "3"],
    "run": ["run", "{f}"],
    "bench": ["bench", "{f}", "-n", "2"],
    "replay": ["replay", "{d}/req.hurl", "--module", "{f}"],
    "serve": ["serve", "{f}", "--listen", "127.0.0.1:0", "--no-reload"],
    "sign": ["sign", "{f}", "--key", "{d}/k.key", "-o", "{d}/signed-out.wasm"],
    "verify": ["verify", "{f}", "--key", "{d}/k.pub"],
    "build": ["build", "{f}"],
}
NO_JSON = {"serve"}  # serve --json logs events, a different contract (checked apart)
RUNTIME = ("purity", "run", "bench", "replay", "serve")  # commands a wrong ABI fails
# input -> expected exit status per the README
EXPECTED = {"truncated": 1, "empty": 1, "text": 1, "missing": 2, "folder": 2,
            "unreadable": 2, "wrong-abi": 1}


@dataclass(frozen=True)
class Outcome:
    status: int | str  # "listening" when serve started on it (killed after a few seconds)
    stdout: str
    stderr: str


def make_inputs(d: Path) -> dict[str, Path]:
    """The hostile inputs in folder `d` (created), by name; wrong-abi only when the
    third-party module is present."""
    import wasmtime

    d.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    fastly = SAMPLES / "fastly.wasm"
    if fastly.is_file():
        data = fastly.read_bytes()
        (d / "fastly-half.wasm").write_bytes(data[:len(data) // 2])
        out["truncated"] = d / "fastly-half.wasm"
    (d / "empty.wasm").write_bytes(b"")
    out["empty"] = d / "empty.wasm"
    (d / "notes.wasm").write_text("these are my notes, not a module\n")
    out["text"] = d / "notes.wasm"
    out["missing"] = d / "missing.wasm"
    (d / "x.wasm").mkdir(exist_ok=True)
    out["folder"] = d / "x.wasm"
    locked = d / "locked.wasm"
    locked.write_bytes(bytes(wasmtime.wat2wasm(EDGE_WAT)))
    locked.chmod(0)
    out["unreadable"] = locked
    if (SAMPLES / "esbuild.wasm").is_file():
        out["wrong-abi"] = SAMPLES / "esbuild.wasm"
    (d / "req.hurl").write_text("GET http://localhost/\nHTTP 200\n")
    if not (d / "k.key").exists():
        run_cli(["keygen", "k", "--dir", str(d)], d)
    return out


def argv_for(command: str, f: Path, d: Path, as_json: bool) -> list[str]:
    argv = [a.format(f=f, d=d) for a in COMMANDS[command]]
    return argv + ["--json"] if as_json else argv


def run_cli(argv: list[str], cwd: Path, timeout: float = 120.0,
            listen_wait: float | None = None, unprivileged: bool = False) -> Outcome:
    """`python -m workbench ARGV` in a fresh interpreter. With `listen_wait`, a process
    still running after that many seconds is stopped and reported as "listening".
    `unprivileged`: file permissions apply even to root (see `as_unprivileged`)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "WORKBENCH_TRUST": "",
           "NO_COLOR": "1", "COLUMNS": "200"}
    env.setdefault("WORKBENCH_CONFIG_DIR", tempfile.mkdtemp(prefix="wb-config-"))
    prefix = as_unprivileged() if unprivileged else []
    proc = subprocess.Popen([*prefix, sys.executable, "-m", "workbench", *argv], cwd=cwd,
                            env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=listen_wait or timeout)
        return Outcome(proc.returncode, out, err)
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
        return Outcome("listening" if listen_wait else "timeout", out, err)


def outcome(command: str, f: Path, d: Path, as_json: bool = False) -> Outcome:
    return run_cli(argv_for(command, f, d, as_json), d,
                   listen_wait=15.0 if command == "serve" else None,
                   unprivileged=f.name == "locked.wasm")


def as_unprivileged() -> list[str]:
    """A command prefix under which a chmod 000 file cannot be read: nothing for a normal
    user; for root, setpriv dropping the capabilities that bypass file permissions."""
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return []
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]


def permissions_enforced(path: Path) -> bool:
    """Whether `path` (chmod 000) is unreadable under `as_unprivileged()`."""
    probe = [*as_unprivileged(), sys.executable, "-c",
             "import sys; open(sys.argv[1], 'rb')", str(path)]
    return subprocess.run(probe, capture_output=True, timeout=60).returncode != 0


def json_ok(stdout: str) -> bool:
    """Empty, or every line a JSON document."""
    try:
        for line in stdout.splitlines():
            if line.strip():
                json.loads(line)
    except ValueError:
        return False
    return True


def main() -> None:
    d = Path(tempfile.mkdtemp(prefix="wb-exits-"))
    inputs = make_inputs(d)
    only = set(sys.argv[1:])  # input or command names; none: all
    for command in COMMANDS:
        for name, f in inputs.items():
            if only and not only & {name, command}:
                continue
            if name == "wrong-abi" and command not in RUNTIME:
                continue
            o = outcome(command, f, d)
            first = next((ln for ln in o.stderr.splitlines() if ln.strip()), "")
            jo = "" if command in NO_JSON else \
                f" json:{'ok' if json_ok(outcome(command, f, d, True).stdout) else 'BAD'}"
            tb = " TRACEBACK" if "Traceback" in o.stderr else ""
            print(f"{command:8} {name:11} -> {o.status!s:9}{jo}{tb}  {first[:150]}",
                  flush=True)


if __name__ == "__main__":
    main()
