"""The inputs of `hostile_inputs.py`: hostile and third-party text for every command that
reads a file or a typed value, written into a scratch folder, and what each must do.

A `Case` is one command line (run as `python -m workbench ...`), what may be on stdin,
the exit codes the command documents for it, words its message must hold, and an
optional check of the files afterwards (what the user had is still there). Inputs are
generated here (BOM, NUL, CR, 1 MB lines, 100k entries, 10k-deep JSON, catastrophic
regexes, FIFOs, devices, symlink loops...) or read from tests/data (Hurl's own parser
error tests, browsers' copy-as-cURL formats).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OK, FAIL, USAGE = 0, 1, 2
CATASTROPHIC = r"^([\s\S]|.)*Z$"
BIG = "9" * 5000


@dataclass
class Case:
    group: str
    name: str
    argv: list[str]
    codes: tuple[int, ...]
    stdin: bytes | None = None
    want: tuple[str, ...] = ()  # each must appear in stdout+stderr
    check: Callable[[], str | None] | None = None  # a problem, or None
    timeout: float = 60.0
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None  # default: the scratch folder
    max_output: int = 64 * 1024  # characters: a message must not echo a 1 MB input


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def specials(d: Path) -> None:
    """A FIFO, a symlink loop, a dangling link, a folder with a file's name."""
    d.mkdir(parents=True, exist_ok=True)
    if not (d / "fifo").exists():
        os.mkfifo(d / "fifo")
    for name, to in (("loop.hurl", "loop.hurl"), ("loop.toml", "loop.toml"),
                     ("dangling", "nowhere/x")):
        if not os.path.lexists(d / name):
            (d / name).symlink_to(to)
    (d / "dir.hurl").mkdir(exist_ok=True)


