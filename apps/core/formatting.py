"""Formatting shared by pages and command-line output."""

from __future__ import annotations


def duration_display(seconds: float) -> str:
    """A step's duration as a person reads it: ``4.2 ms``, ``380 ms``, ``2.41 s``."""
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"
