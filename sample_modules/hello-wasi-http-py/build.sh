#!/bin/sh
# Build app.py into a wasi:http/proxy@0.2.6 component with componentize-py
# (`pip install componentize-py spin-sdk`). Writes $WORKBENCH_OUTPUT when the workbench
# runs it (toolchain "command"), else the path given, else build/hello-wasi-http-py.wasm.
#
# The WIT comes from the installed spin-sdk package, which ships wasi:http 0.2.x; only
# the packages the proxy world needs are copied into build/wit. An empty VIRTUAL_ENV keeps
# componentize-py from scanning site-packages, where spin-sdk's own componentize-py.toml
# would add its WIT a second time ("attempting to re-add package").
set -eu
cd "$(dirname "$0")"
out="${WORKBENCH_OUTPUT:-${1:-build/hello-wasi-http-py.wasm}}"
command -v componentize-py >/dev/null || {
  echo "componentize-py is not installed: pip install componentize-py spin-sdk" >&2; exit 127; }
SPIN_WIT="$(python3 -c 'import os, spin_sdk; print(os.path.join(os.path.dirname(spin_sdk.__file__), "wit", "deps"))')" || {
  echo "spin-sdk is not installed (it provides the wasi:http WIT): pip install spin-sdk" >&2; exit 127; }
mkdir -p build
rm -rf build/wit && mkdir -p build/wit/deps
for pkg in http cli clocks filesystem io random sockets; do
  cp -r "$SPIN_WIT/$pkg@0.2.6" build/wit/deps/
done
printf 'package workbench:sample;\n\nworld handler {\n  include wasi:http/proxy@0.2.6;\n}\n' > build/wit/world.wit
empty_venv="$(mktemp -d)"
trap 'rm -rf "$empty_venv"' EXIT
mkdir -p "$empty_venv/lib/site-packages"
VIRTUAL_ENV="$empty_venv" componentize-py -d build/wit -w handler componentize app -p . -o "$out"
