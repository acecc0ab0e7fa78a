"""Which handler ABI a module speaks, decided from its exports and imports alone.

Two ABIs are known (see docs/handler-abi.md):
- "edge": exports `memory`, `alloc(i32) -> i32`, `handle(i32, i32) -> i32`; imports only
  from module `edge` (and optionally `wasi_snapshot_preview1`, whose stdout/stderr become
  log lines).
- "wagi": a WASI command exporting `_start: () -> ()`, request as CGI env + stdin.

Detection works on the reader's `workbench.core.wasm.model.Module` (for `inspect`) and on
plain (name, kind, type) triples (for the harness, which only has wasmtime's view), so
both agree. `problems` says what is missing or wrong in words a handler author can act on.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from workbench.core.abi.platform import (
    FOREIGN_PLATFORMS,
    PlatformReport,
    component_platform,
    core_platform,
)
from workbench.core.wasm.model import FuncType
from workbench.core.wasm.model import Module as WasmModule

AbiName = Literal["edge", "wagi", "wasi-http", "extism", "unknown"]

EDGE_IMPORT_MODULE = "edge"
WASI_MODULE = "wasi_snapshot_preview1"
EDGE_EXPORTS: dict[str, FuncType] = {
    "alloc": FuncType(("i32",), ("i32",)),
    "handle": FuncType(("i32", "i32"), ("i32",)),
}
WAGI_START = FuncType((), ())


@dataclass(frozen=True, slots=True)
class ExportInfo:
    """One export as the detector needs it: `func_type` is set for functions only."""

    name: str
    kind: str  # func | memory | table | global | tag
    func_type: FuncType | None = None


@dataclass(frozen=True, slots=True)
class ImportInfo:
    module: str
    name: str
    kind: str
    func_type: FuncType | None = None


@dataclass(frozen=True, slots=True)
class AbiReport:
    """The detected ABI and, when something does not fit, what exactly is wrong."""

    name: AbiName
    problems: tuple[str, ...] = ()
    wasi: bool = False  # imports wasi_snapshot_preview1
    platform: PlatformReport | None = None  # what the file is (core/abi/platform.py)

    @property
    def ok(self) -> bool:
        return self.name != "unknown" and not self.problems

    def describe(self) -> str:
        if self.ok:
            return f"{self.name} handler" + (" (uses WASI)" if self.wasi and self.name == "edge"
                                            else "")
        return f"{self.name}: " + "; ".join(self.problems)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"name": self.name, "ok": self.ok,
                               "problems": list(self.problems), "wasi": self.wasi}
        if self.platform is not None:
            doc["platform"] = self.platform.to_json()
        return doc


def detect_abi(module: WasmModule) -> AbiReport:
    """ABI of a module parsed by `workbench.core.wasm.parse_module`."""
    if module.kind == "component":
        from workbench.core.wasm.component_world import decode_world

        world = decode_world(module.data)
        platform = component_platform(tuple(e.name for e in world.exports),
                                      module.producers)
        if platform.id == "wasi-http-0.2":
            return AbiReport("wasi-http", (), False, platform)
        return AbiReport("unknown", (f"{platform.name}: {platform.note}",), False, platform)
    exports = [ExportInfo(e.name, e.kind, e.func_type) for e in module.exports]
    imports = [ImportInfo(i.module, i.name, i.kind, i.func_type) for i in module.imports]
    return detect_from(exports, imports)


def detect_from(exports: Iterable[ExportInfo], imports: Iterable[ImportInfo]) -> AbiReport:
    """The decision itself. Edge wins when `handle` is exported, else WAGI on `_start`."""
    exp = {e.name: e for e in exports}
    imps = list(imports)
    wasi = any(i.module == WASI_MODULE for i in imps)
    platform = core_platform([(i.module, i.name) for i in imps], list(exp))
    if platform.id == "extism":  # runs through the Extism SDK (core/runtime/extism/)
        return AbiReport("extism", (), wasi, platform)
    if platform.id in FOREIGN_PLATFORMS:  # never "a WAGI command with odd imports"
        return AbiReport("unknown", (f"{platform.name}: {platform.note}",), wasi, platform)
    if "handle" in exp or "alloc" in exp:
        problems = _edge_problems(exp, imps)
        return AbiReport("edge", tuple(problems), wasi, platform)
    if "_start" in exp:
        return AbiReport("wagi", tuple(_wagi_problems(exp, imps)), wasi, platform)
    found = ", ".join(f"`{n}` ({e.kind})" for n, e in exp.items()) or "nothing"
    return AbiReport("unknown", (
        "expected an edge handler (exports `memory`, `alloc: (i32) -> i32`, "
        "`handle: (i32, i32) -> i32`) or a WASI command for WAGI (exports `_start`); "
        f"found exports: {found}",), wasi, platform)


def _check_func(exp: dict[str, ExportInfo], name: str, want: FuncType) -> str | None:
    e = exp.get(name)
    if e is None:
        return f"missing export `{name}`: expected a function {want}"
    if e.kind != "func":
        return f"export `{name}` is a {e.kind}, expected a function {want}"
    if e.func_type is not None and e.func_type != want:
        return f"export `{name}` has type {e.func_type}, expected {want}"
    return None


def _edge_problems(exp: dict[str, ExportInfo], imps: list[ImportInfo]) -> list[str]:
    problems = [p for name, want in EDGE_EXPORTS.items()
                if (p := _check_func(exp, name, want)) is not None]
    mem = exp.get("memory")
    if mem is None:
        problems.append("missing export `memory`: the host reads the response from it")
    elif mem.kind != "memory":
        problems.append(f"export `memory` is a {mem.kind}, expected a memory")
    problems += _foreign_imports(imps, (EDGE_IMPORT_MODULE, WASI_MODULE), "edge handler")
    problems += _edge_import_problems(imps)
    return problems


def _edge_import_problems(imps: list[ImportInfo]) -> list[str]:
    from workbench.core.abi.host_signatures import HOST_SIGNATURES

    out = []
    for i in imps:
        if i.module != EDGE_IMPORT_MODULE:
            continue
        want = HOST_SIGNATURES.get(i.name)
        if want is None and i.kind != "func":  # e.g. (import "edge" "memory" (memory 1))
            out.append(f"imports a {i.kind} `edge.{i.name}`: the edge host provides only "
                       "functions" + ("; a handler defines and exports its own memory"
                                      if i.kind == "memory" else ""))
        elif want is None:
            known = ", ".join(sorted(HOST_SIGNATURES))
            close = difflib.get_close_matches(i.name, list(HOST_SIGNATURES), n=1)
            guess = f"did you mean `edge.{close[0]}`? " if close else ""
            out.append(f"imports unknown host function `edge.{i.name}` ({guess}known: "
                       f"{known})")
        elif i.kind != "func":
            out.append(f"import `edge.{i.name}` is a {i.kind}, expected a function {want}")
        elif i.func_type is not None and i.func_type != want:
            out.append(f"import `edge.{i.name}` has type {i.func_type}, expected {want}")
    return out


def _wagi_problems(exp: dict[str, ExportInfo], imps: list[ImportInfo]) -> list[str]:
    problems = []
    p = _check_func(exp, "_start", WAGI_START)
    if p:
        problems.append(p)
    problems += _foreign_imports(imps, (WASI_MODULE,), "WAGI command")
    return problems


def _foreign_imports(imps: list[ImportInfo], allowed: tuple[str, ...], what: str) -> list[str]:
    bad = sorted({f"{i.module}.{i.name}" for i in imps if i.module not in allowed})
    if not bad:
        return []
    shown = ", ".join(f"`{b}`" for b in bad[:5]) + (" ..." if len(bad) > 5 else "")
    article = "an" if what[0] in "aeiou" else "a"
    problem = (f"imports {shown}, which {article} {what} cannot have "
               f"(allowed import modules: {', '.join(allowed)})")
    assemblyscript = [b for b in bad if b in _ASC_ENV_IMPORTS]
    if assemblyscript:
        one = len(assemblyscript) == 1
        problem += (f"; {', '.join(f'`{b}`' for b in assemblyscript)} "
                    f"{'comes' if one else 'come'} from AssemblyScript's standard library: "
                    f"route {'it' if one else 'them'} to your own "
                    f"{'function' if one else 'functions'} in asconfig.json, e.g. "
                    "\"use\": [\"abort=assembly/index/onAbort\"] "
                    "(see sample_modules/hello-assemblyscript)")
    return [problem]


# What asc imports from `env` unless asconfig.json's `use` points them elsewhere.
_ASC_ENV_IMPORTS = frozenset({"env.abort", "env.trace", "env.seed"})
