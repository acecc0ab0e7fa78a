"""`workbench hooks`: validate, list, and evaluate without a module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_hooks import CONTRACT_EXAMPLE
from workbench.cli import main


@pytest.fixture
def hooks_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hooks.toml").write_text(CONTRACT_EXAMPLE)
    return tmp_path / "hooks.toml"


def test_list_rules(hooks_file: Path, capsys) -> None:
    assert main(["hooks", str(hooks_file)]) == 0
    out = capsys.readouterr().out
    assert "4 rules, valid" in out and "old-blog" in out and "(continues)" in out


def test_evaluate_request_json(hooks_file: Path, capsys) -> None:
    assert main(["hooks", str(hooks_file), "--path", "/blog/x?a=1", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["rule"] == "old-blog"
    assert result["response"]["headers"] == [["location", "https://blog.example.com/x?a=1"]]


def test_evaluate_saved_requests(hooks_file: Path, capsys) -> None:
    (hooks_file.parent / "r.hurl").write_text(
        "GET http://localhost/healthz\n# @client-ip 8.8.8.8\nGET http://localhost/admin/x\nGET http://localhost/other\n")
    assert main(["hooks", str(hooks_file), "--requests", "r.hurl"]) == 0
    out = capsys.readouterr().out
    assert "GET /healthz: answered 200 by health" in out
    assert "GET /admin/x: answered 403 by admin-office-only" in out
    assert "GET /other: goes to the module" in out


def test_bad_file_exits_2(hooks_file: Path, capsys) -> None:
    hooks_file.write_text('[[rule]]\nname = "x"\nwhen = { path_regex = "(" }\naction = "log"\n')
    assert main(["hooks", str(hooks_file)]) == 2
    err = capsys.readouterr().err
    assert "hooks.toml:3: rule 'x', field 'when.path_regex'" in err


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--path", "healthz"], "'healthz' is not a request path"),
    (["--path", "/x", "--client-ip", "1.2.3"], "'1.2.3' is not an IP address"),
    (["--header", "x-a:1"], "--header and --client-ip describe the request of --path"),
    (["-X", "POST"], "--header and --client-ip describe the request of --path"),
])
def test_request_flag_mistakes(hooks_file: Path, capsys, argv, fragment) -> None:
    assert main(["hooks", str(hooks_file), *argv]) == 2
    assert fragment in capsys.readouterr().err


def test_requests_without_entries_exits_2(hooks_file: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "none").mkdir()
    assert main(["hooks", str(hooks_file), "--requests", str(tmp_path / "none")]) == 2
    assert "no saved requests" in capsys.readouterr().err
