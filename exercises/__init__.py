"""Your exercise modules: fill in each function, then run pytest."""
