"""Which edge platform a module or component was built for, from its imports and exports.

`detect_abi` answers "can the workbench run this as a handler, and if not what is wrong";
`detect_platform` answers the question before it: "what is this file?". A Fastly Compute
service is not a broken WAGI command, and a wasm-bindgen library is not a broken edge
handler: each gets its own name, what the workbench can do with it, and what runs it
instead. Pure: decided from the parsed binary alone, never compiled (docs/handler-abi.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from workbench.core.wasm.model import Module as WasmModule

PlatformId = Literal[
    "edge", "wagi", "wasi-command", "wasi-reactor", "wasi-http-0.2", "wasi-http-0.3",
    "wasi-cli-component", "component", "fastly-compute", "extism", "proxy-wasm",
    "wasm-bindgen", "go-js", "wizer", "component-core", "unknown"]

WASI_P1 = "wasi_snapshot_preview1"
# Platforms with their own host: the edge/WAGI checks would only mislabel them.
# (Extism plugins have their own host too, but the workbench runs them: ABI "extism".)
FOREIGN_PLATFORMS = frozenset(("fastly-compute", "proxy-wasm", "wasm-bindgen", "go-js",
                               "wizer", "component-core"))


@dataclass(frozen=True, slots=True)
class PlatformReport:
    """What the file is (`id`, `name`), whether the workbench runs it, and what does."""

    id: PlatformId
    name: str
    runs: bool  # the workbench can run it (edge, WAGI, wasi:http/proxy 0.2, Extism)
    note: str  # one or two sentences: how it runs here, or why not and what would
    evidence: tuple[str, ...] = ()  # the imports/exports the decision rests on
    # one request per instance (StarlingMonkey): a `warm` request runs `fresh`
    fresh_only: bool = False

    def describe(self) -> str:
        return f"{self.name}: {self.note}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "runs": self.runs, "note": self.note,
                "evidence": list(self.evidence), "fresh_only": self.fresh_only}


def detect_platform(module: WasmModule, world_exports: tuple[str, ...] | None = None
                    ) -> PlatformReport:
    """Platform of a parsed module or component. For a component, `world_exports` are
    its top-level export names (read from the export section when not given)."""
    if module.kind == "component":
        if world_exports is None:
            from workbench.core.wasm.component_world import decode_world

            world_exports = tuple(i.name for i in decode_world(module.data).exports)
        return component_platform(world_exports, module.producers)
    imports = [(i.module, i.name) for i in module.imports]
    exports = [e.name for e in module.exports]
    return core_platform(imports, exports)


# Toolchains (the component's `processed-by` producers) whose guest serves one request per
# instance: StarlingMonkey's fetch event answers once ("FetchEvent#respondWith can't be
# called twice" on a second request). `wasmtime serve` and Spin make an instance per
# request anyway, so such a component runs `fresh` here where `warm` is asked for.
FRESH_ONLY_PRODUCERS = frozenset(("componentizejs", "componentize-js", "starlingmonkey"))


def fresh_only_tool(producers: dict[str, list[tuple[str, str]]]) -> str | None:
    """The `processed-by` tool (name and version) that makes one request per instance."""
    for tool, version in producers.get("processed-by", ()):
        if tool.lower() in FRESH_ONLY_PRODUCERS:
            return f"{tool} {version}".strip()
    return None


def component_platform(exports: tuple[str, ...],
                       producers: dict[str, list[tuple[str, str]]] | None = None
                       ) -> PlatformReport:
    def find(prefix: str) -> str | None:
        return next((e for e in exports if e.startswith(prefix)), None)

    if (e := find("wasi:http/incoming-handler@0.2")) is not None:
        tool = fresh_only_tool(producers or {})
        if tool is not None:
            return PlatformReport(
                "wasi-http-0.2", f"wasi:http/proxy 0.2 component ({tool})", True,
                "runs here in process (WASI 0.2 + wasi:http host), like under `wasmtime "
                "serve`, Spin 2/3 and Fermyon/Akamai Functions; its JavaScript engine "
                "(StarlingMonkey) answers one request per instance, so warm requests run "
                "fresh", (f"export {e}", f"processed-by {tool}"), fresh_only=True)
        return PlatformReport(
            "wasi-http-0.2", "wasi:http/proxy 0.2 component", True,
            "runs here in process (WASI 0.2 + wasi:http host); also under `wasmtime serve`, "
            "Spin 2/3 and Fermyon/Akamai Functions", (f"export {e}",))
    if (e := find("wasi:http/handler@0.3")) is not None:
        return PlatformReport(
            "wasi-http-0.3", "wasi:http/handler 0.3 component (WASI 0.3, async)", False,
            "the workbench hosts WASI 0.2 only; run it with Spin 4 (`spin up`, spin-sdk 5) "
            "or `wasmtime serve -Sp3`", (f"export {e}",))
    if (e := find("wasi:cli/run@")) is not None:
        return PlatformReport(
            "wasi-cli-component", "WASI 0.2 command component", False,
            "a program, not a request handler: run it with `wasmtime run`",
            (f"export {e}",))
    shown = ", ".join(exports[:6]) + (" ..." if len(exports) > 6 else "") or "nothing"
    return PlatformReport(
        "component", "component", False,
        f"world exports {shown}; the workbench runs components exporting "
        "wasi:http/incoming-handler@0.2.x only", tuple(f"export {e}" for e in exports[:6]))


def core_platform(imports: list[tuple[str, str]], exports: list[str]) -> PlatformReport:
    """The decision for a core module; platform-specific imports win over shape."""
    mods = {m for m, _ in imports}
    exp = set(exports)
    fastly = sorted(m for m in mods if m.startswith("fastly"))
    if fastly:
        calls = sum(1 for m, _ in imports if m.startswith("fastly"))
        wizer = " (a pre-initialisation input: exports wizer.initialize)" if (
            "wizer.initialize" in exp) else ""
        return PlatformReport(
            "fastly-compute", "Fastly Compute" + wizer, False,
            "runs under Fastly's Viceroy (`fastly compute serve`); the workbench does not "
            f"emulate its {calls} hostcalls ({', '.join(fastly[:4])}"
            f"{' ...' if len(fastly) > 4 else ''})", tuple(f"import {m}" for m in fastly[:6]))
    if any(m.startswith("extism:host") for m in mods) or any(
            m == "env" and n.startswith("extism_") for m, n in imports):
        return PlatformReport(
            "extism", "Extism plugin", True,
            "runs here through the Extism Python SDK (the optional extra "
            "`workbench[extism]`): the request body is the input of the configured export "
            "([extism] function, default `handle`), its output the response body; also runs "
            "in any Extism host or `extism call`", ("import extism:host/env",))
    proxy = sorted(e for e in exp if e.startswith("proxy_abi_version_"))
    if proxy or "proxy_on_request_headers" in exp:
        return PlatformReport(
            "proxy-wasm", "proxy-wasm filter", False,
            "a filter for Envoy, Istio or other proxy-wasm hosts (proxy_on_* callbacks); "
            "the workbench does not host the proxy-wasm ABI",
            tuple(f"export {e}" for e in (proxy or ["proxy_on_request_headers"])))
    bindgen = [f"{m}.{n}" for m, n in imports
               if m in ("wbg", "__wbindgen_placeholder__") or n.startswith("__wbg_")
               or n.startswith("__wbindgen_")]
    bindgen += [e for e in exports if e.startswith("__wbindgen_")]
    if bindgen:
        return PlatformReport(
            "wasm-bindgen", "wasm-bindgen library", False,
            "needs its generated JavaScript glue (browsers, Node, Cloudflare Workers); the "
            "workbench hosts no JavaScript", tuple(bindgen[:4]))
    if "gojs" in mods:
        return PlatformReport(
            "go-js", "Go js/wasm program (GOOS=js)", False,
            "needs Go's wasm_exec.js in Node or a browser; build with GOOS=wasip1 to get a "
            "WASI command the workbench runs as WAGI", ("import gojs",))
    wit = [f"{m}.{n}" for m, n in imports if ":" in m and "/" in m]
    wit += [e for e in exports if "#" in e and ":" in e]
    if wit:
        return PlatformReport(
            "component-core", "core module of a component (canonical ABI)", False,
            "imports or exports WIT interface functions by their canonical-ABI names: it runs "
            "inside its component (`wasm-tools component new`); inspect or run that instead",
            tuple(wit[:4]))
    inits = sorted(e for e in exp if e in ("wizer.initialize", "wizer-initialize"))
    if inits:
        return PlatformReport(
            "wizer", "pre-initialisation input (Wizer)", False,
            "an engine module waiting for `wizer` to run its initializer and snapshot the "
            "result; inspect or run the pre-initialised output instead",
            tuple(f"export {e}" for e in inits))
    if "handle" in exp or "alloc" in exp:
        return PlatformReport("edge", "edge handler", True,
                              "the workbench's own ABI: runs here (docs/handler-abi.md)",
                              ("export handle",))
    foreign = sorted(m for m in mods if m != WASI_P1)
    if "_start" in exp:
        if not foreign:
            return PlatformReport(
                "wagi", "WAGI (WASI command)", True,
                "runs here as WAGI: request as CGI environment + stdin, response on stdout; "
                "also under `wasmtime run`", ("export _start",))
        return PlatformReport(
            "wasi-command", "WASI command", False,
            f"exports _start but also imports {', '.join(foreign[:4])}, which no WASI host "
            "provides: it needs the host it was built for", ("export _start",))
    if "_initialize" in exp and not foreign:
        return PlatformReport(
            "wasi-reactor", "WASI reactor (library)", False,
            "a WASI library exporting functions for a host to call; not a request handler",
            ("export _initialize",))
    return PlatformReport(
        "unknown", "unknown", False,
        "no known platform: not an edge handler, WASI command or component",
        tuple(f"import {m}" for m in sorted(mods)[:4]))
