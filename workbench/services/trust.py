"""The trust policy at every entry point that runs a module, and signing as a build step.

`enforce_signature(wasm_path, workspace)` is the one call `run`, `bench`, `replay` (CLI
and the app's build->replay loop), `serve` and the app make before a module runs: with
`[trust] require_signed = true` in the workspace's workbench.toml it verifies the module
(embedded signature, else a detached `MODULE.wasm.sig` beside it) against the trusted
keys and raises `SignatureRejected` carrying the verdict. `sign_build_output` re-signs a
fresh build when module.toml says `sign = "path/to/key"`.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.config.trust import TrustPolicy, module_signing_key, trust_policy
from workbench.core.errors import SignatureRejected, UsageError
from workbench.core.files import FileRefused, read_limited, write_atomic
from workbench.core.sign import keys as K  # noqa: N812
from workbench.core.sign.signer import SignOutcome, sign
from workbench.core.sign.verify import Verdict, verify

DETACHED_SUFFIX = ".sig"


def detached_path(wasm_path: Path) -> Path:
    return wasm_path.with_name(wasm_path.name + DETACHED_SUFFIX)


def verify_file(wasm_path: Path, key_paths: tuple[Path, ...] | list[Path], *,
                detached: Path | None = None, require_all: bool = False) -> Verdict:
    """Verify one file; `detached` None: the embedded signature, else `X.wasm.sig` if any."""
    data = _read(wasm_path, "module")
    sig_file = detached
    if sig_file is None and detached_path(wasm_path).is_file():
        from workbench.core.sign.format import split
        from workbench.core.sign.signer import content_sections

        if content_sections(split(data, file=str(wasm_path))[1])[1] is None:
            sig_file = detached_path(wasm_path)
    sig = _read(sig_file, "signature") if sig_file is not None else None
    pubs = [K.load_public(p) for p in key_paths]
    return verify(data, pubs, detached=sig, require_all=require_all, file=str(wasm_path))


def check_policy(wasm_path: Path, policy: TrustPolicy) -> Verdict:
    return verify_file(wasm_path, policy.keys, require_all=policy.require_all)


def enforce_signature(wasm_path: Path, workspace: Path | None = None) -> Verdict | None:
    """Refuse `wasm_path` unless the policy of `workspace` (default: the module's own
    workspace) accepts it. None when no policy requires signatures."""
    policy = trust_policy(Path(workspace) if workspace is not None else Path(wasm_path))
    if policy is None or not policy.require_signed:
        return None
    verdict = check_policy(Path(wasm_path), policy)
    if not verdict.ok:
        raise SignatureRejected(
            verdict.reason + "".join(f"\n  {c}" for c in verdict.changes),
            where=str(wasm_path), verdict=verdict,
            hint="sign it with `workbench sign MODULE --key KEY` (or module.toml "
                 f"sign = ...); policy: {policy.config_file} [trust]")
    return verdict


def sign_build_output(module_root: Path, wasm_path: Path | None) -> SignOutcome | None:
    """Re-sign a build output in place when module.toml has `sign = "..."`."""
    key_path = module_signing_key(Path(module_root))
    if key_path is None or wasm_path is None or not Path(wasm_path).is_file():
        return None
    return sign_file(Path(wasm_path), key_path)


def sign_file(wasm_path: Path, key_path: Path, *, detached: Path | None = None,
              output: Path | None = None, section_map: bool = True) -> SignOutcome:
    """Sign and write: the module in place (or `output`), or the detached signature. Each
    file is replaced at once, so a failed write leaves the module as it was."""
    key = K.load_secret(key_path)
    data = _read(wasm_path, "module")
    previous = _read(detached, "signature") if detached is not None and \
        os.path.lexists(detached) else None
    out = sign(data, key, detached=detached is not None, previous=previous,
               section_map=section_map, file=str(wasm_path))
    if detached is not None:
        _write(detached, out.signature, "--detached")
    elif output is not None or out.module != data:
        _write(output or wasm_path, out.module, "--output" if output else "MODULE")
    return out


MODULE_LIMIT = 1024 * 1024 * 1024  # far above any module (the largest seen: 18 MB)


def _read(path: Path, what: str) -> bytes:
    """A module or signature file: regular (a FIFO would hang the command), bounded."""
    try:
        return read_limited(path, limit=MODULE_LIMIT)
    except FileRefused as e:
        raise UsageError(f"cannot read {what}: {e.message.removeprefix('cannot read: ')}",
                         where=str(path), hint=e.hint or "check the path and the file's "
                         "permissions (chmod u+r FILE)") from None


def _write(path: Path, data: bytes, flag: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}", where=flag,
                         hint="name a file in a folder you can write") from None


def signing_step(module_root: Path, wasm_path: Path | None) -> str | None:
    """After a successful build: sign as module.toml says; else, when the workspace
    requires signed modules, a warning that this fresh (unsigned) output will be refused."""
    if wasm_path is None:
        return None
    if sign_build_output(module_root, wasm_path) is not None:
        return None
    policy = trust_policy(Path(module_root))
    if policy is not None and policy.require_signed:
        return (f"{wasm_path} is unsigned and {policy.config_file} [trust] requires "
                "signatures: add sign = \"path/to/key\" to module.toml, or run "
                "`workbench sign`")
    return None
