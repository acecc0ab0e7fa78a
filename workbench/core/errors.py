"""Typed errors a user can cause. Each carries where it happened and what to do next.

The CLI and the TUI render `str(err)` (message + location + hint) and never a traceback
for these. Runtime failures of a *handler* (trap, timeout, memory) are not exceptions:
they are values in a run result, see `workbench.core.runtime`.
"""

from __future__ import annotations

from typing import Any

# The exit status of a command line that failed (README "Exit status"): 1 when a module
# failed (it cannot be read as wasm, fits no handler ABI the command needs, did not build
# (or its toolchain is missing), failed its signature check; over budget and failed
# assertions are results, not errors), 2 also for a folder not trusted to build ("untrusted":
# `workbench trust` or --trust is the fix),
# 2 for a usage or configuration mistake (a missing or unreadable path, a folder where a
# file was expected, a bad flag or config key). One table for every command: an error
# kind not listed here is a usage or configuration mistake.
MODULE_FAILED = 1
USAGE = 2
MODULE_FAILURE_KINDS = frozenset({"malformed", "abi", "instantiate", "build", "toolchain",
                                  "signature"})


def exit_status(kind: str | None) -> int:
    """The exit status for a failure of this `kind` (a WorkbenchError's, or the "kind" of
    an error in a JSON report): MODULE_FAILED or USAGE."""
    return MODULE_FAILED if kind in MODULE_FAILURE_KINDS else USAGE


def clip(text: str, limit: int = 600) -> str:
    """`text` cut in the middle to about `limit` characters, saying how much was cut (a
    message quoting a 1 MB value from a hostile file or response stays readable)."""
    if len(text) <= limit:
        return text
    keep = max(limit - 100, 20)
    return f"{text[:keep]}… ({len(text) - keep - 60:,} more characters) …{text[-60:]}"


class WorkbenchError(Exception):
    """Base of every user-facing error.

    `kind` is a short stable identifier used in JSON output ("malformed", "config", ...).
    `where` is a human location ("app.wasm @ 0x1a3", "module.toml: limits.fuel").
    `hint` says what to do next.
    """

    kind = "error"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    @property
    def exit_status(self) -> int:
        """1 when a module failed, 2 for a usage or configuration mistake (`exit_status`)."""
        return exit_status(self.kind)

    def __str__(self) -> str:
        """What a person reads: each part clipped to a few lines' worth (a message quoting
        a 1 MB line from a hostile file would fill the terminal; `to_json` stays whole)."""
        text = f"{clip(self.where)}: {clip(self.message)}" if self.where \
            else clip(self.message)
        if self.hint:
            text += f"\n  hint: {clip(self.hint)}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "where": self.where,
                "hint": self.hint}


class MalformedModule(WorkbenchError):
    """A wasm binary that cannot be read. `offset` is the byte offset of the problem."""

    kind = "malformed"

    def __init__(self, message: str, offset: int, *, file: str | None = None,
                 hint: str | None = None):
        self.offset = offset
        self.file = file
        where = f"{file} @ 0x{offset:x}" if file else f"@ 0x{offset:x}"
        super().__init__(message, where=where, hint=hint)

    def with_file(self, file: str) -> MalformedModule:
        return MalformedModule(self.message, self.offset, file=file, hint=self.hint)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "offset": self.offset, "message": self.message}


class ConfigError(WorkbenchError):
    """A mistake in workbench.toml / module.toml / a theme file: names file and key."""

    kind = "config"

    def __init__(self, message: str, *, file: str, key: str | None = None,
                 line: int | None = None, hint: str | None = None,
                 column: int | None = None):
        self.file, self.key, self.line, self.column = file, key, line, column
        where = file + (f":{line}" if line else "") + (f":{column}" if line and column else "") \
            + (f": {key}" if key else "")
        super().__init__(message, where=where, hint=hint)


class RequestFileError(WorkbenchError):
    """A saved-request file (.hurl / .http / curl) that cannot be used: names file:line
    (and :column when the reader knows it; 1-based, in characters)."""

    kind = "request_file"

    def __init__(self, message: str, *, file: str, line: int, hint: str | None = None,
                 column: int | None = None):
        self.file, self.line, self.column = file, line, column
        super().__init__(message, where=f"{file}:{line}" + (f":{column}" if column else ""),
                         hint=hint)


class HooksError(WorkbenchError):
    """An invalid hooks file: names the file, the rule and the field."""

    kind = "hooks"

    def __init__(self, message: str, *, file: str, rule: str | None = None,
                 field: str | None = None, hint: str | None = None):
        self.file, self.rule, self.field = file, rule, field
        where = file
        if rule:
            where += f": rule {rule!r}"
        if field:
            where += f", field {field!r}"
        super().__init__(message, where=where, hint=hint)


class ToolchainMissing(WorkbenchError):
    """A build needs a toolchain that is not installed; `hint` says how to install it."""

    kind = "toolchain"


class BuildFailed(WorkbenchError):
    """A build ran and failed. `diagnostics` are parsed compiler messages, `output` is whole;
    `result` is the `BuildResult` (from `BuildResult.raise_for_status`), else None."""

    kind = "build"

    def __init__(self, message: str, *, output: str = "", diagnostics: tuple = (),
                 where: str | None = None, hint: str | None = None, result: Any = None):
        self.output = output
        self.diagnostics = diagnostics
        self.result = result
        super().__init__(message, where=where, hint=hint)


class AbiMismatch(WorkbenchError):
    """A module that fits no known handler ABI: says what was expected and what was found."""

    kind = "abi"


class CannotInstantiate(WorkbenchError):
    """A module that compiles and fits its ABI, but of which no instance can be made (its
    initial memory is over the limit, its start function traps, an import the host cannot
    link): every request would fail the same way."""

    kind = "instantiate"


class UsageError(WorkbenchError):
    """A bad command-line argument combination or a missing file."""

    kind = "usage"


class SignatureRejected(WorkbenchError):
    """A module refused by the trust policy: unsigned, tampered, or signed by no trusted
    key. `verdict` is the `workbench.core.sign.verify.Verdict` (its to_json is in JSON)."""

    kind = "signature"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None,
                 verdict: Any = None):
        self.verdict = verdict
        super().__init__(message, where=where, hint=hint)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["verdict"] = self.verdict.to_json() if self.verdict is not None else None
        return out
