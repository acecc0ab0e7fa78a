"""One saved entry as a request on its own (`workbench run MODULE FILE --entry N`).

An entry may use values that only a replay of its file binds: a `{{token}}` captured by an
earlier entry, or an `[Options] variable:` of an earlier entry. Sent alone, it would carry
the literal braces, so `standalone_request` refuses it with the variable's name, the entry
that defines it and what to run instead. Hurl functions ({{newUuid}}, {{newDate}}) are
generated fresh, as in a replay.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.errors import RequestFileError
from workbench.core.http import Request
from workbench.core.requests.model import SavedRequest


def _definer(name: str, before: Sequence[SavedRequest]) -> SavedRequest | None:
    for e in reversed(before):
        if any(c.name == name for c in e.captures):
            return e
        opts = e.options
        if opts is not None and any(n == name for n, _ in opts.variables):
            return e
    return None


def standalone_request(entries: Sequence[SavedRequest], index: int) -> Request:
    """Entry `index` of one file, rendered with its workspace variables and own options."""
    entry = entries[index]
    spec = entry.spec
    if spec is None:
        return entry.request
    scope = dict(spec.variables)
    if entry.options is not None:
        for name, value in entry.options.variables:
            try:
                scope[name] = value.render(scope) if hasattr(value, "render") else value
            except RequestFileError:
                break  # reported below with the name that is missing
    try:
        return spec.render(scope)
    except RequestFileError as e:
        if not e.message.startswith("undefined variable {{"):
            raise
        name = e.message.split("{{", 1)[1].split("}}", 1)[0]
        src = _definer(name, entries[:index])
        by = (f"captured by the entry at {src.where}" if src is not None and any(
              c.name == name for c in src.captures) else
              f"defined by [Options] at {src.where}" if src is not None else
              "bound only during a replay")
        raise RequestFileError(
            f"entry {entry.name!r} uses {{{{{name}}}}}, {by}: sent alone it would carry the "
            f"literal braces", file=entry.file, line=e.line or entry.line,
            hint=f"replay the file to run its entries in order (workbench replay "
                 f"{entry.file} --module MODULE), or give {name} a value in workbench.toml "
                 f"[variables]") from None
