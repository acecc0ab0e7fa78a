"""A `ServeRecord` as one JSON line, without building the dict first.

`json.dumps(record.to_json(), separators=(",", ":"))` costs ~29 us a record, a third of
what the reference server spends on a whole request; `json_line` writes the same text
(byte for byte, tested against it on generated records) in ~6 us by formatting the fixed
shape directly and escaping strings with the json module's C escaper. Guest log lines,
which are free-form, still go through `json.dumps`.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _esc  # type: ignore[attr-defined]

from workbench.core.runtime.secrets import Secrets
from workbench.services.serve.record import (
    Headers,
    Phases,
    ServeRecord,
    message_parts,
    red_log,
)


def _str(value: str | None) -> str:
    return "null" if value is None else _esc(value)


def _num(value: float | None) -> str:
    return "null" if value is None else repr(round(value, 1))


def _int(value: int | None) -> str:
    return "null" if value is None else repr(value)


def _phases(ph: Phases) -> str:
    return (f'{{"queue":{_num(ph.queue_us)},"hooks":{_num(ph.hooks_us)},'
            f'"instantiate":{_num(ph.instantiate_us)},"handler":{_num(ph.handler_us)},'
            f'"run":{_num(ph.run_us)},"total":{_num(ph.total_us)}}}')


def _message(headers: Headers, body: bytes, secrets: Secrets | None) -> str:
    pairs, text, b64, size, truncated = message_parts(headers, body, secrets)
    hs = ",".join(f"[{_esc(k)},{_esc(v)}]" for k, v in pairs)
    return (f'{{"headers":[{hs}],"body":{_str(text)},"body_b64":{_str(b64)},'
            f'"body_bytes":{size},"truncated":{"true" if truncated else "false"}}}')


def json_line(r: ServeRecord) -> str:
    """`json.dumps(r.to_json(), separators=(",", ":"))`, faster."""
    red = r.redacted
    error = ("null" if r.error_kind is None else
             f'{{"kind":{_esc(r.error_kind)},"message":{_esc(red(r.error or ""))}}}')
    logs = ("[]" if not r.logs else
            json.dumps([red_log(ln, r.secrets) for ln in r.logs], separators=(",", ":")))
    target = None if r.handler_target is None else red(r.handler_target)
    rule = None if r.hook_rule is None else red(r.hook_rule)
    return (f'{{"time":{round(r.time, 6)!r},"client":{_esc(r.client)},'
            f'"method":{_esc(red(r.method))},"target":{_esc(red(r.target))},"status":{r.status!r},'
            f'"handler_target":{_str(target)},"answered_by":{_esc(r.answered_by)},'
            f'"route":{_str(r.route)},"module":{_str(r.module)},"build":{_int(r.build)},'
            f'"hook_rule":{_str(rule)},"mode":{_str(r.mode)},'
            f'"inline":{"true" if r.inline else "false"},"phases":{_phases(r.phases)},'
            f'"fuel":{_int(r.fuel)},"bytes_in":{r.bytes_in!r},"bytes_out":{r.bytes_out!r},'
            f'"error":{error},"logs":{logs},'
            f'"request":{_message(r.request_headers, r.request_body, r.secrets)},'
            f'"response":{_message(r.response_headers, r.response_body, r.secrets)}}}')
