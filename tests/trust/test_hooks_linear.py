"""Finding 9: hooks patterns match in linear time, load in linear time, reload on change.

No timed assertions: the hostile patterns below take seconds to minutes on a backtracking
engine; here they must be compiled by RE2 (checked by type and by the engine refusing
backreferences), and loading is checked by counting parses and scanned lines.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.core.errors import HooksError
from workbench.core.hooks.rules import parse_hooks
from workbench.core.http import Request


def _one(when: str) -> str:
    return f'[[rule]]\nname = "r"\nwhen = {{ {when} }}\naction = "respond"\nbody = "hit"\n'


def test_catastrophic_regex_runs_on_re2() -> None:
    from workbench.core.regex import compile_regex
    hooks = parse_hooks(_one('path_regex = "^/(a+)+$"'), file="h.toml")
    hostile = "/" + "a" * 28 + "!"  # 27 s on Python's re
    assert hooks.evaluate(Request(target=hostile)).response is None
    assert hooks.without_index().evaluate(Request(target=hostile)).response is None
    assert hooks.evaluate(Request(target="/aaaa")).response is not None
    assert type(compile_regex("^/(a+)+$")).__module__.startswith("re2")


def test_repeated_double_star_glob_is_linear() -> None:
    from workbench.core.globs import glob_pattern as glob_regex
    glob = "/" + "**a" * 20 + "**b"
    hooks = parse_hooks(_one(f'path_glob = "{glob}"'), file="h.toml")
    assert hooks.evaluate(Request(target="/" + "a" * 60)).response is None
    assert hooks.evaluate(Request(target="/" + "a" * 20 + "b")).response is not None
    assert glob_regex("/***/x") == glob_regex("/**/x")


@pytest.mark.parametrize("pattern", [r"^/(a)\\1$", "^/(?=x)", "^/(?<!y)z"])
def test_backreferences_and_lookaround_are_config_errors(pattern: str) -> None:
    text = '[[rule]]\nname = "ok"\naction = "block"\n\n' + _one(f'path_regex = "{pattern}"')
    with pytest.raises(HooksError) as exc:
        parse_hooks(text, file="h.toml")
    err = exc.value
    assert err.rule == "r" and err.field == "when.path_regex"
    assert err.file == "h.toml:7" and "linear-time RE2" in str(err)


def test_header_matches_uses_re2_too() -> None:
    hooks = parse_hooks(_one('header = { ua = { matches = "^(x+x+)+y$" } }'), file="h.toml")
    assert hooks.evaluate(Request(headers=(("ua", "x" * 40),))).response is None


def test_loading_scans_the_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule's Site used to re-split and re-scan the whole text (O(n^2))."""
    from workbench.core.hooks.site import Source
    made: list[int] = []
    real_init = Source.__init__

    def counting(self: Source, file: str, text: str) -> None:
        made.append(1)
        real_init(self, file, text)

    monkeypatch.setattr(Source, "__init__", counting)
    text = "".join(f'[[rule]]\nname = "r{i}"\nwhen = {{ path = "/p{i}" }}\n'
                   f'action = "block"\n\n' for i in range(2000))
    hooks = parse_hooks(text, file="h.toml")
    assert len(hooks.rules) == 2000 and len(made) == 1
    assert hooks.rules[1999].line == 4 * 1999 + 1999 + 1


def test_cached_hooks_parse_only_when_the_file_changes(tmp_path: Path) -> None:
    from workbench.core.hooks import reload
    path = tmp_path / "hooks.toml"
    path.write_text(_one('path = "/a"'))
    before = reload.parses
    first = reload.cached_hooks(path)
    for _ in range(50):
        assert reload.cached_hooks(path) is first
    assert reload.parses == before + 1
    st = path.stat()  # same bytes, new mtime: read again, not parsed again
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert reload.cached_hooks(path) is first and reload.parses == before + 1
    path.write_text(_one('path = "/b"'))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 20_000_000))
    second = reload.cached_hooks(path)
    assert second is not first and reload.parses == before + 2
    assert second.evaluate(Request(target="/b")).response is not None


# The "evil regex" examples of OWASP's ReDoS page
# (https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS),
# each with a 40-character input that makes a backtracking engine take hours.
OWASP_EVIL = [r"^(a+)+$", r"^([a-zA-Z]+)*$", r"^(a|aa)+$", r"^(a|a?)+$", r"^(.*a){12}$",
              r"^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
              r"(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$"]


@pytest.mark.parametrize("pattern", OWASP_EVIL)
def test_owasp_evil_regexes_are_harmless(pattern: str) -> None:
    from workbench.core.regex import compile_regex

    rx = compile_regex(pattern.replace("\\\\", "\\"))
    assert rx.search("a" * 40 + "!") is None
