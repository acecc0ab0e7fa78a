"""Handler ABIs, host bindings, harness, limits, chaos, statistics."""
