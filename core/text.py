"""Folding names for matching: "Sa Đéc", "SA DEC" and "sa dec" all fold to "sa dec"."""

import re
import unicodedata

from django.utils.text import slugify

# Letters that Unicode does not decompose into a base letter plus a mark.
_EXTRA = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ł": "l",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ħ": "h",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse white space; other scripts are kept as they are."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip()


def ascii_slug(text: str) -> str:
    """A URL slug in ASCII; empty when the text has no Latin letters or digits."""
    return slugify(fold(text))
