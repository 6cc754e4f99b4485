"""Card codes: random, unguessable, easy to read aloud and to type.

Pure code. 16 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I) give 80 bits
of entropy. Printed in groups of four ("K7QM-2XHP-..."); typing may use any case, spaces or dashes.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
MAX_RAW_LENGTH = 200  # longer input is not a card code, whatever it contains

_SEPARATORS = re.compile(r"[\s\-_.]+")


def generate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str | None:
    """The canonical code for what was scanned or typed, or None when it cannot be a code."""
    if not isinstance(raw, str) or len(raw) > MAX_RAW_LENGTH:
        return None
    code = _SEPARATORS.sub("", raw).upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def mentions(raw: str, codes: set[str] | frozenset[str]) -> bool:
    """Whether what was scanned or typed holds one of these codes, in whatever case or spacing
    ("mb73 pzkg 4pmq w4sf"), also inside longer input (a typo's extra letter, a pasted sentence)."""
    compact = _SEPARATORS.sub("", raw[: 2 * MAX_RAW_LENGTH]).upper()
    return any(code in compact for code in codes)


def format_code(code: str) -> str:
    """For print: four groups of four, so a volunteer can read it out and type it."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
