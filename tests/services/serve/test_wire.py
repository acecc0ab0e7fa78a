"""services.serve.wire: the open-files limit, the error page's log-line cap, the protocol
log handler's filter."""

from __future__ import annotations

import logging
import resource

import pytest

from workbench.services.serve.wire import BusHandler, capped_log_line, raise_open_files_limit


def test_the_soft_open_files_limit_is_raised_to_the_hard_one() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard < 300:
        pytest.skip(f"hard limit {hard}: nothing to raise to here")
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        assert raise_open_files_limit() == (256, hard)
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (hard, hard)
        assert raise_open_files_limit() == (hard, hard)  # nothing left to raise
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_capped_log_line() -> None:
    assert capped_log_line({"message": "short"}, 10) == {"message": "short"}
    assert capped_log_line({"message": "x" * 2500}, 2000)["message"] == \
        "x" * 2000 + " …[500 more characters in the log]"


class _Notes:
    def __init__(self) -> None:
        self.notes: list[tuple[str, str]] = []

    def note(self, kind: str, message: str) -> None:
        self.notes.append((kind, message))


def test_bus_handler_keeps_warnings_and_debug_records_with_an_exception() -> None:
    notes = _Notes()
    log = logging.getLogger("test.wire.bus")
    log.propagate, log.handlers[:] = False, [BusHandler(notes, "server_error")]
    log.setLevel(logging.DEBUG)
    log.debug("chatter")  # dropped
    log.debug("Error handling request", exc_info=ValueError("BadHttpMethod"))
    log.error("socket.accept() out of system resource\nsecond line",
              exc_info=OSError(24, "Too many open files"))
    assert notes.notes == [
        ("server_error", "Error handling request: ValueError: BadHttpMethod"),
        ("server_error", "socket.accept() out of system resource second line: OSError: "
                         "[Errno 24] Too many open files")]
