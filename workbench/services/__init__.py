"""Headless units of work both front ends call (build->replay loop, run targets, the dev server)."""
