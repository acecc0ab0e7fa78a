"""`check_purity(wasm, requests)`: is this handler safe to reuse warm and to snapshot?

For the edge ABI, with `requests` R1..Rn (saved requests, or a given set):
1. each Ri on a fresh instance, twice, with the host's clock and random seed frozen at
   two different values: responses that differ depend on those sources, not on
   instance state (every other run uses the first values, so comparisons are exact);
2. all of them in order on one warm instance, then in reverse order on another: a
   response that differs from its fresh one depends on what ran before (order);
3. on the warm instances, after each Ri, the mutable globals and linear memory are
   compared with a fresh instance after the same Ri: what differs is state the instance
   carries (the shadow stack is ignored; bytes equal to what an earlier request leaves on
   a fresh instance are scratch residue, not state). Bytes are attributed to DWARF
   variables, then name-section data segments, else the heap;
4. R1 `growth_requests` times on a warm instance: the slope of the heap's high-water mark
   per request (a leak grows linearly).
A WAGI command module gets a new instance per request by construction: only step 1 and
the imports apply. KV state is external (each request sees the same KV contents).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from workbench.core.http import Request
from workbench.core.purity.instrument import export_globals
from workbench.core.purity.layout import Layout, layout
from workbench.core.purity.probe import NotInstantiable, Outcome, Probe
from workbench.core.purity.result import Growth, PurityReport, ResponseDiff, StateChange
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.limits import Limits
from workbench.core.wasm.model import Module
from workbench.core.wasm.reader import parse_module

NONDETERMINISM = {"now_ms": "clock", "random_fill": "random", "kv_get": "kv", "kv_put": "kv",
                  "kv_delete": "kv", "clock_time_get": "clock", "clock_res_get": "clock",
                  "random_get": "random"}
MAX_CHANGES = 12


def sources(module: Module) -> tuple[str, ...]:
    return tuple(f"{NONDETERMINISM[i.name]} ({i.module}.{i.name})" for i in module.imports
                 if i.kind == "func" and i.name in NONDETERMINISM)


def _label(req: Request, name: str | None) -> str:
    return name or f"{req.method} {req.target}"


def _first_diff(a: Outcome, b: Outcome, ignore: frozenset[str]) -> str:
    if a.response is None or b.response is None:
        return f"{a.error or a.response and a.response.status} != " \
               f"{b.error or b.response and b.response.status}"
    ra, rb = a.response, b.response
    if ra.status != rb.status:
        return f"status {ra.status} != {rb.status}"
    ka, kb = a.key(ignore)[1], b.key(ignore)[1]
    if ka != kb:
        diff = sorted(set(ka) ^ set(kb))
        return f"header {diff[0][0]}" if diff else "header order"
    i = next((i for i, (x, y) in enumerate(zip(ra.body, rb.body, strict=False)) if x != y),
             min(len(ra.body), len(rb.body)))
    return f"body byte {i}: {ra.body[i:i + 16]!r} != {rb.body[i:i + 16]!r}"


def _ranges(a: bytes, b: bytes, chunk: int = 256) -> list[tuple[int, int]]:
    """Differing [start, end) ranges of two equal-length buffers (b may be longer)."""
    out: list[tuple[int, int]] = []
    n = min(len(a), len(b))
    for base in range(0, n, chunk):
        if a[base:base + chunk] == b[base:base + chunk]:
            continue
        for i in range(base, min(base + chunk, n)):
            if a[i] != b[i]:
                if out and out[-1][1] == i:
                    out[-1] = (out[-1][0], i + 1)
                else:
                    out.append((i, i + 1))
    if len(b) > n and any(b[n:]):
        out.append((n, len(b)))
    return out


def _state(lay: Layout, label: str, fresh_mem: bytes, warm_mem: bytes,
           fresh_g: dict[int, object], warm_g: dict[int, object],
           residues: list[bytes]) -> list[StateChange]:
    out = [StateChange("global", lay.globals.get(i, f"global[{i}]"), fresh=str(v),
                       warm=str(warm_g.get(i)), request=label)
           for i, v in fresh_g.items() if warm_g.get(i) != v]
    for start, end in _ranges(fresh_mem, warm_mem):
        if lay.in_stack(start, end):
            continue
        state = [p for p in range(start, end)
                 if not any(p < len(r) and r[p] == warm_mem[p] for r in residues)]
        if not state:
            continue
        s0, s1 = state[0], state[-1] + 1
        for name in lay.attribute(s0, s1):
            out.append(StateChange("memory", name, s0, len(state), request=label))
    return out


def _growth(probe: Probe, lay: Layout, req: Request, n: int) -> Growth:
    inst = probe.instance()
    sizes, marks = [], []
    for _ in range(n):
        probe.call(inst, req)
        mem = probe.memory(inst)
        sizes.append(len(mem))
        marks.append(len(mem[lay.heap_start:].rstrip(b"\0")) + lay.heap_start)
    xs = list(range(1, n))
    ys = marks[1:]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs) or 1.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den
    return Growth(n, tuple(sizes), tuple(marks), slope)


def check_purity(wasm: bytes, requests: Sequence[tuple[str | None, Request]], *,
                 name: str = "module", ignore_headers: Sequence[str] = ("date",),
                 growth_requests: int = 24, limits: Limits | None = None,
                 variables: list[tuple[str, int, int]] | None = None,
                 file: str | None = None, host: HostConfig | None = None) -> PurityReport:
    """`file`: the path errors name (a malformed module's offset); default `name`.
    `host`: the module's [extism] function and [[outbound]] stubs, as `run` uses them."""
    t0 = time.perf_counter()
    module = parse_module(wasm, file=file or name)
    if variables is None:
        from workbench.core.size.dwarf.variables import variables as dwarf_vars

        variables = dwarf_vars(module)
    lay = layout(module, variables)
    ignore = frozenset(h.lower() for h in ignore_headers)
    nondet = sources(module)
    idx = sorted(lay.globals)
    harness = Harness(export_globals(bytes(wasm), module, idx), limits=limits,
                      name=file or name, host=host)  # what an ABI or compile error names
    abi = harness.check().name
    reqs = [(_label(r, n), r) for n, r in requests]
    if not reqs:
        reqs = [("GET /", Request())]
    if abi != "edge":
        return _responses_only(harness, name, abi, reqs, ignore, nondet, t0)
    probe = Probe(harness, idx)
    try:
        return _edge(probe, lay, name, abi, reqs, ignore, nondet, growth_requests, t0)
    except NotInstantiable as e:
        verdict = (f"cannot be checked: a fresh instance fails ({e.error.kind}): "
                   f"{e.error.message}")
        note = ("`workbench run` on the module shows the same error with its timing; "
                "fix the module's start function, memory/table sizes or data segments",)
        return PurityReport(name, abi, len(reqs), False, verdict, nondet, notes=note,
                            elapsed_ms=(time.perf_counter() - t0) * 1000)


def _edge(probe: Probe, lay: Layout, name: str, abi: str, reqs: list[tuple[str, Request]],
          ignore: frozenset[str], nondet: tuple[str, ...], growth_requests: int,
          t0: float) -> PurityReport:
    """Steps 1-4 of the module docstring for an edge handler. A request that fails on a
    fresh instance (trap, timeout, no response) is not run again: it would fail the same
    way, and a handler that loops costs the whole deadline per call. It is left out of
    the warm passes and named in a note; when every request fails there is nothing to
    compare, and the report says the module cannot be checked."""
    fresh: list[tuple[Outcome, bytes, dict[int, object]]] = []
    nondet_diffs: list[ResponseDiff] = []
    failed: list[str] = []
    for label, req in reqs:
        inst = probe.instance()
        a = probe.call(inst, req)
        fresh.append((a, probe.memory(inst), probe.globals(inst)))
        if a.response is None:
            failed.append(f"{label} fails on a fresh instance ({a.error}): left out of "
                          "the comparisons")
            continue
        b = probe.call(probe.instance(), req, world=1)  # another clock and seed
        if a.key(ignore) != b.key(ignore):
            nondet_diffs.append(ResponseDiff(label, "second fresh run", _first_diff(a, b,
                                                                                  ignore)))
    usable = [i for i, f in enumerate(fresh) if f[0].response is not None]
    if not usable:
        verdict = f"cannot be checked: every request fails on a fresh instance " \
                  f"({fresh[0][0].error})"
        note = "`workbench run` on the module shows the failure with its logs"
        return PurityReport(name, abi, len(reqs), False, verdict, nondet,
                            notes=(*failed, note),
                            elapsed_ms=(time.perf_counter() - t0) * 1000)
    unstable = {d.request for d in nondet_diffs}
    order: list[ResponseDiff] = []
    state: list[StateChange] = []
    for cond, seq in (("warm after the others", usable),
                      ("warm, reverse order", usable[::-1])):
        inst = probe.instance()
        seen: list[int] = []
        for i in seq:
            label, req = reqs[i]
            out = probe.call(inst, req)
            f_out, f_mem, f_g = fresh[i]
            if label not in unstable and out.key(ignore) != f_out.key(ignore):
                order.append(ResponseDiff(label, cond, _first_diff(f_out, out, ignore)))
            if seen and len(state) < 4 * MAX_CHANGES:
                residues = [fresh[j][1] for j in seen]
                state += _state(lay, label, f_mem, probe.memory(inst), f_g,
                                probe.globals(inst), residues)
            seen.append(i)
    state = _dedupe(state)[:MAX_CHANGES]
    growth = _growth(probe, lay, reqs[usable[0]][1], max(3, growth_requests))
    return _report(name, abi, len(reqs), nondet, nondet_diffs, order, state, growth,
                   tuple(failed), t0)


def _dedupe(changes: list[StateChange]) -> list[StateChange]:
    """One change per global or symbol: the first seen, with the bytes of all its ranges
    after that same request added up."""
    seen: dict[tuple[str, str], StateChange] = {}
    for c in changes:
        first = seen.setdefault((c.kind, c.name), c)
        if (first is not c and c.kind == "memory" and c.request == first.request
                and c.start != first.start):
            seen[(c.kind, c.name)] = dataclasses.replace(first, size=first.size + c.size)
    return list(seen.values())


def _responses_only(harness: Harness, name: str, abi: str, reqs: list[tuple[str, Request]],
                    ignore: frozenset[str], nondet: tuple[str, ...],
                    t0: float) -> PurityReport:
    """Every ABI but edge: the responses are all there is to compare. Two fresh runs of
    each request (nondeterminism); then, for a handler the runtime reuses warm (wasi-http,
    extism; not a WAGI command, which gets a new instance per request), all requests in
    order on one warm instance against their fresh responses. Each run sees its own copy
    of the same KV contents, as on the edge path."""

    def once(req: Request, mode: str) -> Outcome:
        with harness.scratch_host_state():
            r = harness.run(req, mode)
        return Outcome(r.response, r.error.message if r.error else None)

    diffs, fresh = [], []
    for label, req in reqs:
        a, b = once(req, "fresh"), once(req, "fresh")
        fresh.append(a)
        if a.key(ignore) != b.key(ignore):
            diffs.append(ResponseDiff(label, "second fresh run", _first_diff(a, b, ignore)))
    if all(a.response is None for a in fresh):
        return PurityReport(name, abi, len(reqs), False,
                            f"cannot be checked: every request fails on a fresh instance "
                            f"({fresh[0].error})", nondet,
                            notes=("`workbench run` on the module shows the failure with "
                                   "its logs",),
                            elapsed_ms=(time.perf_counter() - t0) * 1000)
    if abi == "wagi":
        note = ("a WAGI command module runs a new instance per request: there is no warm "
                "instance to carry state; only nondeterminism is checked")
        return _report(name, abi, len(reqs), nondet, diffs, [], [], None, (note,), t0)
    unstable = {d.request for d in diffs}
    order = []
    for (label, req), a in zip(reqs, fresh, strict=True):
        if a.response is None:
            continue
        out = once(req, "warm")
        if label not in unstable and out.key(ignore) != a.key(ignore):
            order.append(ResponseDiff(label, "warm after the others", _first_diff(a, out,
                                                                                ignore)))
    article = "an" if abi[:1] in "aeiou" else "a"
    note = (f"{article} {abi} handler's memory and globals are not inspected: only its "
            "responses are compared (fresh twice, then warm in order); heap growth is not "
            "measured")
    report = _report(name, abi, len(reqs), nondet, diffs, order, [], None, (note,), t0)
    if report.safe:  # "safe to reuse and snapshot" would claim more than was looked at
        verdict = report.verdict.replace(
            "safe to reuse and snapshot",
            "no response depends on earlier requests (state not inspected)", 1)
        report = dataclasses.replace(report, verdict=verdict)
    return report


def _report(name: str, abi: str, n: int, nondet: tuple[str, ...],
            nondet_diffs: list[ResponseDiff], order: list[ResponseDiff],
            state: list[StateChange], growth: Growth | None, notes: tuple[str, ...],
            t0: float) -> PurityReport:
    problems = []
    if state:
        names = ", ".join(dict.fromkeys(c.name for c in state))
        problems.append(f"state carried between requests in {names}")
    if order:
        problems.append(f"{len({d.request for d in order})} response(s) depend on earlier "
                        "requests")
    if growth is not None and growth.leaks:
        problems.append(f"heap grows {growth.slope:,.0f} B per request (leak)")
    if nondet_diffs:
        problems.append(f"{len(nondet_diffs)} response(s) change between identical runs "
                        f"({', '.join(nondet) or 'unknown source'})")
    safe = not (state or order or (growth is not None and growth.leaks))
    if safe and not problems and abi == "wagi":
        verdict = "safe: a new instance per request (WAGI command), deterministic responses"
    elif safe and not problems:
        verdict = "safe to reuse and snapshot"
    elif safe:
        verdict = "safe to reuse and snapshot; note: " + "; ".join(problems)
    else:
        verdict = "not safe to reuse: " + "; ".join(problems)
    return PurityReport(name, abi, n, safe, verdict, nondet, tuple(nondet_diffs),
                        tuple(order), tuple(state), growth, notes,
                        (time.perf_counter() - t0) * 1000)
