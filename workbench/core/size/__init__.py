"""Where the bytes go: inspect, breakdowns, diff, strip, budget, gzip, DWARF."""
