"""Mutated Hurl files: never a crash, every rejection names file:line (line >= 1)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from workbench.core.errors import RequestFileError
from workbench.core.http import Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay

from .test_requests_hurl_differential import CASES, FakeHarness

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [p.read_text() for p in sorted((ROOT / "sample_modules").glob("*/requests/*.hurl"))]
SEEDS += [(ROOT / "tests" / "fixtures" / "requests" / "api.hurl").read_text()]
SEEDS += [c[0] for c in CASES]
SEEDS += ['GET http://h/a\nHTTP 200\n[Captures]\nt: jsonpath "$.a" nth 0 redact\n[Asserts]\n'
          'xpath "string(//p)" == "x"\ncookie "a[Path]" == "/"\nbody == ```\nx\n```\n',
          'POST http://h/a\n[Options]\nretry: 2\ndelay: 1s\nvariable: v={{x}}\n'
          '```graphql\n{ a }\nvariables {"x": 1}\n```\nHTTP/2 200\n']
TOKENS = ["{{", "}}", "```", "`", "#", "\\", "\\u{", "\"", "[Asserts]", "[Captures]",
          "[Options]", "HTTP ", "HTTP/1.1 200", "base64,", "hex,", "file,", ";", ":", "\n",
          "[", "]", "{", "}", "/", " == ", " not ", "jsonpath ", "<a>", "\ufeff", "\r"]


STUB = Response(200, (("Content-Type", "application/json"), ("Set-Cookie", "a=b; Path=/")),
                json.dumps({"a": [1, "x"], "p": "<p>x</p>"}).encode())


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(5)
        if op == 0:
            text = text[:i] + text[i + rng.randint(1, 8):]
        elif op == 1:
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == 2:
            lines = text.split("\n")
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
            text = "\n".join(lines)
        elif op == 3:
            text = text[:i] + chr(rng.randrange(32, 0x2FF)) + text[i:]
        else:
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
    return text


def test_mutated_hurl_files_raise_only_typed_errors_with_a_line() -> None:
    rng = random.Random(20261127)
    outcomes = {"parsed": 0, "rejected": 0}
    for n in range(3000):
        text = mutate(rng.choice(SEEDS), rng)
        variables = {"host": "h", "x": "1", "name": "n"}
        try:
            entries = parse_hurl(text, file="m.hurl", variables=variables)
        except RequestFileError as e:
            outcomes["rejected"] += 1
            assert e.where is not None and e.where.startswith("m.hurl:"), (n, text, e)
            line = int(e.where.split(":")[1])  # m.hurl:LINE or m.hurl:LINE:COLUMN
            assert line == e.line and 1 <= line <= text.count("\n") + 2, (n, text, e)
            if e.column is not None:
                assert 1 <= e.column <= len(text.split("\n")[line - 1]) + 1, (n, text, e)
        else:
            outcomes["parsed"] += 1
            runnable = [e for e in entries if e.options is None]  # no delays in a unit test
            report = replay(runnable, FakeHarness(lambda r: STUB))  # evaluation never raises
            assert len(report.entries) == len(runnable)
    assert outcomes["parsed"] > 100 and outcomes["rejected"] > 1000, outcomes


def test_pathological_inputs_finish() -> None:
    for text in ("GET http://h/a\n" + "[" * 5000 + "\n", "GET http://h/a\n" + "{{" * 3000,
                 "GET http://h/a\nHTTP 200\n[Asserts]\n" + "body == \"" + "\\" * 4000,
                 "GET http://h/a\n```\n" + "x\n" * 20000, "\n" * 50000,
                 "GET http://h/a\n<a>" + "<b>" * 3000 + "\n"):
        try:
            parse_hurl(text, file="p.hurl")
        except RequestFileError as e:
            assert e.where is not None and e.where.startswith("p.hurl:")
