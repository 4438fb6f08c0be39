"""Syndicated copies (转载): text fingerprints, a window index of recent records, clusters."""
