"""Which wasmtime calls release the GIL (core/runtime/fastcall.py, docs/serve.md).

Guest code must run with the GIL released (a handler looping until its timeout must not
stop the dev server's event loop or any other thread); the calls that run no guest code
keep it (releasing and re-taking it cost ~40 us each under load)."""

from __future__ import annotations

import ctypes
import threading
import time

from tests.wat import wat
from workbench.core.http import Request
from workbench.core.runtime import fastcall
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.limits import Limits

PYTHONAPI = ctypes._FUNCFLAG_PYTHONAPI  # type: ignore[attr-defined]


def test_guest_calls_release_the_gil_and_the_rest_keep_it() -> None:
    assert not fastcall._call_unchecked._flags_ & PYTHONAPI  # guest code: released
    for fn in (fastcall._set_fuel, fastcall._get_fuel, fastcall._set_deadline,
               fastcall._mem_data, fastcall._mem_size, fastcall._increment_epoch,
               fastcall._memmove):
        assert fn._flags_ & PYTHONAPI, fn  # no guest code: the GIL is kept


def test_python_runs_while_a_guest_loops() -> None:
    """A handler looping until its 2 s timeout in one thread; this thread keeps running
    Python all along: its longest pause is far below the guest's 2 s (held GIL: >= 2 s)."""
    loop = wat('''(module (memory (export "memory") 1)
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "handle") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0)))''')
    # a guest call keeping the GIL would hang here (the epoch ticker needs the GIL): fail
    assert not fastcall._call_unchecked._flags_ & PYTHONAPI
    h = Harness(loop, limits=Limits(timeout_ms=2000, fuel=10**15))
    h.run(Request(), "warm")  # compile and instantiate before the measured call
    done = threading.Event()
    result: list[object] = []

    def run() -> None:
        result.append(h.run(Request(), "warm"))
        done.set()

    t = threading.Thread(target=run)
    t.start()
    last = time.monotonic()
    longest = 0.0
    while not done.is_set():
        now = time.monotonic()
        longest = max(longest, now - last)
        last = now
    t.join()
    (r,) = result
    assert r.error is not None and r.error.kind == "timeout"  # type: ignore[attr-defined]
    assert r.timing["handler"] > 1_900_000  # type: ignore[attr-defined]  # us: it looped
    assert longest < 1.0, longest  # a GIL held by the guest would pause us >= 2 s
