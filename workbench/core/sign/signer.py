"""Sign a module: embed a `signature` section, or write a detached signature.

Like wasmsign2's `sign_multi`: an existing signature section (or an existing detached
file, passed as `previous`) is kept and the new signature is added, to the same hash set
when the content is the same, else as a new set. Sets whose hashes no longer match the
module are dropped (they could never verify again) and counted in `SignOutcome.dropped`.
Embedded signatures add the `workbench.section_hashes` map (see sectionmap.py) unless
`section_map=False`; detached signing never changes the module.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.errors import UsageError
from workbench.core.sign import sectionmap
from workbench.core.sign.format import (
    ALG_ED25519,
    SIGNATURE,
    RawSection,
    Signature,
    SignatureData,
    SignedHashes,
    custom,
    is_named,
    message,
    parse_signature_data,
    rolling_hashes,
    split,
)
from workbench.core.sign.keys import SecretKey


@dataclass(frozen=True)
class SignOutcome:
    module: bytes  # the signed module (unchanged input when detached)
    signature: bytes  # the signature data (= the `signature` section payload)
    signers: int  # signatures now in the set covering this content
    dropped: int  # previous hash sets that no longer matched and were removed
    already: bool  # this key had already signed this content (nothing added)

    def to_json(self) -> dict[str, object]:
        return {"signers": self.signers, "dropped": self.dropped, "already": self.already,
                "signature_bytes": len(self.signature), "module_bytes": len(self.module)}


def content_sections(sections: list[RawSection]) -> tuple[list[RawSection], bytes | None]:
    """(sections after the signature, the embedded signature data if the first is one).

    A `signature` section anywhere but first is not a signature (wasmsign2 skips it)."""
    if sections and is_named(sections[0], SIGNATURE):
        return sections[1:], sections[0].body
    return [s for s in sections if not is_named(s, SIGNATURE)], None


def sign(data: bytes, key: SecretKey, *, detached: bool = False,
         previous: bytes | None = None, section_map: bool = True, with_key_id: bool = True,
         file: str | None = None) -> SignOutcome:
    header, sections = split(data, file=file)
    content, embedded = content_sections(sections)
    prior_bytes = previous if previous is not None else (None if detached else embedded)
    if not detached and section_map:
        rest = [s for s in content if not is_named(s, sectionmap.MAP_SECTION)]
        old = next((s for s in content if is_named(s, sectionmap.MAP_SECTION)), None)
        fresh = sectionmap.build(rest)
        content = rest + [fresh if old is None or old.payload != fresh.payload else old]
    hashes = tuple(rolling_hashes(content))
    sig = Signature(key.public.key_id if with_key_id else b"", ALG_ED25519,
                    key.sign(message(hashes)))
    sets: list[SignedHashes] = []
    if prior_bytes:
        try:
            sets = list(parse_signature_data(prior_bytes).sets)
        except ValueError as e:
            raise UsageError(f"the existing signature cannot be read: {e}", where=file,
                             hint="remove it first (workbench sign --replace)") from None
    kept = [s for s in sets if s.hashes == hashes]
    dropped = len(sets) - len(kept)
    already = False
    if kept:
        same = kept[0]
        already = any(s.sig == sig.sig for s in same.signatures)
        sigs = same.signatures if already else same.signatures + (sig,)
        kept[0] = SignedHashes(hashes, sigs)
    else:
        kept.append(SignedHashes(hashes, (sig,)))
    sig_data = SignatureData(tuple(kept)).serialize()
    if detached:
        return SignOutcome(bytes(data), sig_data, len(kept[0].signatures), dropped, already)
    out = bytearray(header)
    out += custom(SIGNATURE, sig_data).serialize()
    for s in content:
        out += s.serialize()
    return SignOutcome(bytes(out), sig_data, len(kept[0].signatures), dropped, already)


def unsign(data: bytes, *, file: str | None = None) -> tuple[bytes, bytes | None]:
    """(module without its signature section and section map, the signature data)."""
    header, sections = split(data, file=file)
    content, embedded = content_sections(sections)
    out = bytearray(header)
    for s in content:
        if not is_named(s, sectionmap.MAP_SECTION):
            out += s.serialize()
    return bytes(out), embedded
