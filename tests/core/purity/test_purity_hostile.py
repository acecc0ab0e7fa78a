"""Handlers that break the purity check's assumptions: they cannot be instantiated, fail
every request, or keep globals wasmtime-py cannot read or compare as integers. Each one
must give a report (exit 1 for "cannot be checked"), never a Python exception, and must
not be reported safe when nothing was compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.runtime.handlers import edge
from tests.wat import wat
from workbench.cli import main
from workbench.core.http import Request
from workbench.core.purity.check import check_purity
from workbench.core.purity.probe import comparable
from workbench.core.runtime.limits import Limits

ANSWER = "(call $out (i32.const 0) (i32.const 7)) (call $finish (i32.const 1))"
REQS = [("a", Request(target="/a")), ("b", Request(target="/b"))]


@pytest.mark.parametrize("extra,what", [
    ('(data (i32.const 131070) "xyz")', "out of bounds"),  # 2 pages: past the end
    ("(table 100000000 funcref)", "table"),
    ("(func $s unreachable) (start $s)", "unreachable"),
])
def test_a_module_that_cannot_be_instantiated_is_not_checked(extra: str, what: str) -> None:
    r = check_purity(edge(ANSWER, extra=extra), REQS, growth_requests=3)
    assert not r.safe and r.verdict.startswith("cannot be checked: a fresh instance fails")
    assert what in r.verdict and r.growth is None


def test_a_handler_that_fails_every_request_is_not_called_safe() -> None:
    """It used to be "safe to reuse and snapshot" (every outcome the same error), after
    2 + 2 + growth calls each running to the deadline (minutes for a loop)."""
    r = check_purity(edge("(loop (br 0)) (i32.const 0)"), REQS, growth_requests=24,
                     limits=Limits(fuel=200_000))
    assert not r.safe and r.growth is None
    assert r.verdict == ("cannot be checked: every request fails on a fresh instance (fuel: "
                         "fuel exhausted: the handler used more than 200,000 units "
                         "(limits.fuel))")
    assert [n.split(" (")[0] for n in r.notes[:2]] == ["a fails on a fresh instance",
                                                        "b fails on a fresh instance"]


def test_a_request_that_fails_is_left_out_and_named() -> None:
    body = ("(if (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 5)))"
            " (i32.const 98)) (then unreachable)) " + ANSWER)  # "GET /b": byte 5 is 'b'
    r = check_purity(edge(body), REQS, growth_requests=3)
    assert r.safe and r.growth is not None
    assert any(n.startswith("b fails on a fresh instance (trap: ") for n in r.notes)


GLOBALS = """
  (global $v (mut v128) (v128.const i32x4 0 0 0 0))
  (global $nan (mut f32) (f32.const nan))
  (global $f (mut funcref) (ref.null func))
  (global $n (mut i32) (i32.const 0))
  (elem declare func $handle)"""
SET = ("(global.set $v (v128.const i32x4 1 2 3 4)) (global.set $f (ref.func $handle))"
       " (global.set $n (i32.add (global.get $n) (i32.const 1)))")


def test_v128_float_and_reference_globals_are_compared_or_skipped() -> None:
    """A mutable v128 global made the check raise (wasmtime-py cannot read one), a NaN
    float never equalled itself, a funcref went through int()."""
    r = check_purity(edge(SET + ANSWER, extra=GLOBALS), REQS, growth_requests=3)
    changed = {s.name for s in r.state if s.kind == "global"}
    assert changed == {"n"} and not r.safe  # the counter; NaN == NaN; funcref set alike


def test_comparable_values() -> None:
    assert comparable(float("nan")) == comparable(float("nan"))
    assert comparable(-0.0) != comparable(0.0)
    assert comparable(None) == "null" and comparable(7) == 7
    assert comparable(object()) == "<object>"


def test_cli_purity_of_an_uninstantiable_module_exits_1(tmp_path: Path, capsys) -> None:
    f = tmp_path / "oob.wasm"
    f.write_bytes(wat('(module (memory (export "memory") 1) (data (i32.const 65535) "xyz")'
                      ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                      ' (func (export "handle") (param i32 i32) (result i32)'
                      ' (i32.const 0)))'))
    assert main(["purity", str(f)]) == 1
    out = " ".join(capsys.readouterr().out.split())  # rich wraps lines
    assert "cannot be checked: a fresh instance fails (trap): start function trapped" in out


def test_cli_purity_names_the_file_of_a_malformed_module(tmp_path: Path, capsys) -> None:
    f = tmp_path / "cut.wasm"
    f.write_bytes(b"\0asm\x01\0\0\0\x01\x05\x01")
    assert main(["purity", str(f)]) == 1  # malformed: a module failure (README)
    assert f"{f} @ 0x" in capsys.readouterr().err
    f.write_bytes(wat("(module (func (export \"main\")))"))  # no handler: the ABI error
    assert main(["purity", str(f)]) == 1
    assert capsys.readouterr().err.startswith(f"workbench: {f}: expected an edge handler")


EXTISM = """(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 48))
  (func (export "handle") (result i32) (local $off i64)
    (local.set $off (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $off) (global.get $n))
    BUMP
    (call $output_set (local.get $off) (i64.const 1))
    (i32.const 0)))"""


@pytest.mark.skipif(__import__("importlib.util").util.find_spec("extism") is None,
                    reason="the Extism SDK is not installed (pip install 'workbench[extism]')")
@pytest.mark.parametrize("bump,safe", [("", True),
                                       ("(global.set $n (i32.add (global.get $n) (i32.const 1)))",
                                        False)])
def test_a_reused_non_edge_handler_is_compared_warm(bump: str, safe: bool) -> None:
    """wasi-http components and extism plugins are reused warm by the runtime, yet the
    check ran them fresh only and said "a WAGI command module runs a new instance per
    request ... safe to reuse and snapshot"."""
    r = check_purity(wat(EXTISM.replace("BUMP", bump)), REQS, growth_requests=3)
    assert r.abi == "extism" and r.safe is safe and "WAGI" not in " ".join(r.notes)
    assert r.notes[0].startswith("an extism handler's memory and globals are not inspected")
    if safe:
        assert r.verdict == "no response depends on earlier requests (state not inspected)"
    else:
        assert [(d.request, d.condition) for d in r.order_dependent] == [
            ("b", "warm after the others")]
        assert r.verdict == "not safe to reuse: 1 response(s) depend on earlier requests"
