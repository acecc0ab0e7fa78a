"""The purity check on the shipped samples: the pure ones pass, impure-cache-c is caught."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import SAMPLES
from workbench.services.purity import purity_of

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ziglang") is None,
                                reason="ziglang not installed: the C samples cannot build")


@pytest.mark.parametrize("name", ["kv-counter-c", "json-api-c", "hello-wat", "wagi-c"])
def test_pure_samples_pass(name: str) -> None:
    r = purity_of(SAMPLES / name, growth_requests=8)
    assert r.safe, r.to_json()
    assert not r.state and not r.order_dependent and not r.nondeterministic_responses


def test_kv_counter_keeps_its_state_in_kv() -> None:
    r = purity_of(SAMPLES / "kv-counter-c", growth_requests=8)
    assert r.verdict == "safe to reuse and snapshot"
    assert {"kv (edge.kv_get)", "kv (edge.kv_put)", "clock (edge.now_ms)"} <= \
        set(r.nondeterminism)


def test_impure_sample_is_caught_with_names() -> None:
    r = purity_of(SAMPLES / "impure-cache-c", growth_requests=12)
    assert not r.safe
    names = {s.name for s in r.state}
    assert {"hits", "cache_top"} <= names  # DWARF variables, not just ".bss"
    assert any(d.request.startswith("GET /hits") and "b'1}' != b'3}'" in d.detail
               for d in r.order_dependent)
    assert r.growth is not None and r.growth.leaks and r.growth.slope == 256
    assert r.verdict.startswith("not safe to reuse: state carried between requests in hits")
