"""A module or workspace folder where a command takes a file: `inspect`, `strip` and
`hooks` accept the folder the user is working in and use its modules' files."""

from __future__ import annotations

from pathlib import Path

from workbench.core.errors import UsageError


def build_outputs(files: list[str]) -> list[str]:
    """Folders become their modules' build outputs; a module never built is a usage error."""
    out: list[str] = []
    for name in files:
        if not Path(name).is_dir():
            out.append(name)
            continue
        from workbench.config.workspace import load_workspace

        for cfg in load_workspace([Path(name)]).modules:
            if not cfg.output.is_file():
                raise UsageError(f"{cfg.name} has not been built yet: {cfg.output} is missing",
                                 where=str(cfg.root),
                                 hint=f"run `workbench build {cfg.root}` first, or pass a "
                                 ".wasm file")
            out.append(str(cfg.output))
    return out


def one_output(path: Path) -> Path:
    """A .wasm path as given, or the build output of the one module in a folder."""
    if not path.is_dir():
        return path
    outputs = build_outputs([str(path)])
    if len(outputs) != 1:
        shown = ", ".join(outputs[:4]) + (", ..." if len(outputs) > 4 else "")
        raise UsageError(f"is a workspace of {len(outputs)} modules: which one?",
                         where=str(path), hint=f"pass one of {shown}")
    return Path(outputs[0])


def hooks_file(path: Path) -> Path:
    """A hooks file as given, or the configured hooks file of the module in a folder."""
    if not path.is_dir():
        return path
    from workbench.config.workspace import load_workspace

    modules = load_workspace([path]).modules
    if len(modules) != 1:
        names = ", ".join(str(m.root) for m in modules[:4])
        raise UsageError(f"is a workspace of {len(modules)} modules: which one?",
                         where=str(path), hint=f"pass a module folder or its hooks file: "
                                               f"{names}")
    cfg = modules[0]
    if cfg.hooks is None:
        raise UsageError(f"module {cfg.name} has no hooks file", where=str(cfg.root),
                         hint="add hooks.toml next to its module.toml (docs/hooks.md), "
                              "or pass a hooks file")
    return cfg.hooks
