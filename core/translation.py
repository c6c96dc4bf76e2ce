"""Content in the reader's language: fields kept per language (django-modeltranslation), read in SQL and sorted.

A model instance's translated attribute (`country.name`) already answers in the active language with English as
the fallback (modeltranslation's descriptor). Querysets that read values (`.values("country__name")`: reports,
exports, charts, the map) do not: `localized(path)` is the same rule in SQL. `collation_key()` sorts short lists
(countries, regions) in Python the way the language sorts them; see docs/languages.md for which lists sort how.
"""

import functools

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

FALLBACK_LANGUAGE = "en"
SQLITE_COLLATION = "uca"


def content_language(language: str | None = None) -> str:
    """The language whose column is read: `language` or the active one, reduced to one of settings.LANGUAGES
    ("en-gb" -> "en", "fr-ca" -> "fr"); English for a language the site does not have."""
    code = (language or translation.get_language() or FALLBACK_LANGUAGE).lower()
    available = {lang for lang, _ in settings.LANGUAGES}
    for candidate in (code, code.split("-")[0]):
        if candidate in available:
            return candidate
    return FALLBACK_LANGUAGE


def localized(path: str, language: str | None = None):
    """The SQL expression of translated field `path` ("country__name") in `language` (default: the active one):
    its column in that language, or the English one when it is empty (NULL or "").

    Returns a plain F() for English, so English pages and exports run the SQL they always ran.
    """
    lang = content_language(language)
    english = F(f"{path}_{FALLBACK_LANGUAGE}")
    if lang == FALLBACK_LANGUAGE:
        return english
    # modeltranslation makes a field class per language: the output type must be said.
    return Coalesce(NullIf(F(f"{path}_{lang}"), Value("")), english, output_field=TextField())


def plain_values(queryset, *fields, **expressions):
    """queryset.values(*fields, **expressions) as Django defines it, on any queryset.

    modeltranslation's values() on a translated model (City, Country, ...) selects every field besides the
    expressions when it is given no field name, which changes a GROUP BY and an export's columns; its raw_values()
    is Django's values(). Read translated fields with localized() in the expressions.
    """
    values = getattr(queryset, "raw_values", queryset.values)
    return values(*fields, **expressions)


def translated_path(model, path: str) -> str | None:
    """The translated field `path` names from `model`, without a language suffix, or None.

    "city__country__name" and "city__country__name_fr" (a path modeltranslation already rewrote for the active
    language) both give "city__country__name"; any other path (an annotation, a lookup, a typo) gives None.
    """
    *relations, name = path.split("__")
    for relation in relations:
        try:
            field = model._meta.get_field(relation)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None:
            return None
        model = field.related_model
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return None
    if name in options.all_fields:
        return path
    for original, fields in options.all_fields.items():
        if name in {field.name for field in fields}:
            return "__".join([*relations, original])
    return None


def localized_source(model, source):
    """A report column's source as an expression: localized() when it names a translated field, F() for any other
    path, the expression itself otherwise."""
    if not isinstance(source, str):
        return source
    original = translated_path(model, source)
    return localized(original) if original else F(source)


def collated(expression, language: str | None = None):
    """`expression` compared the way `language` (default: the active one) sorts: ICU's collation on PostgreSQL
    ("fr-x-icu"), the Unicode Collation Algorithm on SQLite (the "uca" collation every SQLite connection gets,
    see register_sqlite_collation)."""
    if connection.vendor == "postgresql":
        return Collate(expression, f"{content_language(language)}-x-icu")
    if connection.vendor == "sqlite":
        return Collate(expression, SQLITE_COLLATION)
    return expression


def bytewise(expression):
    """`expression` (a field path or expression) compared code point by code point, as Python compares str,
    whatever the database's default collation: "C" on PostgreSQL, BINARY on SQLite (UTF-8 sorts by code point).
    For an order that Python must reproduce, as when lists kept apart are merged."""
    if connection.vendor == "postgresql":
        return Collate(expression, "C")
    if connection.vendor == "sqlite":
        return Collate(expression, "BINARY")
    return expression


def localized_ordering(model, ordering) -> list:
    """`ordering` (order_by() arguments) with each translated field path read in the active language and collated:
    "-country__name" -> collated(localized("country__name")).desc(); other entries are kept as they are."""
    result = []
    for item in ordering:
        path = item.lstrip("-") if isinstance(item, str) else None
        original = path and translated_path(model, path)
        if not original:
            result.append(item)
            continue
        expression = collated(localized(original))
        result.append(expression.desc() if item.startswith("-") else expression.asc())
    return result


@functools.cache
def _collator():
    from pyuca import Collator

    return Collator()


@functools.lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple:
    """A sort key following the Unicode Collation Algorithm (pyuca, the default table DUCET): accents and case
    count only after the letters ("Égypte" after "Danemark" and before "Espagne", not after "Zimbabwe"), Arabic
    letters in alphabetical order. Spanish sorts "ñ" after "n", the default table with "n": no country or region
    name differs only there."""
    return _collator().sort_key(text or "")


def sorted_by_name(items, name=lambda item: item.name) -> list:
    """`items` sorted by `name(item)` with collation_key(): for short lists (countries, regions) sorted in Python."""
    return sorted(items, key=lambda item: collation_key(name(item) or ""))


def by_label(pairs) -> list:
    """(label, value) pairs sorted by label with collation_key(): a chart's bars in the reader's alphabetical order."""
    return sorted(pairs, key=lambda pair: collation_key(str(pair[0])))


def _uca_compare(left: str, right: str) -> int:
    a, b = collation_key(left or ""), collation_key(right or "")
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs):
    """connection_created receiver: gives each SQLite connection the "uca" collation collated() uses."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _uca_compare)
