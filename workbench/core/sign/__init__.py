"""Module signatures in the WebAssembly tool-conventions format (Signatures.md).

`format` (pure bytes: sections, signature data, hashes), `keys` (Ed25519 key files; the
only place the `cryptography` library is imported), `signer` (embed or detach a
signature, several signers) and `verify` (a `Verdict` naming the changed section or the
missing key). See docs/signing.md.
"""
