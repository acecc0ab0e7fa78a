"""`workbench check [PATH...] [--max-bytes N] [--max-gzip-bytes N] [--max-section NAME=N]`.

Size budgets for CI, and signatures when the workspace has `[trust]` keys (a module that
does not verify fails the check when `require_signed = true`). A PATH that is a module
folder, a folder of modules or a workspace is built (unless `--no-build`) and checked
against each module's `[budget]` from module.toml; a PATH that is a `.wasm` file is
checked against the command-line limits. Command-line limits override module.toml's.
Exit status 1 when any module is over budget, fails to verify, failed to build or is not
a readable wasm module; 2 for a usage or configuration mistake (a missing or unreadable
file, a module never built with --no-build): `workbench.core.errors.exit_status`. Why a
module could not be checked is said on stderr as well.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.render import console, print_json
from workbench.core.errors import MalformedModule, UsageError, WorkbenchError
from workbench.core.size.budget import Budget, BudgetReport, check_budget
from workbench.core.wasm.model import SECTION_NAMES

NAME = "check"
HELP = "check modules against their size budgets (exit 1 when any is over)"
ORDER = 40


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="module folder, folder of modules, workspace, or .wasm file "
                        "(default: the current folder)")
    parser.add_argument("--max-bytes", type=_size, metavar="N", help="limit on the file size")
    parser.add_argument("--max-gzip-bytes", type=_size, metavar="N",
                        help="limit on the gzip -9 size")
    parser.add_argument("--max-section", action="append", default=[], type=_section_limit,
                        metavar="NAME=N", help="limit on one section's payload, e.g. code=40000 "
                        "(repeatable; custom sections by name, e.g. .debug_info=0)")
    parser.add_argument("--no-build", action="store_true",
                        help="check the existing build outputs instead of building first")
    parser.add_argument("--trust", action="store_true",
                        help="build even when the folder's build runs its own code and it "
                             "is not trusted (CI; same as WORKBENCH_TRUST=1)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _size(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a byte count, got {text!r}")
    return value


def _section_limit(text: str) -> tuple[str, int]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=BYTES, got {text!r}")
    return name.strip(), _size(value.strip())


def _overrides(args: argparse.Namespace, base: Budget) -> Budget:
    sections = dict(base.sections)
    sections.update(dict(args.max_section))
    return Budget(
        max_bytes=args.max_bytes if args.max_bytes is not None else base.max_bytes,
        max_gzip_bytes=(args.max_gzip_bytes if args.max_gzip_bytes is not None
                        else base.max_gzip_bytes),
        sections=sections)


def _check_file(name: str, path: Path, budget: Budget) -> dict[str, Any]:
    from workbench.core.files import FileRefused, read_wasm
    from workbench.core.wasm import parse_module

    try:
        data = read_wasm(path)  # regular files only: a FIFO or /dev/zero is refused
    except FileRefused as err:
        raise UsageError(err.message, where=str(path),
                         hint=err.hint or "check the file's permissions, or rebuild it"
                         ) from None
    try:
        module = parse_module(data, file=str(path))
    except MalformedModule as err:
        return {"name": name, "file": str(path), "ok": False,
                "error": {**err.to_json(), "hint": err.hint}}
    report = check_budget(module, budget, name=name)
    custom = sum(s.disk_size for s in module.sections if s.is_custom)
    return {"name": name, "file": str(path), "size": module.size, "ok": report.ok,
            "budget_set": not budget.empty, "report": report, "error": None,
            "custom_bytes": custom}


def _check_module(cfg: Any, args: argparse.Namespace) -> dict[str, Any]:
    budget = _overrides(args, cfg.budget)
    if not args.no_build:
        from workbench.services.folder_trust import gated_build

        try:
            result = gated_build(cfg, trust=args.trust)
        except WorkbenchError as err:  # ToolchainMissing: this module fails, others go on
            return {"name": cfg.name, "file": str(cfg.output), "ok": False,
                    "error": err.to_json()}
        if result.untrusted:  # restricted mode: nothing of the folder's ran
            return {"name": cfg.name, "file": str(cfg.output), "ok": False,
                    "error": {"kind": "untrusted", "message": result.errors[0].message,
                              "hint": f"workbench trust {cfg.root} (or pass --trust; "
                                      "WORKBENCH_TRUST=1 in CI)"}}
        if not result.ok:
            first = next((str(d) for d in result.diagnostics), "build failed")
            return {"name": cfg.name, "file": str(cfg.output), "ok": False,
                    "error": {"kind": "build", "message": first,
                              "hint": "run `workbench build -v` for the whole output"}}
        from workbench.services.trust import signing_step

        signing_step(cfg.root, result.wasm_path)  # module.toml sign = "..."
    if not Path(cfg.output).is_file():
        return {"name": cfg.name, "file": str(cfg.output), "ok": False,
                "error": {"kind": "usage", "message": "not built yet",
                          "hint": "run `workbench build` first, or drop --no-build"}}
    return _check_file(cfg.name, Path(cfg.output), budget)


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [Path.cwd()]
    files = [p for p in paths if p.suffix == ".wasm" and not p.is_dir()]
    folders = [p for p in paths if p not in files]  # a folder named x.wasm is a folder
    results: list[dict[str, Any]] = []
    for path in files:
        if not path.exists():
            raise UsageError("no such file", where=str(path), hint="pass a built .wasm file")
        results.append(_check_file(path.name, path, _overrides(args, Budget())))
    if folders:
        from workbench.config.workspace import load_workspace

        ws = load_workspace(folders)
        if not ws.modules:
            raise UsageError(f"{ws.config_file or ws.root}: no modules to check",
                             hint="list module folders in workbench.toml `modules = [...]`, or "
                                  "pass a module folder (see docs/config.md)")
        for cfg in ws.modules:
            results.append(_check_module(cfg, args))
    for r in results:
        _signature(r)
    ok = all(r["ok"] for r in results)
    if args.json:
        print_json({"ok": ok, "modules": [_json(r) for r in results]})
    else:
        for r in results:
            _render(r)
    return _status(results)


def _status(results: list[dict[str, Any]]) -> int:
    """0, 1 (a module over budget, unsigned, not built or not wasm) or 2 (a usage or
    configuration mistake), the worst of the modules'; errors are said on stderr."""
    from workbench.cli.failure import report_json_error

    status = 0
    for r in results:
        if r.get("error"):
            status = max(status, report_json_error(r["file"], r["error"]))
        elif not r["ok"]:
            status = max(status, 1)
    return status


