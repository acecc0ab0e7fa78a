"""Run workbench's Hurl reader over a corpus of .hurl files kept outside the project.

    python3 benchmarks/hurl_corpus.py /path/to/corpus [--verbose]
    (or HURL_CORPUS=/path/to/corpus python3 benchmarks/hurl_corpus.py)

The folder holds `ok/` (files Hurl accepts: third-party files and Hurl's integration
tests_ok / tests_failed, which parse) and `error_parser/` (files Hurl's parser rejects).
File names are `owner__repo__path.hurl`, so the number of repositories is counted from them.

Printed: files and repositories; crashes (a Python exception other than a typed
RequestFileError, while parsing or building/replaying the requests against a stub
handler); rejections without file:line (and `error_parser/` ones without :column);
"not supported" rejections by feature; other
rejections of `ok/` files with file:line; silent drops (an independent line scan: the
items under each [Asserts], [Captures], [Query]/[QueryStringParams], [FormParams],
[Cookies] and [Options] section, and the request lines, counted in the source and compared
with what the parser kept; each assert/capture line compared with the text the parser
kept); `error_parser/` files wrongly accepted; and the share of `ok/` files that run
(parsed and every request built).
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
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.replay import replay

_NAME = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")
_URL_VAR = re.compile(r"^\s*[A-Z]+[ \t]+\{\{\s*([A-Za-z_][\w-]*)\s*\}\}", re.M)
_REQUEST = re.compile(r"^[ \t]*[A-Z]+[ \t]+(https?://|\{\{)")
_SECTION = re.compile(r"^[ \t]*\[([A-Za-z]+)\][ \t]*(#.*)?$")
_QUERIES = {"status", "version", "url", "header", "certificate", "cookie", "body", "bytes",
            "xpath", "jsonpath", "regex", "variable", "duration", "sha256", "md5", "ip",
            "redirects", "fuel"}
_COUNTED = {"Asserts", "Captures", "Query", "QueryStringParams", "FormParams", "Form",
            "Cookies", "Options"}


def variables(text: str) -> dict[str, str]:
    """Every {{name}} of the file defined, as `--variable` flags would: a name the URL
    starts with gets a base URL, the others "1"."""
    out = {m: "1" for m in _NAME.findall(text)}
    out.update({m: "http://localhost:8000" for m in _URL_VAR.findall(text)})
    return out


class _Run:
    def __init__(self, response: Response) -> None:
        self.response, self.timing, self.fuel, self.error, self.hook = \
            response, {"total": 100.0}, 1, None, None


class _EchoHarness:
    """Answers every request with JSON and a cookie: exercises rendering, queries,
    filters and predicates at replay time (outcomes are not checked, crashes are)."""

    def run(self, request: Request, mode: str = "fresh", hooks: object = None) -> _Run:
        body = json.dumps({"method": request.method, "target": request.target, "n": 1,
                           "list": [1, 2], "s": "a, b"}).encode()
        return _Run(Response(200, (("Content-Type", "application/json"),
                                   ("Set-Cookie", "a=b; Path=/; Max-Age=5")), body))


def _strip(line: str) -> str:
    """The line without a trailing comment (a '#' outside quotes) and outer blanks."""
    quote = False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            quote = not quote
        elif ch == "#" and not quote and (i == 0 or line[i - 1] != "\\"):
            return line[:i].strip()
    return line.strip()


def section_items(lines: list[str]) -> Counter[str]:
    """Lines under each counted section, scanned without the parser."""
    out: Counter[str] = Counter()
    current: str | None = None
    for line in lines:
        m = _SECTION.match(line)
        if m:
            current = m.group(1) if m.group(1) in _COUNTED else None
            continue
        if _REQUEST.match(line) or re.match(r"^[ \t]*HTTP", line):
            current = None
            continue
        if not current or not _strip(line) or line.lstrip().startswith("#"):
            continue
        word = line.split(None, 1)[0]
        if (word not in _QUERIES) if current == "Asserts" else ":" not in line:
            current = None  # the expected body
            continue
        out[current] += 1
    return out


_HEADER = re.compile(r"^[ \t]*(?:[\w.\-@$!%&'*+^|~]|\\.|\{\{[^}]*\}\})+[ \t]*(?::|;[ \t]*$)")


def header_lines(lines: list[str]) -> int:
    """Request header lines: after a request line, up to a section, a response line or
    the first line that is not `name: value` / `name;` (the body)."""
    n, inside = 0, False
    for line in lines:
        stripped = line.strip()
        if _REQUEST.match(line):
            inside = True
            continue
        if not inside or not stripped or stripped.startswith("#"):
            continue
        if _SECTION.match(line) or stripped.startswith("HTTP") or not _HEADER.match(line):
            inside = False
            continue
        n += 1
    return n


def silent_drops(text: str, entries: list[SavedRequest]) -> list[str]:
    """What the source says that the parsed entries do not hold."""
    lines = text.removeprefix("\ufeff").split("\n")
    found: list[str] = []
    kept: Counter[str] = Counter()
    for e in entries:
        kept["Asserts"] += sum(1 for a in e.asserts if not a.implicit)
        kept["Captures"] += len(e.captures)
        spec = e.spec
        if spec is not None:
            kept["Query"] += len(spec.query)
            kept["Form"] += len(spec.form or ())
            kept["Cookies"] += len(spec.cookies)
        if e.options is not None:
            kept["Options"] += sum(1 for _ in e.options.lines) + max(
                0, len(e.options.variables) - ("variable" in e.options.lines))
        for item in (*(a for a in e.asserts if not a.implicit), *e.captures):
            src = _strip(lines[item.line - 1])
            if " ".join(src.split()) != " ".join(_strip(item.text).split()):
                found.append(f"line {item.line}: kept {item.text!r} of {src!r}")
    seen = section_items(lines)
    for a, b in (("Query", "QueryStringParams"), ("Form", "FormParams")):
        seen[a] += seen.pop(b, 0)
    for name in ("Asserts", "Captures", "Query", "Form", "Cookies"):
        if seen[name] != kept[name]:
            found.append(f"[{name}]: {seen[name]} lines, {kept[name]} kept")
    headers = sum(len(e.spec.headers) for e in entries if e.spec is not None)
    if header_lines(lines) != headers:
        found.append(f"{header_lines(lines)} request header lines, {headers} headers kept")
    requests = sum(1 for ln in lines if _REQUEST.match(ln))
    if requests > len(entries):
        found.append(f"{requests} request lines, {len(entries)} entries kept")
    return found


def classify(path: Path) -> tuple[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return "not-utf8", ""
    try:
        entries = parse_hurl(text, file=str(path), variables=variables(text))
    except RequestFileError as e:
        if not re.search(r":\d+$", e.where or ""):
            return "no-line", e.message
        kind = "not-supported" if e.message.startswith("not supported") else "rejected"
        return kind, f"{e.message} ({Path(e.where or '').name})"
    except Exception as e:  # noqa: BLE001 - a crash is what this script counts
        return "crash", f"parse: {type(e).__name__}: {e}"
    drops = silent_drops(text, entries)
    if drops:
        return "silent-drop", "; ".join(drops)
    try:
        for entry in entries:  # every request builds (placeholders bound at replay are
            if entry.spec is not None and not entry.captures:  # built by the replay)
                entry.spec.render({**variables(text), **dict(entry.spec.variables)},
                                  preview=True)
        replay(entries, _EchoHarness())
    except RequestFileError as e:
        return "rejected", f"build: {e.message} ({Path(e.where or '').name})"
    except Exception as e:  # noqa: BLE001
        return "crash", f"build/replay: {type(e).__name__}: {e}"
    return "runs", ""


def _feature(why: str) -> str:
    text = why.removeprefix("not supported: ")
    text = re.sub(r" \([^()]*\.hurl(:\d+)+\)$", "", text)  # the file:line(:column)
    return text.split(" (supported", 1)[0].split(": ", 1)[0][:70]


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0] if args else os.environ.get("HURL_CORPUS", ""))
    if not root.is_dir() or not (root / "ok").is_dir():
        print("usage: hurl_corpus.py FOLDER (with ok/ and error_parser/ subfolders)")
        return 2
    verbose = "--verbose" in sys.argv
    ok = sorted((root / "ok").rglob("*.hurl"))
    bad = sorted((root / "error_parser").rglob("*.hurl"))
    owners = ["__".join(f.name.split("__")[:2]) if f.name.count("__") >= 2 else
              "Orange-OpenSource__hurl" for f in (*ok, *bad)]
    hurls = owners.count("Orange-OpenSource__hurl")
    print(f"corpus {root}: {len(ok) + len(bad)} files from {len(set(owners))} repositories "
          f"({len(ok)} valid, {len(bad)} Hurl parse errors; {hurls} are Hurl's own tests, "
          f"{len(owners) - hurls} third-party)")
    counts: Counter[str] = Counter()
    unsupported: Counter[str] = Counter()
    third: Counter[str] = Counter()  # outcomes of the third-party valid files
    for f in ok:
        kind, why = classify(f)
        counts[kind] += 1
        if f.name.count("__") >= 2 and not f.name.startswith("Orange-OpenSource__hurl__"):
            third[kind] += 1
        if kind == "not-supported":
            unsupported[_feature(why)] += 1
        if kind != "runs" and (verbose or kind in ("crash", "silent-drop", "no-line",
                                                   "rejected")):
            print(f"  ok/{f.name}: {kind}: {why[:160]}")
    wrong = no_column = 0
    for f in bad:
        kind, why = classify(f)
        if kind in ("rejected", "not-supported") and not re.search(r"\.hurl:\d+:\d+\)$", why):
            no_column += 1
            print(f"  error_parser/{f.name}: no column: {why[:120]}")
        if kind in ("crash", "no-line"):
            counts[kind] += 1
            print(f"  error_parser/{f.name}: {kind}: {why[:160]}")
        elif kind in ("runs", "silent-drop"):
            wrong += 1
            print(f"  error_parser/{f.name}: ACCEPTED")
        elif verbose:
            print(f"  error_parser/{f.name}: {kind}: {why[:100]}")
    runs = counts["runs"]
    print(f"crashes {counts['crash']}, rejections without file:line {counts['no-line']}, "
          f"silent drops {counts['silent-drop']}, false accepts {wrong}/{len(bad)}, "
          f"parse errors without a column {no_column}")
    print(f"valid files: runs {runs}, not supported {counts['not-supported']}, "
          f"rejected otherwise {counts['rejected']}, not UTF-8 {counts['not-utf8']}")
    print(f"valid files that run: {100 * runs / (len(ok) or 1):.1f}% "
          f"(third-party only: {third['runs']}/{sum(third.values())}, "
          f"{100 * third['runs'] / (sum(third.values()) or 1):.1f}%)")
    for feature, n in unsupported.most_common():
        print(f"  not supported: {feature}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
