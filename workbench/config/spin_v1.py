"""A version 1 Spin manifest (`spin_manifest_version = "1"`, or the older
`spin_version = "1"`) in the shape of version 2, so config/spin.py reads both.

Spin 2 and 3 still run version 1 manifests (they convert them as they load them), and
many public apps were never upgraded. Version 1 keeps each component's trigger inside it:

    trigger = { type = "http", base = "/" }      # the app's trigger, with a base path
    [[component]]
    id = "hello"
    source = "main.wasm"
    [component.trigger]
    route = "/..."                               # below `base`
    executor = { type = "wagi" }
    [component.build]
    command = "..."

becomes `[[trigger.http]] route = base + route, component = "hello", executor` and
`[component.hello]` with the rest of the table (source, build, files...).
"""

from __future__ import annotations

from typing import Any

from workbench.config.check import Checker


def is_v1(doc: dict[str, Any]) -> bool:
    version = doc.get("spin_manifest_version", doc.get("spin_version"))
    return version in ("1", 1)


def v1_as_v2(ck: Checker, doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` (version 1) as the version 2 tables spin.py reads."""
    trigger = doc.get("trigger")
    kind = trigger.get("type") if isinstance(trigger, dict) else None
    base = str(trigger.get("base") or "/") if isinstance(trigger, dict) else "/"
    components = doc.get("component")
    if not isinstance(components, list):
        raise ck.error("component", "a version 1 spin.toml needs [[component]] tables",
                       hint='each with id = "..." and source = "....wasm"')
    tables: dict[str, Any] = {}
    http: list[dict[str, Any]] = []
    for index, comp in enumerate(components):
        if not isinstance(comp, dict) or not isinstance(comp.get("id"), str):
            raise ck.error("component", f"[[component]] #{index + 1} has no id = \"...\"",
                           hint="every version 1 component needs an id")
        cid = comp["id"]
        table = {k: v for k, v in comp.items() if k not in ("id", "trigger")}
        tables[cid] = table
        own = comp.get("trigger")
        if kind != "http" or not isinstance(own, dict):
            continue  # a redis app: nothing here answers HTTP
        route = own.get("route")
        entry: dict[str, Any] = {"component": cid,
                                 "route": _join(base, route) if isinstance(route, str)
                                 else route}
        if "executor" in own:
            entry["executor"] = own["executor"]
        http.append(entry)
    return {"spin_manifest_version": 2,
            "application": {"name": doc.get("name")},
            "trigger": {"http": http} if http else {},
            "component": tables}


def _join(base: str, route: str) -> str:
    """Spin 1's base + route: "/" + "/hello" is "/hello", "/api" + "/..." "/api/..."."""
    base = base.rstrip("/")
    return (base + "/" + route.lstrip("/")) if base else route
