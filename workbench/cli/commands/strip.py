"""`workbench strip FILE [-o OUT] [--keep name,producers] [--json] [--wasm-opt]`.

Without `-o` it only previews: what FILE would weigh (raw and gzip -9) without debug
sections, without any custom section, and with only `name` kept. With `-o` it writes
the stripped module (custom sections not in --keep removed, everything else
byte-identical) after wasmtime has validated it.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any

from rich.markup import escape as esc

from workbench.cli.render import console, print_json
from workbench.core.errors import UsageError
from workbench.core.size.strip import DEFAULT_KEEP, StripPreview, gzip_sizes, strip, strip_preview
from workbench.core.units import human_bytes

NAME = "strip"
HELP = "remove custom sections (or preview what that saves, raw and gzip)"
ORDER = 30


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE",
                        help="a .wasm core module, or a module folder (its build output)")
    parser.add_argument("-o", "--output", type=Path, metavar="OUT",
                        help="write the stripped module here (may equal FILE); "
                        "without it, only the preview is shown")
    parser.add_argument("--keep", default=None, metavar="NAMES",
                        help="comma-separated custom sections to keep (default: "
                        "name,producers; empty keeps none, like wasm-strip)")
    parser.add_argument("--wasm-opt", action="store_true",
                        help="also estimate `wasm-opt -Oz` (only when wasm-opt is on PATH)")
    parser.add_argument("--exact-gzip", action="store_true",
                        help="compute gzip -9 exactly even above 4 MiB (slow: 0.1-0.5 s/MB per "
                        "variant); otherwise large files get estimates")
    parser.add_argument("--sign", type=Path, metavar="KEY",
                        help="re-sign the stripped module with this secret key (stripping "
                        "invalidates a signature)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _read(path: Path) -> bytes:
    from workbench.core.files import FileRefused, read_wasm

    if not path.exists():
        raise UsageError("no such file", where=str(path),
                         hint="pass the path of a .wasm module")
    try:
        return read_wasm(path)  # regular files only: a FIFO or /dev/zero is refused
    except FileRefused as err:
        raise UsageError(err.message, where=str(path),
                         hint=err.hint or "check the file's permissions, or rebuild it"
                         ) from None


def run(args: argparse.Namespace) -> int:
    from workbench.cli.commands._folders import one_output
    from workbench.core.errors import MalformedModule
    from workbench.core.wasm import parse_module

    args.file = one_output(args.file)  # a module folder stands for its build output
    data = _read(args.file)
    try:
        module = parse_module(data, file=str(args.file))
    except MalformedModule as err:
        raise err.with_file(str(args.file)) from None
    if module.kind != "module":
        raise UsageError("only core modules can be stripped, this is a component",
                         where=str(args.file))
    if args.wasm_opt and shutil.which("wasm-opt") is None:
        raise UsageError("--wasm-opt needs wasm-opt on PATH, and it is not there",
                         where="--wasm-opt",
                         hint="install binaryen (apt-get install binaryen, brew install "
                              "binaryen) or drop --wasm-opt")
    if args.output is None:
        preview = strip_preview(module, wasm_opt=args.wasm_opt,
                                exact_gzip=True if args.exact_gzip else None)
        signed = any(s.is_custom and s.name == "signature" for s in module.sections)
        if args.json:
            print_json({"file": str(args.file), **preview.to_json(), "signed": signed})
        else:
            _render_preview(str(args.file), preview)
            if signed:
                console.print("[yellow]this module is signed: stripping it invalidates the "
                              "signature (strip -o OUT --sign KEY re-signs)[/]")
        return 0
    given = args.keep is not None
    keep = ({name.strip() for name in args.keep.split(",") if name.strip()} if given
            else set(DEFAULT_KEEP))
    customs = [s.name for s in module.sections if s.is_custom]
    unknown = sorted(keep - set(customs)) if given else []
    if unknown and not args.json:
        have = ", ".join(dict.fromkeys(customs)) or "none"
        console.print(f"[yellow]--keep: no custom section named {esc(', '.join(unknown))} "
                      f"in {esc(str(args.file))} (it has: {esc(have)})[/]", highlight=False)
    debug = {n for n in customs if n.startswith(".debug_")}
    if keep & debug and keep & debug != debug and not args.json:
        console.print(f"[yellow]--keep: only some .debug_* sections are kept "
                      f"({esc(', '.join(sorted(keep & debug)))}; dropped: "
                      f"{esc(', '.join(sorted(debug - keep)))}): the DWARF left is unreadable "
                      "for debuggers and `inspect --by source`; keep all of them or none[/]",
                      highlight=False)
    try:
        out = strip(module, keep)
    except MalformedModule as err:
        raise err.with_file(str(args.file)) from None
    _write(args.output, out)
    removed = [s.name for s in module.sections if s.is_custom and s.name not in keep]
    signed = any(s.is_custom and s.name == "signature" for s in module.sections)
    invalidated = signed and bool(removed)
    if args.sign is not None:
        from workbench.services.trust import sign_file

        sign_file(args.output, args.sign)
        out = args.output.read_bytes()
    old_gz, new_gz, exact = gzip_sizes(module, keep,
                                       exact_gzip=True if args.exact_gzip else None)
    doc: dict[str, Any] = {
        "file": str(args.file), "output": str(args.output), "size": len(data),
        "gzip_size": old_gz, "new_size": len(out), "new_gzip_size": new_gz,
        "gzip_exact": exact,
        "removed": removed, "kept": sorted(keep & set(customs)), "not_found": unknown,
        "valid": True, "signature_invalidated": invalidated and args.sign is None,
        "signed": args.sign is not None}
    if args.json:
        print_json(doc)
    else:
        saved = doc["size"] - doc["new_size"]
        approx = "" if exact else "≈ "
        if not removed and saved:
            console.print(f"[yellow]nothing was stripped: the {saved:,d} B difference is "
                          "padded LEB128 sizes re-encoded[/]")
        console.print(f"[green]✓[/] {esc(str(args.output))}: [bold]{doc['new_size']:,d} B[/] "
                      f"({human_bytes(doc['new_size'])}), gzip -9 {approx}"
                      f"{doc['new_gzip_size']:,d} B; saved {saved:,d} B raw, {approx}"
                      f"{doc['gzip_size'] - doc['new_gzip_size']:,d} B gzip"
                      f"{' (estimated above 4 MiB)' if not exact else ''}; "
                      f"validated by wasmtime")
        if removed:
            console.print("[dim]removed: " + esc(", ".join(removed)) + "[/]", highlight=False)
        if args.sign is not None:
            console.print(f"re-signed with {esc(str(args.sign))}", highlight=False)
        elif invalidated:
            console.print(f"[yellow]{esc(str(args.file))} was signed: the stripped module no "
                          "longer verifies (its signature covered the removed sections); "
                          "re-sign it: --sign KEY, or `workbench sign OUT --key KEY`[/]",
                          highlight=False)
    return 0


def _write(path: Path, data: bytes) -> None:
    """Write via a temporary file + rename, so `-o FILE` never leaves a half file."""
    tmp = path.with_name(f".{path.name}.workbench-tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write: {err.strerror}", where=str(path)) from None


def _render_preview(file: str, preview: StripPreview) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    title = f"Strip preview: {file}"
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  min_width=len(title))
    approx = "" if preview.gzip_exact else "≈ "
    for col in ("variant", "size", "saved", "gzip -9", "saved (gzip)"):
        table.add_column(col, justify="left" if col == "variant" else "right")
    table.add_row("as is", f"{preview.size:,d}", "", f"{approx}{preview.gzip_size:,d}", "")
    reencoded = []
    for o in preview.options:
        if not o.removed:  # nothing to remove: any difference is only re-encoding
            table.add_row(f"{o.description} (nothing to remove)", f"{o.size:,d}", "—",
                          f"{approx}{o.gzip_size:,d}", "—", style="dim")
            if o.size != preview.size:
                reencoded.append(preview.size - o.size)
            continue
        table.add_row(o.description, f"{o.size:,d}", f"{preview.size - o.size:,d}",
                      f"{approx}{o.gzip_size:,d}",
                      f"{approx}{preview.gzip_size - o.gzip_size:,d}")
    est = preview.wasm_opt
    if est is not None and est.size is not None and est.gzip_size is not None:
        table.add_row("wasm-opt -Oz, no custom sections", f"{est.size:,d}",
                      f"{preview.size - est.size:,d}", f"{est.gzip_size:,d}",
                      f"{approx}{preview.gzip_size - est.gzip_size:,d}")
    console.print(table)
    if reencoded:
        console.print(f"[dim]Rewriting the module re-encodes padded LEB128 sizes "
                      f"({max(reencoded):,d} B); that is not what stripping removes.[/]")
    if not preview.gzip_exact:
        console.print("[dim]≈ gzip -9 estimated (file over 4 MiB): the whole file from "
                      "samples, within ~3%; savings are what the removed sections compress "
                      "to on their own. --exact-gzip for exact figures.[/]")
    if est is not None and est.error:
        console.print(f"[yellow]wasm-opt: {esc(est.error)}[/]")
    console.print("[dim]write one with: workbench strip FILE -o OUT "
                  + esc("[--keep name,producers]") + "[/]")
