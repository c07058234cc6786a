"""Ambient air: hourly observations from the national stations."""
