"""Split a pasted command line into words the way its shell would, for `import-curl`.

Browsers copy requests for three shells: bash (Chrome's and Firefox's "Copy as cURL
(bash/POSIX)", with `$'...'` ANSI-C strings for anything unusual), cmd.exe (Chrome's
"Copy as cURL (cmd)": every special character escaped with `^`, lines continued with
` ^`; Firefox's Windows form: `"...""..."`) and PowerShell (`curl.exe` with backtick
line continuations). `split_words(text)` detects which (or takes `dialect`) and returns
the words, or raises `ShellSyntax` naming line and column.

What a shell would do and an import cannot is refused in words, never guessed: a
variable (`$TOKEN`, `%TOKEN%`), a command substitution, a pipe or `;` after the command
(unquoted `&` in a URL is one: bash would run the rest in the background).
"""

from __future__ import annotations

import re

DIALECTS = ("posix", "cmd", "powershell")
_ANSI = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
         "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_ANSI_NUM = re.compile(r"[0-7]{1,3}|x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}")
_POSIX_OPERATORS = "|;&<>()"


class ShellSyntax(ValueError):
    """A command line that cannot be split (or must not be): what, and where."""

    def __init__(self, message: str, offset: int, text: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - (text.rfind("\n", 0, offset) + 1) + 1


def detect(text: str) -> str:
    """Which shell a pasted command was written for (see the module docstring)."""
    if re.search(r"\^[\"&|<>%^\\{}\[\]]|\^\r?\n", text):
        return "cmd"
    if re.search(r"`\r?\n", text):
        return "powershell"
    first = text.lstrip().split(None, 1)[0] if text.strip() else ""
    if first.lower() in ("curl.exe", "& curl.exe"):
        return "powershell" if "'" in text and '""' not in text else "cmd"
    return "posix"


def split_words(text: str, dialect: str | None = None) -> tuple[list[str], str]:
    """(words, dialect used). `text` may span lines (continuations are joined). Bytes that
    are not UTF-8 (`$'\\xe9'`, or stdin that was not UTF-8) come back surrogate-escaped:
    `word.encode("utf-8", "surrogateescape")` gives the exact bytes curl would send."""
    text = text.removeprefix("\ufeff")
    dialect = dialect or detect(text)
    split = {"posix": _posix, "cmd": _cmd, "powershell": _powershell}[dialect]
    return split(text), dialect


def _posix(text: str) -> list[str]:  # noqa: C901 - one state machine reads better whole
    words: list[str] = []
    buf: list[str] = []
    have = False  # a word is open (even an empty '' one)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and text.startswith(("\\\n", "\\\r\n"), i):
            i += 2 if text[i + 1] == "\n" else 3  # line continuation
            continue
        if ch in " \t\r\n":
            if have:
                words.append("".join(buf))
                buf, have = [], False
            i += 1
            continue
        if ch == "#" and not have:
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        have = True
        if ch == "\\":
            if i + 1 < n:
                buf.append(text[i + 1])
            i += 2
        elif ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellSyntax("unterminated '...' string", i, text,
                                  hint="the quote opened here is never closed")
            buf.append(text[i + 1:end])
            i = end + 1
        elif text.startswith("$'", i):
            i = _ansi_c(text, i + 2, buf)
        elif ch == '"':
            i = _posix_double(text, i, buf)
        elif ch == "$" and i + 1 < n and (text[i + 1].isalnum() or text[i + 1] in "_{("):
            raise _expansion(text, i)
        elif ch == "`":
            raise ShellSyntax("a `command` substitution", i, text,
                              hint="run it yourself and paste its output")
        elif ch in _POSIX_OPERATORS:
            raise ShellSyntax(f"shell syntax {ch!r} outside quotes", i, text,
                              hint="paste only the curl command; quote URLs holding & or ; "
                                   "(bash would run what follows an unquoted & or ; "
                                   "separately)")
        else:
            buf.append(ch)
            i += 1
    if have:
        words.append("".join(buf))
    return words


def _posix_double(text: str, i: int, buf: list[str]) -> int:
    start, i = i, i + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return i + 1
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '$`"\\\n':
            if text[i + 1] != "\n":
                buf.append(text[i + 1])
            i += 2
            continue
        if ch == "$" and i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] in "_{("):
            raise _expansion(text, i)
        if ch == "`":
            raise ShellSyntax("a `command` substitution", i, text,
                              hint="run it yourself and paste its output")
        buf.append(ch)
        i += 1
    raise ShellSyntax('unterminated "..." string', start, text,
                      hint="the quote opened here is never closed")


def _ansi_c(text: str, i: int, buf: list[str]) -> int:
    """bash's $'...' (i just after the quote): backslash escapes decoded."""
    start = i - 2
    while i < len(text):
        ch = text[i]
        if ch == "'":
            return i + 1
        if ch != "\\" or i + 1 >= len(text):
            buf.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in _ANSI:
            buf.append(_ANSI[nxt])
            i += 2
            continue
        if nxt == "c" and i + 2 < len(text):  # \cX: control-X
            buf.append(chr(ord(text[i + 2]) & 0x1F))
            i += 3
            continue
        m = _ANSI_NUM.match(text, i + 1)
        if m is None:
            buf.append("\\" + nxt)  # bash keeps an unknown escape as written
            i += 2
            continue
        code = m.group()
        value = int(code, 8) if code[0] in "01234567" else int(code[1:], 16)
        if code[0] in "01234567x" and value > 0x7F:
            buf.append(chr(0xDC00 + (value & 0xFF)))  # a raw byte: surrogateescape
        elif value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise ShellSyntax(f"\\{code} is not a character", i, text)
        else:
            buf.append(chr(value))
        i = m.end()
    raise ShellSyntax("unterminated $'...' string", start, text,
                      hint="the quote opened here is never closed")


