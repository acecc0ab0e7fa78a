"""Key-value and config interfaces for components, on the workbench's KV store and the
module's granted secrets (runtime/component/kv.py).

`kv_wat/kv.component.wat` imports wasi:keyvalue/store@0.2.0-draft2,
wasi:config/store@0.2.0-draft-2024-09-27, fermyon:spin/key-value@2.0.0 and
fermyon:spin/variables@2.0.0 (the WIT spin-sdk 5 ships; kv_wat/regen.sh) and logs each
outcome on stdout: `kv=` (wasi:keyvalue get "greeting" after setting "from-wasm"),
`token=` (wasi:config get API_TOKEN), `var=` (spin variables get api_token), `spin=`
(spin key-value get "from-wasm").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import wasmtime

from workbench.core.http import Request
from workbench.core.runtime.chaos import ChaosState
from workbench.core.runtime.component import kv as K  # noqa: N812
from workbench.core.runtime.component.outbound import Outbound
from workbench.core.runtime.component.session import set_session
from workbench.core.runtime.component.state import ComponentState
from workbench.core.runtime.hostfns import HostState
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Chaos, Limits
from workbench.core.runtime.secrets import Secrets

HERE = Path(__file__).parent / "kv_wat"
SECRETS = Secrets({"API_TOKEN": "s3cret-value", "OTHER": "not granted"}).granted(["API_TOKEN"])


@cache
def component() -> bytes:
    return bytes(wasmtime.wat2wasm((HERE / "kv.component.wat").read_text()))


def lines(r) -> list[str]:
    return [ln.message for ln in r.logs if ln.source == "stdout"]


@pytest.mark.parametrize("mode", ["cold", "fresh", "warm"])
def test_kv_and_config_through_every_interface(make, mode: str) -> None:
    store = KvStore(None)
    store.put(b"greeting", b"hello kv")
    h = make(component(), kv=store, secrets=SECRETS)
    r = h.run(Request("GET", "/"), mode)
    assert r.error is None and r.response is not None and r.response.body == b"hi\n"
    # secret values reach the guest and are redacted in what the workbench shows
    assert lines(r) == ["kv=hello kv", "token=[redacted:API_TOKEN]",
                        "var=[redacted:API_TOKEN]", "spin=written", "said hi path=/"]
    assert store.get(b"from-wasm") == b"written"  # the workspace store took the write


def test_absent_keys_and_secrets(make) -> None:
    r = make(component(), kv=KvStore(None)).run(Request("GET", "/"), "fresh")
    assert r.error is None
    assert lines(r) == ["kv=unset", "token=unset", "var=unset", "spin=written",
                        "said hi path=/"]


def test_chaos_fails_kv_and_secret_calls(make) -> None:
    store = KvStore(None)
    store.put(b"greeting", b"hello kv")
    h = make(component(), kv=store, secrets=SECRETS,
             chaos=Chaos(kv_failure_rate=1.0, secret_failure_rate=1.0))
    r = h.run(Request("GET", "/"), "warm")
    assert r.error is None
    assert lines(r)[:4] == ["kv=unset", "token=unset", "var=unset", "spin=unset"]
    assert set(r.faults) == {"fail:kv_put", "fail:kv_get", "fail:secret_get"}
    assert store.get(b"from-wasm") is None


@pytest.fixture
def host():
    """A session whose host state is a fresh KV store and SECRETS (no wasm)."""
    hs = HostState(KvStore(None), SECRETS, ChaosState(Chaos()),
                   Limits(kv_max_value_bytes=8))
    st = ComponentState(lambda *a: None, Outbound(), 10, lambda: hs)
    set_session(st)
    yield hs
    set_session(None)


def test_bucket_operations(host) -> None:
    ok, bucket = K._open("")
    assert ok == "ok" and K._open("default")[0] == "ok"
    assert K._open("cache") == ("err", ("no-such-store", None))
    assert K._set(bucket, "b", b"2") == ("ok", None)
    assert K._set(bucket, "a", b"1") == ("ok", None)
    assert K._get(bucket, "a") == ("ok", b"1") and K._get(bucket, "zz") == ("ok", None)
    assert K._exists(bucket, "a") == ("ok", True) and K._exists(bucket, "zz") == ("ok", False)
    assert K._list_keys(bucket, None) == ("ok", {"keys": ["a", "b"], "cursor": None})
    assert K.KV["fermyon:spin/key-value"]["[method]store.get-keys"](bucket) == (
        "ok", ["a", "b"])
    assert K._delete(bucket, "a") == ("ok", None) and K._get(bucket, "a") == ("ok", None)
    tag, (case, text) = K._set(bucket, "big", b"123456789")  # over kv_max_value_bytes
    assert (tag, case) == ("err", "other") and text.startswith("too large")


def test_config_and_variables(host) -> None:
    assert K._config_get("API_TOKEN") == ("ok", "s3cret-value")
    assert K._config_get("OTHER") == ("ok", None)  # exists, not granted
    assert K._config_all() == ("ok", [("API_TOKEN", "s3cret-value")])
    assert K._variable("api_token") == ("ok", "s3cret-value")  # Spin names: lower case
    assert K._variable("API_TOKEN") == ("ok", "s3cret-value")
    assert K._variable("other") == ("err", ("undefined", "other"))
