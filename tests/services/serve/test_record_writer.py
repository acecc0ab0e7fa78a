"""`LineWriter` on a real pipe: `put` never blocks, a full queue drops whole batches and
counts their lines, the notice lands where the lines went missing, `close` is bounded."""

from __future__ import annotations

import io
import os
import select
import time

import pytest

from workbench.cli.commands.serve import ServeLog
from workbench.services.serve.record_writer import CHUNK, LineWriter


def _notice(n: int) -> str:
    return f"DROPPED {n}"


def _drain(fd: int, until: bytes, timeout: float = 10.0) -> bytes:
    data, deadline = b"", time.monotonic() + timeout
    while until not in data:
        assert time.monotonic() < deadline, data[-200:]
        if select.select([fd], [], [], 0.2)[0]:
            data += os.read(fd, 1 << 16)
    return data


def test_a_full_queue_drops_counted_batches_and_says_so_in_place() -> None:
    r, w = os.pipe()
    wfile = os.fdopen(w, "w")
    writer = LineWriter(wfile, _notice, limit=10_000)
    batch = "x" * 999 + "\n"  # one line of 1,000 characters
    t0 = time.monotonic()
    for i in range(400):  # 400 KB: the pipe (64 KiB) and the queue (10 KB) fill
        writer.put(f"{i:04d}" + batch[4:], 1)
    assert time.monotonic() - t0 < 5  # never waited for the reader
    assert writer.dropped_total > 300
    writer.put("late\n", 1)  # still no room: dropped too
    data = _drain(r, b"DROPPED")
    writer.put("last\n", 1)  # the reader reads again: room
    data += _drain(r, b"last\n")
    lines = data.decode().splitlines()
    numbers = [int(ln[:4]) for ln in lines if ln[:1].isdigit()]
    notices = [ln for ln in lines if ln.startswith("DROPPED")]
    assert len(notices) == 1 and lines[-1] == "last" and lines[-2] == notices[0]
    assert numbers == list(range(len(numbers)))  # kept lines: the first ones, in order
    assert int(notices[0].split()[1]) == 401 - len(numbers) == writer.dropped_total
    assert writer.close(1.0) == 0  # everything written or reported
    wfile.close()
    os.close(r)


def test_the_notice_comes_as_soon_as_the_reader_catches_up() -> None:
    r, w = os.pipe()
    wfile = os.fdopen(w, "w")
    writer = LineWriter(wfile, _notice, limit=5_000)
    for _ in range(200):
        writer.put("y" * 999 + "\n", 1)
    dropped = writer.dropped_total
    assert dropped > 0
    data = _drain(r, b"DROPPED")  # no further put: the writer thread writes it
    assert data.decode().splitlines()[-1] == f"DROPPED {dropped}"
    writer.close(1.0)
    wfile.close()
    os.close(r)


def test_close_is_bounded_when_nobody_reads_and_counts_what_is_lost() -> None:
    r, w = os.pipe()
    wfile = os.fdopen(w, "w")
    writer = LineWriter(wfile, _notice, limit=200_000)
    for _ in range(150):
        writer.put("z" * 999 + "\n", 1)
    t0 = time.monotonic()
    lost = writer.close(0.3)
    assert time.monotonic() - t0 < 2
    assert 50 < lost <= 150  # the pipe took ~65 lines, the rest was never written
    os.close(r)  # the writer thread, blocked, gets EPIPE and ends
    deadline = time.monotonic() + 5
    while not writer.closed:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    wfile.close()


def test_a_closed_pipe_calls_on_closed_once_and_drops_the_rest() -> None:
    r, w = os.pipe()
    os.close(r)
    calls: list[int] = []
    wfile = os.fdopen(w, "w")
    writer = LineWriter(wfile, _notice, on_closed=lambda: calls.append(1))
    writer.put("a\n", 1)
    deadline = time.monotonic() + 5
    while not calls:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    writer.put("b\n", 1)
    assert writer.closed and calls == [1] and writer.close(0.1) == 0
    wfile.close()


def test_a_stream_without_a_descriptor_is_written_at_once() -> None:
    buf = io.StringIO()
    writer = LineWriter(buf, _notice)
    writer.put("one\ntwo\n", 2)
    assert buf.getvalue() == "one\ntwo\n" and writer.close(0) == 0


def test_the_dropped_line_in_both_formats() -> None:
    import json

    doc = json.loads(ServeLog(True)._dropped_line(1234))
    assert doc["event"] == "log_dropped" and doc["count"] == 1234
    assert doc["message"].startswith("1,234 log lines dropped: the reader was not reading")
    assert set(doc) == {"event", "time", "message", "route", "module", "build", "count"}
    assert json.loads(ServeLog(True, 0)._dropped_line(5))["process"] == 0
    assert ServeLog(False, 2)._dropped_line(1) == (
        "workbench serve [2]: log_dropped: 1 log line dropped: the reader was not "
        "reading (the log keeps at most 4 MiB waiting)")


@pytest.mark.parametrize("first_read", [0, 30_000, 100_000])
def test_every_line_is_read_or_counted_when_the_reader_stops_for_good(
        first_read: int) -> None:
    """A reader that reads a little, then never again: at close, the lines read, the
    counts of the notices read and the count close() reports add up to every line."""
    import fcntl
    import termios

    r, w = os.pipe()
    wfile = os.fdopen(w, "w")
    writer = LineWriter(wfile, _notice, limit=10_000)
    for i in range(400):
        writer.put(f"{i:04d}" + "x" * 995 + "\n", 1)
    data = os.read(r, first_read) if first_read else b""  # the reader reads once...
    for i in range(400, 800):
        writer.put(f"{i:04d}" + "x" * 995 + "\n", 1)
    lost = writer.close(0.3)  # ...and never again
    buf = bytearray(4)
    fcntl.ioctl(r, termios.FIONREAD, buf)
    data += os.read(r, int.from_bytes(buf, "little"))  # what the pipe held at the close
    lines = data.decode().split("\n")[:-1]  # complete lines only
    read = [ln for ln in lines if len(ln) == 999]
    noticed = sum(int(ln.split()[1]) for ln in lines if ln.startswith("DROPPED"))
    # a write blocked at the close may have put part of its chunk in the pipe already
    assert 800 <= len(read) + noticed + lost <= 800 + CHUNK // 1000, (len(read), noticed, lost)
    os.close(r)
    wfile.close()
