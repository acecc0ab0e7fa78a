"""`cached_hooks(path)`: a hooks file parsed once and again only when it changed.

The app asks for a module's hooks on every request; parsing a 2,000-rule file each time
costs a second. A file is re-read only when its (mtime, size) stamp, or that of a respond
`file =` body, moved; it is re-parsed only when the bytes' sha256 differs too (a `touch`
or an editor saving the same text costs one read, no parse). A bad file raises HooksError
(as `load_hooks` does) and is not cached, so fixing it takes effect on the next request.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import HooksError
from workbench.core.files import FileRefused, read_limited
from workbench.core.hooks.rules import Hooks, parse_hooks, stamps


@dataclass
class _Entry:
    stamp: tuple[tuple[int, int], ...]
    digest: str
    hooks: Hooks


_CACHE: dict[str, _Entry] = {}
_LOCK = threading.Lock()
parses = 0  # how many times a file was parsed (tests check that nothing re-parses)


def cached_hooks(path: str | os.PathLike[str]) -> Hooks:
    """The compiled hooks of `path`, parsed only when the file (or a body file) changed."""
    global parses
    p = Path(path)
    key = os.path.realpath(p)
    with _LOCK:
        entry = _CACHE.get(key)
    if entry is not None and stamps((p, *entry.hooks.files)) == entry.stamp:
        return entry.hooks
    head = stamps((p,))  # before reading: a save after this is seen next time
    try:
        data = read_limited(p)
    except FileRefused as e:
        raise HooksError(f"cannot read hooks file: {e.message}", file=str(p),
                         hint="check --hooks or the module's hooks setting") from None
    digest = hashlib.sha256(data).hexdigest()
    if entry is not None and entry.digest == digest and \
            stamps(entry.hooks.files) == entry.stamp[1:]:
        hooks = entry.hooks  # same bytes, same bodies: only the stamp moved
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise HooksError(f"hooks file is not UTF-8 ({e.reason})", file=str(p)) from None
        hooks = parse_hooks(text, file=str(p), base_dir=p.parent)
        parses += 1
    with _LOCK:
        _CACHE[key] = _Entry(head + stamps(hooks.files), digest, hooks)
    return hooks
