"""The one table of Hurl features: what workbench does with each.

The parser asks this table (`check`) before accepting a section, option, query, filter or
predicate, and docs/requests.md's feature list is generated from it
(`python3 -m workbench.core.requests.hurl_features` prints it; a test fails when the doc
drifts). Statuses: `supported` (Hurl's meaning), `no effect` (accepted; it changes
nothing for an in-process request: no network, no TLS, no terminal output), `not
supported` (the file is rejected with "not supported: <feature> (file:line)").
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.core.errors import RequestFileError

SUPPORTED, NO_EFFECT, NOT_SUPPORTED = "supported", "no effect", "not supported"


class Feature(NamedTuple):
    kind: str  # section | option | query | filter | predicate | body | syntax
    name: str
    status: str
    note: str = ""


_S, _N, _X = SUPPORTED, NO_EFFECT, NOT_SUPPORTED
FEATURES: tuple[Feature, ...] = (
    Feature("syntax", "request line with http:// or https:// URL", _S,
            "the scheme is kept on the request; host:port becomes the Host header"),
    Feature("syntax", "URL credentials user:pw@host", _S, "sent as Authorization: Basic"),
    Feature("syntax", "HTTP, HTTP/1.0, HTTP/1.1, HTTP/2, HTTP/3, HTTP/* status line", _S,
            "the version is checked (in-process responses are HTTP/1.1)"),
    Feature("syntax", "headers, comments, escapes (\\#, \\u{..}), {{placeholders}}", _S),
    Feature("syntax", "leading byte order mark", _S),
    Feature("syntax", "# @cookie_storage_set / @cookie_storage_clear comments", _X,
            "Hurl's experimental cookie-store commands"),
    Feature("section", "QueryStringParams", _S, "alias Query"),
    Feature("section", "FormParams", _S, "alias Form; application/x-www-form-urlencoded"),
    Feature("section", "MultipartFormData", _S, "alias Multipart; file, parts read from disk"),
    Feature("section", "Cookies", _S),
    Feature("section", "BasicAuth", _S),
    Feature("section", "Options", _S, "see the options below"),
    Feature("section", "Captures", _S, "values chain into later entries and files"),
    Feature("section", "Asserts", _S),
    Feature("body", "JSON", _S, "validated as Hurl does; Content-Type application/json"),
    Feature("body", "XML", _S, "Content-Type application/xml"),
    Feature("body", "```multi-line``` (json, xml, graphql, base64, hex; escape, novariable)",
            _S),
    Feature("body", "`one-line`, base64,..;, hex,..;, file,..;", _S),
    Feature("option", "variable", _S),
    Feature("option", "delay", _S, "milliseconds before the request"),
    Feature("option", "retry", _S, "-1 (forever) is capped at 100 tries"),
    Feature("option", "retry-interval", _S),
    Feature("option", "skip", _S),
    Feature("option", "repeat", _S),
    Feature("option", "location", _S, "redirects on the same host, answered by the module"),
    Feature("option", "location-trusted", _S, "as location"),
    Feature("option", "max-redirs", _S),
    Feature("option", "header", _S),
    Feature("option", "user", _S, "Authorization: Basic"),
    Feature("option", "path-as-is", _S, "workbench never normalizes paths"),
    Feature("option", "verbose", _N), Feature("option", "verbosity", _N),
    Feature("option", "very-verbose", _N),
    Feature("option", "insecure", _N), Feature("option", "output", _N),
    Feature("option", "compressed", _X), Feature("option", "http1.0", _X),
    Feature("option", "http1.1", _N), Feature("option", "http2", _X),
    Feature("option", "http3", _X), Feature("option", "ipv4", _N),
    Feature("option", "ipv6", _N), Feature("option", "cacert", _X),
    Feature("option", "cert", _X), Feature("option", "key", _X),
    Feature("option", "connect-to", _X), Feature("option", "resolve", _X),
    Feature("option", "proxy", _X), Feature("option", "unix-socket", _X),
    Feature("option", "aws-sigv4", _X), Feature("option", "netrc", _X),
    Feature("option", "netrc-file", _X), Feature("option", "netrc-optional", _X),
    Feature("option", "connect-timeout", _X), Feature("option", "max-time", _X),
    Feature("option", "limit-rate", _X), Feature("option", "digest", _X),
    Feature("option", "ntlm", _X), Feature("option", "negotiate", _X),
    Feature("option", "pinnedpubkey", _X), Feature("option", "max-filesize", _X),
    Feature("query", "status", _S), Feature("query", "version", _S),
    Feature("query", "url", _S), Feature("query", "header", _S),
    Feature("query", "cookie", _S, "from Set-Cookie; attributes [Value] [Expires] [Max-Age] "
            "[Domain] [Path] [Secure] [HttpOnly] [SameSite]"),
    Feature("query", "body", _S), Feature("query", "bytes", _S),
    Feature("query", "xpath", _S, "XPath 1.0 on XML; HTML is read leniently"),
    Feature("query", "jsonpath", _S, "$, .key, ['key'], [n], [*], .*, [a:b], ..key, "
            "[?(@.k op v)]"),
    Feature("query", "regex", _S), Feature("query", "variable", _S),
    Feature("query", "duration", _S), Feature("query", "sha256", _S),
    Feature("query", "md5", _S), Feature("query", "redirects", _S),
    Feature("query", "fuel", _S, "workbench extension: wasm fuel used"),
    Feature("query", "ip", _X), Feature("query", "certificate", _X),
    Feature("filter", "count", _S), Feature("filter", "nth", _S),
    Feature("filter", "regex", _S), Feature("filter", "split", _S),
    Feature("filter", "replace", _S), Feature("filter", "replaceRegex", _S),
    Feature("filter", "decode", _S), Feature("filter", "charsetDecode", _S, "as decode"),
    Feature("filter", "format", _S),
    Feature("filter", "toInt", _S), Feature("filter", "toFloat", _S),
    Feature("filter", "toString", _S), Feature("filter", "toDate", _S),
    Feature("filter", "toHex", _S), Feature("filter", "base64Decode", _S),
    Feature("filter", "base64Encode", _S), Feature("filter", "base64UrlSafeDecode", _S),
    Feature("filter", "base64UrlSafeEncode", _S), Feature("filter", "urlEncode", _S),
    Feature("filter", "urlDecode", _S), Feature("filter", "htmlEscape", _S),
    Feature("filter", "htmlUnescape", _S), Feature("filter", "jsonpath", _S),
    Feature("filter", "xpath", _S), Feature("filter", "daysAfterNow", _S),
    Feature("filter", "daysBeforeNow", _S), Feature("filter", "first", _S),
    Feature("filter", "last", _S), Feature("filter", "utf8Decode", _S),
    Feature("filter", "utf8Encode", _S), Feature("filter", "urlQueryParam", _S),
    Feature("filter", "location", _S),
    Feature("filter", "dateFormat", _S), Feature("filter", "toUnix", _S),
    Feature("predicate", "==, !=, <, <=, >, >= and equals/notEquals/greaterThan... words", _S),
    Feature("predicate", "contains, startsWith, endsWith, matches, includes, exists", _S),
    Feature("predicate", "isEmpty, isInteger, isFloat, isBoolean, isString, isCollection, "
            "isNumber, isDate, isIsoDate, isIpv4, isIpv6, isUuid, isList, isObject", _S),
)
_BY_KEY = {(f.kind, f.name): f for f in FEATURES}


def status(kind: str, name: str) -> str | None:
    f = _BY_KEY.get((kind, name))
    return f.status if f else None


def names(kind: str, *, supported_only: bool = False) -> tuple[str, ...]:
    return tuple(f.name for f in FEATURES if f.kind == kind
                 and (not supported_only or f.status != NOT_SUPPORTED))


def check(kind: str, name: str, file: str, line: int, column: int | None = None) -> str:
    """The status of a known feature; "not supported" raises, an unknown name too."""
    st = status(kind, name)
    if st is None:
        raise RequestFileError(f"unknown {kind} {name!r}", file=file, line=line,
                               column=column, hint=f"Hurl {kind}s: " + ", ".join(names(kind)))
    if st == NOT_SUPPORTED:
        raise RequestFileError(f"not supported: {kind} {name!r}", file=file, line=line,
                               column=column,
                               hint=f"supported {kind}s: "
                                    + ", ".join(names(kind, supported_only=True)))
    return st


def markdown() -> str:
    """The feature table of docs/requests.md (between the GENERATED markers)."""
    rows = ["| kind | feature | status | note |", "|---|---|---|---|"]
    for f in FEATURES:
        name, note = (x.replace("|", "\\|") for x in (f.name, f.note))
        rows.append(f"| {f.kind} | {name} | {f.status} | {note} |")
    return "\n".join(rows) + "\n"


BEGIN = "<!-- GENERATED by python3 -m workbench.core.requests.hurl_features: do not edit -->\n"
END = "<!-- END GENERATED -->"


def rewrite(doc: str) -> str:
    """`doc` with the text between the GENERATED markers replaced by `markdown()`."""
    head, rest = doc.split(BEGIN, 1)
    return head + BEGIN + markdown() + END + rest.split(END, 1)[1]


if __name__ == "__main__":  # print the table, or `--write docs/requests.md` to update it
    import sys
    from pathlib import Path

    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        path = Path(sys.argv[2])
        path.write_text(rewrite(path.read_text()))
    else:
        print(markdown(), end="")
