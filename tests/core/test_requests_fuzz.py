"""Mangled request and hooks files raise only the typed errors (never a traceback)."""

from __future__ import annotations

import random
from pathlib import Path

from workbench.core.curl import parse_curl
from workbench.core.errors import HooksError, RequestFileError
from workbench.core.hooks import parse_hooks
from workbench.core.http_file import parse_http_file
from workbench.core.hurl import parse_hurl

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
    for _ in range(250):
        for parse, src in ((parse_hurl, hurl), (parse_http_file, http)):
            try:
                parse(mutate(src, rng), file="f", variables=variables)
            except RequestFileError:
                pass
        try:
            parse_curl(mutate(curl, rng))
        except RequestFileError:
            pass


def test_mangled_hooks() -> None:
    from tests.core.test_hooks import CONTRACT_EXAMPLE
    from tests.core.test_hooks_fastpath import MIXED

    rng = random.Random(99)
    for _ in range(250):
        for src in (CONTRACT_EXAMPLE, MIXED):
            try:
                parse_hooks(mutate(src, rng), file="h.toml")
            except HooksError:
                pass


def test_assertion_token_soup() -> None:
    from workbench.core.hurl_asserts import parse_assert

    tokens = ["status", "header", "body", "jsonpath", "duration", "fuel", "count", "not",
              "==", "<", "matches", "exists", "contains", '"x"', '"$.a[0]"', '"\\u{41}"',
              '"\\u{zz}"', '"\\u{', "/a(/", "/\\d+/", "1", "-2.5e3", "true", "null", "#c",
              '"unterminated', "$..a", '"$[?(@)]"', "|", "startsWith"]
    rng = random.Random(5)
    for _ in range(2000):
        line = " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 6)))
        try:
            parse_assert(line, file="f", line=1)
        except RequestFileError:
            pass
