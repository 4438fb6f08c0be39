"""One article page: bytes to text, the body, cleaning, and the metadata layer."""
