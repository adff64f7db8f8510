"""Side-by-side benchmarks of the client against its baselines (``make bench``)."""
