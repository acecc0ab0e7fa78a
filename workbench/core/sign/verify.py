"""Verify a module against a set of trusted public keys: a `Verdict` that says why.

The algorithm is the tool-conventions one for an entire module (as wasmsign2's
`PublicKeySet::verify`): a signature counts when it is a valid Ed25519 signature by a
trusted key over `wasmsig | 01 01 01 | hashes`, and the module verifies when the rolling
hash over all its sections after the signature is one of those `hashes`. Partial
signatures are not accepted. The verdict adds what the format alone cannot say: which
section changed (from the signed section map, when present), which trusted keys did not
sign, and how many signatures came from keys nobody trusts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.sign import sectionmap
from workbench.core.sign.format import (
    ALG_ED25519,
    RawSection,
    message,
    parse_signature_data,
    rolling_hashes,
    split,
)
from workbench.core.sign.keys import PublicKey
from workbench.core.sign.sectionmap import SectionChange
from workbench.core.sign.signer import content_sections


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str  # one line: "signed by release" / what is wrong
    signed: bool = False  # a signature was found at all
    detached: bool = False
    signers: tuple[str, ...] = ()  # trusted keys whose signature covers this content
    missing: tuple[str, ...] = ()  # trusted keys that did not sign (named when required)
    stale_signers: tuple[str, ...] = ()  # trusted keys that signed *other* content
    untrusted: int = 0  # valid-looking signatures from keys not in the trusted set
    changes: tuple[SectionChange, ...] = field(default_factory=tuple)
    file: str | None = None

    def __str__(self) -> str:
        lines = [f"{'verified' if self.ok else 'REFUSED'}: {self.reason}"]
        lines += [f"  {c}" for c in self.changes]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "reason": self.reason, "signed": self.signed,
                "detached": self.detached, "signers": list(self.signers),
                "missing": list(self.missing), "stale_signers": list(self.stale_signers),
                "untrusted": self.untrusted, "changes": [c.to_json() for c in self.changes],
                "file": self.file}


def verify(data: bytes, keys: list[PublicKey] | tuple[PublicKey, ...], *,
           detached: bytes | None = None, require_all: bool = False,
           file: str | None = None) -> Verdict:
    """Raises MalformedModule only for a module whose section framing is broken."""
    _, sections = split(data, file=file)
    content, embedded = content_sections(sections)
    sig_bytes = detached if detached is not None else embedded
    base = Verdict(False, "", detached=detached is not None, file=file)
    if sig_bytes is None:
        return replace(base, reason="not signed: no `signature` section first in the module "
                       "and no detached signature")
    try:
        data_ = parse_signature_data(sig_bytes)
    except ValueError as e:
        return replace(base, signed=True, reason=f"unreadable signature data: {e}")
    computed = rolling_hashes(content)
    whole = computed[-1]
    names = [k.name for k in keys]
    good: set[str] = set()  # trusted, and the content matches
    stale: set[str] = set()  # trusted, but signed different content
    untrusted = 0
    for s in data_.sets:
        msg = message(s.hashes)
        for sig in s.signatures:
            signer = next((k for k in keys if sig.alg == ALG_ED25519
                           and k.verify(sig.sig, msg)), None)
            if signer is None:
                untrusted += 1
            elif whole in s.hashes:
                good.add(signer.name)
            else:
                stale.add(signer.name)
    signers = tuple(n for n in names if n in good)
    missing = tuple(n for n in names if n not in good)
    stale_t = tuple(n for n in names if n in stale and n not in good)
    common = replace(base, signed=True, signers=signers, missing=missing,
                     stale_signers=stale_t, untrusted=untrusted)
    if not keys:
        return replace(common, reason="no trusted public keys to verify with")
    if signers and (not require_all or not missing):
        return replace(common, ok=True, reason="signed by " + ", ".join(signers))
    if signers:  # require_all, some missing
        return replace(common, reason=f"missing signature from trusted key(s): "
                       f"{', '.join(missing)} (signed by {', '.join(signers)})")
    if stale_t:
        changes = _changes(content)
        what = ("; ".join(str(c) for c in changes) if changes
                else "no signed section map to say which section" if changes is None
                else "every section matches the signed map: the map itself was altered")
        return replace(common, changes=changes or (), reason=f"the module changed after it "
                       f"was signed by {', '.join(stale_t)}: {what}")
    total = sum(len(s.signatures) for s in data_.sets)
    return replace(common, reason=f"no signature by a trusted key ({', '.join(names)}): "
                   f"{total} signature(s), none verifies with those keys")


def _changes(content: list[RawSection]) -> tuple[SectionChange, ...] | None:
    """What differs from the signed section map (None when there is no map)."""
    try:
        signed_map = sectionmap.read(content)
    except sectionmap.DamagedMap:
        return (SectionChange("changed", f"custom section {sectionmap.MAP_SECTION!r}"),)
    if signed_map is None:
        return None
    return tuple(sectionmap.diff(signed_map, content))
