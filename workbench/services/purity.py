"""The purity check for a module folder or .wasm file: build, trust, requests, settings.

`purity_of(module, requests)` is what `workbench purity` and the app's view call: a
folder is built (and re-signed when module.toml says so), the trust policy applies as
for `run`, the requests are the given file/folder or the module's saved requests, and
`[purity]` in workbench.toml supplies the ignored headers and the growth run's length.
"""

from __future__ import annotations

from pathlib import Path

from workbench.config.purity import purity_settings
from workbench.config.workspace import workspace_variables
from workbench.core.errors import UsageError
from workbench.core.http import Request
from workbench.core.purity.check import check_purity
from workbench.core.purity.result import PurityReport
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.limits import Limits


def purity_of(module: Path, requests: Path | None = None, *,
              ignore_headers: tuple[str, ...] | None = None,
              growth_requests: int | None = None) -> PurityReport:
    from workbench.core.requests.files import load_requests
    from workbench.services.trust import enforce_signature, sign_build_output

    limits: Limits | None = None
    host: HostConfig | None = None  # [extism] function, [[outbound]] stubs
    saved: Path | None = requests
    name = module.stem
    if module.is_dir():
        from workbench.config.folders import load_module
        from workbench.services.folder_trust import gated_build

        cfg = load_module(module)
        built = gated_build(cfg).raise_for_status()  # a folder's own build code: trusted only
        if built.wasm_path is None:
            raise UsageError(f"{cfg.name}: the build produced no module", where=str(module))
        sign_build_output(cfg.root, built.wasm_path)
        wasm_path, limits, name, host = built.wasm_path, cfg.limits, cfg.name, cfg.host
        saved = saved or cfg.requests
    elif module.exists():
        wasm_path = module  # a FIFO or a device is refused by read_wasm next
    else:
        raise UsageError(f"no such module: {module}", hint="pass a .wasm file or module folder")
    from workbench.core.files import FileRefused, read_wasm

    try:
        wasm = read_wasm(wasm_path)
    except FileRefused as err:
        what = err.message.removeprefix("cannot read: ")
        raise UsageError(f"cannot read the module: {what}", where=str(wasm_path),
                         hint=err.hint or "check the file's permissions, or rebuild it"
                         ) from None
    enforce_signature(wasm_path, module)  # after the read: a FIFO is refused, not opened
    entries: list[tuple[str | None, Request]] = []
    if saved is not None:
        found = load_requests(saved, workspace_variables(module))
        entries = [(e.name, e.request) for e in found]
    settings = purity_settings(module.resolve())
    return check_purity(
        wasm, entries, name=name, limits=limits, file=str(wasm_path), host=host,
        ignore_headers=ignore_headers if ignore_headers is not None
        else settings.ignore_headers,
        growth_requests=growth_requests or settings.growth_requests)
