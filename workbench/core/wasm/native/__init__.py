"""The call-graph body scanner compiled to WebAssembly (`scanner.c` -> `scanner.wasm`,
shipped prebuilt) and its wasmtime host (`runner.py`); `build.py` rebuilds it."""
