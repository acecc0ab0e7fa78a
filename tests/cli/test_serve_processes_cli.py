"""`workbench serve --processes`: the flag's mistakes, and the log of one process kept
exactly as before (no `process` field, no `[N]` tag) while N > 1 tags every line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_serve_cli import Serve, _env
from tests.services.serve.helpers import edge_wat, write_module
from workbench.cli.commands.serve import ServeLog, parse_processes
from workbench.core.errors import UsageError
from workbench.services.serve.record import Phases, ServeEvent, ServeRecord
from workbench.services.serve.record_line import json_line

RECORD = ServeRecord(time=1795772189.971, client="127.0.0.1", method="GET", target="/x",
                     status=200, answered_by="module", route="/", module="m", build=2,
                     hook_rule=None, phases=Phases(total_us=12.5), fuel=7, bytes_in=0,
                     bytes_out=2, mode="warm", response_body=b"ok")
EVENT = ServeEvent(1795772189.5, "swapped", "m: swapped build 1 -> build 2", "/", "m", 2)


@pytest.mark.parametrize("value", ["0", "abc", "-1", "65", "2.5", ""])
def test_bad_processes_exit_2_with_where_and_hint(tmp_path: Path, value: str) -> None:
    mod = write_module(tmp_path / "m", edge_wat())
    r = subprocess.run([sys.executable, "-m", "workbench", "serve", str(mod), "--processes",
                        value, "--listen", "127.0.0.1:0"], capture_output=True, text=True,
                       env=_env(), timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "--processes" in r.stderr and "auto" in r.stderr
    assert "Traceback" not in r.stderr and "listening" not in r.stdout


def test_a_busy_port_with_processes_is_the_same_error(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "m", edge_wat())
    with Serve(str(mod), "--no-reload") as s:
        busy = subprocess.run([sys.executable, "-m", "workbench", "serve", str(mod),
                               "--processes", "2", "--listen", f"127.0.0.1:{s.port}"],
                              capture_output=True, text=True, env=_env(), timeout=60)
        assert s.get("/") == (200, b"ok")
    assert busy.returncode == 2 and "cannot listen" in busy.stderr
    assert "Traceback" not in busy.stderr
    assert not any("process" in d for d in s.docs())  # one process: no field at all


def test_the_log_of_one_process_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    one = ServeLog(True)
    one.item(RECORD)
    one.item(EVENT)
    human = ServeLog(False)
    human.item(RECORD)
    human.item(EVENT)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == json_line(RECORD)
    assert lines[1] == json.dumps(EVENT.to_json(), separators=(",", ":"))
    assert lines[2][2] == ":" and lines[2][12] == " "  # HH:MM:SS.mmm, then the client
    assert " 127.0.0.1 GET /x 200 m#2 " in lines[2] and "[" not in lines[2].split(" GET")[0]
    assert lines[3] == "workbench serve: m: swapped build 1 -> build 2"


def test_each_process_tags_its_lines(capsys: pytest.CaptureFixture[str]) -> None:
    for as_json in (True, False):
        log = ServeLog(as_json, 1)
        log.item(RECORD)
        log.item(EVENT)
    rec, ev, human_rec, human_ev = capsys.readouterr().out.splitlines()
    assert json.loads(rec) == {**json.loads(json_line(RECORD)), "process": 1}
    assert json.loads(ev) == {**EVENT.to_json(), "process": 1}
    clock = human_rec.split(" ", 1)[0]
    assert human_rec.startswith(f"{clock} [1] 127.0.0.1 GET /x 200 m#2 ")
    assert human_ev == "workbench serve [1]: m: swapped build 1 -> build 2"


def test_auto_is_one_process_per_core() -> None:
    assert parse_processes("auto") == (os.cpu_count() or 1)
    assert parse_processes("3") == 3
    with pytest.raises(UsageError) as e:
        parse_processes("0")
    assert e.value.where == "--processes" and "auto" in (e.value.hint or "")
