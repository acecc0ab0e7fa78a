"""`json_line` writes exactly what `json.dumps(record.to_json())` writes, on records built
from random parts: unicode and control characters, secrets, binary and oversized bodies,
oversized headers, guest logs with fields, errors and every optional field unset."""

from __future__ import annotations

import json
import random

from workbench.core.runtime.result import LogLine
from workbench.core.runtime.secrets import Secrets
from workbench.services.serve.record import BODY_CAP, HEADERS_CAP, Phases, ServeRecord
from workbench.services.serve.record_line import json_line

ALPHABET = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "€",
            "𝄞", "\u2028", "/", "<", "sekret", "TOKEN-1"]


def _text(rng: random.Random, n: int = 12) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, n)))


def _body(rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return b""
    if kind == 1:
        return _text(rng, 40).encode()
    if kind == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    if kind == 3:  # over the cap, with a character split by the cut
        return ("x" * (BODY_CAP - 1) + "é" * 3).encode()
    if kind == 4:
        return b"token sekret in a body"
    return "ünïcödé".encode()


def _headers(rng: random.Random) -> tuple[tuple[str, str], ...]:
    if rng.random() < 0.1:  # over the headers cap
        return tuple((f"x-{i}", "v" * 1000) for i in range(HEADERS_CAP // 1000 + 5))
    return tuple((_text(rng, 6) or "h", _text(rng)) for _ in range(rng.randint(0, 4)))


def _num(rng: random.Random) -> float | None:
    return None if rng.random() < 0.3 else rng.choice([0.0, 1.25, 3.14159, 1e-7, 12345.678,
                                                       rng.random() * 1e6])


def _record(rng: random.Random) -> ServeRecord:
    secrets = rng.choice([None, Secrets(), Secrets({"K": "sekret", "T": "TOKEN-1"})])
    logs = tuple(LogLine(rng.random() * 100, rng.choice(["info", "warn"]), _text(rng),
                         rng.choice([None, {"a": _text(rng), "n": 3}]),
                         rng.choice(["log", "stdout"])) for _ in range(rng.randint(0, 2)))
    error = rng.random() < 0.3
    return ServeRecord(
        time=rng.random() * 2e9, client=rng.choice(["127.0.0.1", "::1", ""]),
        method=rng.choice(["GET", "POST", "BREW"]), target="/" + _text(rng),
        status=rng.choice([200, 404, 500, 503]),
        answered_by=rng.choice(["module", "hook", "server"]),
        route=rng.choice([None, "/", "/api"]), module=rng.choice([None, "m", "é"]),
        build=rng.choice([None, 1, 12]), hook_rule=rng.choice([None, "rule-" + _text(rng)]),
        phases=Phases(_num(rng), _num(rng), _num(rng), _num(rng), _num(rng),
                      rng.random() * 1e4),
        fuel=rng.choice([None, 0, 4, 2**40]), bytes_in=rng.randint(0, 10**7),
        bytes_out=rng.randint(0, 10**7),
        error_kind="trap" if error else None, error=_text(rng) if error else None,
        mode=rng.choice([None, "warm", "fresh"]), logs=logs,
        request_headers=_headers(rng), request_body=_body(rng),
        response_headers=_headers(rng), response_body=_body(rng),
        handler_target=rng.choice([None, "/x?" + _text(rng)]),
        inline=rng.random() < 0.5, secrets=secrets)


def test_json_line_is_json_dumps_of_to_json() -> None:
    rng = random.Random(11)
    for _ in range(600):
        rec = _record(rng)
        expected = json.dumps(rec.to_json(), separators=(",", ":"))
        assert json_line(rec) == expected


def test_secrets_never_reach_the_line() -> None:
    rng = random.Random(5)
    seen = 0
    for _ in range(300):
        rec = _record(rng)
        if rec.secrets:
            seen += 1
            line = json_line(rec)
            assert "sekret" not in line and "TOKEN-1" not in line
            json.loads(line)
    assert seen > 50


def test_repeated_messages_reuse_their_text_and_changes_show() -> None:
    """The memo of the latest request/response text: equal headers and body give the
    same text; a changed body, header or secrets object never gets the old one."""
    rng = random.Random(7)
    base = _record(rng)._replace(secrets=None, request_headers=(("h", "1"),),
                                 request_body=b"a", response_headers=(), response_body=b"")
    variants = [
        base, base,
        base._replace(request_body=b"b"),
        base._replace(request_headers=(("h", "2"),)),
        base._replace(request_headers=(("h", "2"),)),
        base._replace(request_body=b"TOKEN-1", secrets=Secrets({"T": "TOKEN-1"})),
        base._replace(request_body=b"TOKEN-1"),
        base._replace(response_body=b"TOKEN-1", secrets=Secrets({"T": "TOKEN-1"})),
        base._replace(response_body=b"TOKEN-1"),
    ]
    for r in variants:
        assert json_line(r) == json.dumps(r.to_json(), separators=(",", ":"))
    assert "TOKEN-1" not in json_line(variants[5]) and "TOKEN-1" in json_line(variants[6])
