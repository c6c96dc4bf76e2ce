"""Addresses of many records of one kind, for tables of hundreds of rows."""

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

# A value every path converter the project uses (int, slug, str) accepts, and no address otherwise holds.
_MARK = "918273645546372819"


def reverse_for_each(viewname: str) -> Callable[[object], str]:
    """A function value -> reverse(viewname, args=[value]) that reverses once: a report page of 500 rows links
    each to its record, and Django's reverse() took about 40 µs a call (100 ms a page on a slow machine). The
    value is quoted as reverse() quotes it; unlike reverse(), it is not checked against the path converter, so
    give it what the database holds for that converter (a pk, a slug). The address is of the language and
    script prefix active when this is called. Raises NoReverseMatch as reverse() does."""
    head, _, tail = reverse(viewname, args=[_MARK]).partition(_MARK)

    def address(value) -> str:
        return f"{head}{quote(str(value), safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"

    return address
