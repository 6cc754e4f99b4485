"""Prices as people read them: "€ 2,50". No Flask here; "free" is the caller's word, in its language."""
from __future__ import annotations


def euro(cents: int) -> str:
    """Cents as a Dutch euro amount; 0 becomes "" so the caller can say "Gratis" in its language."""
    if not cents:
        return ""
    return "€ " + f"{cents / 100:.2f}".replace(".", ",")
