"""Numbers as Vietnamese documents write them: a decimal comma, no trailing zeros."""

from __future__ import annotations


def show_number(value: float) -> str:
    """23.5 -> 23,5; 40.0 -> 40 (Vietnamese decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