def hurl_cases(t: Path, wasm: Path, url: str) -> list[Case]:
    d = t / "hurl"
    specials(d)
    get = "GET http://localhost/\n"
    files: dict[str, tuple[str | bytes, tuple[int, ...], tuple[str, ...]]] = {
        "bom": (b"\xef\xbb\xbf" + get.encode() + b"HTTP 200\n", (OK,), ()),
        "not-utf8": (b"GET http://localhost/\xff\nHTTP 200\n", (USAGE,), (":1:22:", "UTF-8")),
        "utf16": (get.encode("utf-16"), (USAGE,), ("UTF-16",)),
        "nul-url": (b"GET http://localhost/a\x00b\n", (USAGE,), (":1:23:", "NUL")),
        "nul-header": (b"GET http://localhost/\nX-A: b\x00c\n", (USAGE,), (":2:7:",)),
        "crlf": (b"GET http://localhost/\r\nHTTP 200\r\n", (OK,), ()),
        "lone-cr": (b"GET http://localhost/\rHTTP 200\r", (USAGE,), (":1:22:", "lone CR")),
        "tabs": ("GET\thttp://localhost/\t\nHTTP\t200\n", (OK,), ()),
        "empty": ("", (USAGE,), ("no saved requests",)),
        "blank": ("\n \t\n\n", (USAGE,), ("no saved requests",)),
        "1mb-url": ("GET http://localhost/" + "a" * 1_000_000 + "\nHTTP 404\n", (OK,), ()),
        "1mb-header": (get + "X-A: " + "a" * 1_000_000 + "\nHTTP 200\n", (OK,), ()),
        "10k-entries": ((get + "HTTP 200\n\n") * 10_000, (OK,), ()),
        "100k-asserts": (get + "HTTP 200\n[Asserts]\n" + 'status == 200\n' * 100_000,
                         (OK,), ()),
        "deep-json-assert": (get + "HTTP 200\n[Asserts]\nbody == " + "[" * 10_000
                             + "]" * 10_000 + "\n", (USAGE,), ("invalid predicate value",)),
        "deep-json-body": ("POST http://localhost/\n" + "[" * 10_000 + "]" * 10_000
                           + "\nHTTP 405\n", (USAGE,), ("nested deeper than 128",)),
        "deep-jsonpath": (get + 'HTTP 200\n[Asserts]\njsonpath "$' + ".a" * 10_000
                          + '" == 1\n', (FAIL,), ()),
        "bad-jsonpath": (get + 'HTTP 200\n[Asserts]\njsonpath "$[?(@.a ==" == 1\n',
                         (USAGE,), (":4:",)),
        "bad-xpath": (get + 'HTTP 200\n[Asserts]\nxpath "//*[" == 1\n', (USAGE,), (":4:",)),
        "deep-xpath": (get + 'HTTP 200\n[Asserts]\nxpath "' + "(" * 5000 + "1" + ")" * 5000
                       + '" == 1\n', (USAGE,), ("nested too deeply",)),
        "xpath2-matches": (get + 'HTTP 200\n[Asserts]\nxpath "matches(string(//h1), \'(a|a)*$\')"'
                           ' == true\n', (USAGE,), ("unknown function 'matches'",)),
        "unknown-filter": (get + "HTTP 200\n[Asserts]\nbody frobnicate == 1\n", (USAGE,),
                           (":4:",)),
        "bad-regex": (get + "HTTP 200\n[Asserts]\nbody matches /(/\n", (USAGE,),
                      ("invalid regex",)),
        "lookaround": (get + "HTTP 200\n[Asserts]\nbody matches /(?=a)b/\n", (USAGE,),
                       ("lookaround",)),
        "huge-int": (get + f"HTTP 200\n[Asserts]\nstatus == {BIG}\n", (USAGE,),
                     ("number too long",)),
        "huge-nth": (get + f'HTTP 200\n[Asserts]\njsonpath "$" nth {BIG} == 1\n', (USAGE,),
                     ("too large",)),
        "huge-delay": (get + "[Options]\ndelay: 99999999999999999999\nHTTP 200\n", (USAGE,),
                       ("longer than a replay waits",)),
        "huge-retry": (get + "[Options]\nretry: 999999999\nHTTP 500\n", (USAGE,),
                       ("more than this replay allows",)),
        "huge-repeat": (get + "[Options]\nrepeat: 99999999999\nHTTP 200\n", (USAGE,),
                        ("more than this replay allows",)),
        "fifo-body": ("POST http://localhost/\nfile,fifo;\nHTTP 405\n", (USAGE,),
                      ("a FIFO",)),
        "device-body": ("POST http://localhost/\nfile,/dev/zero;\nHTTP 405\n", (USAGE,),
                        ("outside",)),
        "outside-body": ("POST http://localhost/\nfile,/etc/passwd;\nHTTP 405\n",
                         (USAGE,), ("--file-root",)),
        "device-multipart": ("POST http://localhost/\n[Multipart]\nf: file,/dev/zero;\n",
                             (USAGE,), ("outside",)),
        "crlf-escape-header": (get + "X-A: a\\u{d}\\u{a}X-Admin: 1\n", (USAGE,),
                               ("U+000D",)),
        "space-url": ("GET http://localhost/a b\n", (USAGE,), ("a space",)),
        "ipv6": ("GET http://[::1/x\n", (USAGE,), ("invalid URL",)),
    }
    for i, pattern_line in enumerate((f"body matches /{CATASTROPHIC}/",
                                      f'body regex /{CATASTROPHIC}/ == "x"',
                                      f'body replaceRegex /{CATASTROPHIC}/ "y" == "x"')):
        files[f"catastrophic-{i}"] = (get + f"HTTP 200\n[Asserts]\n{pattern_line}\n", (FAIL,),
                                      ())
    cases = []
    for name, (text, codes, want) in files.items():
        path = write(d / f"{name}.hurl", text)
        cases.append(Case("replay", name, ["replay", str(path), "--module", str(wasm),
                                           "--no-save"], codes, want=want,
                          max_output=2_000_000 if name == "10k-entries" else 64 * 1024))
    for name, codes, want in (("dir.hurl", (USAGE,), ("no saved requests",)),
                              ("loop.hurl", (USAGE,), ("no such file",)),
                              ("fifo", (USAGE,), ("a FIFO",))):
        cases.append(Case("replay", name, ["replay", str(d / name), "--module", str(wasm)],
                          codes, want=want))
    for f in sorted((ROOT / "tests" / "data" / "hurl").glob("*.hurl")):
        cases.append(Case("replay", f"hurl-upstream/{f.name}",
                          ["replay", str(f), "--module", str(wasm)], (USAGE,),
                          want=(f"{f.name}:",)))
    responses = write(d / "responses.hurl", "".join(
        f"GET http://localhost/{p}\nHTTP 200\n[Asserts]\n{a}\n\n" for p, a in (
            ("deep", 'jsonpath "$[0][0]" count == 1'), ("deepobj", 'jsonpath "$..a" count == 3'),
            ("big", "body toInt == 1"), ("big", f"body matches /{CATASTROPHIC}/"),
            ("badutf8", 'jsonpath "$.a" == "x"'), ("deepxml", 'xpath "count(//a)" == 1'),
            ("hugeint", "body toInt == 1"), ("hdr", 'header "X-Long" == "x"'))))
    cases.append(Case("replay", "hostile-responses", ["replay", str(responses), "--url", url],
                      (FAIL,)))
    return cases


