"""The two hot loops: code bodies and data segments.

Large modules have tens of thousands of bodies and 100k+ data segments, so these loops
decode the common LEB128 cases inline with local variables and fall back to the checked
decoders in `leb` only for multi-byte or unusual encodings. Instructions are never
decoded: a body is its size LEB plus that many bytes.
"""

from __future__ import annotations

from workbench.core.wasm.leb import Bad, Buf, count, u32
from workbench.core.wasm.model import DataSegment
from workbench.core.wasm.types import skip_const_expr

Body = tuple[int, int, int]  # (absolute start, size, disk size)


def decode_code(buf: Buf, base: int) -> list[Body]:
    """Function bodies as (start, size, disk_size); start is absolute, after the size LEB."""
    n, p = count(buf, 0, "function body")
    end = len(buf)
    out: list[Body] = []
    append = out.append
    for i in range(n):
        q = p
        x = buf[p]
        if x < 0x80:
            size = x
            p += 1
        else:
            size, p = u32(buf, p)
        start = p
        p += size
        if p > end:
            raise Bad(f"body of function #{i} ({size} bytes) runs past the code section", q)
        append((base + start, size, p - q))
    if p != end:
        raise Bad(f"code section has {end - p} unread bytes after its last body", p)
    return out


def decode_data(buf: Buf, base: int) -> list[DataSegment]:
    """Data segments with the absolute offset and length of their bytes."""
    n, p = count(buf, 0, "data segment")
    end = len(buf)
    out: list[DataSegment] = []
    append = out.append
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: 1/3 of the loop's time
    for i in range(n):
        q = p
        flags = buf[p]
        p += 1
        if flags >= 0x80:  # a padded LEB128 (valid, if unusual)
            flags, p = u32(buf, q)
        if flags == 1:
            mode = "passive"
        else:
            if flags == 2:
                _, p = u32(buf, p)  # memory index
            elif flags != 0:
                raise Bad(f"data segment #{i}: unknown flags {flags}", q)
            mode = "active"
            # fast path: `i32.const <short sleb> end`; anything else takes the checked path
            if buf[p] == 0x41:
                r = p + 1
                while buf[r] & 0x80 and r - p < 5:
                    r += 1
                if r - p < 5 and buf[r + 1] == 0x0B:
                    p = r + 2
                else:
                    p = skip_const_expr(buf, p)
            else:
                p = skip_const_expr(buf, p)
        x = buf[p]
        if x < 0x80:
            size = x
            p += 1
        else:
            size, p = u32(buf, p)
        start = p
        p += size
        if p > end:
            raise Bad(f"data segment #{i} ({size} bytes) runs past the data section", q)
        append(new(DataSegment, (i, base + start, size, p - q, mode, None)))
    if p != end:
        raise Bad(f"data section has {end - p} unread bytes after its last segment", p)
    return out
