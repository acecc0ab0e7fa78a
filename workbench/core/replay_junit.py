"""JUnit XML for a replay report, the format CI systems (GitLab, Jenkins, GitHub
actions reporters) render: one <testsuite> per module, one <testcase> per saved request,
a <failure> listing every failed assertion with its file:line, an <error> for a run that
failed (trap, timeout, ...)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from workbench.core.replay import ReplayReport


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
                errors += 1
            fails = e.failures
            if fails:
                first = fails[0]
                node = ET.SubElement(case, "failure", type="assertion",
                                     message=f"{first.assertion.where}: {first.message}"[:500])
                node.text = "\n".join(f"{r.assertion.where}: {r.assertion.text}\n"
                                      f"  expected {r.expected}, got {_actual(r.actual)}"
                                      for r in fails)
                failures += e.error is None
            total += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
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


def _actual(value: object) -> str:
    from workbench.core.asserts import show

    return show(value) if value is not None else "<none>"