def curl_cases(t: Path) -> list[Case]:
    d = t / "curl"
    specials(d)
    write(d / "body.json", '{"a": 1}\n')
    existing = write(d / "kept.hurl", b"GET http://h/kept\nHTTP 200")
    cmds: dict[str, tuple[str, tuple[int, ...], tuple[str, ...]]] = {
        "ansi-c": ("curl 'https://h/x' -H $'X-A: it\\'s' --data-raw $'{\"a\":\"\\u00e9\"}'",
                   (OK,), ()),
        "data-binary-file": ("curl https://h/x --data-binary @body.json", (OK,), ()),
        "data-urlencode": ("curl -G https://h/x --data-urlencode 'q=a b&c'", (OK,), ()),
        "multipart": ("curl https://h/u -F 'f=@a.png'", (USAGE,), ("[MultipartFormData]",)),
        "user": ("curl -u bob:s3:cr https://h/", (OK,), ()),
        "compressed": ("curl --compressed https://h/", (OK,), ()),
        "odd-headers": ("curl https://h/ -H 'X-A:b' -H '  X-B :  c ' -H 'X-E;' -H 'X-C: #f'",
                        (OK,), ()),
        "combined-flags": ("curl -sSLk https://h/", (OK,), ()),
        "unbalanced": ("curl 'https://h/", (USAGE,), (":1:6:",)),
        "unknown-flag": ("curl --frobnicate https://h/", (USAGE,), ("--frobnicate",)),
        "header-crlf": ("curl https://h/ -H $'X: a\\r\\nY: b'", (USAGE,), ("U+000D",)),
        "variable": ('curl https://h/ -H "Authorization: Bearer $TOKEN"', (USAGE,),
                     ("$TOKEN",)),
        "pipe": ("curl https://h/ | jq .", (USAGE,), ("'|'",)),
        "ipv6": ("curl 'http://[::1/x'", (USAGE,), ("Invalid IPv6 URL",)),
        "fifo-data": ("curl https://h/ --data-binary @fifo", (USAGE,), ("a FIFO",)),
        "device-data": ("curl https://h/ -d @/dev/zero", (USAGE,), ("character device",)),
        "1mb-body": ("curl https://h/ -d '" + "a" * 1_000_000 + "'", (OK,), ()),
        "100k-headers": ("curl https://h/ " + " ".join(f"-H 'X-{i}: {i}'"
                                                        for i in range(100_000)), (OK,), ()),
        "empty": ("", (USAGE,), ("no URL",)),
    }
    cases = [Case("import-curl", n, ["import-curl", "-"], c, stdin=s.encode(), want=w, cwd=d)
             for n, (s, c, w) in cmds.items()]
    cases.append(Case("import-curl", "not-utf8-stdin", ["import-curl", "-"], (OK,),
                      stdin=b"curl https://h/ -d '\xff\xfe'"))
    cases.append(Case("import-curl", "nul-stdin", ["import-curl", "-"], (USAGE,),
                      stdin=b"curl https://h/a\x00b"))
    for f in sorted((ROOT / "tests" / "data" / "curl").glob("*.txt")):
        ok = (USAGE,) if "invoke" in f.name else (OK,)
        cases.append(Case("import-curl", f"browser/{f.name}", ["import-curl", "-"], ok,
                          stdin=f.read_bytes()))
    before = existing.read_bytes()
    cases.append(Case("import-curl", "failed-import-keeps-file",
                      ["import-curl", "curl 'https://h/", "-o", str(existing)], (USAGE,),
                      check=lambda: None if existing.read_bytes() == before
                      else "the .hurl file changed"))
    cases.append(Case("import-curl", "output-is-a-folder",
                      ["import-curl", "curl https://h/", "-o", str(d / "dir.hurl")], (USAGE,)))
    return cases


