"""Benchmarks and load generators; each writes its result as JSON under bench/results/."""
