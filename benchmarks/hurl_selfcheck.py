"""Replay Hurl files against the responses they describe, and list the asserts that fail.

    python3 benchmarks/hurl_selfcheck.py FOLDER [--all]

A differential check of queries, filters and predicates against expectations written by
others: an entry whose response part gives an expected body (JSON, XML, ```...```,
`...`, base64,/hex,) is answered with that body, its implicit status and its implicit
headers (Content-Type added for JSON/XML bodies), and its explicit [Asserts] are
evaluated. Hurl's own integration tests (the `ok/` files of a corpus, see
hurl_corpus.py) assert values that hold for the bodies they carry, so an assert that fails
here is either a workbench bug or an assert about something the body does not carry
(duration, redirects, cookies, url...): the output lists them for a human to judge.
Entries without an expected body are answered 200 with an empty body and not reported.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.replay import replay

sys.path.insert(0, str(Path(__file__).parent))
from hurl_corpus import variables  # noqa: E402

SKIPPED_QUERIES = {"duration", "url", "redirects", "cookie", "certificate", "ip", "version"}


def described(entry: SavedRequest) -> Response | None:
    """The response an entry describes, when it gives an expected body."""
    status, headers, body, kind = 200, [], None, None
    for a in entry.asserts:
        if not a.implicit:
            continue
        if a.query == "status" and isinstance(a.value, int):
            status = a.value
        elif a.query == "header" and isinstance(a.value, str) and "{{" not in a.value:
            headers.append((str(a.arg), a.value))
        elif a.query in ("body", "bytes") and a.predicate == "==":
            body, kind = a.value, a.arg
    if body is None:
        return None
    data = body if isinstance(body, bytes) else str(body).encode()
    if not any(k.lower() == "content-type" for k, _ in headers):
        stripped = data.lstrip()
        if kind == "json" or stripped[:1] in (b"{", b"["):
            headers.append(("Content-Type", "application/json"))
        elif stripped[:1] == b"<":
            headers.append(("Content-Type", "application/xml"))
    return Response(status, tuple(headers), data)


class _Run:
    def __init__(self, response: Response) -> None:
        self.response, self.timing, self.fuel, self.error, self.hook = \
            response, {"total": 1.0}, 1, None, None


class _SelfHarness:
    def __init__(self, entries: list[SavedRequest]) -> None:
        self.answers = [described(e) for e in entries]
        self.i = 0

    def run(self, request: Request, mode: str = "fresh", hooks: Any = None) -> _Run:
        answer = self.answers[min(self.i, len(self.answers) - 1)]
        self.i += 1
        return _Run(answer or Response(200, (), b""))


def check(path: Path) -> tuple[int, list[str]]:
    text = path.read_text(encoding="utf-8")
    try:
        entries = parse_hurl(text, file=str(path), variables=variables(text))
    except RequestFileError:
        return 0, []
    harness = _SelfHarness(entries)
    report = replay(entries, harness)
    evaluated, failures = 0, []
    for result, answer in zip(report.entries, harness.answers, strict=False):
        if answer is None:
            continue
        for r in result.results:
            if r.assertion.implicit or r.assertion.query in SKIPPED_QUERIES:
                continue
            evaluated += 1
            if not r.passed:
                failures.append(f"{path.name}:{r.assertion.line}: {r.message}")
    return evaluated, failures


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args or not Path(args[0], "ok").is_dir():
        print("usage: hurl_selfcheck.py FOLDER (a corpus with ok/)")
        return 2
    files = sorted(Path(args[0], "ok").glob("*.hurl"))
    if "--all" not in sys.argv:  # Hurl's own tests carry bodies that match their asserts
        files = [f for f in files if "__" not in f.name or f.name.startswith("Orange")]
    total, failed = 0, []
    for f in files:
        n, fails = check(f)
        total += n
        failed += fails
    for line in failed:
        print(" ", line[:200])
    print(f"{len(files)} files, {total} asserts checked against the bodies the files "
          f"describe, {len(failed)} failed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
