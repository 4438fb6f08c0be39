"""Records out and back in: the writers (json, jsonl, table, ...) and readers."""
