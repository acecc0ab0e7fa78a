"""A small, fixed version of benchmarks/fuzz_wasm.py: a C module with DWARF and data,
and a component, cut at every section boundary, with section sizes and vector counts set
to 2**32-1, sections duplicated, dropped and swapped, and every custom section (names,
.debug_*) damaged; each through inspect (human, --json, --by data/retained/dominators),
strip, check and purity in process. Exit status 0, 1 or 2, a failure names the file,
never an exception. (The benchmark runs thousands of such inputs, generated and
third-party; this keeps the shapes that found bugs.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cmodules import c_data_module
from tests.wat import wat
from workbench.cli import main
from workbench.core.wasm.leb import encode_u

HUGE = b"\xff\xff\xff\xff\x0f"


def _split(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """(id, offset of the id byte, payload start, payload), read here independently."""
    out, p = [], 8
    while p < len(data):
        size = shift = 0
        q = p + 1
        while True:
            b = data[q]
            q += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        out.append((data[p], p, q, data[q:q + size]))
        p = q + size
    return out


def _join(head: bytes, pieces: list[tuple[int, bytes]]) -> bytes:
    return head + b"".join(bytes([i]) + encode_u(len(p)) + p for i, p in pieces)


def _variants(label: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    secs = _split(data)
    pieces = [(sid, payload) for sid, _, _, payload in secs]
    head = data[:8]
    for _, off, start, payload in secs:
        for cut in (off + 1, start, start + len(payload) - 1):
            yield f"{label}-cut{cut}", data[:cut]
    for i, (sid, off, start, payload) in enumerate(secs):
        yield f"{label}-s{i}-size", data[:off + 1] + HUGE + data[start:]
        rest = pieces[:i] + pieces[i + 1:]
        yield f"{label}-s{i}-drop", _join(head, rest)
        yield f"{label}-s{i}-dup", _join(head, pieces[:i + 1] + pieces[i:])
        if sid and payload:
            yield f"{label}-s{i}-count", _join(head, pieces[:i] + [(sid, HUGE + payload[1:])]
                                                + pieces[i + 1:])
        if sid == 0:
            n = payload[0]  # custom section names here are shorter than 128 bytes
            body = payload[1 + n:]
            for how, new in (("half", body[:len(body) // 2]), ("ff", b"\xff" * len(body))):
                yield f"{label}-s{i}-{how}", _join(head, pieces[:i] + [
                    (0, payload[:1 + n] + new)] + pieces[i + 1:])


def _inputs() -> list[tuple[str, bytes]]:
    core = wat('(module (memory (export "memory") 1) (func (export "f"))'
               ' (data (i32.const 8) "some data"))')
    component = b"\0asm\x0d\0\x01\0\x01" + encode_u(len(core)) + core
    out = list(_variants("c", c_data_module())) + list(_variants("comp", component))
    return out


COMMANDS = (["inspect", "{f}"], ["inspect", "{f}", "--json"],
            ["inspect", "{f}", "--by", "data", "--json"],
            ["inspect", "{f}", "--by", "retained", "--json"],
            ["inspect", "{f}", "--by", "dominators"], ["strip", "{f}"],
            ["check", "{f}", "--json"], ["purity", "{f}", "--growth", "3"])


def test_damaged_modules_through_every_reading_subcommand(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = _inputs()
    assert len(inputs) > 120
    seen: set[int] = set()
    for name, data in inputs:
        f = tmp_path / f"{name}.wasm"
        f.write_bytes(data)
        for argv in COMMANDS:
            args = [a.format(f=f) for a in argv]
            try:
                status = main(args)
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{name}: {' '.join(argv)} raised {exc!r}")
            out = capsys.readouterr()
            text = out.out + out.err
            assert status in (0, 1, 2), (name, argv, status)
            assert "Traceback (most recent call last)" not in text, (name, argv)
            if status == 2 or (status == 1 and "--json" not in argv):
                assert f.name in text or f.stem in text, (name, argv, text[:300])
            seen.add(status)
    assert seen == {0, 1, 2}
