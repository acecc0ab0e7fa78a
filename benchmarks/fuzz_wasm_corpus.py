"""The hostile and third-party inputs of `fuzz_wasm.py`, written into a folder.

Every input is a `Case(name, group, path, valid)`; `valid` is wasmtime's verdict (every
Wasm 3.0 proposal on) for files that are WebAssembly at all, None for the odd files (a
folder named .wasm, a text file, ...). Generation is deterministic: fixed seeds for
`wasm-tools smith` / `mutate`, `wasm-opt --ttf` and the corruptions made here.

Groups:
- `real`: third-party modules and components found under `--real` folders;
- `spec`: every module of the spec `.wast` scripts under `--spec` (`wasm-tools
  json-from-wast`), assert_malformed / assert_invalid ones included;
- `smith`: `wasm-tools smith` under several proposal sets (GC, exceptions, memory64,
  multi-memory, threads, custom page sizes, padded LEB128s, custom sections, ...);
- `edge`: smith modules shaped as edge handlers (memory/alloc/handle exports, edge.*
  imports), so run/bench/purity execute random code instead of refusing the ABI;
- `mutate`, `ttf`: `wasm-tools mutate` of smith modules, binaryen's `--ttf` modules;
- `corrupt`: truncation at every section boundary and at random offsets, bit flips,
  huge section sizes and vector counts, duplicated and swapped sections, corrupt
  name/producers/DWARF custom sections, components cut short;
- `odd`: a 0-byte file, text, WAT, a folder named .wasm, a lone header, and so on.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import wasmtime

SMITH_CONFIGS: dict[str, list[str]] = {
    "mvp": [],
    "all": ["--gc-enabled", "true", "--exceptions-enabled", "true", "--memory64-enabled",
            "true", "--simd-enabled", "true", "--relaxed-simd-enabled", "true",
            "--tail-call-enabled", "true", "--threads-enabled", "true", "--max-memories", "4",
            "--max-tables", "4", "--extended-const-enabled", "true",
            "--wide-arithmetic-enabled", "true", "--custom-page-sizes-enabled", "true"],
    "names": ["--generate-custom-sections", "true", "--export-everything", "true"],
    "padded": ["--min-uleb-size", "5", "--bulk-memory-enabled", "true",
               "--generate-custom-sections", "true"],
    "compact": ["--compact-imports-enabled", "true", "--min-imports", "3",
                "--memory64-enabled", "true", "--max-memories", "3"],
    "big": ["--min-funcs", "200", "--max-funcs", "400", "--max-instructions", "400",
            "--min-data-segments", "20", "--max-data-segments", "60"],
    "invalid-bodies": ["--allow-invalid-funcs", "true"],
    # what wasm-tools mutate can parse (no GC, exceptions, ...): the mutation seeds
    "plain": ["--gc-enabled", "false", "--exceptions-enabled", "false", "--tail-call-enabled",
              "false", "--reference-types-enabled", "false", "--simd-enabled", "false",
              "--threads-enabled", "false", "--memory64-enabled", "false",
              "--custom-page-sizes-enabled", "false", "--wide-arithmetic-enabled", "false",
              "--custom-descriptors-enabled", "false", "--min-funcs", "3"],
}
EDGE_EXPORTS = """(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))"""
EDGE_IMPORTS = """(module
  (import "edge" "log" (func (param i32 i32 i32)))
  (import "edge" "now_ms" (func (result i64)))
  (import "edge" "random_fill" (func (param i32 i32) (result i32)))
  (import "edge" "kv_get" (func (param i32 i32 i32 i32) (result i32)))
  (import "edge" "kv_put" (func (param i32 i32 i32 i32) (result i32)))
  (import "edge" "kv_delete" (func (param i32 i32) (result i32)))
  (import "edge" "secret_get" (func (param i32 i32 i32 i32) (result i32))))"""


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    path: Path
    valid: bool | None  # wasmtime validates it; None: not a wasm file at all

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "group": self.group, "path": str(self.path),
                "valid": self.valid}


_ENGINE: wasmtime.Engine | None = None


def validates(data: bytes) -> bool:
    global _ENGINE
    if _ENGINE is None:
        config = wasmtime.Config()
        for feature in ("wasm_gc", "wasm_function_references", "wasm_exceptions",
                        "wasm_memory64", "wasm_multi_memory", "wasm_tail_call",
                        "wasm_threads", "wasm_relaxed_simd", "wasm_custom_page_sizes",
                        "wasm_wide_arithmetic"):
            if hasattr(config, feature):
                setattr(config, feature, True)
        _ENGINE = wasmtime.Engine(config)
    try:
        wasmtime.Module.validate(_ENGINE, data)
    except Exception:  # noqa: BLE001 - any refusal is "not valid"
        return False
    return True


def tool(name: str) -> str | None:
    return shutil.which(name)


class Writer:
    """Writes each distinct input once (by content) and remembers its Case."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cases: list[Case] = []
        self.seen: set[str] = set()
        self.names: set[tuple[str, str]] = set()

    def add(self, group: str, name: str, data: bytes, valid: bool | None = None) -> None:
        digest = hashlib.sha1(data).hexdigest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        folder = self.root / group
        folder.mkdir(parents=True, exist_ok=True)
        if (group, name) in self.names:  # two inputs, one name: keep both
            name = f"{name}-{digest[:8]}"
        self.names.add((group, name))
        path = folder / f"{name}.wasm"
        path.write_bytes(data)
        self.cases.append(Case(name, group, path, validates(data) if valid is None
                               else valid))

    def link(self, group: str, name: str, path: Path) -> None:
        """A large third-party file: used in place, not copied."""
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
        if digest not in self.seen:
            self.seen.add(digest)
            self.cases.append(Case(name, group, path, validates(path.read_bytes())))


