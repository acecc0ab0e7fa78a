"""The byte layout of tool-conventions signatures, matching wasmsign2 (pure, no crypto).

A module is split into raw sections (`RawSection`: id + payload, re-serialized with a
minimal size LEB, as wasmsign2 does). The signature data (the payload of the first custom
section named `signature`, or a detached file with the same bytes) is:

    spec_version u8 (0x01) | content_type u8 (0x01) | hash_fn u8 (0x01 = SHA-256)
    varuint32 signed_hashes_count, then each set as varuint32-length-prefixed bytes:
        varuint32 hashes_count | hashes (32 bytes each)
        varuint32 signature_count, then each signature length-prefixed:
            varuint32 key_id_len | key_id | alg u8 (0x01 Ed25519) | varuint32 len | sig

Each hash is a rolling SHA-256 over the serialized sections that follow the signature
section, taken at every `signature_delimiter` section and at the end when the module does
not end with one. What is signed is `b"wasmsig" | 01 | 01 | 01 | hashes`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from workbench.core.errors import MalformedModule
from workbench.core.wasm.leb import Bad, encode_u, u32

HEADER = b"\x00asm"
SIGNATURE = "signature"
DELIMITER = "signature_delimiter"
DOMAIN = b"wasmsig"
SPEC_VERSION = CONTENT_WASM = HASH_SHA256 = ALG_ED25519 = 0x01
MAX_HASHES, MAX_SIGNATURES = 64, 256


@dataclass(frozen=True)
class RawSection:
    id: int
    payload: bytes
    offset: int = 0  # file offset of the id byte (0 for sections built in memory)

    @property
    def name(self) -> str:
        """A custom section's name; the standard section's id otherwise ("#10")."""
        if self.id != 0:
            return f"#{self.id}"
        try:
            n, p = u32(self.payload, 0)
            return bytes(self.payload[p:p + n]).decode("utf-8", "replace")
        except (Bad, IndexError):
            return "?"

    @property
    def body(self) -> bytes:
        """A custom section's contents after its name (the whole payload otherwise)."""
        if self.id != 0:
            return self.payload
        n, p = u32(self.payload, 0)
        return self.payload[p + n:]

    def serialize(self) -> bytes:
        return bytes([self.id]) + encode_u(len(self.payload)) + self.payload


def custom(name: str, body: bytes) -> RawSection:
    raw = name.encode()
    return RawSection(0, encode_u(len(raw)) + raw + body)


def split(data: bytes, *, file: str | None = None) -> tuple[bytes, list[RawSection]]:
    """(8 header bytes, sections). Only the framing is checked: components work too."""
    if len(data) < 8 or data[:4] != HEADER:
        raise MalformedModule("not a WebAssembly binary (no \\0asm header)", 0, file=file)
    out: list[RawSection] = []
    p = 8
    while p < len(data):
        start = p
        try:
            size, q = u32(data, p + 1)
        except (Bad, IndexError):
            raise MalformedModule("truncated section header", p, file=file) from None
        if q + size > len(data):
            raise MalformedModule(f"section runs past the end of the file ({size:,} bytes "
                                  "declared)", start, file=file)
        out.append(RawSection(data[p], bytes(data[q:q + size]), start))
        p = q + size
    return bytes(data[:8]), out


def is_named(s: RawSection, name: str) -> bool:
    return s.id == 0 and s.name == name


def rolling_hashes(sections: list[RawSection]) -> list[bytes]:
    """SHA-256 state at each delimiter, plus the end unless the last section is one."""
    h = hashlib.sha256()
    out: list[bytes] = []
    last_delim = False
    for s in sections:
        h.update(s.serialize())
        last_delim = is_named(s, DELIMITER)
        if last_delim:
            out.append(h.copy().digest())
    if not last_delim:
        out.append(h.digest())
    return out


def message(hashes: tuple[bytes, ...] | list[bytes]) -> bytes:
    return DOMAIN + bytes([SPEC_VERSION, CONTENT_WASM, HASH_SHA256]) + b"".join(hashes)


@dataclass(frozen=True)
class Signature:
    key_id: bytes  # b"" when absent
    alg: int
    sig: bytes


@dataclass(frozen=True)
class SignedHashes:
    hashes: tuple[bytes, ...]
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class SignatureData:
    sets: tuple[SignedHashes, ...]
    spec_version: int = SPEC_VERSION
    content_type: int = CONTENT_WASM
    hash_fn: int = HASH_SHA256

    def serialize(self) -> bytes:
        out = bytearray([self.spec_version, self.content_type, self.hash_fn])
        out += encode_u(len(self.sets))
        for s in self.sets:
            body = bytearray(encode_u(len(s.hashes)))
            for h in s.hashes:
                body += h
            body += encode_u(len(s.signatures))
            for sig in s.signatures:
                one = (encode_u(len(sig.key_id)) + sig.key_id + bytes([sig.alg])
                       + encode_u(len(sig.sig)) + sig.sig)
                body += encode_u(len(one)) + one
            out += encode_u(len(body)) + body
        return bytes(out)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.p = data, 0

    def byte(self) -> int:
        if self.p >= len(self.data):
            raise ValueError("truncated")
        self.p += 1
        return self.data[self.p - 1]

    def leb(self) -> int:
        try:
            value, self.p = u32(self.data, self.p)
        except (Bad, IndexError):
            raise ValueError("bad or truncated varuint32") from None
        return value

    def take(self, n: int) -> bytes:
        if self.p + n > len(self.data):
            raise ValueError(f"truncated ({n} bytes expected)")
        self.p += n
        return self.data[self.p - n:self.p]

    def slice(self) -> bytes:
        return self.take(self.leb())


def parse_signature_data(data: bytes) -> SignatureData:
    """Raises ValueError naming what is wrong (the caller adds the file)."""
    r = _Reader(bytes(data))
    version, content, hash_fn = r.byte(), r.byte(), r.byte()
    if version != SPEC_VERSION:
        raise ValueError(f"unsupported signature spec version 0x{version:02x}")
    if content != CONTENT_WASM:
        raise ValueError(f"unsupported content type 0x{content:02x}")
    if hash_fn != HASH_SHA256:
        raise ValueError(f"unsupported hash function 0x{hash_fn:02x} (only SHA-256)")
    count = r.leb()
    if count > MAX_HASHES:
        raise ValueError(f"{count} signed hash sets (at most {MAX_HASHES})")
    sets = []
    for _ in range(count):
        s = _Reader(r.slice())
        n = s.leb()
        if n > MAX_HASHES:
            raise ValueError(f"{n} hashes in a set (at most {MAX_HASHES})")
        hashes = tuple(s.take(32) for _ in range(n))
        m = s.leb()
        if m > MAX_SIGNATURES:
            raise ValueError(f"{m} signatures (at most {MAX_SIGNATURES})")
        sigs = []
        for _ in range(m):
            one = _Reader(s.slice())
            key_id = one.slice()
            alg = one.byte()
            sigs.append(Signature(key_id, alg, one.slice()))
        sets.append(SignedHashes(hashes, tuple(sigs)))
    if r.p != len(r.data):
        raise ValueError(f"{len(r.data) - r.p} trailing bytes after the last signature")
    return SignatureData(tuple(sets), version, content, hash_fn)
