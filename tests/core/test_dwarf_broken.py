"""Broken DWARF is a warning in the result, never an exception; totals still add up."""

from __future__ import annotations

import pytest

from tests.cmodules import c_modules, parse
from workbench.core.size.dwarf.attribute import attribute
from workbench.core.wasm.leb import encode_u


def replace_custom(data: bytes, name: str, content: bytes | None) -> bytes:
    """The module with custom section `name`'s contents replaced (None: removed)."""
    module = parse(data)
    out = bytearray(data[:8])
    for s in module.sections:
        if s.is_custom and s.name == name:
            if content is None:
                continue
            encoded = name.encode()
            payload = encode_u(len(encoded)) + encoded + content
            out += b"\x00" + encode_u(len(payload)) + payload
        else:
            out += data[s.offset:s.end]
    return bytes(out)


@pytest.fixture(scope="module")
def dwarf5() -> bytes:
    return c_modules()["dwarf5"]


def _content(data: bytes, name: str) -> bytes:
    return bytes(parse(data).custom(name))


@pytest.mark.parametrize("variant", ["dwarf4", "dwarf5"])
def test_truncated_debug_info_is_broken(variant: str) -> None:
    data = c_modules()[variant]
    info = _content(data, ".debug_info")
    module = parse(replace_custom(data, ".debug_info", info[: len(info) // 2]))
    attr = attribute(module)
    assert attr.status == "broken"
    assert attr.warning and "broken" in attr.warning
    assert sum(r.size for r in attr.rows()) == module.section("code").size


def test_missing_abbrev_is_broken(dwarf5: bytes) -> None:
    module = parse(replace_custom(dwarf5, ".debug_abbrev", None))
    attr = attribute(module)
    assert attr.status == "broken"
    assert attr.unattributed == module.section("code").size


@pytest.mark.parametrize("name", [".debug_info", ".debug_abbrev", ".debug_str_offsets",
                                  ".debug_addr", ".debug_line", ".debug_rnglists",
                                  ".debug_str"])
@pytest.mark.parametrize("how", ["empty", "zeros", "ones", "half"])
def test_mangled_sections_never_raise(dwarf5: bytes, name: str, how: str) -> None:
    original = _content(dwarf5, name)
    content = {"empty": b"", "zeros": bytes(len(original)), "ones": b"\xff" * len(original),
               "half": original[: len(original) // 2]}[how]
    module = parse(replace_custom(dwarf5, name, content))
    attr = attribute(module)
    assert attr.status in ("ok", "broken")
    assert (attr.status == "broken") == (attr.warning is not None and "broken" in attr.warning)
    assert sum(r.size for r in attr.rows()) == module.section("code").size
    assert sum(r.size for r in attr.unattributed_functions) == attr.unattributed


@pytest.mark.parametrize("variant", ["dwarf4", "dwarf5"])
def test_random_mutations_never_raise(variant: str) -> None:
    """Seeded byte flips and truncations across every .debug_* section."""
    import random

    rnd = random.Random(20261121)
    data = c_modules()[variant]
    module = parse(data)
    names = [s.name for s in module.sections if s.name.startswith(".debug_")]
    statuses = set()
    for _ in range(60):
        name = rnd.choice(names)
        content = bytearray(module.custom(name))
        for _flip in range(rnd.randint(1, 4)):
            content[rnd.randrange(len(content))] = rnd.randrange(256)
        if rnd.random() < 0.2:
            content = content[: rnd.randrange(len(content) + 1)]
        mutated = parse(replace_custom(data, name, bytes(content)))
        attr = attribute(mutated)
        statuses.add(attr.status)
        assert sum(r.size for r in attr.rows()) == mutated.section("code").size
        assert sum(r.size for r in attr.unattributed_functions) == attr.unattributed
    assert statuses <= {"ok", "broken"}


@pytest.mark.parametrize("name, how, words", [
    (".debug_abbrev", "zeros", "abbreviation code 1, which .debug_abbrev does not define"),
    (".debug_info", "ones", "DWARF is broken ("),
])
def test_broken_warning_is_words_not_a_bare_exception(dwarf5: bytes, name: str, how: str,
                                                      words: str) -> None:
    original = _content(dwarf5, name)
    filler = b"\x00" if how == "zeros" else b"\xff"
    half = len(original) // 2  # .debug_info: garbage in the middle of the first unit
    content = original[:half] + filler * 60 + original[half + 60:] if name == ".debug_info" \
        else filler * len(original)
    attr = attribute(parse(replace_custom(dwarf5, name, content)))
    assert attr.status == "broken" and attr.warning is not None
    assert words in attr.warning
    assert len(attr.warning) < 400 and not any(len(w) > 30 for w in attr.warning.split())
    assert "ssize_t" not in attr.warning and "KeyError" not in attr.warning
