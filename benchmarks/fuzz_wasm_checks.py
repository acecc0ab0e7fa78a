"""The rules `fuzz_wasm.py` checks each result against, and the reference tools' view of
a valid module (wabt's `wasm-objdump`, else `wasm-tools objdump` / `dump`)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from fuzz_wasm_corpus import Case

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def objdump(path: Path) -> dict[str, Any] | None:
    """Sections and function body sizes as the reference tools print them: wabt's
    `wasm-objdump -h` / `-x` where it reads the module, else (GC, exceptions, ... are
    beyond the distribution's wabt) `wasm-tools objdump` and the "size of function" lines
    of `wasm-tools dump`. Sections are (custom?, start, end, size, count); wasm-tools
    gives a custom section's range after its name, so only `end` is compared for those."""
    return _wabt(path) or _wasm_tools(path)


def _run(argv: list[str]) -> str | None:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _wabt(path: Path) -> dict[str, Any] | None:
    h = _run(["wasm-objdump", "-h", str(path)])
    x = _run(["wasm-objdump", "-x", "-j", "Code", str(path)]) if h is not None else None
    if h is None or x is None:
        return None
    sections = []
    for m in re.finditer(r"^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) "
                         r"\(size=0x([0-9a-f]+)\)(?: count: (\d+))?", h, re.M):
        sections.append((m[1] == "Custom", int(m[2], 16), int(m[3], 16), int(m[4], 16),
                         int(m[5]) if m[5] is not None else None))
    sizes = [int(s) for s in re.findall(r"^ - func\[\d+\] size=(\d+)", x, re.M)]
    return {"tool": "wasm-objdump", "sections": sections, "function_sizes": sizes}


def _wasm_tools(path: Path) -> dict[str, Any] | None:
    h = _run(["wasm-tools", "objdump", str(path)])
    d = _run(["wasm-tools", "dump", str(path)]) if h is not None else None
    if h is None or d is None:
        return None
    sections = []
    for m in re.finditer(r"^\s+(custom \S.*?|[a-z][a-z ]*?)\s*\|\s*0x([0-9a-f]+) -\s*"
                         r"0x([0-9a-f]+) \|\s*(\d+) bytes \| (\d+) count", h, re.M):
        custom = m[1].startswith("custom")
        count = None if custom or m[1] in ("start", "data count") else int(m[5])
        sections.append((custom, int(m[2], 16), int(m[3], 16), int(m[4]), count))
    sizes = []
    for m in re.finditer(r"^\s*0x[0-9a-f]+ \| ((?:[0-9a-f]{2} ?)+)\s*\| size of function",
                         d, re.M):
        value = shift = 0
        for b in bytes.fromhex(m[1].replace(" ", "")):
            value |= (b & 0x7F) << shift
            shift += 7
        sizes.append(value)
    return {"tool": "wasm-tools", "sections": sections, "function_sizes": sizes}


def check(case: Case, cmd: str, res: dict[str, Any], ref: dict[str, Any] | None
          ) -> list[str]:
    """Every rule the result breaks (see the module docstring)."""
    bad = []
    text = (res.get("out") or "") + (res.get("err") or "")
    if res.get("hang"):
        bad.append("hang")
    if res.get("crash") is not None and res.get("crash") is not False:
        bad.append(f"worker crashed ({res['crash']})")
    if res.get("exc"):
        bad.append("exception: " + res["exc"].strip().splitlines()[-1])
    if "Traceback (most recent call last)" in text:
        bad.append("traceback in output")
    raw = CONTROL.search(text)
    if raw:  # a module's names must not reach the terminal as control sequences
        bad.append(f"raw control character {raw.group()!r} in the output")
    rc = res.get("rc")
    if rc is not None and rc not in (0, 1, 2):
        bad.append(f"exit status {rc}")
    docs = res.get("json") or []
    named = case.path.name in text or case.path.stem in text
    if rc == 2 and not named or rc == 1 and not docs and not named:
        bad.append("failure does not name the file")
    if case.valid and cmd.startswith(("inspect", "by-", "diff-", "strip")) \
            and cmd != "core0" and rc != 0:
        bad.append(f"valid module not read (exit {rc}): {text.strip()[:300]}")
    for doc in docs:
        view = doc.get("view") if isinstance(doc, dict) else None
        if isinstance(view, dict) and view.get("by") in ("retained", "garbage"):
            parts = (view.get("reachable") or 0) + (view.get("unreachable") or 0)
            if parts != view.get("total"):
                bad.append(f"--by {view['by']}: reachable + unreachable = {parts}, total "
                           f"{view.get('total')}")
        elif isinstance(view, dict) and "rows" in view and view.get("total") is not None:
            total = sum(r.get("size", 0) for r in view["rows"])
            if total != view["total"]:
                bad.append(f"--by {view.get('by')}: rows sum to {total}, total "
                           f"{view['total']}")
    if cmd == "inspect-json" and docs and ref is not None and case.valid \
            and docs[0].get("kind") == "module":
        bad += _against_objdump(docs[0], ref)
    return bad


def _against_objdump(doc: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    bad = []
    wt = ref["tool"] == "wasm-tools"  # prints no datacount value (wabt does, as we do)
    mine = [(s["id"] == 0, s["start"], s["end"], s["size"],
             None if wt and s["id"] in (8, 12) else s["count"])
            for s in doc.get("sections", [])]
    theirs = ref["sections"]
    if wt:  # custom sections: only the end is comparable
        mine = [(c, None, e, None, None) if c else (c, a, e, z, n) for c, a, e, z, n in mine]
        theirs = [(c, None, e, None, None) if c else (c, a, e, z, n)
                  for c, a, e, z, n in theirs]
    if mine != theirs:
        diff = [(a, b) for a, b in zip(mine, theirs, strict=False) if a != b][:3]
        bad.append(f"sections differ from {ref['tool']} ({len(mine)} vs {len(theirs)}): "
                   f"{diff}")
    sizes = [f["size"] for f in doc.get("functions", [])]
    if sizes != ref["function_sizes"]:
        bad.append(f"function sizes differ from {ref['tool']} ({len(sizes)} vs "
                   f"{len(ref['function_sizes'])} functions)")
    disk = 8 + sum(s.get("disk_size", 0) for s in doc.get("sections", []))
    if doc.get("size") and disk != doc["size"]:
        bad.append(f"section disk sizes + header = {disk}, file size {doc['size']}")
    return bad
