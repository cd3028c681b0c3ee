"""Benchmarks: run with `make bench` (or `python -m bench`); each prints its figures."""
