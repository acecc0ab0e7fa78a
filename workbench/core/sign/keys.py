"""Ed25519 key files, wasmsign2-compatible. The one module importing `cryptography`.

On disk (tool-conventions "Signature algorithms and key serialization"):
- public key: `0x01 | 32 bytes`; PEM (SubjectPublicKeyInfo) and OpenSSH `ssh-ed25519`
  lines are read too;
- key pair ("secret key"): `0x81 | seed (32 bytes) | public key (32 bytes)`; PEM PKCS#8
  and OpenSSH private keys are read too.

A key's id is wasmsign2's default: the first 12 bytes of HMAC-SHA256(key = public key,
message = b"key_id"). Its name, shown in verdicts, is the file's stem.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from workbench.core.errors import UsageError
from workbench.core.files import FileRefused, read_limited, write_atomic

PK_ID, SK_ID = 0x01, 0x81


def key_id(raw_public: bytes) -> bytes:
    return hmac.new(raw_public, b"key_id", hashlib.sha256).digest()[:12]


@dataclass(frozen=True)
class PublicKey:
    raw: bytes  # 32 bytes
    name: str = "key"

    @property
    def key_id(self) -> bytes:
        return key_id(self.raw)

    def to_bytes(self) -> bytes:
        return bytes([PK_ID]) + self.raw

    def verify(self, signature: bytes, msg: bytes) -> bool:
        if len(signature) != 64:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, msg)
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "key_id": self.key_id.hex(), "public": self.raw.hex()}


@dataclass(frozen=True)
class SecretKey:
    seed: bytes  # 32 bytes
    name: str = "key"

    @property
    def public(self) -> PublicKey:
        raw = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes(
            ser.Encoding.Raw, ser.PublicFormat.Raw)
        return PublicKey(raw, self.name)

    def sign(self, msg: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(msg)

    def to_bytes(self) -> bytes:
        return bytes([SK_ID]) + self.seed + self.public.raw


def generate(name: str = "key", seed: bytes | None = None) -> SecretKey:
    return SecretKey(seed if seed is not None else os.urandom(32), name)


KEY_LIMIT = 64 * 1024  # a PEM or OpenSSH key is a few hundred bytes


def _read(path: Path) -> bytes:
    """A key file: regular, at most KEY_LIMIT bytes (a FIFO would hang, /dev/zero fill
    the memory)."""
    try:
        return read_limited(path, limit=KEY_LIMIT)
    except FileRefused as e:
        message = e.message if "limit" not in e.message else "larger than 64 KiB"
        raise UsageError(f"cannot read key file: {message}", where=str(path),
                         hint=e.hint if "limit" not in e.message else
                         "a key file is a few hundred bytes: is this the right file?") \
            from None


def load_public(path: Path) -> PublicKey:
    data = _read(path)
    name = path.stem
    if len(data) == 33 and data[0] == PK_ID:
        return PublicKey(data[1:], name)
    if len(data) == 65 and data[0] == SK_ID:
        raise UsageError("this is a secret key, not a public key", where=str(path),
                         hint=f"pass {path.with_suffix('.pub')} (written by workbench keygen)")
    for loader in (ser.load_pem_public_key, ser.load_ssh_public_key):
        try:
            key = loader(data.strip() if loader is ser.load_ssh_public_key else data)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        if isinstance(key, Ed25519PublicKey):
            return PublicKey(key.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw), name)
    raise UsageError("not an Ed25519 public key", where=str(path),
                     hint="expected 0x01 + 32 bytes (workbench keygen / wasmsign2 keygen), "
                          "a PEM public key or an ssh-ed25519 line")


def load_secret(path: Path) -> SecretKey:
    data = _read(path)
    name = path.stem
    if len(data) == 65 and data[0] == SK_ID:
        key = SecretKey(data[1:33], name)
        if key.public.raw != data[33:]:
            raise UsageError("corrupt key pair: its public half does not match the secret",
                             where=str(path))
        return key
    if len(data) == 33 and data[0] == PK_ID:
        raise UsageError("this is a public key; signing needs the secret key", where=str(path))
    for loader in (ser.load_pem_private_key, ser.load_ssh_private_key):
        try:
            pk = loader(data, None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        if isinstance(pk, Ed25519PrivateKey):
            return SecretKey(pk.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw,
                                              ser.NoEncryption()), name)
    raise UsageError("not an Ed25519 secret key", where=str(path),
                     hint="expected 0x81 + 64 bytes (workbench keygen / wasmsign2 keygen), "
                          "an unencrypted PEM PKCS#8 or OpenSSH Ed25519 private key")


def write_pair(key: SecretKey, secret_path: Path, public_path: Path, *,
               force: bool = False) -> None:
    """Both files, each replaced at once (an old key survives a failed write); the secret
    one is mode 0600. `force` replaces existing key files, never a folder."""
    for p in (secret_path, public_path):
        if os.path.lexists(p) and (not force or not p.is_file()):
            what = "an existing key file" if p.is_file() else "something that is not a file"
            raise UsageError(f"refusing to overwrite {what}", where=str(p),
                             hint="pick another name" + (", or pass --force"
                                                          if p.is_file() else ""))
    try:
        secret_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(secret_path, key.to_bytes(), mode=0o600)
        write_atomic(public_path, key.public.to_bytes())
    except OSError as e:
        raise UsageError(f"cannot write the key files: {e.strerror or e}",
                         where=str(e.filename or secret_path.parent),
                         hint="--dir must be a folder you can write") from None
