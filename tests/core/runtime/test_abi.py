"""ABI detection on exports/imports triples (the reader-backed entry point shares the logic)."""

from __future__ import annotations

from workbench.core.abi.detect import ExportInfo, ImportInfo, detect_from
from workbench.core.wasm.model import FuncType

T = "i32"
EDGE = [ExportInfo("memory", "memory"), ExportInfo("alloc", "func", FuncType((T,), (T,))),
        ExportInfo("handle", "func", FuncType((T, T), (T,)))]


def test_edge_ok() -> None:
    rep = detect_from(EDGE, [ImportInfo("edge", "log", "func", FuncType((T, T, T), ()))])
    assert rep.name == "edge" and rep.ok and rep.problems == ()


def test_edge_wrong_handle_type() -> None:
    exports = EDGE[:2] + [ExportInfo("handle", "func", FuncType((T,), (T,)))]
    rep = detect_from(exports, [])
    assert rep.name == "edge" and not rep.ok
    assert rep.problems == ("export `handle` has type (i32) -> i32, expected (i32, i32) -> i32",)


def test_edge_missing_memory_and_bad_import() -> None:
    rep = detect_from(EDGE[1:], [ImportInfo("env", "abort", "func"),
                                 ImportInfo("edge", "fetch", "func", FuncType((), ()))])
    text = " | ".join(rep.problems)
    assert "missing export `memory`" in text
    assert "`env.abort`" in text
    assert "unknown host function `edge.fetch`" in text


def test_wagi() -> None:
    rep = detect_from([ExportInfo("_start", "func", FuncType((), ())),
                       ExportInfo("memory", "memory")],
                      [ImportInfo("wasi_snapshot_preview1", "fd_write", "func")])
    assert rep.name == "wagi" and rep.ok and rep.wasi


def test_unknown_names_found_exports() -> None:
    rep = detect_from([ExportInfo("main", "func", FuncType((), ()))], [])
    assert rep.name == "unknown" and not rep.ok
    assert "`main` (func)" in rep.problems[0] and "handle" in rep.problems[0]
    assert rep.to_json()["ok"] is False


def test_misspelled_host_function_and_article() -> None:
    rep = detect_from(EDGE, [ImportInfo("edge", "kv_gett", "func"),
                             ImportInfo("env", "abort", "func")])
    text = " | ".join(rep.problems)
    assert "which an edge handler cannot have" in text
    assert "`edge.kv_gett` (did you mean `edge.kv_get`? known:" in text


def test_an_imported_edge_memory_is_not_called_an_unknown_function() -> None:
    rep = detect_from(EDGE[1:], [ImportInfo("edge", "memory", "memory")])
    text = " | ".join(rep.problems)
    assert "imports a memory `edge.memory`" in text and "exports its own memory" in text
    assert "unknown host function" not in text
