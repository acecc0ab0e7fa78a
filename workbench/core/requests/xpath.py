"""Hurl's `xpath` query and filter: XPath 1.0 on an XML or HTML body (elementpath).

XML is parsed strictly (expat); a body that is not XML is read as HTML with the standard
library's lenient HTML parser (void elements closed, unclosed tags closed at their
parent), as Hurl reads HTML with libxml2's HTML parser. A document with a default
namespace is queried with the prefix `_` (`//_:feed/_:title`), as in Hurl. Results: a
node set is a list of node texts (its `count` is the number of nodes), `string(...)` a
string, `count(...)` a number, `boolean(...)` a boolean.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import elementpath

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}


class XPathError(ValueError):
    pass


_TOO_DEEP = "the expression or the document is nested too deeply to evaluate"


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("html")
        self.stack = [self.root]
        self.seen_html = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html" and not self.seen_html:
            self.seen_html = True
            self.root.attrib.update({k: v or "" for k, v in attrs})
            return
        el = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in _VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_document(body: bytes, *, html_mode: bool,
                   prefixes: dict[str, str] | None = None) -> ET.Element:
    """The document's root; `prefixes` (out) gets the XML namespace prefixes declared."""
    text = body.decode("utf-8", "replace")
    if not html_mode:
        try:
            root = None
            for event, item in ET.iterparse(io.BytesIO(body), events=("start-ns", "start")):
                if event == "start-ns" and prefixes is not None and item[0]:
                    prefixes.setdefault(item[0], item[1])
                elif event == "start" and root is None:
                    root = item
            if root is not None:
                return root
        except ET.ParseError:
            pass
    parser = _Html()
    parser.feed(text)
    parser.close()
    return parser.root


def _text(node: Any) -> Any:
    if isinstance(node, ET.Element):
        return "".join(node.itertext())
    if isinstance(node, str | int | float | bool):
        return node
    return str(node)


def eval_xpath(body: bytes, expr: str, *, html_mode: bool = False) -> Any:
    namespaces: dict[str, str] = {}
    root = parse_document(body, html_mode=html_mode, prefixes=namespaces)
    m = re.match(r"\{([^}]*)\}", root.tag)
    if m:
        namespaces["_"] = m.group(1)
    try:  # XPath 1.0 as Hurl (libxml2): no XPath 2 functions such as matches()
        result = elementpath.select(root, expr, namespaces=namespaces,
                                    parser=elementpath.XPath1Parser)
    except (elementpath.ElementPathError, SyntaxError, TypeError, ValueError) as e:
        raise XPathError(f"invalid XPath {expr!r}: {e}") from None
    except RecursionError:
        raise XPathError(_TOO_DEEP) from None
    if isinstance(result, list):
        try:
            return [_text(n) for n in result]
        except RecursionError:
            raise XPathError(_TOO_DEEP) from None
    if isinstance(result, float) and result.is_integer() and expr.strip().startswith("count("):
        return int(result)
    return _text(result)


def check_xpath(expr: str) -> str | None:
    """Why an expression cannot compile, or None."""
    try:
        elementpath.XPath1Parser(namespaces={"_": "urn:x"}).parse(expr)
    except RecursionError:
        return _TOO_DEEP
    except (elementpath.ElementPathError, SyntaxError, TypeError, ValueError) as e:
        if "XPST0081" in str(e):  # a namespace prefix: declared by the document, known later
            return None
        return str(e)
    return None
