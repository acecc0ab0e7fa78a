"""Key-value and configuration interfaces for components, backed by the workbench's own
SQLite KV store (core/runtime/kv.py) and the module's granted secrets.

Implemented (the ones real WASI 0.2 components import; see docs/handler-abi.md):
- `wasi:keyvalue/store` (0.2.0-draft, 0.2.0-draft2): `open` + `bucket` get, set, delete,
  exists, list-keys. What `wasmtime serve -Skeyvalue`, wasmCloud and Spin 3 provide.
- `fermyon:spin/key-value@2.0.0`: `store` open, get, set, delete, exists, get-keys. What
  Spin 2/3 SDKs (Rust, Python, JS spin-sdk 3.x) call.
- `wasi:config/store` (0.2.0-draft): get, get-all. `fermyon:spin/variables@2.0.0`: get.
  Both read the module's granted secrets (module.toml `secrets = [...]`); a Spin variable
  name (lower case) also matches a secret of the same name in upper case.
The store is opened by the name "default" (Spin) or "" / "default" (wasi:keyvalue); any
other name is `no-such-store`. Chaos `latency_ms` delays calls under the edge names
(get/exists/list-keys: `kv_get`, set: `kv_put`, delete: `kv_delete`, config and variables:
`secret_get`); `kv_failure_rate` / `secret_failure_rate` then fail them with
`other("unavailable ...")`; KV limits apply as for edge modules. Everything else in
these packages (wasi:keyvalue atomics/batch/watch) links as a named trap.
"""

from __future__ import annotations

import time
from typing import Any

from workbench.core.runtime.component.state import state
from workbench.core.runtime.kv import KvTooLarge, KvUnavailable

STORES = ("default", "")


class Bucket:
    """An open store: `wasi:keyvalue/store#bucket` and `fermyon:spin/key-value#store`."""

    RESOURCE_ID = 30


def _host() -> Any:
    host = state().host
    if host is None:
        raise RuntimeError("no KV store is attached to this component run")
    return host()


def _unavailable(fn: str) -> Any | None:
    """Chaos for call `fn`: its latency first (as edge host calls), then maybe a failure."""
    st = _host()
    state().chaos_delay(fn)
    if st.chaos.fail(fn):
        return ("err", ("other", f"unavailable: chaos injected a {fn} failure"))
    return None


def _open(name: str) -> Any:
    if name not in STORES:
        return ("err", ("no-such-store", None))
    return ("ok", Bucket())


def _get(_: Bucket, key: str) -> Any:
    if (fail := _unavailable("kv_get")) is not None:
        return fail
    try:
        return ("ok", _host().kv.get(key.encode()))
    except KvUnavailable as e:
        return ("err", ("other", f"unavailable: {e.message}"))


def _set(_: Bucket, key: str, value: bytes) -> Any:
    if (fail := _unavailable("kv_put")) is not None:
        return fail
    st = _host()
    left_ms = (st.deadline - time.monotonic()) * 1000 / 2
    try:
        st.kv.put(key.encode(), value, limits=st.limits,
                  wait_ms=int(min(max(1.0, left_ms), 10_000.0)))
    except KvTooLarge as e:
        return ("err", ("other", f"too large: {e.message}"))
    except (OSError, KvUnavailable) as e:
        return ("err", ("other", f"unavailable: {e}"))
    return ("ok", None)


def _delete(_: Bucket, key: str) -> Any:
    if (fail := _unavailable("kv_delete")) is not None:
        return fail
    try:
        _host().kv.delete(key.encode())
    except (OSError, KvUnavailable) as e:
        return ("err", ("other", f"unavailable: {e}"))
    return ("ok", None)


def _exists(b: Bucket, key: str) -> Any:
    got = _get(b, key)
    return got if got[0] == "err" else ("ok", got[1] is not None)


def _keys() -> Any:
    if (fail := _unavailable("kv_get")) is not None:
        return fail
    try:
        items = _host().kv.items()
    except KvUnavailable as e:
        return ("err", ("other", f"unavailable: {e.message}"))
    return ("ok", [k.decode("utf-8", "replace") for k, _ in items])


def _list_keys(_: Bucket, cursor: Any) -> Any:
    got = _keys()  # one page: every key, no cursor
    return got if got[0] == "err" else ("ok", {"keys": got[1], "cursor": None})


def _secret(name: str) -> str | None:
    secrets = _host().secrets
    value = secrets.get(name)
    if value is None and name.islower():
        value = secrets.get(name.upper())
    return value


def _config_get(key: str) -> Any:
    state().chaos_delay("secret_get")
    if _host().chaos.fail("secret_get"):
        return ("err", ("io", "unavailable: chaos injected a secret_get failure"))
    return ("ok", _secret(key))


def _config_all() -> Any:
    state().chaos_delay("secret_get")
    secrets = _host().secrets
    names = sorted(n for n in secrets.values if secrets.get(n) is not None)
    return ("ok", [(n, secrets.get(n)) for n in names])


def _variable(name: str) -> Any:
    state().chaos_delay("secret_get")
    if _host().chaos.fail("secret_get"):
        return ("err", ("provider", "unavailable: chaos injected a secret_get failure"))
    value = _secret(name)
    return ("ok", value) if value is not None else ("err", ("undefined", name))


KV: dict[str, dict[str, Any]] = {
    "wasi:keyvalue/store": {
        "open": _open,
        "[method]bucket.get": _get, "[method]bucket.set": _set,
        "[method]bucket.delete": _delete, "[method]bucket.exists": _exists,
        "[method]bucket.list-keys": _list_keys,
    },
    "fermyon:spin/key-value": {
        "[static]store.open": _open,
        "[method]store.get": _get, "[method]store.set": _set,
        "[method]store.delete": _delete, "[method]store.exists": _exists,
        "[method]store.get-keys": lambda _: _keys(),
    },
    "wasi:config/store": {"get": _config_get, "get-all": _config_all},
    "fermyon:spin/variables": {"get": _variable},
}

RESOURCES: dict[tuple[str, str], int] = {
    ("wasi:keyvalue/store", "bucket"): Bucket.RESOURCE_ID,
    ("fermyon:spin/key-value", "store"): Bucket.RESOURCE_ID,
}
