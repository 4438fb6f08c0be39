"""The metadata layer: page facts, headline, dates, people and sources."""