def real(w: Writer, folders: list[Path]) -> None:
    for folder in folders:
        for path in sorted(folder.rglob("*.wasm")) if folder.is_dir() else [folder]:
            if path.is_file():
                rel = path.relative_to(folder) if folder.is_dir() else Path(path.name)
                w.link("real", f"{folder.name}/{rel}".replace("/", "__"), path)


def spec(w: Writer, folder: Path, scratch: Path) -> None:
    exe = tool("wasm-tools")
    if exe is None or not folder.is_dir():
        return
    for wast in sorted(folder.rglob("*.wast")):
        out = scratch / "wast" / wast.relative_to(folder).with_suffix("")
        out.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([exe, "json-from-wast", str(wast), "--wasm-dir", str(out),
                               "-o", str(out / "script.json")], capture_output=True)
        if proc.returncode:
            continue
        script = json.loads((out / "script.json").read_text())
        for cmd in script.get("commands", []):
            file = cmd.get("filename")
            if not file or not file.endswith(".wasm") or cmd.get("module_type") == "text":
                continue
            where = str(wast.relative_to(folder).with_suffix("")).replace("/", "_")
            stem = f"{where}-{cmd['line']}-{cmd['type']}"
            w.add("spec", stem, (out / file).read_bytes())


def _smith(args: list[str], seed: bytes) -> bytes | None:
    proc = subprocess.run([str(tool("wasm-tools")), "smith", *args], input=seed,
                          capture_output=True)
    return proc.stdout if proc.returncode == 0 and proc.stdout else None


def smith(w: Writer, rng: random.Random, per_config: int) -> list[bytes]:
    """Returns the `plain` modules: seeds `wasm-tools mutate` can parse."""
    made: list[bytes] = []
    if tool("wasm-tools") is None:
        return made
    for label, flags in SMITH_CONFIGS.items():
        for i in range(per_config):
            data = _smith(flags, rng.randbytes(rng.choice((200, 1000, 4000, 16000))))
            if data:
                w.add("smith", f"{label}-{i}", data)
                if label == "plain":
                    made.append(data)
    return made


def edge(w: Writer, rng: random.Random, count: int, scratch: Path) -> None:
    """Random bodies behind the edge ABI's exports, calling edge.* host functions."""
    if tool("wasm-tools") is None:
        return
    shapes = {}
    for label, text in (("exports", EDGE_EXPORTS), ("imports", EDGE_IMPORTS)):
        shapes[label] = scratch / f"edge-{label}.wasm"
        shapes[label].write_bytes(wasmtime.wat2wasm(text))
    for i in range(count):
        flags = ["--exports", str(shapes["exports"]), "--available-imports",
                 str(shapes["imports"]), "--min-memories", "1", "--max-memories", "1",
                 "--bulk-memory-enabled", "true", "--compact-imports-enabled", "false",
                 "--threads-enabled", "false", "--memory64-enabled", "false",
                 "--max-memory32-bytes", str(1 << 22)]
        if i % 2:
            flags += ["--ensure-termination", "--fuel", "2000"]
        if i % 3:
            flags += ["--disallow-traps", "true"]
        data = _smith(flags, rng.randbytes(rng.choice((500, 2000, 8000))))
        if data:
            w.add("edge", f"edge-{i}", data)


def mutate(w: Writer, rng: random.Random, seeds: list[bytes], count: int) -> None:
    exe = tool("wasm-tools")
    if exe is None or not seeds:
        return
    for i in range(count):
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 4)):  # a few mutations on top of each other
            proc = subprocess.run([exe, "mutate", "--seed", str(rng.randrange(1 << 30)),
                                   *(["--preserve-semantics"] if i % 3 == 0 else [])],
                                  input=data, capture_output=True)
            if proc.returncode == 0 and proc.stdout[:4] == b"\0asm":
                data = proc.stdout
        w.add("mutate", f"mutate-{i}", data)


def ttf(w: Writer, rng: random.Random, count: int, scratch: Path) -> None:
    exe = tool("wasm-opt")
    if exe is None:
        return
    for i in range(count):
        seed = scratch / "ttf-seed.bin"
        seed.write_bytes(rng.randbytes(rng.choice((256, 2048, 16384))))
        out = scratch / "ttf.wasm"
        proc = subprocess.run([exe, "-ttf", str(seed), "-o", str(out)], capture_output=True,
                              timeout=120)
        if proc.returncode == 0 and out.is_file():
            w.add("ttf", f"ttf-{i}", out.read_bytes())


def dwarf_module(scratch: Path) -> bytes | None:
    """A small C module with DWARF 5 (clang + wasm-ld through the ziglang package)."""
    src = scratch / "dw.c"
    src.write_text("static int table[64] = {1, 2, 3, 4, 5, 6, 7, 8};\n"
                   "const char *greeting = \"hello from the data section\";\n"
                   "int helper(int a) { int s = greeting[a & 7];\n"
                   "  for (int i = 0; i < a; i++) s += table[i & 63] += i; return s; }\n"
                   "__attribute__((export_name(\"entry\"))) int entry(int x) {\n"
                   "  return helper(x) * 3; }\n")
    out = scratch / "dw.wasm"
    proc = subprocess.run([sys.executable, "-m", "ziglang", "cc",
                           "--target=wasm32-freestanding", "-g", "-O1", "-nostdlib",
                           "-Wl,--no-entry", str(src), "-o", str(out)], capture_output=True,
                          timeout=300)
    return out.read_bytes() if proc.returncode == 0 else None


def iter_files(cases: list[Case]) -> Iterator[Path]:
    for case in cases:
        yield case.path
