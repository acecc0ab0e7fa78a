"""`workbench inspect --by retained|dominators|paths|garbage|monos|crate` (in-process)."""

from __future__ import annotations

import json

import pytest

from tests.core.test_callgraph import GRAPH_WAT, _module_with_body
from tests.wat import wat
from workbench.cli import main


@pytest.fixture
def module_file(tmp_path):
    path = tmp_path / "graph.wasm"
    path.write_bytes(wat(GRAPH_WAT))
    return path


@pytest.mark.parametrize("by", ["retained", "dominators", "garbage", "monos", "crate"])
def test_json_views_add_up_to_the_file(module_file, capsys, by: str) -> None:
    assert main(["inspect", "--json", "--by", by, str(module_file)]) == 0
    doc = json.loads(capsys.readouterr().out)
    view, size = doc["view"], doc["size"]
    assert view["total"] == size
    if by in ("retained", "garbage"):
        assert view["reachable"] + view["unreachable"] == size
    if by == "dominators":
        assert sum(r["retained"] for r in view["rows"] if r["depth"] == 0) == size
    if by == "crate":
        assert sum(r["size"] for r in view["rows"]) == size
    if by == "garbage":
        assert {r["name"] for r in view["rows"]} == {"dead", "dead2", "data[1]"}


def test_paths_json_and_text(module_file, capsys) -> None:
    assert main(["inspect", "--json", "--by", "paths", "--item", "only_a",
                 str(module_file)]) == 0
    (item,) = json.loads(capsys.readouterr().out)["view"]["items"]
    assert item["path"] == ["<module>", "export 'run'", "run", "a", "only_a"]
    assert main(["inspect", "--by", "paths", "--item", "only_a", str(module_file)]) == 0
    out = capsys.readouterr().out
    assert "<module> → export 'run' → run → a → only_a" in out


def test_paths_needs_an_item(module_file, capsys) -> None:
    assert main(["inspect", "--by", "paths", str(module_file)]) == 2
    assert "--by paths needs --item" in capsys.readouterr().err


def test_unknown_item_is_a_usage_error(module_file, capsys) -> None:
    assert main(["inspect", "--by", "paths", "--item", "nope", str(module_file)]) == 2
    assert "no function, data segment or section named 'nope'" in capsys.readouterr().err


def test_text_views_render(module_file, capsys) -> None:
    for by in ("retained", "dominators", "garbage", "monos", "crate"):
        assert main(["inspect", "--by", by, "--top", "3", str(module_file)]) == 0
        out = capsys.readouterr().out
        assert "total" in out and f"{module_file.stat().st_size:,d}" in out


def test_malformed_body_exits_1_with_offset(tmp_path, capsys) -> None:
    path = tmp_path / "bad.wasm"
    path.write_bytes(_module_with_body(b"\x00\xff\x0b"))
    assert main(["inspect", "--json", "--by", "retained", str(path)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["error"]["kind"] == "malformed" and "unknown opcode" in doc["error"]["message"]
    assert doc["error"]["offset"] == len(path.read_bytes()) - 2
    assert main(["inspect", "--by", "retained", str(path)]) == 1
    assert "malformed: " in capsys.readouterr().out
