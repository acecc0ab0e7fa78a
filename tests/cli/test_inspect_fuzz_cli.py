"""Mutated modules through the whole CLI (inspect human/JSON/--by/--diff, strip, check):
an exit status of 0, 1 or 2 and a message, never a traceback from any layer (reader, DWARF,
size views, rich rendering). Deterministic; a few seconds at most."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.cmodules import c_modules
from workbench.cli import main

CASES = 40


def _mutate(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        pos = rng.randrange(len(buf))
        what = rng.randrange(3)
        if what == 0:
            buf[pos] ^= 1 << rng.randrange(8)
        elif what == 1:
            buf[pos] = rng.randrange(256)
        else:
            del buf[pos:pos + rng.randint(1, 8)]
    return bytes(buf)


def test_mutated_modules_never_crash_the_cli(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    source = c_modules()["dwarf5"]
    old = tmp_path / "old.wasm"
    old.write_bytes(source)
    rng = random.Random(20261121)
    path = tmp_path / "m.wasm"
    statuses: set[int] = set()
    for case in range(CASES):
        path.write_bytes(_mutate(rng, source))
        for argv in (["inspect", str(path)], ["inspect", str(path), "--json"],
                     ["inspect", str(path), "--by", "source"],
                     ["inspect", str(path), "--diff", str(old)], ["strip", str(path)],
                     ["check", str(path), "--max-bytes", "10"]):
            try:
                status = main(argv)
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"case {case} {argv[0]} {argv[2:]} raised {exc!r}")
            assert status in (0, 1, 2), (case, argv)
            statuses.add(status)
            out = capsys.readouterr()
            assert "Traceback" not in out.out + out.err
    assert {0, 1} <= statuses  # both readable and unreadable mutants were exercised