def _expansion(text: str, i: int) -> ShellSyntax:
    m = re.match(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text[i:])
    if text.startswith("$(", i):
        return ShellSyntax("a $(command) substitution", i, text,
                           hint="run it yourself and paste its output")
    name = m.group(1) if m else text[i:i + 8]
    return ShellSyntax(f"the shell variable ${name}: its value is not known here", i, text,
                       hint=f"paste the command with the value written out (after import, "
                            f"{{{{{name}}}}} in the .hurl file can take it from "
                            "workbench.toml [variables])")


def _cmd(text: str) -> list[str]:
    """cmd.exe: `^` escapes and continues lines outside its quotes, then the C runtime's
    argument rules: `"` quotes, `\\"` is a quote, `""` inside quotes is a quote."""
    phase1: list[tuple[str, bool]] = []  # (char, escaped by ^)
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "^" and not quoted:
            if text.startswith(("^\r\n", "^\n"), i):
                i += 3 if text[i + 1] == "\r" else 2
                continue
            if i + 1 < len(text):
                phase1.append((text[i + 1], True))
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "%" and not quoted and re.match(r"%[A-Za-z_][A-Za-z0-9_]*%", text[i:]):
            name = text[i + 1:text.index("%", i + 1)]
            raise ShellSyntax(f"the environment variable %{name}%: its value is not known "
                              "here", i, text, hint="paste the command with the value "
                                                    "written out")
        elif ch in "|&<>" and not quoted:
            raise ShellSyntax(f"cmd.exe syntax {ch!r} outside quotes", i, text,
                              hint="paste only the curl command")
        phase1.append((ch, False))
        i += 1
    return _crt_argv("".join(c for c, _ in phase1), text)


def _crt_argv(s: str, text: str) -> list[str]:
    words: list[str] = []
    buf: list[str] = []
    have = quoted = False
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            j = i
            while j < len(s) and s[j] == "\\":
                j += 1
            count = j - i
            if j < len(s) and s[j] == '"':
                buf.append("\\" * (count // 2))
                if count % 2:
                    buf.append('"')
                    i = j + 1
                else:
                    i = j
            else:
                buf.append("\\" * count)
                i = j
            have = True
            continue
        if ch == '"':
            if quoted and s.startswith('""', i):
                buf.append('"')
                i += 2
                continue
            quoted, have = not quoted, True
            i += 1
            continue
        if ch in " \t\r\n" and not quoted:
            if have:
                words.append("".join(buf))
                buf, have = [], False
            i += 1
            continue
        buf.append(ch)
        have = True
        i += 1
    if quoted:
        raise ShellSyntax('unterminated "..." string', len(text), text,
                          hint="a quote is opened and never closed")
    if have:
        words.append("".join(buf))
    return words


def _powershell(text: str) -> list[str]:  # noqa: C901
    words: list[str] = []
    buf: list[str] = []
    have = False
    i, n = 0, len(text)
    if text.lstrip().startswith("&"):
        i = text.index("&") + 1
    while i < n:
        ch = text[i]
        if ch == "`":
            if text.startswith(("`\n", "`\r\n"), i):
                i += 2 if text[i + 1] == "\n" else 3
                continue
            if i + 1 < n:
                buf.append(_PS_ESC.get(text[i + 1], text[i + 1]))
                have = True
            i += 2
            continue
        if ch in " \t\r\n":
            if have:
                words.append("".join(buf))
                buf, have = [], False
            i += 1
            continue
        have = True
        if ch == "'":
            j = i + 1
            while True:
                end = text.find("'", j)
                if end < 0:
                    raise ShellSyntax("unterminated '...' string", i, text)
                if text.startswith("''", end):
                    buf.append(text[j:end] + "'")
                    j = end + 2
                    continue
                buf.append(text[j:end])
                i = end + 1
                break
        elif ch == '"':
            j = i + 1
            while j < n:
                c = text[j]
                if c == '"' and text.startswith('""', j):
                    buf.append('"')
                    j += 2
                elif c == '"':
                    break
                elif c == "`" and j + 1 < n:
                    buf.append(_PS_ESC.get(text[j + 1], text[j + 1]))
                    j += 2
                elif c == "$" and j + 1 < n and (text[j + 1].isalnum() or text[j + 1] in "_{("):
                    raise ShellSyntax("a PowerShell $variable or $(...) in a \"...\" string",
                                      j, text, hint="paste the value written out, or use "
                                                    "'...' quotes")
                else:
                    buf.append(c)
                    j += 1
            else:
                raise ShellSyntax('unterminated "..." string', i, text)
            i = j + 1
        elif ch in "|;" or (ch == "$" and i + 1 < n and text[i + 1].isalnum()):
            raise ShellSyntax(f"PowerShell syntax {ch!r} outside quotes", i, text,
                              hint="paste only the curl.exe command")
        else:
            buf.append(ch)
            i += 1
    if have:
        words.append("".join(buf))
    return words


_PS_ESC = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "a": "\a", "b": "\b", "f": "\f",
           "v": "\v", "e": "\x1b"}
