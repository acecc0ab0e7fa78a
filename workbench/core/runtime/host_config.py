"""What a module's `module.toml` tells the runtime beyond limits and chaos.

`HostConfig` travels from the config layer to `Harness(host=...)` in one value, so a new
setting reaches run, bench, replay, serve and the app without touching each of them:
- `outbound`: stubs answering the handler's outgoing HTTP requests (components; never the
  network), from `[[outbound]]` tables;
- `extism_function`: the export an Extism plugin serves requests with (`[extism]
  function`, default `handle`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.runtime.component.outbound import Outbound

DEFAULT_EXTISM_FUNCTION = "handle"


@dataclass(frozen=True, slots=True)
class HostConfig:
    outbound: Outbound = field(default_factory=Outbound)
    extism_function: str = DEFAULT_EXTISM_FUNCTION

    def to_json(self) -> dict[str, Any]:
        return {"outbound": [s.to_json() for s in self.outbound.stubs],
                "extism": {"function": self.extism_function}}
