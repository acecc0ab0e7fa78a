"""Histogram precision, chaos spec parsing, KV/secrets files, log field parsing."""

from __future__ import annotations

import random

import pytest

from workbench.core.errors import ConfigError
from workbench.core.runtime.bench import BenchOptions
from workbench.core.runtime.chaos import parse_chaos_spec
from workbench.core.runtime.result import parse_fields
from workbench.core.runtime.secrets import Secrets
from workbench.core.runtime.stats import Histogram


def exact(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, -(-int(p * len(s)) // 100) - 1)] if p < 100 else s[-1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_histogram_within_one_percent(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.lognormvariate(3, 1.5) for _ in range(5000)] + [0.3, 12345.6]
    h = Histogram()
    for v in values:
        h.record(v)
    for p in (50, 90, 99, 99.9):
        want = sorted(values)[max(0, int(p / 100 * len(values) + 0.9999999) - 1)]
        assert abs(h.percentile(p) - want) <= 0.01 * want, p
    assert h.max == max(values) and h.count == len(values)


def test_histogram_small_and_empty() -> None:
    h = Histogram()
    assert h.percentile(50) == 0.0 and h.stats().count == 0
    for v in (0.1, 0.2, 0.2):
        h.record(v)
    assert h.percentile(50) == pytest.approx(0.2) and h.percentile(0.1) == pytest.approx(0.1)
    other = Histogram()
    other.record(5.0)
    h.merge(other)
    assert h.count == 4 and h.max == 5.0


def test_chaos_spec() -> None:
    c = parse_chaos_spec(["latency:kv_get=20,kv_fail=0.25", "cache_miss", "seed=7"])
    assert c.latency_ms == {"kv_get": 20.0} and c.kv_failure_rate == 0.25
    assert c.force_cache_miss and c.seed == 7 and c.active
    with pytest.raises(ValueError, match="kv_fail=2"):
        parse_chaos_spec(["kv_fail=2"])
    with pytest.raises(ValueError, match="bogus"):
        parse_chaos_spec(["bogus"])


def test_secrets_file_and_redaction(tmp_path) -> None:
    p = tmp_path / "secrets.toml"
    p.write_text('API = "abcdef"\nAPI_LONG = "abcdef-123"\n')
    s = Secrets.load(p)
    assert s.redact("x abcdef-123 abcdef") == "x [redacted:API_LONG] [redacted:API]"
    assert s.redact_bytes(b"abcdef") == b"[redacted:API]"
    assert not Secrets.load(tmp_path / "missing.toml")
    p.write_text("A = 1\n")
    with pytest.raises(ConfigError, match="strings"):
        Secrets.load(p)
    p.write_bytes(b"\xce\x00garbage")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        Secrets.load(p)
    p.unlink()
    p.mkdir()  # a folder where the file belongs is an error, not "no secrets"
    with pytest.raises(ConfigError, match="cannot read secrets"):
        Secrets.load(p)


def test_parse_fields() -> None:
    assert parse_fields('{"a": 1}') == {"a": 1}
    assert parse_fields('a=1 msg="two words"') == {"a": "1", "msg": "two words"}
    assert parse_fields("plain text") is None
    assert parse_fields("[1, 2]") is None


def test_chaos_spec_extends_the_configured_chaos_and_off_clears_it() -> None:
    from workbench.core.runtime.limits import Chaos

    base = Chaos(latency_ms={"kv_get": 5}, secret_failure_rate=0.5, seed=3)
    c = parse_chaos_spec(["kv_fail=0.1"], base=base)
    assert c == Chaos(latency_ms={"kv_get": 5}, kv_failure_rate=0.1,
                      secret_failure_rate=0.5, seed=3)
    assert parse_chaos_spec(["off", "latency:*=1"], base=base) == Chaos(
        latency_ms={"*": 1}, seed=3)
    with pytest.raises(ValueError, match="no host function 'kv_gte'; known: \\*, kv_delete"):
        parse_chaos_spec(["latency:kv_gte=5"])
    with pytest.raises(ValueError, match="latency must be 0..60000 ms"):
        parse_chaos_spec(["latency:kv_get=-1"])


def test_bench_counts_injected_faults(tmp_path) -> None:
    from tests.core.runtime.handlers import edge, wdata
    from workbench.core.http import Request
    from workbench.core.runtime.harness import Harness
    from workbench.core.runtime.limits import Chaos

    h = Harness(edge("(drop (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) "
                     "(i32.const 16))) (call $finish (i32.const 0))",
                     data=wdata(100, b"k1"), imports=True),
                chaos=Chaos(kv_failure_rate=1.0, latency_ms={"kv_get": 0.01}),
                cache_dir=tmp_path)
    b = h.bench(Request(), BenchOptions(20, "warm"))
    assert b.faults == {"fail:kv_get": 20, "latency:kv_get:0.01ms": 20}
    assert b.to_json()["faults"] == b.faults and not b.errors


def _kv_get_handler() -> bytes:
    from tests.core.runtime.handlers import edge, wdata

    return edge("(drop (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) "
                "(i32.const 16))) (call $finish (i32.const 0))",
                data=wdata(100, b"k1"), imports=True)


def test_edge_chaos_latency_is_recorded_and_slept(tmp_path) -> None:
    from workbench.core.http import Request
    from workbench.core.runtime.harness import Harness
    from workbench.core.runtime.limits import Chaos

    h = Harness(_kv_get_handler(), chaos=Chaos(latency_ms={"kv_get": 30}), cache_dir=tmp_path)
    r = h.run(Request(), "fresh")
    assert r.ok and r.faults == ("latency:kv_get:30ms",)
    assert r.timing["handler"] >= 30_000  # at least the latency (never an upper bound)


def test_edge_chaos_latency_past_the_timeout_is_a_timeout_naming_it(tmp_path) -> None:
    """A 60 s latency under a 100 ms timeout ends at the deadline as a timeout that says
    what the call was waiting in (it used to sleep all of it, then call it a WASI sleep)."""
    import threading

    from workbench.core.http import Request
    from workbench.core.runtime.harness import Harness
    from workbench.core.runtime.limits import Chaos, Limits

    h = Harness(_kv_get_handler(), chaos=Chaos(latency_ms={"kv_get": 60_000}),
                limits=Limits(timeout_ms=100), cache_dir=tmp_path)
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(h.run(Request(), "warm")), daemon=True)
    t.start()
    t.join(30)  # 60 s if the sleep were unbounded: fail instead of hanging the suite
    assert out, "the latency was not cut at the deadline"
    r = out[0]
    assert r.error is not None and r.error.kind == "timeout"  # type: ignore[attr-defined]
    assert "chaos latency kv_get=60000ms" in r.error.message  # type: ignore[attr-defined]
    assert r.faults == ("latency:kv_get:60000ms",)  # type: ignore[attr-defined]
    again = Harness(_kv_get_handler(), cache_dir=tmp_path).run(Request(), "warm")
    assert again.ok
