"""Hurl queries on what a run produced: status, version, url, header, cookie, body, bytes,
xpath, jsonpath, regex, variable, duration, sha256, md5, redirects (+ workbench's fuel).

`run_query(query, arg, obs)` returns the value or `MISSING`, or raises `QueryError` when
the query itself cannot run (a body that is not JSON for jsonpath, an invalid charset...),
with Hurl's kind of wording.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.core.http import Response
from workbench.core.regex import PatternError, compile_regex
from workbench.core.requests.jsonpath import MISSING, JsonPathError, query_jsonpath
from workbench.core.requests.template import Template, resolve


class QueryError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Observed:
    """What a run produced: the response (None when the run failed), time and fuel, plus
    the variables in scope, the final URL and the redirects followed."""

    response: Response | None
    duration_ms: float | None = None
    fuel: int | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    url: str | None = None
    redirects: tuple[dict[str, Any], ...] = ()


_COOKIE_ATTR = re.compile(r"^([^\[]+)(?:\[([A-Za-z-]+)\])?$")


def _cookie(resp: Response, spec: str) -> Any:
    m = _COOKIE_ATTR.match(spec)
    if not m:
        raise QueryError(f"invalid cookie query {spec!r}")
    name, attr = m.group(1), (m.group(2) or "Value")
    found: Any = MISSING
    for k, v in resp.headers:
        if k.lower() != "set-cookie":
            continue
        first, _, rest = v.partition(";")
        cname, eq, cval = first.partition("=")
        if not eq or cname.strip() != name:
            continue
        attrs: dict[str, Any] = {"value": cval.strip()}
        for part in rest.split(";"):
            key, eq2, val = part.strip().partition("=")
            if key:
                attrs[key.strip().lower()] = val.strip() if eq2 else True
        found = attrs
    if found is MISSING:
        return MISSING
    want = attr.lower()
    if want in ("secure", "httponly"):
        return MISSING if want not in found else True
    if want == "expires" and want in found:
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(str(found[want]).replace("-", " "))
        except (TypeError, ValueError):
            return found[want]
    if want == "max-age" and want in found:
        try:
            return int(found[want])
        except ValueError:
            return found[want]
    return found.get(want, MISSING)


def _charset(resp: Response) -> str:
    ctype = resp.header("content-type") or ""
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", ctype, re.I)
    return m.group(1) if m else "utf-8"


def body_text(resp: Response) -> str:
    charset = _charset(resp)
    try:
        return resp.body.decode(charset)
    except LookupError:
        raise QueryError(f"invalid charset {charset!r} in Content-Type") from None
    except UnicodeDecodeError:
        raise QueryError(f"the body is not valid {charset} text") from None


def run_query(query: str, arg: Any, obs: Observed) -> Any:  # noqa: C901
    arg = resolve(arg, obs.variables) if isinstance(arg, Template) else arg
    if query == "duration":
        return MISSING if obs.duration_ms is None else int(round(obs.duration_ms))
    if query == "fuel":
        return MISSING if obs.fuel is None else obs.fuel
    if query == "variable":
        return obs.variables.get(arg, MISSING)
    resp = obs.response
    if resp is None:
        return MISSING
    if query == "status":
        return resp.status
    if query == "version":
        return "1.1"  # the in-process handler ABI speaks HTTP/1.1
    if query == "url":
        return obs.url if obs.url is not None else MISSING
    if query == "redirects":
        return list(obs.redirects)
    if query == "header":
        values = [v for k, v in resp.headers if k.lower() == str(arg).lower()]
        if not values:
            return MISSING
        return values[0] if len(values) == 1 else values
    if query == "cookie":
        return _cookie(resp, str(arg))
    if query == "bytes":
        return resp.body
    if query == "sha256":
        return hashlib.sha256(resp.body).digest()
    if query == "md5":
        return hashlib.md5(resp.body).digest()
    if query == "body":
        return body_text(resp)
    if query == "jsonpath":
        try:
            doc = json.loads(body_text(resp))
        except ValueError:
            raise QueryError("the body is not JSON") from None
        except RecursionError:  # a guest body nested thousands deep
            raise QueryError("the body is JSON nested too deeply to query") from None
        try:
            return query_jsonpath(doc, str(arg))
        except JsonPathError as e:  # a path made invalid by a value rendered into it
            raise QueryError(str(e)) from None
    if query == "xpath":
        from workbench.core.requests.xpath import XPathError, eval_xpath

        ctype = (resp.header("content-type") or "").lower()
        try:
            return eval_xpath(resp.body, str(arg), html_mode="html" in ctype)
        except XPathError as e:
            raise QueryError(str(e)) from None
    if query == "regex":
        pattern = arg[1] if isinstance(arg, tuple) else str(arg)
        try:
            m = compile_regex(pattern).search(body_text(resp))
        except PatternError as e:  # a pattern made invalid by a value rendered into it
            raise QueryError(f"invalid regex {pattern!r}: {e}") from None
        if not m:
            return MISSING
        return m.group(1) if m.re.groups else m.group(0)
    raise QueryError(f"not supported: query {query!r}")

