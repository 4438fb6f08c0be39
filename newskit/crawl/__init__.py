"""Batch runs: sources, scheduling, politeness, state, workers and sinks."""
