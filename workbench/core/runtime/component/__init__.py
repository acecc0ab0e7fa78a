"""wasi:http/proxy 0.2 components, run in-process on wasmtime's component model.

Every WASI 0.2 interface the component imports is a Python host function (capi.py is the
quarantined C-API layer; wasi.py, fields.py and http.py the interfaces; linker.py wires
them by the names the component imports); runtime.py runs a component in cold, fresh or
warm mode for the harness (docs/handler-abi.md, "wasi:http/proxy components").
"""