def hooks_cases(t: Path) -> list[Case]:
    d = t / "hooks"
    specials(d)
    rule = '[[rule]]\nname = "a"\n'
    docs: dict[str, tuple[str | bytes, tuple[int, ...], tuple[str, ...]]] = {
        "catastrophic-path": (rule + 'when = { path_regex = "^/(a+)+$" }\naction = "block"\n',
                              (OK,), ()),
        "catastrophic-header": (rule + 'when = { header = { x = { matches = "'
                                + CATASTROPHIC.replace("\\", "\\\\") + '" } } }\n'
                                'action = "block"\n', (OK,), ()),
        "backreference": (rule + 'when = { path_regex = "(a)\\\\1" }\naction = "block"\n',
                          (USAGE,), ("backreferences",)),
        "dup-key": (rule + 'name = "b"\naction = "log"\n', (USAGE,), ("defined twice",)),
        "wrong-type": (rule + 'action = "respond"\nstatus = "200"\n', (USAGE,), ("status",)),
        "huge-int": (rule + f'action = "respond"\nstatus = {BIG}\n', (USAGE,),
                     ("number too long",)),
        "bom": ("\ufeff" + rule + 'action = "log"\n', (OK,), ()),
        "not-utf8": (rule.encode() + b'action = "log\xff"\n', (USAGE,), (":3:",)),
        "nul": (rule + 'action = "log\x00"\n', (USAGE,), ("NUL",)),
        "lone-cr": (rule.replace("\n", "\r") + 'action = "log"\r', (USAGE,), ("lone CR",)),
        "deep": ("x = " + "[" * 10_000 + "]" * 10_000 + "\n", (USAGE,), ("nested too deeply",)),
        "empty": ("", (OK,), ()),
        "100k-rules": ("".join(f'[[rule]]\nname = "r{i}"\nwhen = {{ path = "/p{i}" }}\n'
                               f'action = "block"\n' for i in range(100_000)), (OK,), ()),
        "1mb-body": (rule + 'action = "respond"\nbody = "' + "a" * 1_000_000 + '"\n', (OK,), ()),
        "fifo-file": (rule + 'action = "respond"\nfile = "fifo"\n', (USAGE,), ("a FIFO",)),
        "device-file": (rule + 'action = "respond"\nfile = "/dev/zero"\n', (USAGE,),
                        ("outside",)),
        "header-crlf": (rule + 'action = "respond"\nheaders = { x = "a\\r\\nb: c" }\n',
                        (USAGE,), ("line break",)),
        "glob-10k": (rule + 'when = { path_glob = "/' + "*a" * 5000 + '" }\naction = "log"\n',
                     (OK,), ()),
    }
    hostile_path = "/" + "a" * 40 + "!"
    cases = []
    for name, (text, codes, want) in docs.items():
        path = write(d / f"{name}.toml", text)
        cases.append(Case("hooks", name, ["hooks", str(path), "--path", hostile_path,
                                          "-H", "x: " + "a" * 5000 + "!"], codes, want=want))
    for name in ("loop.toml", "fifo", "dir.hurl"):
        cases.append(Case("hooks", name, ["hooks", str(d / name)], (USAGE,)))
    many = write(d / "many.hurl", "GET http://localhost/x\n\n" * 100_000)
    write(d / "ok.toml", rule + 'action = "log"\n')
    cases.append(Case("hooks", "100k-requests", ["hooks", str(d / "ok.toml"), "--requests",
                                                 str(many), "--json"], (OK,),
                      max_output=20_000_000))  # one JSON result per request
    for name, args, want in (("path-crlf", ["--path", "/a\r\nX: y"], "U+000D"),
                             ("method-space", ["--path", "/", "-X", "GET /x"], "method")):
        cases.append(Case("hooks", name, ["hooks", str(d / "ok.toml"), *args], (USAGE,),
                          want=(want,)))
    return cases


