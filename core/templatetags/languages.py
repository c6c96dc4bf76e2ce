"""The links between a page's translations: hreflang alternates and the language switcher (base.html)."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    """One language of the current page: its code ("fr"), its name in itself ("Français"), the page's address
    in it (path and query string, "/fr/cities/?region=x") and whether it is the language shown."""

    code: str
    name: str
    url: str
    current: bool
    bidi: bool


def _is_prefixed(request) -> bool:
    """Whether the page's address carries its language (/fr/...): the public pages do, the admin and reports don't."""
    return translation.get_language_from_path(request.path_info) is not None


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """The current page in every language of settings.LANGUAGES, its query string kept (its filters, its page).

    Empty for a page whose address carries no language (the admin, the reports, a 404 page): those change the
    language with the set_language form instead (includes/language_switcher.html)."""
    request = context.get("request")
    if request is None or request.resolver_match is None or not _is_prefixed(request):
        return []
    current = translation.get_language()
    here = request.get_full_path()
    return [
        LanguageLink(
            code=code,
            name=name,
            url=translate_url(here, code),
            current=code == current,
            bidi=translation.get_language_info(code)["bidi"],
        )
        for code, name in settings.LANGUAGES
    ]


@register.filter
def x_default(links: list[LanguageLink]) -> str:
    """The page's address without a language ("/cities/?region=x"), which redirects to the reader's language:
    the hreflang x-default, as Django's sitemaps write it (x_default = True). Empty when `links` is."""
    default = next((link for link in links if link.code == settings.LANGUAGE_CODE), None)
    return default.url.replace(f"/{default.code}/", "/", 1) if default else ""


@register.simple_tag
def language_names() -> list[tuple[str, str]]:
    """settings.LANGUAGES as written there, each name in its own language. (Django's {% get_available_languages %}
    translates them into the current language: "English" would read "الإنجليزية" on an Arabic page.)"""
    return list(settings.LANGUAGES)
