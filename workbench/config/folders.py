"""One module from a folder, whatever describes it: module.toml, the folder's obvious
source, or a Spin app's spin.toml (config/spin.py). Front ends load and reload modules
through here (`config.module` alone does not know Spin apps)."""

from __future__ import annotations

from pathlib import Path

from workbench.config.module import SPIN_FILE, ModuleConfig
from workbench.config.module import load_module as _load_module_toml
from workbench.config.spin import is_spin_app, load_spin_component
from workbench.core.runtime.limits import Chaos


def load_module(folder: Path, *, base_chaos: Chaos | None = None) -> ModuleConfig:
    """The module in `folder`: module.toml first, then a Spin app's only HTTP component
    (several: a ConfigError asking which), then what the folder's sources say."""
    folder = Path(folder).resolve()
    if is_spin_app(folder):
        return load_spin_component(folder, base_chaos=base_chaos)
    return _load_module_toml(folder, base_chaos=base_chaos)


def reload_module(cfg: ModuleConfig, base_chaos: Chaos | None = None) -> ModuleConfig:
    """`cfg`'s configuration read again from where it came from (module.toml, inferred,
    or its Spin app's spin.toml: one component of several, found by name)."""
    if cfg.config_file is not None and cfg.config_file.name == SPIN_FILE:
        return load_spin_component(cfg.config_file.parent, cfg.name, base_chaos=base_chaos)
    return _load_module_toml(cfg.root, base_chaos=base_chaos)
