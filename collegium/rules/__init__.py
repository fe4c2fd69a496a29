"""Collegium rules."""
