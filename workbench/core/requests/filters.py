"""Hurl filters: `count`, `nth 0`, `regex /x(\\d+)/`, `split ","`, `toInt`, `jsonpath "$.a"`...

`apply(filters, value, ctx)` runs them left to right on a queried value. A filter given a
value it cannot take fails the assertion or capture with Hurl's wording ("invalid filter
input: ..."), it never passes the value through. Values: str, int, float, bool, None,
list, dict, bytes, datetime (from toDate), and `MISSING` (nothing found).
"""

from __future__ import annotations

import base64
import binascii
import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from workbench.core.regex import PatternError, compile_regex
from workbench.core.requests.jsonpath import MISSING, JsonPathError, query_jsonpath
from workbench.core.requests.template import Template, resolve

# name -> argument kinds ("str": quoted string, "re": quoted string or /regex/, "int")
SIGNATURES: dict[str, tuple[str, ...]] = {
    "count": (), "first": (), "last": (), "nth": ("int",), "regex": ("re",),
    "split": ("str",), "replace": ("re", "str"), "replaceRegex": ("re", "str"),
    "decode": ("str",), "charsetDecode": ("str",), "format": ("str",), "toDate": ("str",),
    "toInt": (), "toFloat": (),
    "toString": (), "toHex": (), "base64Decode": (), "base64Encode": (),
    "base64UrlSafeDecode": (), "base64UrlSafeEncode": (), "urlEncode": (), "urlDecode": (),
    "htmlEscape": (), "htmlUnescape": (), "jsonpath": ("str",), "xpath": ("str",),
    "daysAfterNow": (), "daysBeforeNow": (), "utf8Decode": (), "utf8Encode": (),
    "location": (), "dateFormat": ("str",), "toUnix": (), "urlQueryParam": ("str",),
}


class FilterError(ValueError):
    """A filter that cannot apply to its input; the message is Hurl's kind of wording."""


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    args: tuple[Any, ...] = ()  # str | int | Template | ("regex", pattern)

    def __str__(self) -> str:
        shown = []
        for a in self.args:
            if isinstance(a, tuple):
                shown.append(f"/{a[1]}/")
            elif isinstance(a, int):
                shown.append(str(a))
            else:
                shown.append(json.dumps(str(a)))
        return " ".join([self.name, *shown])


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    return {str: "string", list: "list", dict: "object", bytes: "bytes",
            datetime: "date"}.get(type(v), "null" if v is None else type(v).__name__)


def _bad(f: Filter, v: Any) -> FilterError:
    return FilterError(f"invalid filter input: {f.name} cannot take a {_kind(v)}")


def _pattern(arg: Any, variables: dict[str, Any]) -> Any:
    text = arg[1] if isinstance(arg, tuple) else resolve(arg, variables)
    try:
        return compile_regex(str(text))
    except PatternError as e:
        raise FilterError(f"invalid regex {text!r}: {e}") from None


def _date_format(fmt: str) -> str:
    return fmt  # Hurl's (chrono) strftime codes are the C ones Python uses


