"""Compiler output -> Diagnostic records, for each supported format (captured real output)."""

from __future__ import annotations

from pathlib import Path

from workbench.core.build.diagnostics import (
    Diagnostic,
    parse_any,
    parse_asc,
    parse_clang,
    parse_rustc,
    parse_wat,
    relative_diagnostics,
)

CLANG = """In file included from main.c:12:
./edge.h:140:16: warning: unused function 'req_header' [-Wunused-function]
  140 | static slice_t req_header(const request_t *r, const char *name) {
      |                ^~~~~~~~~~
main.c:1:11: error: expected parameter declarator
    1 | int main( { return 0 }
      |           ^
main.c:1:9: note: to match this '('
2 errors generated.
"""

LINKER = """wasm-ld: error: /root/.cache/zig/o/51f8/link.o: undefined symbol: missing
wasm-ld: error: /root/.cache/zig/o/51f8/link.o: undefined symbol: missing
wasm-ld: error: symbol exported via --export not found: nothere
"""

ZIG = """bad.zig:1:43: error: use of undeclared identifier 'q'
export fn handle(p: i32) i32 { return p + q; }
                                          ^
"""

RUSTC = """   Compiling handler v0.1.0 (/work/handler)
error[E0425]: cannot find value `q` in this scope
 --> src/lib.rs:3:9
  |
3 |     p + q
  |         ^ not found in this scope

warning: unused variable: `x`
  --> src/lib.rs:7:9
   |
error: aborting due to 1 previous error
"""

WAT = ("unknown operator or unexpected token\n     --> <anon>:4:25\n      |\n"
       "    4 |   (func $g (param i32) (unknown_op)))\n      |                         ^")

ASC = """ERROR TS2304: Cannot find name 'q'.
    :
  3 │   return p + q;
    │              ~
    └─ in assembly/index.ts(3,14)

FAILURE 1 parse error(s)
"""


def test_clang_errors_warnings_notes_in_order() -> None:
    got = parse_clang(CLANG)
    assert got == (
        Diagnostic("./edge.h", 140, 16, "warning",
                   "unused function 'req_header' [-Wunused-function]"),
        Diagnostic("main.c", 1, 11, "error", "expected parameter declarator"),
        Diagnostic("main.c", 1, 9, "note", "to match this '('"),
    )
    assert str(got[1]) == "main.c:1:11: error: expected parameter declarator"


def test_linker_errors_deduplicated_without_location() -> None:
    got = parse_clang(LINKER)
    assert [d.message for d in got] == [
        "/root/.cache/zig/o/51f8/link.o: undefined symbol: missing",
        "symbol exported via --export not found: nothere",
    ]
    assert all(d.file is None and d.severity == "error" for d in got)


def test_zig() -> None:
    assert parse_clang(ZIG) == (
        Diagnostic("bad.zig", 1, 43, "error", "use of undeclared identifier 'q'"),)


def test_bare_error_line_when_nothing_else_matches() -> None:
    text = "error: unable to parse target query 'wasm32-wasip1': UnknownOperatingSystem\n"
    got = parse_clang(text)
    assert got == (Diagnostic(None, None, None, "error",
                              "unable to parse target query 'wasm32-wasip1': "
                              "UnknownOperatingSystem"),)


def test_rustc() -> None:
    assert parse_rustc(RUSTC) == (
        Diagnostic("src/lib.rs", 3, 9, "error", "cannot find value `q` in this scope [E0425]"),
        Diagnostic("src/lib.rs", 7, 9, "warning", "unused variable: `x`"),
    )
    assert parse_any(RUSTC) == parse_rustc(RUSTC)


def test_wat() -> None:
    assert parse_wat(WAT, "hello.wat") == (
        Diagnostic("hello.wat", 4, 25, "error", "unknown operator or unexpected token"),)
    assert parse_wat("something odd", "x.wat") == (
        Diagnostic("x.wat", None, None, "error", "something odd"),)


def test_assemblyscript() -> None:
    assert parse_asc(ASC) == (
        Diagnostic("assembly/index.ts", 3, 14, "error", "Cannot find name 'q'. [TS2304]"),)
    assert parse_any(ASC) == parse_asc(ASC)


def test_to_json_and_location() -> None:
    d = Diagnostic(None, None, None, "error", "boom")
    assert d.location() == "<build>" and d.to_json()["message"] == "boom"


def test_str_without_a_file_has_no_placeholder() -> None:
    assert str(Diagnostic(None, None, None, "error", "undefined symbol: x")) == \
        "error: undefined symbol: x"


def test_files_are_made_relative_to_the_module_folder(tmp_path: Path) -> None:
    root = tmp_path / "mod"
    diags = (Diagnostic("./edge.h", 1, 2, "warning", "w"),
             Diagnostic(str(root / "src" / "a.c"), 3, 4, "error", "e"),
             Diagnostic("/usr/lib/zig/std/mem.zig", 5, 6, "note", "n"),
             Diagnostic(None, None, None, "error", "link"))
    got = relative_diagnostics(diags, root)
    assert [d.file for d in got] == ["edge.h", "src/a.c", "/usr/lib/zig/std/mem.zig", None]
