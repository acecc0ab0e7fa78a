"""Run workbench's Hurl reader over a corpus of third-party .hurl files and count outcomes.

    HURL_CORPUS=/path/to/corpus python3 benchmarks/hurl_corpus.py [--verbose]

The corpus folder holds `ok/` (files Hurl accepts: its integration tests_ok and other
public files) and `error_parser/` (files Hurl's parser rejects). The corpus itself is not
part of the repository. Figures: crashes (a Python exception other than a typed
RequestFileError) while parsing or while replaying against a stub handler, rejections
without file:line, `ok/` files parsed (and replayed without a crash) vs rejected "not
supported" vs rejected otherwise, and `error_parser/` files wrongly accepted.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay


def _variables(text: str) -> dict[str, str]:
    """Every {{name}} of the file defined (corpus files get them from --variable flags)."""
    return {m: "x" for m in re.findall(r"\{\{\s*([A-Za-z][\w-]*)\s*\}\}", text)}


class _Run:
    def __init__(self, response: Response) -> None:
        self.response, self.timing, self.fuel, self.error, self.hook = \
            response, {"total": 100.0}, 1, None, None


class _EchoHarness:
    """Answers every request with a JSON/HTML-ish body and a cookie: exercises queries,
    filters and predicates at replay time (outcomes are not checked, crashes are)."""

    def run(self, request: Request, mode: str = "fresh", hooks: object = None) -> _Run:
        body = json.dumps({"method": request.method, "target": request.target, "n": 1,
                           "list": [1, 2], "s": "a, b"}).encode()
        return _Run(Response(200, (("Content-Type", "application/json"),
                                   ("Set-Cookie", "a=b; Path=/; Max-Age=5")), body))


def replay_crashes(path: Path, text: str) -> str:
    """'' when replaying the parsed file raised nothing untyped, else the exception."""
    try:
        entries = parse_hurl(text, file=str(path), variables=_variables(text))
        replay(entries, _EchoHarness())
    except RequestFileError:
        return ""
    except Exception as e:  # noqa: BLE001 - a crash is what this script counts
        return f"{type(e).__name__}: {e}"
    return ""


def classify(path: Path) -> tuple[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return "not-utf8", ""
    try:
        parse_hurl(text, file=str(path), variables=_variables(text))
    except RequestFileError as e:
        where_ok = re.search(r":\d+$", e.where or "") is not None
        kind = "not-supported" if e.message.startswith("not supported") else "rejected"
        return (kind if where_ok else "no-line"), e.message
    except Exception as e:  # noqa: BLE001 - a crash is what this script counts
        return "crash", f"{type(e).__name__}: {e}"
    crash = replay_crashes(path, text)
    return ("replay-crash", crash) if crash else ("parsed", "")


def main() -> int:
    root = Path(os.environ.get("HURL_CORPUS", ""))
    if not root.is_dir():
        print("set HURL_CORPUS to a folder with ok/ and error_parser/ subfolders")
        return 2
    verbose = "--verbose" in sys.argv
    for group in ("ok", "error_parser"):
        counts: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        files = sorted((root / group).rglob("*.hurl"))
        for f in files:
            kind, why = classify(f)
            counts[kind] += 1
            if kind != "parsed":
                reasons[re.sub(r"'[^']*'", "'…'", why)[:70]] += 1
            if verbose and (kind in ("crash", "no-line") or (group == "ok") != (kind == "parsed")):
                print(f"  {group}/{f.name}: {kind}: {why[:120]}")
        total = len(files) or 1
        print(f"{group}: {len(files)} files: " + ", ".join(f"{k} {v}" for k, v in
                                                          sorted(counts.items())))
        if group == "ok":
            print(f"  parsed: {100 * counts['parsed'] / total:.1f}%")
        else:
            print(f"  wrongly accepted: {counts['parsed']}")
        for why, n in reasons.most_common(12 if verbose else 0):
            print(f"    {n:3d} {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
