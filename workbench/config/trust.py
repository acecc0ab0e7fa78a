"""`[trust]` in workbench.toml and `sign = "..."` in module.toml.

    [trust]
    keys = ["keys/release.pub", "keys/ci.pub"]   # relative to workbench.toml
    require_signed = true    # run, bench, replay, serve and the app refuse unsigned modules
    signers = "any"          # "any": one trusted signature suffices; "all": every key signs

    # module.toml
    sign = "../keys/release.key"   # re-sign the build output after every build

The policy is read from the nearest workbench.toml at or above a module (as the KV store
and variables are). Without `[trust]`, nothing is enforced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.config.check import Checker, read_toml
from workbench.config.workspace import nearest_workspace_file

TRUST_KEYS = ("keys", "require_signed", "signers")


@dataclass(frozen=True)
class TrustPolicy:
    keys: tuple[Path, ...]
    require_signed: bool = False
    signers: str = "any"  # "any" | "all"
    config_file: Path | None = None

    @property
    def require_all(self) -> bool:
        return self.signers == "all"

    def to_json(self) -> dict[str, object]:
        return {"keys": [str(k) for k in self.keys], "require_signed": self.require_signed,
                "signers": self.signers,
                "config_file": str(self.config_file) if self.config_file else None}


def parse_trust(path: Path) -> TrustPolicy | None:
    """The `[trust]` table of one workbench.toml (None when it has none)."""
    doc, text = read_toml(path)
    if "trust" not in doc:
        return None
    ck = Checker(path, text)
    table = ck.table(doc, "trust")
    ck.check_keys(table, TRUST_KEYS, prefix="trust.")
    keys = ck.strings(table, "keys", prefix="trust.") or ()
    paths = []
    for k in keys:
        p = (path.parent / k).resolve()
        if p.exists() and not p.is_file():
            raise ck.error("trust.keys", f"trusted key {k!r} is not a regular file",
                           hint="name a .pub file (FIFOs, devices and folders are never read)")
        if not p.is_file():
            raise ck.error("trust.keys", f"trusted key {k!r} does not exist",
                           hint=f"paths are relative to {path.parent}; "
                                "`workbench keygen NAME` writes NAME.pub")
        paths.append(p)
    require = ck.boolean(table, "require_signed", prefix="trust.")
    signers = ck.string(table, "signers", "any", choices=("any", "all"), prefix="trust.")
    if require and not paths:
        raise ck.error("trust.keys", "require_signed = true needs at least one trusted key",
                       hint='keys = ["keys/release.pub"] (workbench keygen writes one)',
                       near="trust.require_signed")
    return TrustPolicy(tuple(paths), bool(require), signers or "any", path)


def trust_policy(start: Path) -> TrustPolicy | None:
    """The policy of the workspace around `start` (a module folder or a .wasm file)."""
    found = nearest_workspace_file(start if start.is_dir() else start.parent)
    return parse_trust(found) if found is not None else None


def module_signing_key(module_root: Path) -> Path | None:
    """module.toml's `sign = "path/to/key"` (resolved), or None."""
    path = module_root / "module.toml"
    if not path.is_file():
        return None
    doc, text = read_toml(path)
    ck = Checker(path, text)
    value = ck.string(doc, "sign")
    if value is None:
        return None
    key = (module_root / value).resolve()
    if key.exists() and not key.is_file():
        raise ck.error("sign", f"sign = {value!r} is not a regular file",
                       hint="name a .key file written by `workbench keygen`")
    if not key.is_file():
        raise ck.error("sign", f"sign = {value!r} does not exist",
                       hint=f"paths are relative to {module_root}; "
                            "`workbench keygen NAME` writes NAME.key")
    return key
