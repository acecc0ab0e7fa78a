"""Building modules: builder, events, queue, sources, diagnostics, watch, toolchains."""
