#!/bin/sh
# Download / build the real third-party modules the platform tests use when present
# (they are never committed). Needs npm, node, componentize-py and spin-sdk 5.
# Usage: tests/core/platforms/fetch_samples.sh [DIR]   (default /work/scratch/platforms;
# the tests read $WORKBENCH_PLATFORM_SAMPLES, same default)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
dir="${1:-${WORKBENCH_PLATFORM_SAMPLES:-/work/scratch/platforms}}"
mkdir -p "$dir" && cd "$dir"
unpack() {  # npm package, file inside it, name to save as
  tgz="$(npm pack "$1" 2>/dev/null | tail -1)"
  tar xzf "$tgz" "package/$2" && mv "package/$2" "$3" && rm -rf package "$tgz"
}
unpack @fastly/js-compute@3.46.0 fastly.wasm fastly.wasm        # Fastly Compute (+ wizer)
unpack @resvg/resvg-wasm@2.6.2 index_bg.wasm resvg_bg.wasm      # wasm-bindgen
unpack esbuild-wasm esbuild.wasm esbuild.wasm                   # Go js/wasm
sh "$root/sample_modules/hello-wasi-http-py/build.sh" "$dir/py.wasm"  # componentize-py 0.2
mkdir -p spin5 && cd spin5                                      # spin-sdk 5: wasi:http 0.3
cat > app.py <<'PY'
from spin_sdk import http
from spin_sdk.http import Request, Response


class HttpHandler(http.Handler):
    async def handle_request(self, request: Request) -> Response:
        return Response(200, {"content-type": "text/plain"}, b"Hello from spin-sdk 5")
PY
componentize-py -w spin:up/http-trigger@4.1.0 componentize app -o app.wasm
cd .. && mkdir -p cjs && cd cjs                                 # componentize-js 0.2
npm install --no-audit --no-fund @bytecodealliance/componentize-js >/dev/null
SP="$(python3 -c 'import os, spin_sdk; print(os.path.join(os.path.dirname(spin_sdk.__file__), "wit", "deps"))')"
rm -rf wit && mkdir -p wit/deps
for pkg in http cli clocks filesystem io random sockets; do cp -r "$SP/$pkg@0.2.6" wit/deps/; done
printf 'package workbench:cjs;\n\nworld handler {\n  include wasi:http/proxy@0.2.6;\n}\n' > wit/world.wit
printf 'export const incomingHandler = { handle(request, responseOut) {} };\n' > hello.js
cat > build.mjs <<'JS'
import { componentize } from '@bytecodealliance/componentize-js';
import { readFile, writeFile } from 'node:fs/promises';
const source = await readFile('hello.js', 'utf8');
const { component } = await componentize(source, { witPath: 'wit', worldName: 'handler',
  sourceName: 'hello.js', disableFeatures: ['fetch-event'] });
await writeFile('app.wasm', component);
JS
node build.mjs
