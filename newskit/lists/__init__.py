"""List pages: finding the main list and turning its items into teasers."""
