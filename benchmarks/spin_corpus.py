"""Real spin.toml files through the workbench's Spin app loader, one row per manifest.

    python3 benchmarks/spin_corpus.py [DIR]

DIR (default /work/scratch/spin-corpus) holds one folder per manifest, each with only
its spin.toml (sources need not exist). Each row: the folder, what the manifest has
(HTTP triggers, components with a local or remote source, build commands) and what the
workbench made of it (module names, toolchain, route, root relative to the folder,
output, sources) or the error it gave. The rows are judged by hand against what
`spin build` / `spin up` would do; nothing here asserts.
"""

from __future__ import annotations

import sys
import tomllib
import traceback
from pathlib import Path
from typing import Any

from workbench.config.workspace import load_workspace
from workbench.core.errors import WorkbenchError

DEFAULT = Path("/work/scratch/spin-corpus")


def _rel(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix() or "."
    except ValueError:
        return str(path)


def describe_manifest(doc: dict[str, Any]) -> str:
    """What spin.toml declares: triggers by kind, components by source kind, builds."""
    triggers = doc.get("trigger") if isinstance(doc.get("trigger"), dict) else {}
    kinds = [f"{k}:{len(v)}" for k, v in triggers.items() if isinstance(v, list)]
    version = doc.get("spin_manifest_version", doc.get("spin_version", "?"))
    if isinstance(doc.get("component"), list):  # version 1: [[component]], trigger inside
        kinds.append(f"{doc.get('trigger', {}).get('type', '?')}:{len(doc['component'])}")
    comps = doc.get("component")
    tables = (list(comps.values()) if isinstance(comps, dict)
              else comps if isinstance(comps, list) else [])
    local = sum(isinstance(c, dict) and isinstance(c.get("source"), str) for c in tables)
    remote = sum(isinstance(c, dict) and isinstance(c.get("source"), dict) for c in tables)
    builds = sum(isinstance(c, dict) and isinstance(c.get("build"), dict)
                 and bool(c["build"].get("command")) for c in tables)
    return (f"v{version} triggers[{' '.join(kinds)}] "
            f"components[local={local} remote={remote} builds={builds}]")


def row(folder: Path) -> list[str]:
    lines = [f"== {folder.name}"]
    try:
        doc = tomllib.loads((folder / "spin.toml").read_text())
        lines.append("   has: " + describe_manifest(doc))
    except Exception as e:  # noqa: BLE001 - a manifest TOML cannot read is still a row
        lines.append(f"   has: unreadable TOML ({e})")
    broken: list[tuple[Path, WorkbenchError]] = []
    try:
        ws = load_workspace([folder], broken=broken)
    except WorkbenchError as e:
        lines.append(f"   ERROR {e.kind}: {e}")
        return lines
    except Exception:  # noqa: BLE001 - a traceback is a finding, not a crash of the run
        lines.append("   TRACEBACK " + traceback.format_exc().strip().replace("\n", "\n   | "))
        return lines
    for _, err in broken:
        lines.append(f"   BROKEN {err.kind}: {err}" + (f" [hint: {err.hint}]"
                                                         if err.hint else ""))
    for m in ws.modules:
        lines.append(
            f"   {m.name}: {m.toolchain} route={m.route} spin_route={m.spin_route} "
            f"abi={m.abi} root={_rel(m.root, folder.resolve())} "
            f"output={_rel(m.output, m.root)} sources={list(m.sources)}")
        if m.command:
            lines.append(f"      command: {m.command!r}")
    return lines


def main(argv: list[str]) -> int:
    base = Path(argv[1]) if len(argv) > 1 else DEFAULT
    folders = sorted(p.parent for p in base.glob("*/spin.toml"))
    for folder in folders:
        print("\n".join(row(folder)))
    print(f"\n{len(folders)} manifests")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
