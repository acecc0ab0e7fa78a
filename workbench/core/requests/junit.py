"""JUnit XML for a replay report, the format CI systems (GitLab, Jenkins, GitHub
actions reporters) render: one <testsuite> per module, one <testcase> per saved request,
a <failure> listing every failed assertion with its file:line, an <error> for a run that
failed (trap, timeout, ...)."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

from workbench.core.requests.asserts import AssertionResult
from workbench.core.requests.replay import ReplayReport


def junit_xml(reports: list[ReplayReport]) -> str:
    root = ET.Element("testsuites", name="workbench replay")
    total = failures = errors = 0
    for report in reports:
        counts = report.counts
        suite = ET.SubElement(root, "testsuite", name=report.module,
                              tests=str(counts["entries"]),
                              failures=str(sum(1 for e in report.entries
                                               if e.error is None and not e.passed)),
                              errors=str(counts["run_errors"]), skipped="0",
                              time=f"{report.elapsed_ms / 1000:.6f}")
        for e in report.entries:
            file = _rel(e.entry.file)
            case = ET.SubElement(suite, "testcase", name=e.entry.name,
                                 classname=f"{report.module}.{file}",
                                 file=file, line=str(e.entry.line),
                                 time=f"{e.duration_ms / 1000:.6f}")
            if e.error is not None:
                node = ET.SubElement(case, "error", type=e.error["kind"],
                                     message=e.error["message"][:500])
                node.text = f"{e.entry.where}: run failed: {e.error['kind']}: " \
                            f"{e.error['message']}"
                if fails := e.failures:
                    node.text += "\n" + _failures_text(fails)
                errors += 1
            elif fails := e.failures:  # one <failure> or one <error> per testcase
                first = fails[0]
                node = ET.SubElement(case, "failure", type="assertion",
                                     message=f"{first.assertion.where}: {first.message}"[:500])
                node.text = _failures_text(fails)
                failures += 1
            total += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    for node in root.iter():  # XML 1.0 cannot hold control characters: escape them
        node.attrib = {k: _xml_safe(v) for k, v in node.attrib.items()}
        if node.text:
            node.text = _xml_safe(node.text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") \
        + "\n"


def _rel(file: str) -> str:
    """A path relative to the current folder when below it (CI shows repo paths)."""
    if not os.path.isabs(file):
        return file
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return file
    return file if rel.startswith("..") else rel


def _failures_text(fails: tuple[AssertionResult, ...]) -> str:
    return "\n".join(f"{r.assertion.where}: {r.assertion.text}\n"
                     f"  expected {r.expected}, got {r.actual_text}" for r in fails)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids (shown as \\xNN instead)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