def _signature(r: dict[str, Any]) -> None:
    """With `[trust]` keys in the workspace, verify the module too (a CI gate when
    `require_signed = true`; a report line otherwise)."""
    from workbench.config.trust import trust_policy
    from workbench.services.trust import check_policy

    path = Path(r["file"])
    if r.get("error") or not path.is_file():
        return
    policy = trust_policy(path.resolve())
    if policy is None or not policy.keys:
        return
    verdict = check_policy(path, policy)
    r["signature"] = verdict
    if not verdict.ok and policy.require_signed:
        r["ok"] = False


def _json(r: dict[str, Any]) -> dict[str, Any]:
    report: BudgetReport | None = r.get("report")
    sig = r.get("signature")
    return {"name": r["name"], "file": r["file"], "ok": r["ok"], "size": r.get("size"),
            "budget_set": r.get("budget_set", False),
            "limits": report.to_json()["limits"] if report else [], "error": r.get("error"),
            "signature": sig.to_json() if sig is not None else None}


def _render(r: dict[str, Any]) -> None:
    from rich.markup import escape

    _render_budget(r)
    sig = r.get("signature")
    if sig is not None:
        mark = "[green]✓[/]" if sig.ok else "[red]✗[/]"
        console.print(f"    {mark} signature: {escape(sig.reason)}")


def _render_budget(r: dict[str, Any]) -> None:
    from rich.markup import escape

    name = escape(r["name"])
    if r.get("error"):  # said on stderr, with its hint (`_status`)
        return
    report: BudgetReport = r["report"]
    if not report.lines:
        console.print(f"[yellow]–[/] [bold]{name}[/]: {r['size']:,d} B, no budget set "
                      "[dim](add \\[budget] to module.toml or pass --max-bytes)[/]")
        return
    mark = "[green]✓[/]" if report.ok else "[red]✗[/]"
    verdict = "within budget" if report.ok else f"{len(report.over)} limit(s) over"
    console.print(f"{mark} [bold]{name}[/]: {r['size']:,d} B, {verdict}")
    for line in report.lines:
        style = "red" if line.over else "dim"
        word = "over by" if line.over else "headroom"
        absent = "" if line.found else "  (no such section in this module)"
        console.print(f"    [{style}]{escape(line.limit):<24} {line.actual:>12,d} / "
                      f"{line.max:>12,d}   {word} {abs(line.headroom):,d} B{absent}[/]")
        section = line.limit.removeprefix("section:")
        if not line.found and section not in KNOWN_SECTIONS and not section.startswith("."):
            console.print(f"      [yellow]{escape(section)!r} is not a section name wasm "
                          "toolchains use: check the spelling (`workbench inspect` lists "
                          "the module's sections)[/]")
    if not report.ok:
        file = escape(_shown(r["file"]))
        console.print(f"    [dim]where the bytes go: workbench inspect {file} --by section[/]",
                      highlight=False)
        if r.get("custom_bytes"):
            console.print(f"    [dim]{r['custom_bytes']:,d} B are custom sections (debug info, "
                          f"names): workbench strip {file} previews removing them[/]",
                          highlight=False)


def _shown(file: str) -> str:
    """The path relative to the current folder when it is below it (shorter hints)."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return file


# standard section names plus common custom sections: absent is normal for these
KNOWN_SECTIONS = frozenset(SECTION_NAMES.values()) | {
    "name", "producers", "target_features", "linking", "sourceMappingURL",
    "external_debug_info", "build_id", "dylink.0"}
