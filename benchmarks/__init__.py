"""Benchmarks run by ``make bench``: ours side by side with the reference tools, as ratios."""
