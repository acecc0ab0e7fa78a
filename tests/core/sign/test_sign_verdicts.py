"""Tampering of every kind is refused, with a verdict naming what changed or who is missing."""

from __future__ import annotations

import pytest
from wasmtime import wat2wasm

from workbench.core.sign import keys, signer
from workbench.core.sign.format import split
from workbench.core.sign.verify import verify

WAT = """(module
  (type (func (param i32) (result i32)))
  (import "env" "g" (func (type 0)))
  (memory (export "memory") 1)
  (global $hits (mut i32) (i32.const 0))
  (func $f (export "f") (type 0) local.get 0 call 0)
  (data (i32.const 16) "hello world"))"""
ALICE, BOB, EVE = (keys.generate(n, bytes([i]) * 32) for i, n in
                   enumerate(("alice", "bob", "eve"), 1))


@pytest.fixture(scope="module")
def signed() -> bytes:
    return signer.sign(wat2wasm(WAT), ALICE).module


def _rebuild(header: bytes, sections: list) -> bytes:
    return header + b"".join(s.serialize() for s in sections)


def test_round_trip(signed: bytes) -> None:
    v = verify(signed, [ALICE.public])
    assert v.ok and v.signers == ("alice",) and v.reason == "signed by alice"


def test_flipping_any_byte_of_any_section_is_refused_and_named(signed: bytes) -> None:
    header, sections = split(signed)
    for i, s in enumerate(sections):
        for pos in sorted({0, len(s.payload) // 2, len(s.payload) - 1}):
            if s.id == 0 and pos < len(s.name) + 1:
                continue  # flipping the name makes it another section: tested below
            data = bytearray(signed)
            at = s.offset + len(s.serialize()) - len(s.payload) + pos
            data[at] ^= 0x01
            v = verify(bytes(data), [ALICE.public])
            assert not v.ok, (i, pos)
            if i == 0:  # the signature itself: the signature no longer verifies
                assert "no signature by a trusted key" in v.reason or "unreadable" in v.reason
            elif s.name == "workbench.section_hashes":
                assert [str(c) for c in v.changes] == [
                    "custom section 'workbench.section_hashes' changed"]
            else:
                label = (f"custom section {s.name!r}" if s.id == 0 else
                         {1: "type", 2: "import", 3: "function", 5: "memory", 6: "global",
                          7: "export", 10: "code", 11: "data"}[s.id] + " section")
                assert [str(c) for c in v.changes] == [f"{label} changed"], (i, pos)
                assert label in v.reason


def test_removing_any_section_is_named(signed: bytes) -> None:
    header, sections = split(signed)
    for i in range(1, len(sections) - 1):  # not the signature, not the map
        rest = sections[:i] + sections[i + 1:]
        v = verify(_rebuild(header, rest), [ALICE.public])
        assert not v.ok
        assert [c.what for c in v.changes] == ["removed"]


def test_reordering_sections_is_named(signed: bytes) -> None:
    header, sections = split(signed)
    s = list(sections)
    s[2], s[3] = s[3], s[2]  # import <-> function
    v = verify(_rebuild(header, s), [ALICE.public])
    assert not v.ok and [c.what for c in v.changes] == ["reordered", "reordered"]
    assert "import section reordered" in v.reason


def test_an_added_section_is_named(signed: bytes) -> None:
    from workbench.core.sign.format import custom

    v = verify(signed + custom("sneaky", b"x").serialize(), [ALICE.public])
    assert not v.ok and [str(c) for c in v.changes] == ["custom section 'sneaky' added"]


def test_wrong_key_names_the_trusted_keys(signed: bytes) -> None:
    v = verify(signed, [BOB.public])
    assert not v.ok and v.untrusted == 1 and v.missing == ("bob",)
    assert "no signature by a trusted key (bob)" in v.reason


def test_unsigned_module_is_refused() -> None:
    v = verify(wat2wasm(WAT), [ALICE.public])
    assert not v.ok and not v.signed and v.reason.startswith("not signed")


def test_several_signers_and_require_all(signed: bytes) -> None:
    both = signer.sign(signed, BOB)
    assert both.signers == 2 and both.dropped == 0
    assert verify(both.module, [ALICE.public, BOB.public], require_all=True).ok
    only_alice = verify(signed, [ALICE.public, BOB.public], require_all=True)
    assert not only_alice.ok and only_alice.missing == ("bob",)
    assert "missing signature from trusted key(s): bob" in only_alice.reason
    assert verify(signed, [ALICE.public, BOB.public]).ok  # any one trusted key suffices
    again = signer.sign(both.module, BOB)
    assert again.already and again.module == both.module


def test_detached_signature_leaves_the_module_alone_and_takes_several_signers() -> None:
    wasm = wat2wasm(WAT)
    first = signer.sign(wasm, ALICE, detached=True)
    assert first.module == wasm
    second = signer.sign(wasm, BOB, detached=True, previous=first.signature)
    assert second.signers == 2
    v = verify(wasm, [ALICE.public, BOB.public], detached=second.signature, require_all=True)
    assert v.ok and v.detached
    tampered = bytearray(wasm)
    tampered[-2] ^= 1
    bad = verify(bytes(tampered), [ALICE.public], detached=first.signature)
    assert not bad.ok and "no signed section map" in bad.reason
    assert not verify(wasm, [EVE.public], detached=first.signature).ok


def test_resigning_changed_content_drops_the_stale_set(signed: bytes) -> None:
    header, sections = split(signed)
    from workbench.core.sign.format import custom

    grown = _rebuild(header, sections) + custom("note", b"v2").serialize()
    out = signer.sign(grown, BOB)
    assert out.dropped == 1 and out.signers == 1
    v = verify(out.module, [ALICE.public, BOB.public])
    assert v.ok and v.signers == ("bob",)


def test_unsign_removes_the_signature_and_map(signed: bytes) -> None:
    plain, sig = signer.unsign(signed)
    assert plain == wat2wasm(WAT) and sig is not None
