"""The on-disk compiled-module cache, authenticated: a planted file is recompiled, never run.

wasmtime's `Module.deserialize` trusts its input (it is machine code), and the cache key
is predictable (a hash of the wasm), so anyone who can write into the cache folder could
have their code run in place of a module's. So every entry is
`MAGIC + HMAC-SHA256(user key, cache key + payload) + payload`, and the MAC is checked
over the whole file *before* wasmtime sees a byte of it. An entry copied under another
module's key, edited, truncated or written without the key fails the check and the module
is compiled again (and the entry rewritten).

The per-user key (32 random bytes) lives outside the cache folder, in
`$XDG_CONFIG_HOME/workbench/cache.key` (default `~/.config/workbench/cache.key`; the
`WORKBENCH_CACHE_KEY` environment variable names another file), mode 0600. A key file
that others can read or that another user owns is replaced with a new one (every
existing entry is then recompiled once). The cache folder is created 0700, entries 0600.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import threading
from pathlib import Path

import wasmtime

MAGIC = b"WBCWASM1"
MAC_LEN = 32
_key: bytes | None = None
_key_lock = threading.Lock()


def key_path() -> Path:
    env = os.environ.get("WORKBENCH_CACHE_KEY")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(base) / "workbench" / "cache.key"


def user_key() -> bytes | None:
    """The per-user MAC key (created on first use), or None when it cannot be kept
    (then nothing is read from or written to the cache)."""
    global _key
    with _key_lock:
        if _key is None:
            _key = _load_or_create(key_path())
        return _key


def reset_key_for_tests() -> None:
    global _key
    with _key_lock:
        _key = None


def _load_or_create(path: Path) -> bytes | None:
    try:
        st = path.stat()
        private = (stat.S_IMODE(st.st_mode) & 0o077) == 0 and st.st_uid == os.getuid()
        if private and stat.S_ISREG(st.st_mode):
            data = path.read_bytes()
            if len(data) == 32:
                return data
        path.unlink()  # readable by others, someone else's, or damaged: start over
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = secrets.token_bytes(32)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            os.link(tmp, path)  # first writer wins; a racing process reads the winner's
        except FileExistsError:
            data = path.read_bytes()
        finally:
            tmp.unlink(missing_ok=True)
        return data if len(data) == 32 else None
    except OSError:
        return None


def _mac(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    h = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    h.update(payload)
    return h.digest()


def entry_path(cache_dir: Path, name: str) -> Path:
    return cache_dir / f"{name}.cwasm"


def load(engine: wasmtime.Engine, cache_dir: Path, name: str) -> wasmtime.Module | None:
    """The cached module, or None (missing, not authentic, or unloadable: recompile)."""
    key = user_key()
    if key is None:
        return None
    try:
        data = entry_path(cache_dir, name).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + MAC_LEN
    if len(data) <= head or not data.startswith(MAGIC):
        return None
    payload = memoryview(data)[head:]
    if not hmac.compare_digest(data[len(MAGIC):head], _mac(key, name, payload)):
        return None
    try:
        return wasmtime.Module.deserialize(engine, bytes(payload))
    except wasmtime.WasmtimeError:
        return None


def store(cache_dir: Path, name: str, module: wasmtime.Module) -> None:
    """Write atomically (tmp + rename, 0600) so a concurrent reader never sees half a
    file; a read-only or unkeyed cache only costs compile time."""
    key = user_key()
    if key is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if cache_dir.stat().st_uid == os.getuid():
            cache_dir.chmod(0o700)
        payload = bytes(module.serialize())
        tmp = cache_dir / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + _mac(key, name, payload) + payload)
        os.replace(tmp, entry_path(cache_dir, name))
    except OSError:
        pass
