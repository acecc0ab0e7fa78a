"""Host of the compiled data-segment offset reader (`segments.c` in `kernels.wasm`):
Go modules have 100k segments, and reading each offset in Python costs more than the
rest of the graph."""

from __future__ import annotations

from array import array

from workbench.core.wasm.native.kernel import Arena


def data_offsets(buf: bytes, entries: list[int], end: int) -> tuple[list[int], bytes]:
    """(values, status) per entry position (ascending, absolute in `buf`, entries end
    before `end`): status 1 = `00 41 <sleb32> 0b` whose offset is values[i] (u32);
    2 = anything else (the caller decodes it)."""
    n = len(entries)
    if not n:
        return [], b""
    first = entries[0]
    pos = array("I", [p - first for p in entries]).tobytes()
    mem = Arena()
    at_buf, at_pos = mem.reserve(end - first), mem.reserve(len(pos))
    at_values, at_status = mem.reserve(4 * n), mem.reserve(n)
    mem.commit()
    mem.put(at_buf, buf, first, end)
    mem.put(at_pos, pos)
    mem.func("data_offsets")(at_buf, end - first, at_pos, n, at_values, at_status)
    return array("I", mem.get(at_values, 4 * n)).tolist(), mem.get(at_status, n)
