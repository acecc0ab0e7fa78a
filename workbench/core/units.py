"""Units both front ends print: byte sizes (the kernel; no imports beyond the stdlib)."""

from __future__ import annotations


def human_bytes(n: int | float) -> str:
    """1234 -> '1.2 KiB'. Exact bytes below 1 KiB."""
    n = float(n)
    if abs(n) < 1024:
        return f"{int(n)} B"
    for unit in ("KiB", "MiB", "GiB"):
        n /= 1024
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}"
    return f"{n:.1f} GiB"
