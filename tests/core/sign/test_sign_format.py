"""Signatures against the tool-conventions text, with vectors built here by hand.

The expected bytes are assembled in the test from the spec's tables (Signatures.md,
"Signature data" and Appendix A) with hashlib and the `cryptography` Ed25519 directly,
not through workbench.core.sign: Ed25519 is deterministic, so the signer's output must
be byte-identical. wasmsign2 cannot be installed here (no crates registry): when a
`wasmsign2` binary is on PATH the oracle test runs, else it is skipped.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from wasmtime import wat2wasm

from tests.core.test_wasm_reader import custom, leb
from workbench.core.sign import keys, signer
from workbench.core.sign.verify import verify

WAT = """(module (memory (export "memory") 1)
  (func (export "f") (result i32) i32.const 42)
  (data (i32.const 16) "hello"))"""
SEED = bytes(range(32))


def _spec_signature(hashes: list[bytes], key_id: bytes = b"") -> bytes:
    sk = Ed25519PrivateKey.from_private_bytes(SEED)
    sig = sk.sign(b"wasmsig" + b"\x01\x01\x01" + b"".join(hashes))
    one = leb(len(key_id)) + key_id + b"\x01" + leb(64) + sig
    signed_hashes = leb(len(hashes)) + b"".join(hashes) + leb(1) + leb(len(one)) + one
    return b"\x01\x01\x01" + leb(1) + leb(len(signed_hashes)) + signed_hashes


def test_embedded_signature_is_byte_identical_to_the_spec_example() -> None:
    wasm = wat2wasm(WAT)
    body = wasm[8:]  # sections 1..end
    expected_sig = _spec_signature([hashlib.sha256(body).digest()])
    expected = wasm[:8] + custom("signature", expected_sig) + body
    out = signer.sign(wasm, keys.generate("k", SEED), section_map=False, with_key_id=False)
    assert out.signature == expected_sig
    assert out.module == expected
    assert verify(expected, [keys.generate("k", SEED).public]).ok


def test_a_hand_built_module_with_delimiters_verifies() -> None:
    """Appendix A's partial-verification layout: parts ended by signature_delimiter."""
    wasm = wat2wasm(WAT)
    d1, d2 = custom("signature_delimiter", b"\x11" * 16), custom("signature_delimiter",
                                                                    b"\x22" * 16)
    tail = custom("producers", b"\x00")
    content = wasm[8:] + d1 + tail + d2
    h1 = hashlib.sha256(wasm[8:] + d1).digest()
    h2 = hashlib.sha256(content).digest()
    module = wasm[:8] + custom("signature", _spec_signature([h1, h2], b"id")) + content
    pub = keys.generate("k", SEED).public
    assert verify(module, [pub]).ok
    # a later section added after the last delimiter is not covered: refused
    assert not verify(module + custom("extra", b"x"), [pub]).ok


def test_key_files_use_the_spec_serialization(tmp_path: Path) -> None:
    key = keys.generate("release", SEED)
    keys.write_pair(key, tmp_path / "release.key", tmp_path / "release.pub")
    sk_bytes = (tmp_path / "release.key").read_bytes()
    pk_bytes = (tmp_path / "release.pub").read_bytes()
    raw_pk = Ed25519PrivateKey.from_private_bytes(SEED).public_key().public_bytes_raw()
    assert pk_bytes == b"\x01" + raw_pk
    assert sk_bytes == b"\x81" + SEED + raw_pk
    assert (tmp_path / "release.key").stat().st_mode & 0o777 == 0o600
    assert keys.load_secret(tmp_path / "release.key").seed == SEED
    assert keys.load_public(tmp_path / "release.pub").raw == raw_pk


def test_key_id_is_wasmsign2s_default() -> None:
    """HMAC-SHA256(key = public key, message = "key_id")[:12], as attach_default_key_id."""
    import hmac

    pub = keys.generate("k", SEED).public
    assert pub.key_id == hmac.new(pub.raw, b"key_id", "sha256").digest()[:12]


def test_openssh_and_pem_public_keys_load(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization as ser

    pk = Ed25519PrivateKey.from_private_bytes(SEED).public_key()
    (tmp_path / "a.pub").write_bytes(pk.public_bytes(ser.Encoding.OpenSSH,
                                                     ser.PublicFormat.OpenSSH) + b" me@host\n")
    (tmp_path / "b.pem").write_bytes(pk.public_bytes(ser.Encoding.PEM,
                                                     ser.PublicFormat.SubjectPublicKeyInfo))
    assert keys.load_public(tmp_path / "a.pub").raw == pk.public_bytes_raw()
    assert keys.load_public(tmp_path / "b.pem").raw == pk.public_bytes_raw()


@pytest.mark.skipif(shutil.which("wasmsign2") is None, reason="wasmsign2 not installed")
def test_wasmsign2_verifies_what_workbench_signs(tmp_path: Path) -> None:
    key = keys.generate("k", SEED)
    keys.write_pair(key, tmp_path / "k.key", tmp_path / "k.pub")
    (tmp_path / "m.wasm").write_bytes(signer.sign(wat2wasm(WAT), key).module)
    proc = subprocess.run(["wasmsign2", "verify", "-i", str(tmp_path / "m.wasm"),
                           "-K", str(tmp_path / "k.pub")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
