"""`import-curl` on command lines as browsers copy them (bash, cmd.exe, PowerShell) and on
hostile ones. Expected requests were checked against curl 7.88 run by bash where a shell
was available (what a local server received), else against the browsers' documented
escaping. Whatever is imported reads back from its .hurl text byte for byte."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.core.errors import RequestFileError
from workbench.core.http import Request
from workbench.core.requests.curl import parse_curl
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.hurl_write import to_hurl
from workbench.core.requests.model import SavedRequest

DATA = Path(__file__).resolve().parents[1] / "data" / "curl"


def _sample(name: str) -> Request:
    return parse_curl((DATA / name).read_text(encoding="utf-8")).request


def _round_trip(req: Request) -> Request:
    (back,) = parse_hurl(to_hurl([SavedRequest("x", req, (), "<curl>", 1)]), file="o.hurl")
    return back.request


def test_chrome_bash_with_ansi_c_quoting() -> None:
    r = _sample("chrome_bash.txt")
    assert (r.method, r.target) == ("POST", "/v1/orders?page=2&sort=-created")
    assert r.body == b'{"note":"it\'s \\u2713 done","qty":2}'  # what bash + curl sent
    assert r.header("sec-ch-ua") == '"Chromium";v="124", "Google Chrome";v="124", ' \
                                    '"Not-A.Brand";v="99"'
    assert r.header("host") == "api.example.com" and r.scheme == "https"
    assert _round_trip(r) == r


@pytest.mark.parametrize("name", ["chrome_cmd.txt", "chrome_cmd_crlf.txt"])
def test_chrome_cmd_with_caret_escapes(name: str) -> None:
    r = _sample(name)
    assert r.target == "/v1/orders?page=2&sort=-created"
    if name == "chrome_cmd.txt":
        assert r.body == b'{"note":"100% sure","qty":2}'
        assert r.header("sec-ch-ua") == '"Chromium";v="124"'
    assert _round_trip(r) == r


def test_firefox_posix_and_windows() -> None:
    posix = _sample("firefox_posix.txt")
    assert posix.body == b"user=bob&pass=s%40cret%21" and posix.method == "POST"
    win = _sample("firefox_windows.txt")
    assert win.body == b'{"user":"bob","discount":"50%"}'
    assert _round_trip(posix) == posix and _round_trip(win) == win


def test_powershell_curl_exe_with_backtick_continuations() -> None:
    r = _sample("powershell.txt")
    assert (r.method, r.body) == ("PUT", b'{"name":"O\'Brien"}')


def test_invoke_webrequest_is_named() -> None:
    with pytest.raises(RequestFileError, match="Invoke-WebRequest command, not curl"):
        _sample("invoke_webrequest.txt")


@pytest.mark.parametrize("cmd,target,body,header", [  # as curl 7.88 sent them
    ("curl -G --data-urlencode 'q=a b~*' --data-urlencode 'x y' --data-urlencode '=a&b' "
     "http://h/s", "/s?q=a+b~%2a&x+y&a%26b", b"", None),
    ("curl -H 'X-E;' -H 'Accept: 1' -H 'Accept:' http://h/", "/", b"", ("X-E", "")),
    ("curl -d a -G 'http://h/x?y=1'", "/x?y=1&a", b"", None),
    ("curl --json '{\"a\":1}' --json '{\"b\":2}' http://h/", "/", b'{"a":1}{"b":2}',
     ("Accept", "application/json")),
    ("curl 'http://user:pa%20ss@h/p#frag'", "/p", b"",
     ("Authorization", "Basic dXNlcjpwYSBzcw==")),
    ("curl h:8080/noscheme", "/noscheme", b"", ("Host", "h:8080")),
    ("curl -r 0-99 -e 'http://ref/' -A UA http://h/", "/", b"", ("Range", "bytes=0-99")),
    ("curl -sSLk -XPUT http://h/", "/", b"", None),
    ("curl -sd x http://h/", "/", b"x", None),
    ("$ curl http://h/from-docs", "/from-docs", b"", None),
    ("curl http://h/ # a comment", "/", b"", None),
])
def test_curl_semantics(cmd: str, target: str, body: bytes,
                        header: tuple[str, str] | None) -> None:
    r = parse_curl(cmd).request
    assert (r.target, r.body) == (target, body)
    if header:
        assert r.header(header[0]) == header[1]
    assert r.header("accept") != "1"  # `-H 'Accept:'` removed it
    assert _round_trip(r) == r


def test_data_files_as_curl_reads_them(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_bytes(b"line1\r\nline2\n")
    cmd = "curl http://h/ -d @d.txt -d x=1 --data-binary @d.txt --data-raw @d.txt"
    r = parse_curl(cmd, cwd=tmp_path).request
    assert r.body == b"line1line2&x=1&line1\r\nline2\n&@d.txt"
    enc = parse_curl("curl http://h/ --data-urlencode n@d.txt", cwd=tmp_path).request
    assert enc.body == b"n=line1%0d%0aline2%0a"


def test_a_fifo_or_device_as_data_is_refused(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "fifo")
    for name in ("fifo", "/dev/zero"):
        with pytest.raises(RequestFileError, match="not a regular file"):
            parse_curl(f"curl http://h/ --data-binary @{name}", cwd=tmp_path)


@pytest.mark.parametrize("cmd,line,column,words", [
    ("curl 'http://h/", 1, 6, "unterminated '...' string"),
    ('curl http://h/ \\\n  -d "{', 2, 6, 'unterminated "..." string'),
    ("curl http://h/ -H \"X: $TOKEN\"", 1, 23, "shell variable $TOKEN"),
    ("curl http://h/$(id)", 1, 15, "$(command) substitution"),
    ("curl http://h/?a=1&b=2", 1, 19, "'&' outside quotes"),
    ("curl http://h/ | jq .", 1, 16, "'|' outside quotes"),
    ("curl ^\"http://h/%TOKEN%^\"", 1, 17, "%TOKEN%"),
])
def test_shell_syntax_is_refused_with_line_and_column(cmd: str, line: int, column: int,
                                                      words: str) -> None:
    with pytest.raises(RequestFileError) as err:
        parse_curl(cmd)
    assert (err.value.line, err.value.column) == (line, column)
    assert words in err.value.message


@pytest.mark.parametrize("cmd,words", [
    ("curl http://h/ -H $'X: a\\r\\nInjected: 1'", "header X holds U+000D CR"),
    ("curl -X 'GET /admin' http://h/", "cannot be written in Hurl"),
    ("curl 'http://h/a b'", "holds a space"),
    ("curl 'http://[::1/x'", "Invalid IPv6 URL"),
    ("curl http://h:99999/", "invalid URL"),
    ("curl ftp://h/x", "only http:// and https://"),
    ("curl -u bob http://h/", "has no password"),
    ("curl -F 'f=@a.png' http://h/", "[MultipartFormData]"),
    ("curl -H @headers.txt http://h/", "headers from a file"),
    ("curl --data-binary @- http://h/", "data from stdin"),
    ("curl --frobnicate http://h/", "not supported: curl option --frobnicate"),
    ("curl -Z http://h/", "not supported: curl option -Z"),
    ("curl http://h/a http://h/b", "more than one URL"),
    ("wget http://h/", "not a curl command"),
])
def test_what_cannot_be_imported_is_named(cmd: str, words: str) -> None:
    with pytest.raises(RequestFileError) as err:
        parse_curl(cmd)
    assert words in str(err.value)


def test_bytes_that_are_not_utf8_reach_the_body_exactly(monkeypatch, capsys) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"curl http://h/ --data-binary $'\\xff\\xfe' -d '\xe9'"))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["import-curl", "-"]) == 0
    out = capsys.readouterr().out
    (entry,) = parse_hurl(out, file="o.hurl")
    assert entry.request.body == b"\xff\xfe&\xe9"


def test_a_failed_import_leaves_the_output_file_as_it_was(tmp_path: Path, capsys) -> None:
    out = tmp_path / "api.hurl"
    out.write_bytes(b"GET http://h/kept\nHTTP 200")  # no final newline
    assert main(["import-curl", "curl 'http://h/unterminated", "-o", str(out)]) == 2
    assert out.read_bytes() == b"GET http://h/kept\nHTTP 200"
    assert main(["import-curl", "curl http://h/new -H 'X-C: #1'", "-o", str(out)]) == 0
    entries = parse_hurl(out.read_text(), file=str(out))
    assert [e.request.target for e in entries] == ["/kept", "/new"]
    assert entries[1].request.header("x-c") == "#1"


@pytest.mark.parametrize("setup,words", [
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00binary"), "not a text file"),
])
def test_output_that_is_not_a_hurl_text_file(tmp_path: Path, capsys, setup, words) -> None:
    out = tmp_path / "x.hurl"
    setup(out)
    assert main(["import-curl", "curl http://h/", "-o", str(out)]) == 2
    assert words in capsys.readouterr().err


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFF)
                | st.sampled_from(list("#\\{}` \t;:$'\"")), max_size=30)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(value=_TEXT, path=st.text(st.sampled_from(list("ab/{}#%-._~!$&'()*+,;=:@é")),
                                 max_size=20),
       body=st.binary(max_size=40) | _TEXT.map(lambda t: t.encode()),
       name=st.text(st.sampled_from(list("Xa-!#$%&'*+.^_`|~9")), min_size=1, max_size=8))
def test_hurl_text_reads_back_to_the_same_request(value: str, path: str, body: bytes,
                                                  name: str) -> None:
    value = value.replace("\t", " ")  # a tab in a header value is legal but unusual
    target = "/" + path.replace("#", "%23")
    req = Request("POST", target, (("Host", "h.example"), (name, value.strip(" "))), body)
    assert _round_trip(req) == req
