"""The dev server (`workbench serve`, and the app's server toggle): handlers on a local port.

- `record`: one frozen `ServeRecord` per served request and the `LogBus` to subscribe to;
- `pool`: the bounded worker pool that keeps wasm calls off the event loop;
- `module`: one build of one module, served (a pool of harnesses, hooks, limits);
- `routes`: the route table (longest prefix wins) built from a workspace;
- `server`: `DevServer`, the aiohttp server that ties them together;
- `reload`: live reload, the build watcher swapping builds into a running server.

See docs/serve.md.
"""