def apply_one(f: Filter, v: Any, variables: dict[str, Any]) -> Any:  # noqa: C901
    n = f.name
    if v is MISSING:
        raise FilterError(f"{n}: no value to filter")
    arg = [resolve(a, variables) if isinstance(a, Template) else a for a in f.args]
    if n == "count":
        if isinstance(v, list | bytes):
            return len(v)
        raise _bad(f, v)
    if n in ("first", "last", "nth"):
        if not isinstance(v, list):
            raise _bad(f, v)
        idx = 0 if n == "first" else -1 if n == "last" else arg[0]
        if not -len(v) <= idx < len(v):
            raise FilterError(f"{n}: index {idx} out of range for a list of {len(v)}")
        return v[idx]
    if n in ("regex",):
        if not isinstance(v, str):
            raise _bad(f, v)
        m = _pattern(f.args[0], variables).search(v)
        if not m:
            return MISSING
        return m.group(1) if m.re.groups else m.group(0)
    if n == "location":
        if not isinstance(v, dict) or "location" not in v:
            raise _bad(f, v)
        return v["location"]
    if n == "urlQueryParam":
        if not isinstance(v, str):
            raise _bad(f, v)
        from urllib.parse import parse_qs, urlsplit

        found = parse_qs(urlsplit(v).query, keep_blank_values=True).get(arg[0])
        return found[0] if found else MISSING
    if n in ("split", "replace", "replaceRegex", "urlEncode", "urlDecode", "htmlEscape",
             "htmlUnescape", "toDate", "base64Decode", "base64UrlSafeDecode", "utf8Encode",
             "jsonpath", "xpath"):
        if not isinstance(v, str):
            raise _bad(f, v)
        if n == "split":
            return v.split(arg[0])
        if n == "replace" and not isinstance(f.args[0], tuple):
            return v.replace(arg[0], arg[1])
        if n in ("replace", "replaceRegex"):
            return _pattern(f.args[0], variables).sub(lambda _m: arg[1], v)
        if n == "urlEncode":
            return quote(v, safe="/")
        if n == "urlDecode":
            return unquote(v)
        if n == "htmlEscape":
            return html.escape(v)
        if n == "htmlUnescape":
            return html.unescape(v)
        if n == "utf8Encode":
            return v.encode()
        if n in ("base64Decode", "base64UrlSafeDecode"):
            try:
                pad = v + "=" * (-len(v) % 4)
                return (base64.b64decode(pad, validate=True) if n == "base64Decode"
                        else base64.urlsafe_b64decode(pad))
            except (binascii.Error, ValueError) as e:
                raise FilterError(f"{n}: invalid base64: {e}") from None
        if n == "toDate":
            try:
                d = datetime.strptime(v, _date_format(arg[0]))
            except ValueError as e:
                raise FilterError(f"toDate: {v!r} does not match {arg[0]!r}: {e}") from None
            return d if d.tzinfo else d.replace(tzinfo=UTC)
        if n == "jsonpath":
            try:
                doc = json.loads(v)
            except (ValueError, RecursionError):
                raise FilterError("jsonpath: the value is not JSON (or too deep)") from None
            try:
                return query_jsonpath(doc, arg[0])
            except JsonPathError as e:
                raise FilterError(str(e)) from None
        from workbench.core.requests.xpath import eval_xpath  # xpath
        return eval_xpath(v.encode(), arg[0], html_mode=True)
    if n in ("decode", "charsetDecode"):  # charsetDecode: Hurl 7's name for decode
        if not isinstance(v, bytes):
            raise _bad(f, v)
        try:
            return v.decode(arg[0])
        except (LookupError, UnicodeDecodeError) as e:
            raise FilterError(f"{n}: cannot decode as {arg[0]!r}: {e}") from None
    if n == "utf8Decode":
        if not isinstance(v, bytes):
            raise _bad(f, v)
        return v.decode("utf-8", "replace")
    if n in ("base64Encode", "base64UrlSafeEncode", "toHex"):
        if not isinstance(v, bytes):
            raise _bad(f, v)
        if n == "toHex":
            return v.hex()
        if n == "base64Encode":
            return base64.b64encode(v).decode()
        return base64.urlsafe_b64encode(v).decode().rstrip("=")  # Hurl: URL_SAFE_NO_PAD
    if n in ("format", "dateFormat", "daysAfterNow", "daysBeforeNow", "toUnix"):
        if not isinstance(v, datetime):
            raise _bad(f, v)
        if n == "toUnix":  # seconds since the epoch, as an integer
            return int((v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp())
        if n in ("format", "dateFormat"):
            return v.strftime(arg[0])
        days = (v - datetime.now(UTC)).days
        return days if n == "daysAfterNow" else -days
    if n == "toInt":
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise _bad(f, v)
        try:
            return int(v) if not isinstance(v, str) else int(v.strip())
        except ValueError:
            raise FilterError(f"toInt: {v!r} is not an integer") from None
    if n == "toFloat":
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise _bad(f, v)
        try:
            return float(v)
        except ValueError:
            raise FilterError(f"toFloat: {v!r} is not a number") from None
    if n == "toString":
        if isinstance(v, str):
            return v
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        raise _bad(f, v)
    raise FilterError(f"not supported: filter {n!r}")


def apply(filters: tuple[Filter, ...], value: Any, variables: dict[str, Any]) -> Any:
    for f in filters:
        value = apply_one(f, value, variables)
    return value