def kv_cases(t: Path) -> list[Case]:
    ws = t / "kv" / "ws"
    specials(t / "kv")
    write(ws / "workbench.toml", "")
    kv = ["kv", "--workspace", str(ws)]

    def kept() -> str | None:
        import sqlite3

        conn = sqlite3.connect(ws / ".workbench" / "kv.sqlite")
        try:
            row = conn.execute("SELECT value FROM kv WHERE key = ?", (b"kept",)).fetchone()
        finally:
            conn.close()
        return None if row and bytes(row[0]) == b"v1" else "the store lost 'kept'"

    cases = [Case("kv", "seed", [*kv, "put", "kept", "v1"], (OK,))]
    for name, args, codes, want in (
            ("fifo-value", ["put", "kept", f"@{t / 'kv' / 'fifo'}"], (USAGE,), ("a FIFO",)),
            ("device-value", ["put", "kept", "@/dev/zero"], (USAGE,), ("character device",)),
            ("folder-value", ["put", "kept", f"@{t / 'kv'}"], (USAGE,), ("a folder",)),
            ("bad-base64", ["put", "kept", "base64:@@@"], (USAGE,), ("base64",)),
            ("huge-key", ["put", "k" * 100_000, "v"], (USAGE,), ("kv_max_key_bytes",)),
            ("control-key", ["put", "\x1b]0;t\x07", "\x1b[2J"], (OK,), ()),
            ("missing-key", ["get", "nope"], (FAIL,), ("no key",)),
            ("list", ["list"], (OK,), ())):
        cases.append(Case("kv", name, [*kv, *args], codes, want=want, check=kept))
    for name, toml, want in (("kv-file-nul", 'kv_file = "a\\u0000"\n', "NUL"),
                             ("kv-file-outside", 'kv_file = "/etc/passwd"\n', "outside"),
                             ("kv-file-device", 'kv_file = "/dev/zero"\n', "outside"),
                             ("huge-int", f"debounce_ms = {BIG}\n", "number too long")):
        w = write(t / "kv" / name / "workbench.toml", toml).parent
        cases += [Case("kv", f"{name}/{a}", ["kv", "--workspace", str(w), a], (USAGE,),
                       want=(want,)) for a in ("list", "reset")]
    w = t / "kv" / "store-is-folder"
    (w / ".workbench" / "kv.sqlite").mkdir(parents=True, exist_ok=True)
    write(w / "workbench.toml", "")
    cases.append(Case("kv", "store-is-folder", ["kv", "--workspace", str(w), "reset"],
                      (USAGE,), want=("is a folder",)))
    w = t / "kv" / "store-garbage"
    write(w / "workbench.toml", "")
    write(w / ".workbench" / "kv.sqlite", os.urandom(4096))
    cases.append(Case("kv", "store-garbage", ["kv", "--workspace", str(w), "list"], (USAGE,),
                      want=("kv reset",)))
    return cases


