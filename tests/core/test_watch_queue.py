"""The pure build queue: debounce, one build per module, newest change wins. No clock."""

from __future__ import annotations

from workbench.core.build.queue import BuildQueue


def drive(queue: BuildQueue, events: list[tuple[float, str]], until: float,
          build_s: float = 0.0, step: float = 0.005) -> list[tuple[float, str]]:
    """Simulate time: feed (time, module) changes, start due builds, finish them after
    `build_s`. Returns (start time, module) of every build."""
    started: list[tuple[float, str]] = []
    running: dict[str, float] = {}
    pending = sorted(events)
    t = 0.0
    while t <= until:
        while pending and pending[0][0] <= t:
            _, module = pending.pop(0)
            queue.change(module, "src.c", t)
        for module, end in list(running.items()):
            if end <= t:
                queue.finished(module)
                del running[module]
        for due in queue.due(t):
            started.append((t, due.module))
            running[due.module] = t + build_s
        t = round(t + step, 6)
    return started


def test_fifty_saves_in_one_second_make_one_build() -> None:
    q = BuildQueue(0.075)
    saves = [(i * 0.02, "m") for i in range(50)]
    builds = drive(q, saves, until=2.0)
    assert len(builds) == 1
    assert 0.98 + 0.075 - 1e-6 <= builds[0][0] <= 0.98 + 0.075 + 0.006


def test_saves_during_a_slow_build_queue_exactly_one_more() -> None:
    q = BuildQueue(0.05)
    saves = [(0.0, "m")] + [(0.2 + i * 0.02, "m") for i in range(50)]
    builds = drive(q, saves, until=5.0, build_s=0.5)
    # first build at 0.05; saves from 0.2 supersede it; after it ends (0.55) the queue
    # waits for quiet (last save 1.18 + 0.05) and builds once more
    assert len(builds) == 2
    assert builds[0][0] < 0.1 and builds[1][0] >= 1.18 + 0.05 - 1e-6


def test_change_during_build_reports_superseded_once() -> None:
    q = BuildQueue(0.05)
    q.change("m", "a.c", 0.0)
    assert [d.module for d in q.due(0.05)] == ["m"]
    assert q.is_building("m")
    assert q.change("m", "a.c", 0.06) is True  # cancel the running build
    assert q.change("m", "b.c", 0.07) is False  # already superseded
    assert q.due(1.0) == []  # still building: nothing starts twice
    q.finished("m")
    (due,) = q.due(1.0)
    assert due.changed == ("a.c", "b.c") and due.first_change == 0.06


def test_modules_are_independent() -> None:
    q = BuildQueue(0.1)
    q.change("a", "x", 0.0)
    q.change("b", "y", 0.05)
    assert [d.module for d in q.due(0.1)] == ["a"]
    assert q.next_deadline() is not None and abs(q.next_deadline() - 0.15) < 1e-9
    assert [d.module for d in q.due(0.15)] == ["b"]


def test_debounce_restarts_on_each_change() -> None:
    q = BuildQueue(0.1)
    q.change("m", "x", 0.0)
    q.change("m", "x", 0.09)
    assert q.due(0.15) == []
    assert [d.module for d in q.due(0.19)] == ["m"]


def test_request_is_due_at_once() -> None:
    q = BuildQueue(0.5)
    q.request("m", 10.0, "start")
    (due,) = q.due(10.0)
    assert due.changed == ("start",)
