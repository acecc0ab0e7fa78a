"""The `spin-*` request headers Spin gives a component, for modules from a spin.toml.

Spin components read them instead of parsing the path themselves: the static file
server picks the file from `spin-path-info`, routers use the `spin-path-match-*` values.
`workbench serve` adds them to the requests of a route that came from a Spin trigger
(`route.spin`, the trigger's route as written), after the client's own headers; a
client's own `spin-*` headers are dropped first, as Spin does not let a client set them.
"""

from __future__ import annotations

Headers = tuple[tuple[str, str], ...]


def spin_headers(pattern: str, target: str, host: str, client: str) -> Headers:
    """Headers for a request to `target` (path and query) matched by the Spin route
    `pattern` ("/...", "/api/...", "/users/:id", "/hello")."""
    path = target.split("?", 1)[0]
    wanted = [s for s in pattern.split("/")[1:] if s]
    got = path.split("/")[1:]
    matches: list[tuple[str, str]] = []
    fixed: list[str] = []
    used = 0
    for seg in wanted:
        if seg == "...":
            break
        if seg.startswith(":") and used < len(got):
            matches.append((f"spin-path-match-{seg[1:]}", got[used]))
        fixed.append(seg)
        used += 1
    rest = got[used:]
    info = "/" + "/".join(rest) if rest else ""  # what is left of the path
    component_route = "/" + "/".join(s for s in wanted if s != "...")
    return (("spin-full-url", f"http://{host}{target}"), ("spin-path-info", info),
            ("spin-matched-route", pattern), ("spin-raw-component-route", pattern),
            ("spin-component-route", component_route.rstrip("/") or "/"),
            ("spin-base-path", "/"), ("spin-client-addr", client), *matches)


def with_spin_headers(headers: Headers, pattern: str, target: str, host: str,
                      client: str) -> Headers:
    """`headers` without any the client sent as `spin-*`, plus Spin's own."""
    kept = tuple(kv for kv in headers if not kv[0].lower().startswith("spin-"))
    return kept + spin_headers(pattern, target, host, client)
