"""Shared ground: the record models, the error tree with exit codes, text helpers."""
