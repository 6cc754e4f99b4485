"""Reaching a visitor who is out of sight: phone numbers as tel: and WhatsApp links.

Pure code: a phone number and a message in, URLs out. Dutch numbers are the usual case:
06 12 34 56 78 becomes 31612345678 (wa.me wants the country code and digits only).
"""
from __future__ import annotations

import re
from urllib.parse import quote


def international_digits(phone: str) -> str | None:
    """The number as country code plus digits, or None when it is not a usable number."""
    text = phone.strip()
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if not plus and digits.startswith("00"):
        digits = digits[2:]
    elif not plus and digits.startswith("0"):
        digits = "31" + digits[1:]   # a Dutch number: 06..., 071...
    elif not plus:
        return None
    if digits.startswith("310"):  # "+31 (0)6 ..." written with the trunk zero
        digits = "31" + digits[3:]
    return digits if 8 <= len(digits) <= 15 else None


def tel_url(phone: str) -> str | None:
    digits = international_digits(phone)
    return f"tel:+{digits}" if digits else None


def whatsapp_url(phone: str, message: str) -> str | None:
    digits = international_digits(phone)
    if not digits:
        return None
    return f"https://wa.me/{digits}?text={quote(message, safe='')}"


def whatsapp_base(phone: str) -> str | None:
    """The address a form posts its editable `text` to (a GET form builds ?text=... itself)."""
    digits = international_digits(phone)
    return f"https://wa.me/{digits}" if digits else None
