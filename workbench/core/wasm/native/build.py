"""Rebuild `kernels.wasm` from its C sources with zig's clang (the `ziglang` package).

    python3 -m workbench.core.wasm.native.build [--check]

The binary is shipped prebuilt as package data, so users need no compiler; a test
rebuilds it when `ziglang` is installed and checks that the shipped file is identical
(the flags below are the whole recipe: no debug info, no timestamps, 64 KiB stack).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = [HERE / "scanner.c", HERE / "dominance.c", HERE / "segments.c"]
BINARY = HERE / "kernels.wasm"
FLAGS = ["--target=wasm32-freestanding", "-O2", "-g0", "-nostdlib", "-Wall", "-Wextra",
         "-Werror", "-Wl,--no-entry", "-Wl,--export=__heap_base", "-Wl,--strip-all",
         "-Wl,-z,stack-size=65536"]


def build(out: Path) -> None:
    """Compile the sources to `out` (raises CalledProcessError with zig's message)."""
    subprocess.run([sys.executable, "-m", "ziglang", "cc", *FLAGS, "-o", str(out),
                    *map(str, SOURCES)], check=True, capture_output=True, text=True)


def rebuilt() -> bytes:
    """The bytes a fresh build produces (in a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kernels.wasm"
        build(out)
        return out.read_bytes()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare a rebuild with the shipped binary instead of writing it")
    args = ap.parse_args()
    data = rebuilt()
    if args.check:
        same = data == BINARY.read_bytes()
        print(f"{BINARY.name} is " + ("up to date" if same else "not what a rebuild gives"))
        return 0 if same else 1
    BINARY.write_bytes(data)
    print(f"wrote {BINARY} ({len(data):,d} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
