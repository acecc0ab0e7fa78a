"""Writing the headless log without ever blocking the event loop.

`workbench serve | less`, paused, stops reading: a write to the full pipe then blocks
whoever makes it, and when that was the event loop every client hung. A `LineWriter`
takes batches of whole lines on the loop (a lock, an append, a notify: no system call)
and a daemon thread writes them with `os.write`. What waits is bounded (`LIMIT`
characters, a few seconds of a busy server's JSON lines): a batch that does not fit is
dropped and its lines counted, and as soon as the reader reads again one line says how
many were lost (`notice(count)`), in their place in the stream.

The thread writes with `os.write` on the file descriptor, never through `sys.stdout`'s
buffer: a daemon thread blocked inside a buffered write holds the buffer's lock, and the
interpreter's exit flush would then abort the process ("could not acquire lock ... at
interpreter shutdown"). A stream without a descriptor (a test's capture) is written to at
once on the caller's thread: it is memory and cannot block.
"""

from __future__ import annotations

import contextlib
import io
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TextIO

LIMIT = 4 * 1024 * 1024  # characters waiting to be written before batches are dropped
CHUNK = 65536  # bytes per write (Linux's default pipe size)


class LineWriter:
    """Whole lines to `stream` from a thread; `put` never blocks. `notice(n)` is the line
    (without newline) that reports n dropped lines; `on_closed()` is called once, from the
    writer thread, when the reader has gone (EPIPE)."""

    def __init__(self, stream: TextIO | None, notice: Callable[[int], str], *,
                 limit: int = LIMIT, on_closed: Callable[[], None] | None = None):
        self.stream, self.notice, self.limit = stream, notice, limit
        self.on_closed = on_closed
        self.fd = _fileno(stream)
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self.closed = stream is None  # nothing to write to (stdout closed at start)
        self.dropped_total = 0  # lines dropped since the start (not written, ever)
        self._cond = threading.Condition()
        self._queue: deque[tuple[str, int]] = deque()  # (text ending in "\n", lines)
        self._chars = 0  # characters queued or being written
        self._lines = 0  # lines queued or being written (a notice: the lines it reports)
        self._dropped = 0  # lines dropped since the last notice
        self._stopping = False
        self._thread: threading.Thread | None = None

    def put(self, text: str, lines: int) -> None:
        """Queue `text` (whole lines, each ending in a newline; `lines` of them)."""
        if self.fd is None:
            if not self.closed:
                self._write_stream(text)
            return
        with self._cond:
            if self.closed:
                return
            if self._chars + len(text) > self.limit:
                self._dropped += lines
                self.dropped_total += lines
                return
            if self._dropped:  # the gap goes before the lines that follow it
                self._enqueue(self.notice(self._dropped) + "\n", self._dropped)
                self._dropped = 0
            self._enqueue(text, lines)
            self._cond.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="serve-log", daemon=True)
            self._thread.start()

    def close(self, timeout: float) -> int:
        """Write what is queued, waiting at most `timeout` seconds for the reader; returns
        how many lines are lost and were never reported by a notice (still queued at the
        deadline, or dropped since the last notice). A write blocked at the deadline may
        have put some of its lines in the pipe already: up to a `CHUNK` of lines counted
        lost may yet reach the reader."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            while self._thread is not None and not self.closed and \
                    (self._lines or self._dropped):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return 0 if self.closed else self._dropped + self._lines

    def _enqueue(self, text: str, lines: int) -> None:
        self._queue.append((text, lines))
        self._chars += len(text)
        self._lines += lines

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    if self._dropped:  # the reader caught up: say what it missed
                        self._enqueue(self.notice(self._dropped) + "\n", self._dropped)
                        self._dropped = 0
                        break
                    if self._stopping or self.closed:
                        return
                    self._cond.wait()
                text, lines = self._queue.popleft()
            self._write_item(text, lines)
            if self.closed:
                if self.on_closed is not None:
                    self.on_closed()
                return

    def _write_item(self, text: str, lines: int) -> None:
        """Write one queued batch; what waits is counted down as its lines go out (a
        notice's lines, the ones it reports, when it is written whole)."""
        assert self.fd is not None
        data = text.encode(self.encoding, "replace")
        view = memoryview(data)
        pos = done = 0  # bytes written; lines of the batch counted as written
        while pos < len(data):
            try:  # a pipe's size at a time: a write returns as the reader takes each
                n = os.write(self.fd, view[pos:pos + CHUNK])
            except BlockingIOError:  # a descriptor someone made non-blocking
                select.select([], [self.fd], [], 1.0)
                continue
            except BrokenPipeError:  # the reader is gone (`| head -1`, `less` quit)
                with self._cond:
                    self.closed = True
                    self._queue.clear()
                    self._cond.notify_all()
                return
            except OSError:  # an I/O error (disk full...): the rest is dropped, counted
                with self._cond:
                    self._dropped += lines - done
                    self.dropped_total += lines - done
                    self._lines -= lines - done
                    self._chars -= len(text)
                    self._cond.notify_all()
                return
            newlines = data.count(b"\n", pos, pos + n)
            pos += n
            k = lines - done if pos == len(data) else min(newlines, lines - done - 1)
            if k > 0:
                with self._cond:
                    done += k
                    self._lines -= k
                    self._cond.notify_all()
        with self._cond:
            self._chars -= len(text)
            self._cond.notify_all()

    def _write_stream(self, text: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write(text)
            self.stream.flush()
        except (BrokenPipeError, ValueError):  # closed
            self.closed = True


def _fileno(stream: TextIO | None) -> int | None:
    if stream is None:
        return None
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    with contextlib.suppress(OSError, ValueError):
        stream.flush()  # anything printed before goes first
    return fd