def sign_cases(t: Path, wasm: Path) -> list[Case]:
    d = t / "sign"
    specials(d)
    m = d / "m.wasm"
    shutil.copy(wasm, m)
    write(d / "rand.key", os.urandom(65))
    write(d / "rand.sig", os.urandom(300))
    (d / "kd" / "d.key").mkdir(parents=True, exist_ok=True)
    original = m.read_bytes()
    cases = [Case("sign", "keygen", ["keygen", "k", "--dir", str(d)], (OK, USAGE))]
    for name, args, codes, want in (
            ("keygen-escape", ["keygen", "../x", "--dir", str(d)], (USAGE,), "key name"),
            ("keygen-dir-is-file", ["keygen", "x", "--dir", str(m)], (USAGE,), "not a folder"),
            ("keygen-force-folder", ["keygen", "d", "--dir", str(d / "kd"), "--force"],
             (USAGE,), "not a file"),
            ("sign-fifo-key", ["sign", str(m), "--key", str(d / "fifo")], (USAGE,), "FIFO"),
            ("sign-device-key", ["sign", str(m), "--key", "/dev/zero"], (USAGE,), "device"),
            ("sign-random-key", ["sign", str(m), "--key", str(d / "rand.key")], (USAGE,),
             "not an Ed25519"),
            ("sign-detached-folder", ["sign", str(m), "--key", str(d / "k.key"),
                                      "--detached", str(d)], (USAGE,), "folder"),
            ("sign-output-folder", ["sign", str(m), "--key", str(d / "k.key"), "-o", str(d)],
             (USAGE,), "cannot write"),
            ("verify-fifo-sig", ["verify", str(m), "--key", str(d / "k.pub"), "--detached",
                                 str(d / "fifo")], (USAGE,), "FIFO"),
            ("verify-random-sig", ["verify", str(m), "--key", str(d / "k.pub"), "--detached",
                                   str(d / "rand.sig")], (FAIL,), "unreadable signature"),
            ("verify-secret-as-public", ["verify", str(m), "--key", str(d / "k.key")], (USAGE,),
             "secret key")):
        cases.append(Case("sign", name, args, codes, want=(want,),
                          check=lambda: None if m.read_bytes() == original
                          else "the module changed"))
    cfg = t / "sign" / "config-is-file"
    write(cfg, "x")
    mod = write(d / "cmd" / "module.toml", 'toolchain = "command"\ncommand = "true"\n').parent
    cases.append(Case("trust", "config-dir-is-a-file", ["trust", str(mod)], (USAGE,),
                      want=("trust records",), env={"WORKBENCH_CONFIG_DIR": str(cfg)}))
    records = write(d / "records" / "trust.toml", f"x = {BIG}\n").parent
    cases.append(Case("trust", "records-huge-int", ["trust", "--show", str(mod)], (USAGE,),
                      want=("number too long",), env={"WORKBENCH_CONFIG_DIR": str(records)}))
    return cases


def init_cases(t: Path) -> list[Case]:
    d = t / "init"
    specials(d)
    write(d / "afile", "mine")
    return [Case("init", name, ["init", str(d / name), "--sample", "hello-wat"], (USAGE,),
                 check=lambda: None if (d / "afile").read_text() == "mine" else "afile changed")
            for name in ("loop.hurl", "dangling", "afile", "afile/sub", "fifo", "a" * 300)]


