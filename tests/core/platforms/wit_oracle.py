"""`wasm-tools component wit --json FILE` as an oracle for `decode_world` (None if absent)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

WASM_TOOLS = shutil.which("wasm-tools")


def oracle_world(path: Path) -> dict[str, dict[str, set[str]]] | None:
    """{"imports"|"exports": {interface name@version: {function names}}}."""
    if WASM_TOOLS is None:
        return None
    out = subprocess.run([WASM_TOOLS, "component", "wit", "--json", str(path)],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    doc = json.loads(out)
    world = doc["worlds"][-1]  # the component's own world comes last
    result: dict[str, dict[str, set[str]]] = {}
    for direction in ("imports", "exports"):
        items: dict[str, set[str]] = {}
        for key, item in world[direction].items():
            if "interface" in item:
                iface = doc["interfaces"][item["interface"]["id"]]
                name = key
                if iface.get("name") and iface.get("package") is not None:
                    pkg = doc["packages"][iface["package"]]["name"]
                    base, _, version = pkg.partition("@")
                    name = f"{base}/{iface['name']}" + (f"@{version}" if version else "")
                items[name] = set(iface.get("functions", {}))
            elif "function" in item:
                items[key] = {key}
        result[direction] = items
    return result
