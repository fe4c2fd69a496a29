"""Collegium's performance figures, each measured against a floor in the same process run.

Run ``python -m benchmarks`` (full, a few minutes) or ``python -m benchmarks --quick`` (well under a
minute) from the repository root; see ``benchmarks/README.md`` for what each figure means.
"""
