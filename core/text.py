"""Text as the registry keeps it (normalise_text) and as it matches names (fold: "Sa Đéc", "SA DEC", "sa dec")."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext

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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def normalise_text(text: str, *, multiline: bool = False) -> str:
    """Text as the registry stores it: Unicode NFC; format characters (category Cf: zero-width spaces and
    joiners, direction marks, BOM, soft hyphen) removed; no-break and other spaces made plain; runs of spaces
    collapsed and the ends trimmed. With `multiline`, line breaks are kept (as "\\n") and each line is cleaned.

    Control characters are left in place for control_character() to report: refusing says more than dropping.
    Source of the categories: the Unicode Character Database (General_Category Cf and Zs).
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    if multiline:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(_collapse(line) for line in lines).strip("\n").strip()
    return _collapse(text)


def _collapse(text: str) -> str:
    return _SPACE_RUN.sub(" ", _to_plain_spaces(text)).strip()


_SPACE_RUN = re.compile(r" {2,}")


def _to_plain_spaces(text: str) -> str:
    return "".join(" " if ch == "\t" or unicodedata.category(ch) == "Zs" else ch for ch in text)


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character in `text` ("U+0000"), or None; line breaks count only without `multiline`.

    Control characters (C0 but tab, DEL, C1, lone surrogates) never belong in a name or a note: PostgreSQL
    refuses NUL outright, and the others are invisible in every program staff use.
    """
    match = (_CONTROL if multiline else _CONTROL_OR_BREAK).search(text.replace("\t", " "))
    return f"U+{ord(match.group()):04X}" if match else None


def plain_text_field(field) -> bool:
    """Whether a model field is a plain CharField or TextField without choices: the columns normalise_text
    cleans (slugs, URLs, e-mail addresses and choices have their own validation). A column of one language of a
    translated field (django-modeltranslation's `description_fr`) is judged by the field it translates."""
    original = getattr(field, "translated_field", field)
    return type(original) in (models.CharField, models.TextField) and not original.choices


def normalise_fields(instance) -> None:
    """Normalise the plain text fields of a model instance in place (models' clean() and commands call this);
    raise ValidationError naming each field that holds a control character."""
    errors = {}
    fields = instance._meta.concrete_fields
    # A translated field reads and writes its column in the active language: its columns are checked instead,
    # under the names the admin's form shows (description_fr).
    translated = {field.translated_field.name for field in fields if hasattr(field, "translated_field")}
    for field in fields:
        if field.name in translated:
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not plain_text_field(field):
            continue
        multiline = type(getattr(field, "translated_field", field)) is models.TextField
        if bad := control_character(value, multiline=multiline):
            message = gettext("Remove the invisible control character %(character)s; it cannot be stored.")
            errors[field.name] = message % {"character": bad}
            continue
        setattr(instance, field.attname, normalise_text(value, multiline=multiline))
    if errors:
        raise ValidationError(errors)