def config_cases(t: Path) -> list[Case]:
    base = ROOT / "sample_modules" / "hello-wat"
    bad: dict[str, tuple[str, str]] = {
        "dup-key": ('name = "a"\nname = "b"\ntoolchain = "wat"\n', "defined twice"),
        "dup-table": ('toolchain = "wat"\n[budget]\nmax_bytes = 1\n[budget]\n', "defined twice"),
        "wrong-type": ('name = 5\ntoolchain = "wat"\n', "must be a string"),
        "huge-int": (f'toolchain = "wat"\n[budget]\nmax_bytes = {BIG}\n', "number too long"),
        "nan": ('toolchain = "wat"\n[limits]\ntimeout_ms = nan\n', "integer"),
        "nul-path": ('toolchain = "wat"\nhooks = "a\\u0000"\n', "NUL"),
        "1mb-name": ('toolchain = "wat"\nname = "' + "a" * 1_000_000 + '"\n', "file name"),
        "lone-cr": ('toolchain = "wat"\rname = "x"\r', "lone CR"),
        "not-utf8": ('toolchain = "wat"\nname = "\udcff"\n', "UTF-8"),
        "deep": ("x = " + "[" * 10_000 + "]" * 10_000 + "\n", "nested too deeply"),
        "hooks-folder": ('toolchain = "wat"\nhooks = "."\n', "is a folder"),
        "output-outside": ('toolchain = "wat"\noutput = "../../x.wasm"\n', "outside"),
        "unknown-key": ('toolchain = "wat"\nfrobnicate = 1\n', "unknown key"),
    }
    cases = []
    for name, (toml, want) in bad.items():
        folder = t / "config" / name
        if not folder.exists():
            shutil.copytree(base, folder, ignore=shutil.ignore_patterns("build"))
        (folder / "module.toml").write_bytes(toml.encode("utf-8", "surrogateescape"))
        for cmd in ("check", "build", "watch"):
            cases.append(Case(cmd, name, [cmd, str(folder)], (USAGE,), want=(want,),
                              timeout=30.0))
    ws = t / "config" / "ws-globs"
    write(ws / "workbench.toml", 'modules = ["/**", "../../**"]\n')
    cases.append(Case("check", "workspace-glob-outside", ["check", str(ws)], (USAGE,),
                      want=("leaves the workspace",)))
    return cases


def run_cases(t: Path, wasm: Path) -> list[Case]:
    d = t / "run"
    specials(d)
    r = ["run", str(wasm)]
    return [Case("run", name, [*r, *args], codes, want=want) for name, args, codes, want in (
        ("path-crlf", ["--path", "/a\r\nX: y"], (USAGE,), ("U+000D",)),
        ("path-space", ["--path", "/a b"], (USAGE,), ("a space",)),
        ("path-ipv6", ["--path", "http://[::1/x"], (USAGE,), ("IPv6",)),
        ("method-space", ["-X", "GET /x"], (USAGE,), ("method",)),
        ("header-crlf", ["-H", "X: a\r\nY: b"], (USAGE,), ("U+000D",)),
        ("fifo-data", ["-d", f"@{d / 'fifo'}"], (USAGE,), ("a FIFO",)),
        ("device-data", ["-d", "@/dev/zero"], (USAGE,), ("character device",)),
        ("request-fifo", [str(d / "fifo")], (USAGE,), ("a FIFO",)),
        ("request-folder", [str(d / "dir.hurl")], (USAGE,), ("no request entries",)),
        ("huge-timeout", ["--timeout-ms", "99999999999999999999"], (OK,), ()),
        ("bad-chaos", ["--chaos", "kv_fail=nan"], (USAGE,), ("chaos",)),
    )]


def corpus_cases(corpus: Path, wasm: Path) -> list[Case]:
    """A Hurl corpus kept outside the project (`ok/`, `error_parser/`, as hurl_corpus.py
    reads it): every parse error refused at line:column (exit 2), every valid file
    replayed against the stub module without a traceback or a hang (any exit code the
    command documents: its requests are for other servers)."""
    out = []
    for f in sorted((corpus / "error_parser").rglob("*.hurl")):
        out.append(Case("corpus", f"error_parser/{f.name}", ["replay", str(f), "--module",
                                                             str(wasm), "--no-save"],
                        (USAGE,), want=(f"{f.name}:",)))
    for f in sorted((corpus / "ok").rglob("*.hurl")):
        out.append(Case("corpus", f"ok/{f.name}", ["replay", str(f), "--module", str(wasm),
                                                   "--no-save"], (OK, FAIL, USAGE)))
    return out
