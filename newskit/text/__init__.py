"""Text transforms: sentences, summaries and teasers, Chinese script conversion."""
