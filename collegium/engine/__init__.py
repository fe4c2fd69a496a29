"""Collegium engine."""
