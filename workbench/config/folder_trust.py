"""Workspace trust: a folder's code builds only after the user said they trust it.

The record lives in the user's config folder (`$WORKBENCH_CONFIG_DIR`, else
`$XDG_CONFIG_HOME/workbench`, else `~/.config/workbench`) as `trust.toml`, mode 0600:
one `[[module]]` per trusted module folder with the digest of what its build runs
(`workbench.config.codescan.digest`). When the digest changes (a new command, an edited
build.rs or package.json), the module is untrusted again until the user trusts it again.

Front ends use three calls (the first and last are pure reads):
- `trust_status(cfg)` -> `TrustStatus` (does it need trust, is it trusted, why, digest);
- `trust_modules(cfgs)` records them (what `workbench trust PATH` and the app's prompt do);
- `trusted_by_env()` is `WORKBENCH_TRUST=1` (CI), the same as `--trust`.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.config.codescan import CodeRun, code_runs, digest
from workbench.config.module import ModuleConfig
from workbench.core.errors import ConfigError
from workbench.core.files import FileRefused, read_limited
from workbench.core.tomldoc import TomlSyntax, parse_toml

TRUST_FILE = "trust.toml"
ENV_TRUST = "WORKBENCH_TRUST"


def config_dir() -> Path:
    """The user's workbench config folder (not created here)."""
    explicit = os.environ.get("WORKBENCH_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "workbench"


def trusted_by_env() -> bool:
    return os.environ.get(ENV_TRUST, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class TrustStatus:
    """Whether one module's build may run. `runs` says what would run and why it matters."""

    module: str
    root: Path
    runs: tuple[CodeRun, ...]
    digest: str
    trusted: bool  # recorded with this digest (or trusted by --trust / WORKBENCH_TRUST)
    changed: bool  # a record exists but for another digest: what runs has changed

    @property
    def needs_trust(self) -> bool:
        return bool(self.runs)

    @property
    def may_build(self) -> bool:
        return not self.runs or self.trusted

    def explain(self) -> str:
        """One paragraph for a user: what was not run and how to allow it."""
        why = "; ".join(r.reason for r in self.runs)
        head = ("its build changed since you trusted it" if self.changed
                else "this folder is not trusted")
        return (f"{self.module}: not built: {head}: {why}\n"
                f"  to build it: workbench trust {self.root}   (or pass --trust, "
                f"or set {ENV_TRUST}=1 in CI)")

    def to_json(self) -> dict[str, Any]:
        return {"module": self.module, "root": str(self.root), "needs_trust": self.needs_trust,
                "trusted": self.trusted, "changed": self.changed, "may_build": self.may_build,
                "digest": self.digest, "runs": [r.to_json() for r in self.runs]}


def trust_status(cfg: ModuleConfig, *, override: bool = False) -> TrustStatus:
    """Does building `cfg` need trust, and has it been given? `override`: --trust."""
    runs = code_runs(cfg)
    if not runs:
        return TrustStatus(cfg.name, cfg.root, (), "", True, False)
    now = digest(cfg)
    recorded = load_records().get(str(cfg.root))
    trusted = override or trusted_by_env() or recorded == now
    return TrustStatus(cfg.name, cfg.root, runs, now, trusted,
                       recorded is not None and recorded != now)


def trust_modules(cfgs: Iterable[ModuleConfig]) -> list[TrustStatus]:
    """Record every module that needs trust as trusted with its current digest."""
    records = _entries()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out: list[TrustStatus] = []
    for cfg in cfgs:
        runs = code_runs(cfg)
        now = digest(cfg) if runs else ""
        if runs and records.get(str(cfg.root), ("", ""))[0] != now:
            records[str(cfg.root)] = (now, stamp)
        out.append(TrustStatus(cfg.name, cfg.root, runs, now, True, False))
    _save(records)
    return out


def forget(roots: Iterable[Path]) -> int:
    """Remove trust records (for `workbench trust --revoke`); how many were removed."""
    records = _entries()
    gone = [str(r) for r in roots if str(r) in records]
    for key in gone:
        del records[key]
    _save(records)
    return len(gone)


def load_records() -> dict[str, str]:
    """Trusted module folder -> digest. A missing file is no trust; a broken one an error."""
    return {path: dig for path, (dig, _) in _entries().items()}


def _entries() -> dict[str, tuple[str, str]]:
    """Trusted module folder -> (digest, when it was trusted)."""
    path = config_dir() / TRUST_FILE
    if not path.exists():
        return {}
    try:
        doc = parse_toml(read_limited(path).decode("utf-8"))
    except (FileRefused, UnicodeDecodeError, TomlSyntax) as e:
        why = e.message if isinstance(e, FileRefused | TomlSyntax) else f"not UTF-8 ({e.reason})"
        raise ConfigError(f"cannot read the trust records: {why}", file=str(path),
                          line=e.line if isinstance(e, TomlSyntax) else None,
                          hint="delete the file to start again (every folder is then "
                               "untrusted)") from None
    out: dict[str, tuple[str, str]] = {}
    for entry in doc.get("module", []) if isinstance(doc.get("module"), list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str) \
                and isinstance(entry.get("digest"), str):
            out[entry["path"]] = (entry["digest"], str(entry.get("trusted_at", "")))
    return out


def _save(records: dict[str, tuple[str, str]]) -> None:
    try:
        _write(records)
    except OSError as e:
        raise ConfigError(f"cannot write the trust records: {e.strerror or e}",
                          file=str(config_dir() / TRUST_FILE),
                          hint="WORKBENCH_CONFIG_DIR (or XDG_CONFIG_HOME/workbench) must be "
                               "a folder you can write") from None


def _write(records: dict[str, tuple[str, str]]) -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = ["# Folders whose builds workbench may run (workbench trust PATH).",
             "# Delete an entry to untrust it.", ""]
    for path, (dig, stamp) in sorted(records.items()):
        # JSON strings are valid TOML basic strings (ensure_ascii: only \\uXXXX escapes).
        lines += ["[[module]]", f"path = {json.dumps(path)}", f"digest = {json.dumps(dig)}",
                  f"trusted_at = {json.dumps(stamp)}", ""]
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".trust-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        os.chmod(tmp, 0o600)
        os.replace(tmp, folder / TRUST_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
