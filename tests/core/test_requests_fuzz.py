"""Mangled request and hooks files raise only the typed errors (never a traceback)."""

from __future__ import annotations

import random
from pathlib import Path

from workbench.core.errors import HooksError, RequestFileError
from workbench.core.hooks.rules import parse_hooks
from workbench.core.requests.curl import parse_curl
from workbench.core.requests.http_file import parse_http_file
from workbench.core.requests.hurl import parse_hurl

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "requests"
ALPHABET = ' \n\t#[]{}"`\\/:,.=*?$@-_0123456789aAzZ|<>()'


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(4)
        if op == 0:
            text = text[:i] + text[i + 1:]
        elif op == 1:
            text = text[:i] + rng.choice(ALPHABET) + text[i:]
        elif op == 2:
            lines = text.split("\n")
            j = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[j])
            text = "\n".join(lines)
        else:
            text = text[:i] + text[i + rng.randint(1, 20):]
    return text


def test_mangled_hurl_http_and_curl() -> None:
    rng = random.Random(1234)
    hurl = (FIXTURES / "api.hurl").read_text()
    http = (FIXTURES / "api.http").read_text()
    curl = "curl -X POST 'https://h.example/p?q=1' -H 'A: b' --data-raw '{\"a\": 1}' -s"
    variables = {"host": "h"}
    outcomes = {"parsed": 0, "rejected": 0}
    for _ in range(250):
        for parse, src in ((parse_hurl, hurl), (parse_http_file, http)):
            text = mutate(src, rng)
            try:
                parse(text, file="f", variables=variables)
                outcomes["parsed"] += 1
            except RequestFileError as err:  # names the file and a line inside it
                assert err.file == "f" and 0 <= err.line <= text.count("\n") + 1, err
                outcomes["rejected"] += 1
        try:
            parse_curl(mutate(curl, rng))
            outcomes["parsed"] += 1
        except RequestFileError as err:
            assert err.message, err
            outcomes["rejected"] += 1
    # both outcomes must occur, or the mutations are not exercising the parsers
    assert outcomes["parsed"] > 50 and outcomes["rejected"] > 50, outcomes


def test_mangled_hooks() -> None:
    from tests.core.test_hooks import CONTRACT_EXAMPLE
    from tests.core.test_hooks_fastpath import MIXED

    rng = random.Random(99)
    outcomes = {"parsed": 0, "rejected": 0}
    for _ in range(250):
        for src in (CONTRACT_EXAMPLE, MIXED):
            try:
                parse_hooks(mutate(src, rng), file="h.toml")
                outcomes["parsed"] += 1
            except HooksError as err:
                assert err.file.startswith("h.toml") and err.message, err
                outcomes["rejected"] += 1
    assert outcomes["parsed"] > 20 and outcomes["rejected"] > 200, outcomes


def test_assertion_token_soup() -> None:
    from workbench.core.requests.hurl_asserts import parse_assert

    tokens = ["status", "header", "body", "jsonpath", "duration", "fuel", "count", "not",
              "==", "<", "matches", "exists", "contains", '"x"', '"$.a[0]"', '"\\u{41}"',
              '"\\u{zz}"', '"\\u{', "/a(/", "/\\d+/", "1", "-2.5e3", "true", "null", "#c",
              '"unterminated', "$..a", '"$[?(@)]"', "|", "startsWith"]
    rng = random.Random(5)
    outcomes = {"parsed": 0, "rejected": 0}
    for _ in range(2000):
        line = " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 6)))
        try:
            parse_assert(line, file="f", line=1)
            outcomes["parsed"] += 1
        except RequestFileError as err:
            assert (err.file, err.line) == ("f", 1), err
            outcomes["rejected"] += 1
    assert outcomes["parsed"] >= 1 and outcomes["rejected"] > 1000, outcomes
