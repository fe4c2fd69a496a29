"""Collegium workflows."""
