"""benchmarks/hostile_inputs.py judges what the sweep saw: its rules are tested too."""

from __future__ import annotations

from pathlib import Path

from benchmarks import hostile_inputs as hi

hc = hi.hc  # hostile_inputs imports its sibling as a script would


def _case(**kw: object) -> hc.Case:
    return hc.Case(**{"group": "replay", "name": "x", "argv": ["replay"],  # type: ignore[arg-type]
                      "codes": (2,), **kw})


def test_judge_rules() -> None:
    case = _case(want=("t.hurl:1:2:",))
    assert hi.judge(case, 2, "workbench: t.hurl:1:2: bad") is None
    assert "traceback" in (hi.judge(case, 1, "Traceback (most recent call last):\nX: y") or "")
    assert "exit 1, expected 2" in (hi.judge(case, 1, "workbench: t.hurl:1:2: bad") or "")
    assert "lacks" in (hi.judge(case, 2, "workbench: t.hurl:1: bad") or "")
    assert "characters of output" in (hi.judge(case, 2, "workbench: t.hurl:1:2:" + "a" * 70_000)
                                      or "")
    assert "without a 'workbench" in (hi.judge(_case(), 2, "oops") or "")
    checked = _case(check=lambda: "the store lost 'kept'")
    assert hi.judge(checked, 2, "workbench: x") == "the store lost 'kept'"


def test_two_real_cases(tmp_path: Path) -> None:
    ok = _case(group="import-curl", argv=["import-curl", "-"], codes=(0,),
               stdin=b"curl https://h/x -H $'X: \\u00e9'")
    bad = _case(group="import-curl", argv=["import-curl", "-"], codes=(2,),
                stdin=b"curl 'https://h/", want=(":1:6:",))
    for case in (ok, bad):
        problem, _ = hi.run_case(case, tmp_path)
        assert problem is None
