"""Hurl bodies (grammar rule `bytes`): JSON, XML, ``` multi-line strings, `one-line`
strings, `base64,...;`, `hex,...;` and `file,...;`.

`read_body(lines, i, file)` reads the body starting at line index i and returns it with the
index after it. A body that starts as one of these forms and then goes wrong (an
unterminated `base64,`, XML whose root never closes, JSON with a trailing comma) is an
error at its line, never "raw text".
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import xml.parsers.expat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.files import BODY_LIMIT, FileRefused, read_limited
from workbench.core.requests.hurl_json import scan_json
from workbench.core.requests.hurl_text import MULTILINE_ESCAPES, Cursor
from workbench.core.requests.template import Expr, Template

LANGS = ("base64", "hex", "json", "xml", "graphql")
ATTRIBUTES = ("escape", "novariable")
_B64 = re.compile(r"[A-Za-z0-9+/=\s]*")


@dataclass(frozen=True, slots=True)
class Body:
    """A parsed body. `kind`: json, xml, text, graphql, bytes or file."""

    kind: str
    line: int
    template: Template | None = None
    data: bytes | None = None
    variables: Template | None = None  # graphql `variables {...}`

    @property
    def content_type(self) -> str | None:
        """The Content-Type Hurl adds when the request has none."""
        return {"json": "application/json", "xml": "application/xml",
                "graphql": "application/json"}.get(self.kind)

    def render(self, variables: Mapping[str, Any], base: Path | None, file: str = "",
               preview: bool = False) -> bytes:
        if self.kind == "bytes":
            return self.data or b""
        assert self.template is not None
        text = self.template.render(variables)
        if self.kind == "file":
            return read_file_body(text, base, file, self.line, preview=preview)
        if self.kind == "graphql":
            doc: dict[str, Any] = {"query": text}
            if self.variables is not None:
                doc["variables"] = json.loads(self.variables.render(variables))
            return json.dumps(doc, ensure_ascii=False).encode()
        return text.encode()


def read_file_body(name: str, base: Path | None, file: str, line: int, *,
                   preview: bool = False) -> bytes:
    """A `file,name;` body, relative to the .hurl file's folder. Read when the request is
    sent; the load-time preview shows `file,name;` when the file is not there (yet).

    As Hurl's default `--file-root`, the file must resolve (symlinks followed) inside the
    .hurl file's folder: a saved request from someone else's repository cannot send
    /etc/passwd or ~/.ssh/id_rsa to a server. Only regular files are read (a FIFO would
    hang the replay, /dev/zero fill the memory), at most BODY_LIMIT bytes."""
    where = base if base is not None else Path.cwd()
    path = where / name
    if preview and not os.path.lexists(path):
        return f"file,{name};".encode()
    try:
        return read_limited(path, inside=where, limit=BODY_LIMIT)
    except FileRefused as e:
        outside = e.message.startswith("resolves to")
        hint = ("a file, body must be inside the .hurl file's folder (as Hurl's default "
                "--file-root): move or copy it there" if outside else
                e.hint or "file, paths are relative to the .hurl file's folder")
        raise RequestFileError(f"cannot read body file {name!r}: {e.message}", file=file,
                               line=line, hint=hint) from None


def read_body(lines: list[str], i: int, file: str) -> tuple[Body, int]:
    line_no = i + 1
    text = lines[i].lstrip(" \t")
    cur = Cursor(text, file, line_no, col0=len(lines[i]) - len(text))
    if text.startswith("```"):
        return _multiline(lines, i, file)
    if text.startswith("`"):
        t = cur.oneline_string()
        cur.expect_lt("the `string` body")
        return Body("text", line_no, template=t), i + 1
    for prefix in ("base64,", "hex,"):
        if text.startswith(prefix):
            return _encoded(lines, i, file, prefix)
    if text.startswith("file,"):
        cur.pos = 5
        name = cur.filename()
        if cur.peek() != ";":
            raise cur.fail("unterminated file, body: expected ';' after the file name")
        cur.pos += 1
        cur.expect_lt("the file, body")
        if not name.parts:
            raise cur.fail("file, body needs a file name")
        return Body("file", line_no, template=name), i + 1
    if text.startswith("<"):
        return _xml(lines, i, file)
    rest = "\n".join([text] + lines[i + 1:])
    template, end = scan_json(rest, file=file, line=line_no, col0=len(lines[i]) - len(text))
    consumed = rest[:end]
    last = i + consumed.count("\n")
    tail_start = end - (consumed.rfind("\n") + 1 if "\n" in consumed else 0)
    tail_line = lines[last].lstrip(" \t") if last == i else lines[last]
    tail = Cursor(tail_line, file, last + 1, tail_start)
    tail.expect_lt("the JSON body")
    return Body("json", line_no, template=template), last + 1


def _encoded(lines: list[str], i: int, file: str, prefix: str) -> tuple[Body, int]:
    """`base64,...;` / `hex,...;` (base64 may span lines), then only a comment."""
    line_no = i + 1
    chunks: list[str] = []
    j, text = i, lines[i].lstrip(" \t")[len(prefix):]
    while True:
        semi = text.find(";")
        chunks.append(text if semi < 0 else text[:semi])
        if semi >= 0:
            break
        j += 1
        if prefix == "hex," or j >= len(lines):
            raise RequestFileError(f"unterminated {prefix} body: expected ';'", file=file,
                                   line=line_no, hint=f"write {prefix}...; on one line")
        text = lines[j]
    payload = "".join(chunks)
    tail = Cursor(text, file, j + 1, semi + 1)
    tail.expect_lt(f"the {prefix} body")
    try:
        if prefix == "hex,":
            if not re.fullmatch(r"[0-9A-Fa-f\s]*", payload):
                raise ValueError("not hex digits")
            data = bytes.fromhex(payload)
        else:
            if not _B64.fullmatch(payload):
                raise ValueError("not base64 characters")
            data = base64.b64decode(re.sub(r"\s", "", payload), validate=True)
    except (binascii.Error, ValueError) as e:
        raise RequestFileError(f"invalid {prefix[:-1]} body: {e}", file=file,
                               line=line_no) from None
    return Body("bytes", line_no, data=data), j + 1


def _xml(lines: list[str], i: int, file: str) -> tuple[Body, int]:
    """An XML document: from `<` to the end of its root element (read with expat)."""
    line_no = i + 1
    parser = xml.parsers.expat.ParserCreate()
    depth = [0]
    done: list[tuple[int, int]] = []

    def end(_name: str) -> None:
        depth[0] -= 1
        if depth[0] == 0 and not done:
            done.append((parser.CurrentLineNumber, parser.CurrentColumnNumber))

    def start(_name: str, _attrs: Any) -> None:
        depth[0] += 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    taken: list[str] = []
    for j in range(i, len(lines)):
        text = lines[j].lstrip(" \t") if j == i else lines[j]
        taken.append(text)
        try:
            parser.Parse(text + "\n", False)
        except xml.parsers.expat.ExpatError as e:
            if done:  # trailing text after the root element
                break
            indent = len(lines[i]) - len(lines[i].lstrip(" \t")) if e.lineno == 1 else 0
            raise RequestFileError(f"invalid XML body: {xml.parsers.expat.ErrorString(e.code)}",
                                   file=file, line=line_no + e.lineno - 1,
                                   column=indent + e.offset + 1) from None
        if done:
            row, col = done[0]
            last = i + row - 1
            src = taken[row - 1]
            close = src.find(">", col) + 1
            body = "\n".join(taken[:row - 1] + [src[:close]])
            Cursor(src, file, last + 1, close).expect_lt("the XML body")
            return Body("xml", line_no, template=Template.of(body)), last + 1
    raise RequestFileError("unterminated XML body: the root element is never closed",
                           file=file, line=line_no,
                           column=len(lines[i]) - len(lines[i].lstrip(" \t")) + 1)


def _multiline(lines: list[str], i: int, file: str) -> tuple[Body, int]:
    line_no = i + 1
    head = lines[i].lstrip(" \t")[3:]
    close = head.find("```")
    if close >= 0:  # the older one-line form ```text```
        cur = Cursor(head, file, line_no)
        t = _content(cur, close, escape=False, novariable=False)
        Cursor(head, file, line_no, close + 3).expect_lt("the ```string``` body")
        return Body("text", line_no, template=t), i + 1
    cur = Cursor(head, file, line_no)
    m = re.compile(r"[A-Za-z0-9_-]+").match(head)
    lang: str | None = None
    attrs: list[str] = []
    words: list[str] = []
    if m:
        words.append(m.group(0))
        cur.pos = m.end()
        while cur.peek() == ",":
            cur.pos += 1
            wm = re.compile(r"[A-Za-z0-9_-]*").match(head, cur.pos)
            assert wm is not None
            words.append(wm.group(0))
            cur.pos = wm.end()
    for n, w in enumerate(words):
        if n == 0 and w in LANGS:
            lang = w
        elif w in ATTRIBUTES:
            attrs.append(w)
        else:
            raise cur.fail(f"unknown multi-line string type or attribute {w!r}",
                           hint="after ``` write one of " + ", ".join(LANGS)
                                + " then optionally ,escape ,novariable")
    cur.expect_lt("```" + ",".join(words))
    # the content: every following line up to the closing ```
    j = i + 1
    content: list[str] = []
    while j < len(lines):
        k = lines[j].find("```")
        if k >= 0:
            content.append(lines[j][:k])
            Cursor(lines[j], file, j + 1, k + 3).expect_lt("the closing ```")
            break
        content.append(lines[j] + "\n")
        j += 1
    else:
        raise RequestFileError("unterminated ``` multi-line string", file=file, line=line_no,
                               hint="close it with ``` on its own line")
    raw = "".join(content)
    joined = Cursor(raw, file, line_no + 1)
    t = _content(joined, len(raw), escape="escape" in attrs, novariable="novariable" in attrs)
    body = _typed(lang, t, file, line_no)
    return body, j + 1


def _content(cur: Cursor, end: int, *, escape: bool, novariable: bool) -> Template:
    """Multi-line string content up to `end`; escapes and placeholders as the attributes say."""
    parts: list[str | Expr] = []
    buf: list[str] = []
    while cur.pos < end:
        ch = cur.text[cur.pos]
        if ch == "\\" and escape:
            buf.append(cur.escape(MULTILINE_ESCAPES))
        elif not novariable and cur.text.startswith("{{", cur.pos):
            if buf:
                parts.append("".join(buf))
                buf = []
            line0 = cur.line
            cur.line = line0 + cur.text.count("\n", 0, cur.pos)  # the placeholder's own line
            parts.append(cur.placeholder())
            cur.line = line0
        else:
            buf.append(ch)
            cur.pos += 1
    if buf:
        parts.append("".join(buf))
    return Template(tuple(parts))


def _typed(lang: str | None, t: Template, file: str, line: int) -> Body:
    if lang in ("base64", "hex"):
        if not t.static:
            raise RequestFileError(f"not supported: placeholders in a ```{lang} body",
                                   file=file, line=line)
        payload = t.render({})
        try:
            data = (base64.b64decode(re.sub(r"\s", "", payload), validate=True)
                    if lang == "base64" else bytes.fromhex(payload))
        except (binascii.Error, ValueError) as e:
            raise RequestFileError(f"invalid ```{lang} body: {e}", file=file,
                                   line=line) from None
        return Body("bytes", line, data=data)
    if lang == "graphql":
        return _graphql(t, file, line)
    if lang == "json":
        return Body("json", line, template=t)
    if lang == "xml":
        return Body("xml", line, template=t)
    return Body("text", line, template=t)


def _graphql(t: Template, file: str, line: int) -> Body:
    """A GraphQL query, optionally followed by `variables { json }`."""
    parts = list(t.parts)
    for n, p in enumerate(parts):
        if isinstance(p, str):
            m = re.search(r"(?m)^\s*variables\s*(?=\{)", p)
            if m:
                query = Template(tuple(parts[:n]) + ((p[:m.start()],) if m.start() else ()))
                var_src = Template(((p[m.end():],) if p[m.end():] else ()) + tuple(parts[n + 1:]))
                text = var_src.source
                scanned, end = scan_json(text, file=file, line=line)
                if text[end:].strip():
                    raise RequestFileError("unexpected text after the GraphQL variables",
                                           file=file, line=line)
                return Body("graphql", line, template=_strip_end(query), variables=scanned)
    return Body("graphql", line, template=t)


def _strip_end(t: Template) -> Template:
    if t.parts and isinstance(t.parts[-1], str):
        return Template(t.parts[:-1] + (t.parts[-1].rstrip("\n") + "\n",))
    return t
